from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

CSV_MAX_ROWS = 10_000


def _positive_int(request: Request, name: str, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise ValidationError({name: [f"Must be a whole number from 1, not {raw[:40]!r}."]})
    if maximum is not None and int(raw) > maximum:
        raise ValidationError({name: [f"At most {maximum}."]})
    return int(raw)


def _longer_than(rows: QuerySet | list, limit: int) -> bool:
    if isinstance(rows, list):
        return len(rows) > limit
    return rows[limit : limit + 1].exists()


class PageNumberPagination(pagination.PageNumberPagination):
    """``page`` and ``page_size`` (default 50, at most 200); a page past the end is a 404.

    A CSV export without ``page`` or ``page_size`` is the whole filtered list, up to
    ``CSV_MAX_ROWS`` rows.
    """

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"

    def get_page_size(self, request: Request) -> int:
        return _positive_int(request, "page_size", self.max_page_size) or self.page_size

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: APIView | None = None
    ) -> list | None:
        page_number = _positive_int(request, self.page_query_param)
        page_size = self.get_page_size(request)
        wants_pages = {"page", "page_size"} & set(request.query_params)
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "csv" and not wants_pages:
            if _longer_than(queryset, CSV_MAX_ROWS):
                message = (
                    f"More than {CSV_MAX_ROWS} rows: narrow the filters, "
                    "or export page by page with page and page_size."
                )
                raise ValidationError({"format": [message]})
            return None
        self.request = request
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(page_number or 1)
        except InvalidPage as error:
            last = paginator.num_pages
            raise NotFound(f"No page {page_number}: the last page is {last}.") from error
        return list(self.page)
