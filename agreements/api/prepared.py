"""Queries compiled once: the fixed queries of the read paths, run many times with other ids.

A page embeds lists (sectors, signatories, citations…) fetched by one query each over the
page's ids. Django compiles a queryset to SQL on every execution, which took longer than the
database took to answer; these queries only ever differ in the ids (or codes), so each is
compiled once per database and run with each list as a single parameter (an array on
PostgreSQL, a JSON list on SQLite), keeping the ORM as the one place their SQL comes from.
"""

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections
from django.db.models import Field, ForeignObject, Lookup, QuerySet

# Stand for the lists while compiling, one per list the query takes; found again among the
# compiled parameters (a subquery can carry the same list more than once).
_MARKERS = [[-7_770_777_707 - slot] for slot in range(4)]


def _bound(values: list, vendor: str) -> Any:
    return values if vendor == "postgresql" else json.dumps(values)


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
    codes); ``rows(*lists, using=...)`` runs it with other lists."""

    def __init__(self, build: Callable[..., QuerySet], lists: int = 1) -> None:
        self.build = build
        self.lists = lists
        self._compiled: dict[str, tuple[str, list, list, list, Any]] = {}

    def rows(self, *lists: Iterable, using: str) -> list[tuple]:
        lists = [list(values) for values in lists]
        if len(lists) != self.lists:
            raise TypeError(f"This query takes {self.lists} lists, not {len(lists)}.")
        if not all(lists):
            return []
        sql, params, slots, converters, compiler = self._compile(using)
        connection = connections[using]
        params = list(params)
        for position, slot in slots:
            params[position] = _bound(lists[slot], connection.vendor)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
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
