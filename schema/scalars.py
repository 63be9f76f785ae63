"""Custom scalars: Quarter ("N/YYYY", R-CAL-1), DateTime (in Brussels time, R-CAL-4) and Upload. Date is
Strawberry's.

Types annotate with the domain's `models.quarter.Quarter`; the schema maps it to this scalar. A file
argument is annotated with Starlette's `UploadFile`, what a GraphQL multipart request gives it, and
maps to the Upload scalar (Strawberry's own types it as bytes).
"""

from __future__ import annotations

import datetime as dt

import strawberry
from starlette.datastructures import UploadFile
from strawberry.types.scalar import ScalarDefinition

from config.clock import BRUSSELS
from models.errors import ErrorCode, RuleViolation
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


def _upload(value: object) -> UploadFile:
    """A file part of the multipart request; a value written in the variables (a text) names no file."""
    if not isinstance(value, UploadFile):
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.upload.not_multipart")
    return value


UploadScalar = strawberry.scalar(
    name="Upload",
    description="Represents a file upload.",
    serialize=lambda value: value,
    parse_value=_upload,
)
SCALARS: dict[object, ScalarDefinition] = {
    Quarter: QuarterScalar,
    dt.datetime: DateTimeScalar,
    UploadFile: UploadScalar,
}
