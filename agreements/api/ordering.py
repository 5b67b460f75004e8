from typing import Any

from django.db.models import F, OrderBy, QuerySet
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request


def nulls_last(fields: list[str] | tuple[str, ...]) -> list[OrderBy]:
    """Order by ``fields`` ("-field" descending) with unknown values last on both engines, then
    by id so that pages never overlap."""
    terms = [
        F(field[1:]).desc(nulls_last=True)
        if field.startswith("-")
        else F(field).asc(nulls_last=True)
        for field in fields
    ]
    if not any(field.lstrip("-") == "id" for field in fields):
        terms.append(F("id").asc())
    return terms


class StrictOrderingFilter(OrderingFilter):
    """``ordering`` over an explicit whitelist; anything else is a 400 naming the choices."""

    def get_ordering(self, request: Request, queryset: QuerySet, view: Any) -> list[str] | None:
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return None
        allowed = set(view.ordering_fields)
        fields = [term.strip() for term in raw.split(",") if term.strip()]
        wrong = [field for field in fields if field.removeprefix("-") not in allowed]
        if wrong or not fields:
            choices = ", ".join(sorted(allowed))
            raise ValidationError(
                {self.ordering_param: [f"Order by one of {choices} (prefix - to reverse)."]}
            )
        return fields

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        ordering = self.get_ordering(request, queryset, view)
        return queryset.order_by(*nulls_last(ordering)) if ordering else queryset
