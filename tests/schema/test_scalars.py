"""The DateTime scalar writes instants in Brussels time (R-CAL-4), whatever zone the database returns."""

from __future__ import annotations

import datetime as dt

import pytest

from schema.scalars import DateTimeScalar

serialize = DateTimeScalar.serialize


@pytest.mark.parametrize(
    ("instant", "written"),
    [
        # PostgreSQL returns UTC: 22:30 UTC on 7 May is already 8 May in Brussels (summer time, +02:00).
        (dt.datetime(2024, 5, 7, 22, 30, tzinfo=dt.UTC), "2024-05-08T00:30:00+02:00"),
        # Winter time, +01:00.
        (dt.datetime(2024, 11, 29, 23, 15, tzinfo=dt.UTC), "2024-11-30T00:15:00+01:00"),
        # Already in another offset (SQLite returns what was written): the same instant, in Brussels time.
        (dt.datetime(2024, 5, 8, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), "2024-05-08T16:00:00+02:00"),
    ],
)
def test_r_cal_4_datetime_is_written_in_brussels_time(instant, written):
    assert serialize(instant) == written
