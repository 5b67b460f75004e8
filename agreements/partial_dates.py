"""Dates known only to the year or the month.

A ``PartialDate`` is the ISO 8601 string of its precision ("2004", "2024-11", "2024-11-07"), so it
sorts, stores and serialises as that string, and it knows the period it stands for: "2004" is the
whole of 2004, never 1 January 2004.
"""

from __future__ import annotations

import calendar
import datetime
import re
from enum import StrEnum

_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
FORMAT_HELP = "A year (2004), a month (2024-11) or a day (2024-11-07)."
# The shape of _PATTERN for the database's check constraint (this syntax works in both engines).
# Month lengths are checked too (29 February is left to Python, which knows leap years); \Z,
# unlike $, does not match before a final newline.
SQL_PATTERN = (
    r"^[0-9]{4}(-((0[13578]|1[02])(-(0[1-9]|[12][0-9]|3[01]))?"
    r"|(0[469]|11)(-(0[1-9]|[12][0-9]|30))?"
    r"|02(-(0[1-9]|1[0-9]|2[0-9]))?))?\Z"
)


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


class PartialDate(str):
    """An ISO 8601 date of year, month or day precision; compares as its string."""

    __slots__ = ()

    def __new__(cls, value: str | PartialDate | datetime.date) -> PartialDate:
        if type(value) is cls:
            return value
        if isinstance(value, datetime.date):
            return super().__new__(cls, value.isoformat())
        text = str(value).strip()
        match = _PATTERN.fullmatch(text)
        if not match:
            raise ValueError(f"{value!r} is not a partial date. {FORMAT_HELP}")
        year, month, day = (int(part) if part else None for part in match.groups())
        if year == 0:
            raise ValueError(f"{value!r} is not a partial date: there is no year 0000.")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{value!r} is not a partial date: month {month} does not exist.")
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(
                f"{value!r} is not a partial date: {text} is not a day of the calendar."
            )
        return super().__new__(cls, text)

    @classmethod
    def trusted(cls, text: str) -> PartialDate:
        """A value already checked, such as one read back from a column whose check constraint
        holds it to the format: reads skip the parsing."""
        return str.__new__(cls, text)

    @property
    def year(self) -> int:
        return int(self[:4])

    @property
    def month(self) -> int | None:
        return int(self[5:7]) if len(self) >= 7 else None

    @property
    def day(self) -> int | None:
        return int(self[8:10]) if len(self) == 10 else None

    @property
    def precision(self) -> Precision:
        return {4: Precision.YEAR, 7: Precision.MONTH, 10: Precision.DAY}[len(self)]

    @property
    def start(self) -> datetime.date:
        """The first day of the period."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> datetime.date:
        """The last day of the period."""
        if self.day is not None:
            return self.start
        month = self.month or 12
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def may_be_on_or_after(self, other: PartialDate | str) -> bool:
        """Whether some day of this period falls on or after the start of ``other``."""
        return self.end >= PartialDate(other).start

    def may_be_on_or_before(self, other: PartialDate | str) -> bool:
        """Whether some day of this period falls on or before the end of ``other``."""
        return self.start <= PartialDate(other).end

    def __repr__(self) -> str:
        return f"PartialDate({str(self)!r})"
