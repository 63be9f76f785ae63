"""The quarter calendar (R-CAL-1..5, R-CAL-7): the seeds' "terms", written `N/YYYY`.

A quarter is stored as one integer (`index` = year * 4 + number - 1) so that the database can
compare and sort periods; `Quarter` is the value the rules reason with.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import overload

from models.errors import ErrorCode, RuleViolation

_PATTERN = re.compile(r"^\s*([1-4])/(\d{4})\s*$", re.ASCII)
MIN_YEAR, MAX_YEAR = 1900, 2999


@dataclass(frozen=True, order=True)
class Quarter:
    index: int  # year * 4 + (number - 1): orders and subtracts like the calendar

    @classmethod
    def of(cls, number: int, year: int) -> Quarter:
        if not 1 <= number <= 4 or not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"no quarter {number}/{year}")
        return cls(year * 4 + number - 1)

    @classmethod
    def parse(cls, text: str, field: tuple[str, ...] | None = None) -> Quarter:
        """`"1/2026"` -> Q1 2026; anything else is refused with INVALID_QUARTER (R-CAL-1)."""
        match = _PATTERN.match(text) if isinstance(text, str) else None
        if not match or not MIN_YEAR <= int(match.group(2)) <= MAX_YEAR:
            raise RuleViolation(ErrorCode.INVALID_QUARTER, "api.quarter.invalid", field, text=text)
        return cls.of(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        """The quarter T of a reference date (R-CAL-4)."""
        return cls.of((day.month - 1) // 3 + 1, day.year)

    @property
    def year(self) -> int:
        return self.index // 4

    @property
    def number(self) -> int:
        return self.index % 4 + 1

    @property
    def first_day(self) -> dt.date:
        """A mandate starts on the first day of its start quarter (R-CAL-2)."""
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> dt.date:
        """An end quarter is valid up to and including its last day (R-CAL-3)."""
        return (self + 1).first_day - dt.timedelta(days=1)

    def __add__(self, quarters: int) -> Quarter:
        return Quarter(self.index + quarters)

    @overload
    def __sub__(self, other: Quarter) -> int: ...

    @overload
    def __sub__(self, other: int) -> Quarter: ...

    def __sub__(self, other: int | Quarter) -> Quarter | int:
        """A quarter minus a quarter is the number of quarters between them; minus a count, a quarter."""
        if isinstance(other, Quarter):
            return self.index - other.index
        return Quarter(self.index - other)

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"

    def __repr__(self) -> str:
        return f"Quarter({self})"


def quarter_or_none(index: int | None) -> Quarter | None:
    """A stored quarter index, None standing for an open end."""
    return None if index is None else Quarter(index)


def month_of_quarter(day: dt.date) -> int:
    """1 for January, April, July and October; 2; 3 (R-CAL-5)."""
    return (day.month - 1) % 3 + 1


def overlaps(start: Quarter, end: Quarter | None, other_start: Quarter, other_end: Quarter | None) -> bool:
    """Whether two quarter ranges [start, end] share a quarter; None is an open end."""
    return (end is None or other_start <= end) and (other_end is None or start <= other_end)


def add_working_days(day: dt.date, count: int, holidays: frozenset[dt.date]) -> dt.date:
    """The day `count` working days after `day`: Monday to Friday, public holidays excluded (R-CAL-6)."""
    current = day
    while count > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            count -= 1
    return current
