"""Custom scalars: Quarter ("N/YYYY", R-CAL-1) and DateTime (in Brussels time, R-CAL-4). Date and Upload
are Strawberry's.

Types annotate with the domain's `models.quarter.Quarter`; the schema maps it to this scalar.
"""

from __future__ import annotations

import datetime as dt

import strawberry

from config.clock import BRUSSELS
from models.quarter import Quarter

QuarterScalar = strawberry.scalar(
    name="Quarter",
    description='A quarter (the seeds\' "term"), written "N/YYYY" with N from 1 to 4, e.g. "1/2026".',
    serialize=str,
    parse_value=Quarter.parse,
)
# An instant is written in the registry's time zone whatever the database returns (PostgreSQL gives UTC,
# SQLite the offset it was written with), so that its date part is the day a person in Belgium lived.
DateTimeScalar = strawberry.scalar(
    name="DateTime",
    description="An instant, ISO 8601 with its offset, written in Brussels time (e.g. 2024-05-10T14:03:00+02:00).",
    serialize=lambda value: value.astimezone(BRUSSELS).isoformat(),
    parse_value=dt.datetime.fromisoformat,
)
SCALARS = {Quarter: QuarterScalar, dt.datetime: DateTimeScalar}
