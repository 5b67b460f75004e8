import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window
from django.utils.functional import cached_property
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

CSV_MAX_ROWS = 10_000
# Above this many matching rows a list reports PostgreSQL's estimate rather than counting: at a
# million agreements, counting 10,000 rows of a busy filter took 40-70 ms, far more than the page.
ESTIMATE_ABOVE = 1_000
# Where PostgreSQL expects this many, its estimate is the count outright. Even the capped
# count must find ESTIMATE_ABOVE + 1 matches, and for a common word at a million agreements
# that meant checking some 12,000 rows' text (8 ms, half the request). Only an overestimate of
# twenty times or more reports a list of 1,000 or fewer this way (filters that work against
# each other can do it; count_estimated says the count is the planner's). The planner is asked
# only about a table that holds that many rows at all.
SURELY_ABOVE = 20 * ESTIMATE_ABOVE
# How long a process trusts its reading of a table's size (it only decides whether to ask).
TABLE_SIZE_SECONDS = 60.0
# Databases refuse offsets past a 64-bit integer; no real list comes near this.
MAX_OFFSET = 2**62


_table_sizes: dict[tuple[str, str], tuple[float, float]] = {}


def table_size(queryset: QuerySet) -> float:
    """PostgreSQL's estimate of the rows in ``queryset``'s table (``reltuples``, which VACUUM
    and ANALYZE keep), read at most once every TABLE_SIZE_SECONDS per process; 0 elsewhere
    and for a table never analysed."""
    if connections[queryset.db].vendor != "postgresql":
        return 0.0
    key = (queryset.db, queryset.model._meta.db_table)
    now = time.monotonic()
    read_at, size = _table_sizes.get(key, (-TABLE_SIZE_SECONDS, 0.0))
    if now - read_at >= TABLE_SIZE_SECONDS:
        with connections[queryset.db].cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [key[1]])
            size = max(float(cursor.fetchone()[0]), 0.0)
        _table_sizes[key] = (now, size)
    return size


def estimated_rows(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of how many rows ``queryset`` has; None on other engines."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatingPaginator(Paginator):
    """Counts exactly up to ``ESTIMATE_ABOVE`` rows and reports PostgreSQL's estimate beyond
    (``count_estimated``), so no page pays for counting a million rows. Of a table that large,
    PostgreSQL is asked first: where it expects at least ``SURELY_ABOVE`` rows, nothing is
    counted at all.

    A page shorter than the page size tells the count by itself: no count query at all.
    """

    count_estimated = False

    def page(self, number: int | str) -> Page:
        number = self.validate_number_format(number)
        bottom = (number - 1) * self.per_page
        if bottom > MAX_OFFSET:
            raise EmptyPage(f"No page {number}.")
        rows = list(self.object_list[bottom : bottom + self.per_page])
        counted_with_page = getattr(self.object_list, "total", None)
        if counted_with_page is not None:
            self.__dict__["count"] = counted_with_page
        elif len(rows) < self.per_page and (rows or number == 1):
            self.__dict__["count"] = bottom + len(rows)
        if not rows and number > 1:
            raise EmptyPage(f"No page {number}.")
        return self._get_page(rows, number, self)

    def validate_number_format(self, number: int | str) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer.") from error
        if number < 1:
            raise EmptyPage("That page number is less than 1.")
        return number

    @cached_property
    def count(self) -> int:
        rows = getattr(self.object_list, "queryset", self.object_list)
        if not isinstance(rows, QuerySet):
            return len(rows)
        rows = rows.order_by()
        if rows.query.is_empty():  # known to match nothing (and with no query to explain)
            return 0
        estimate = estimated_rows(rows) if table_size(rows) >= SURELY_ABOVE else None
        if estimate is not None and estimate >= SURELY_ABOVE:
            self.count_estimated = True
            return estimate
        capped = rows[: ESTIMATE_ABOVE + 1].count()
        if capped <= ESTIMATE_ABOVE:
            return capped
        estimate = estimate if estimate is not None else estimated_rows(rows)
        if estimate is None:
            return rows.count()
        self.count_estimated = True
        return max(estimate, capped)


def _positive_int(request: Request, name: str, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    # Beyond 18 digits no page or page size can exist, and a few thousand digits are more
    # than int() will read.
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18 or int(raw) < 1:
        raise ValidationError(
            {name: [f"Must be a whole number from 1 (at most 18 digits), not {raw[:40]!r}."]}
        )
    if maximum is not None and int(raw) > maximum:
        raise ValidationError({name: [f"At most {maximum}."]})
    return int(raw)


@dataclass
class ProjectedRows:
    """A filtered queryset read through a projection: pages come as projection rows, while
    counting and existence checks use the bare queryset, without the page's columns and joins.

    ``counts_with_page`` is for lists whose page query reads every match anyway (it sorts
    them in an order no index gives): the page query then counts them too, with a window
    over the same scan, and no second query counts them again. The count is then exact at
    any size.
    """

    queryset: QuerySet
    project: Callable[[QuerySet], QuerySet]
    counts_with_page: bool = False
    total: int | None = field(default=None, init=False)

    def __getitem__(self, window: slice) -> list:
        rows = self.project(self.queryset)
        if not self.counts_with_page:
            return list(rows[window])
        counted = list(rows.annotate(matching_total=Window(Count("*")))[window])
        if counted:
            self.total = counted[0][-1]
        return [row[:-1] for row in counted]

    def __iter__(self) -> Iterator:
        return iter(self.project(self.queryset))


def _longer_than(rows: QuerySet | ProjectedRows | list, limit: int) -> bool:
    if isinstance(rows, list):
        return len(rows) > limit
    rows = getattr(rows, "queryset", rows)
    return rows[limit : limit + 1].exists()


class PageNumberPagination(pagination.PageNumberPagination):
    """``page`` and ``page_size`` (default 50, at most 200); a page past the end is a 404.

    A CSV export without ``page`` or ``page_size`` is the whole filtered list, up to
    ``CSV_MAX_ROWS`` rows.
    """

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    django_paginator_class = EstimatingPaginator

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
            if paginator.count_estimated:  # the estimate may promise pages that are not there
                raise NotFound(f"No page {page_number}: the list ends before it.") from error
            raise NotFound(f"No page {page_number}: the last page is {last}.") from error
        return list(self.page)

    def get_next_link(self) -> str | None:
        return self._link(self.page.next_page_number()) if self.page.has_next() else None

    def get_previous_link(self) -> str | None:
        return self._link(self.page.previous_page_number()) if self.page.has_previous() else None

    def _link(self, number: int) -> str:
        """Built from the decoded parameters, so that a query string sent as raw UTF-8 (curl
        does) links on in percent-encoded UTF-8 rather than in re-encoded Latin-1."""
        name = self.page_query_param
        params = [
            (key, value)
            for key, values in self.request.query_params.lists()
            if key != name
            for value in values
        ]
        if number > 1:
            params.append((name, str(number)))
        url = self.request.build_absolute_uri(self.request.path)
        return f"{url}?{urlencode(sorted(params))}" if params else url

    def get_paginated_response(self, data: list) -> Response:
        return Response(
            {
                "count": self.page.paginator.count,
                "count_estimated": self.page.paginator.count_estimated,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_estimated"] = {
            "type": "boolean",
            "description": (
                "True when count is PostgreSQL's estimate: above 1,000 rows, "
                "or where it expects 20,000 or more."
            ),
        }
        return response
