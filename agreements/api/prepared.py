"""Queries compiled once: the fixed queries of the read paths, run many times with other ids.

A page embeds lists (sectors, signatories, citations…) fetched by one query each over the
page's ids. Django compiles a queryset to SQL on every execution, which took longer than the
database took to answer; these queries only ever differ in the ids, so each is compiled once
per database and run with the ids as a single parameter (an array on PostgreSQL, a JSON list
on SQLite), keeping the ORM as the one place their SQL comes from.
"""

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections
from django.db.models import Field, ForeignObject, Lookup, QuerySet

# Stands for the ids while compiling; found again among the compiled parameters.
_MARKER = [-7_770_777_707]


@ForeignObject.register_lookup  # relations keep lookups of their own
@Field.register_lookup
class InIdList(Lookup):
    """``field__in_id_list=[...]``: like ``__in``, with the whole list as one parameter."""

    lookup_name = "in_id_list"
    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: Any) -> tuple[str, list]:
        return "%s", [value]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, ids]
        return f"{lhs} IN (SELECT value FROM json_each(%s))", [*lhs_params, json.dumps(ids)]


class PreparedQuery:
    """``build(ids)`` gives the queryset (``values_list``) for some ids; ``rows(ids)`` runs it."""

    def __init__(self, build: Callable[[list[int]], QuerySet]) -> None:
        self.build = build
        self._compiled: dict[str, tuple[str, list, int, list, Any]] = {}

    def rows(self, ids: Iterable[int], using: str) -> list[tuple]:
        ids = [int(pk) for pk in ids]
        if not ids:
            return []
        sql, params, position, converters, compiler = self._compile(using)
        connection = connections[using]
        params = list(params)
        params[position] = ids if connection.vendor == "postgresql" else json.dumps(ids)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows

    def _compile(self, using: str) -> tuple[str, list, int, list, Any]:
        compiled = self._compiled.get(using)
        if compiled is None:
            compiler = self.build(_MARKER).query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            marker = _MARKER if connections[using].vendor == "postgresql" else json.dumps(_MARKER)
            position = list(params).index(marker)
            fields = [column[0] for column in compiler.select[: compiler.col_count]]
            converters = compiler.get_converters(fields)
            compiled = self._compiled[using] = (sql, list(params), position, converters, compiler)
        return compiled
