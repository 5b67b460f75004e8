"""``?format=csv``: every list as a spreadsheet-friendly file.

Nested values are flattened into dotted columns (``parties.code``); lists are joined with "; "
(``parties.code`` = "RU; VE"). UTF-8 with a byte-order mark, so that spreadsheet programs show
Arabic correctly.
"""

import csv
import io
from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer

SEPARATOR = "; "


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """One row of dotted columns for a nested JSON-like value."""
    if isinstance(value, Mapping):
        row: dict[str, str] = {}
        for key, item in value.items():
            row.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return row
    if isinstance(value, list):
        if all(not isinstance(item, Mapping | list) for item in value):
            return {prefix: SEPARATOR.join(_cell(item) for item in value)}
        rows = [flatten(item, prefix) for item in value]
        keys = list(dict.fromkeys(key for row in rows for key in row))
        # Every item fills every column, so that the n-th values of each column line up.
        return {key: SEPARATOR.join(row.get(key, "") for row in rows) for key in keys}
    return {prefix or "value": _cell(value)}


def rows_of(data: Any) -> list[Mapping]:
    if isinstance(data, Mapping) and isinstance(data.get("results"), list):
        return data["results"]
    if isinstance(data, list):
        return data
    return [data] if data is not None else []


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context=None
    ) -> bytes:
        rows = [flatten(row) for row in rows_of(data)]
        header: dict[str, None] = {}
        for row in rows:
            header.update(dict.fromkeys(row))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(header), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        response = renderer_context and renderer_context.get("response")
        if response is not None and not response.exception:
            view = renderer_context.get("view")
            name = getattr(view, "basename", None) or "export"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return ("\ufeff" + out.getvalue()).encode("utf-8")
