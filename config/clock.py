"""Today, in Brussels: the rules depend on the day (month of the quarter, 60 days) (R-CAL-4)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


class Clock:
    """The registry's reference date; frozen by MANDATES_CLOCK for demonstrations and tests."""

    def __init__(self, frozen: dt.date | None = None):
        self.frozen = frozen

    def now(self) -> dt.datetime:
        real = dt.datetime.now(BRUSSELS)
        if self.frozen is None:
            return real
        # A frozen day keeps the real time of day, so that events still follow each other.
        return dt.datetime.combine(self.frozen, real.timetz())

    def today(self) -> dt.date:
        return self.now().date()
