"""Queries compiled once: the fixed queries of the read paths, run many times with other ids.

A page embeds lists (sectors, signatories, citations…) fetched by one query each over the
page's ids. Django compiles a queryset to SQL on every execution, which took longer than the
database took to answer; these queries only ever differ in the ids (or codes), so each is
compiled once per database and run with each list as a single parameter (an array on
PostgreSQL, a JSON list on SQLite), keeping the ORM as the one place their SQL comes from.

On PostgreSQL they also bind on the server, so that psycopg prepares them and the server plans
each once per connection rather than on every run, and ``rows_together`` sends a page's
queries in one pipeline: one round trip for all of them.
"""

import json
from collections.abc import Callable, Iterable
from typing import Any

import psycopg
from django.db import connections
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.models import Field, ForeignObject, Lookup, QuerySet

# Stand for the lists while compiling, one per list the query takes; found again among the
# compiled parameters (a subquery can carry the same list more than once).
_MARKERS = [[-7_770_777_707 - slot] for slot in range(4)]


def _bound(values: list, vendor: str) -> Any:
    if vendor != "postgresql":
        return json.dumps(values)
    if all(type(value) is int for value in values):
        # An array literal, typed by the server from the column it is compared with: psycopg
        # dumps a list of ints element by element in Python (and types it by its largest).
        return "{" + ",".join(map(str, values)) + "}"
    return values


class _InList(Lookup):
    """Like ``__in``, with the whole list as one parameter."""

    prepare_rhs = False

    def values(self) -> list:
        return list(self.rhs)

    def get_db_prep_lookup(self, value: Any, connection: Any) -> tuple[str, list]:
        return "%s", [value]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        bound = _bound(self.values(), connection.vendor)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, bound]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, bound]


@ForeignObject.register_lookup  # relations keep lookups of their own
@Field.register_lookup
class InIdList(_InList):
    """``field__in_id_list=[...]``: ids."""

    lookup_name = "in_id_list"

    def values(self) -> list:
        return [int(value) for value in self.rhs]


@Field.register_lookup
class InValueList(_InList):
    """``field__in_list=[...]``: values of the field's own type (codes, slugs)."""

    lookup_name = "in_list"


class PreparedQuery:
    """``build(*lists)`` gives the queryset (``values_list``) for some lists of values (ids,
    codes); ``rows(*lists, using=...)`` runs it with other lists.

    With ``convert=False`` the rows are as the database gives them, without the fields'
    converters: for values that go straight into JSON (partial dates are their strings)."""

    def __init__(
        self, build: Callable[..., QuerySet], lists: int = 1, convert: bool = True
    ) -> None:
        self.build = build
        self.lists = lists
        self.convert = convert
        self._compiled: dict[str, tuple[str, list, list, list, Any]] = {}

    def rows(self, *lists: Iterable, using: str) -> list[tuple]:
        return rows_together((self, *lists), using=using)[0]

    def statement(self, lists: list[list], using: str) -> tuple[str, list] | None:
        """The SQL and parameters for these lists; None if a list is empty (no rows)."""
        if len(lists) != self.lists:
            raise TypeError(f"This query takes {self.lists} lists, not {len(lists)}.")
        if not all(lists):
            return None
        sql, params, slots, _converters, _compiler = self._compile(using)
        vendor = connections[using].vendor
        params = list(params)
        for position, slot in slots:
            params[position] = _bound(lists[slot], vendor)
        return sql, params

    def converted(self, rows: list[tuple], using: str) -> list[tuple]:
        _sql, _params, _slots, converters, compiler = self._compile(using)
        if converters and self.convert:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows

    def _compile(self, using: str) -> tuple[str, list, list, list, Any]:
        compiled = self._compiled.get(using)
        if compiled is None:
            markers = _MARKERS[: self.lists]
            compiler = self.build(*markers).query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            vendor = connections[using].vendor
            bound = [_bound(marker, vendor) for marker in markers]
            slots = [
                (position, bound.index(param))
                for position, param in enumerate(params)
                if param in bound
            ]
            fields = [column[0] for column in compiler.select[: compiler.col_count]]
            converters = compiler.get_converters(fields)
            compiled = self._compiled[using] = (sql, list(params), slots, converters, compiler)
        return compiled


def rows_together(*calls: tuple, using: str) -> list[list[tuple]]:
    """The rows of each ``(query, *lists)`` call, in order.

    On PostgreSQL the queries go out in one pipeline: one round trip to the server for all
    of them rather than one each.
    """
    connection = connections[using]
    statements = [
        query.statement([list(values) for values in lists], using) for query, *lists in calls
    ]
    sent = [statement for statement in statements if statement is not None]
    if connection.vendor == "postgresql" and len(sent) > 1:
        fetched = iter(_pipelined(connection, sent))
    else:
        fetched = iter([_fetched(connection, *statement) for statement in sent])
    return [
        [] if statement is None else query.converted(next(fetched), using)
        for (query, *_lists), statement in zip(calls, statements, strict=True)
    ]


# psycopg's own timestamp loader (compiled), which reads a value in the session's time zone.
# Django sets that zone to the connection's and loads in it too, but in Python: 5 µs a value
# rather than 0.5, and a page of 50 officials holds 100.
_TIMESTAMPTZ_LOADER = psycopg.adapters.get_loader(
    psycopg.adapters.types["timestamptz"].oid, psycopg.pq.Format.TEXT
)


def _cursor(connection: Any) -> Any:
    """On PostgreSQL, a cursor binding parameters on the server, which lets psycopg prepare
    the query (see ``pooled`` in the settings): planning these small queries took as long as
    running them. Django binds its own on the client, as not all of its queries can be
    prepared; these can. The cursor is made by Django's own path (health check, time zone,
    error wrapping, query log) with the server-binding class swapped in for the call."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    raw = connection.connection  # one per thread: the swap is seen by this call alone
    client_side, raw.cursor_factory = raw.cursor_factory, ServerBindingCursor
    try:
        cursor = connection.cursor()
    finally:
        raw.cursor_factory = client_side
    if connection.timezone is not None:  # naive datetimes (USE_TZ off) need Django's loader
        cursor.cursor.adapters.register_loader("timestamptz", _TIMESTAMPTZ_LOADER)
    return cursor


def _fetched(connection: Any, sql: str, params: list) -> list[tuple]:
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _pipelined(connection: Any, statements: list[tuple[str, list]]) -> list[list[tuple]]:
    cursors = [_cursor(connection) for _ in statements]
    try:
        # Errors surface when the pipeline syncs: wrapped as Django's, like any query's.
        with connection.wrap_database_errors, connection.connection.pipeline():
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
        return [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()
