"""The mandate search: criteria combined, sortable columns, pages (R-SRCH-1..8).

Criteria are ANDed, values inside one criterion ORed; the period matches a group valid on some day
of that quarter, and a group criterion with a period needs the same group to match both (R-SRCH-3).
The statements that read the pages, the counts and the export's batches are in resolvers.mandate_pages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from models.errors import ErrorCode, RuleViolation
from models.quarter import Quarter
from models.status import MandateStatus
from models.tables import Enterprise
from resolvers.context import UseCase
from resolvers.lookup import find_enterprise
from resolvers.visibility import NOBODY


class OrderField(enum.Enum):
    CREATED_AT = "created_at"
    REFERENCE = "reference"  # by series, then by number as a number (R-SRCH-8)
    PRINCIPAL_NAME = "principal_name"  # alphabetically: case and accents aside (models.sort_keys)
    MANDATARY_NAME = "mandatary_name"
    STATUS = "status"  # the status as of today, as shown (a lapsed mandate sorts as CANCELLED)
    START_QUARTER = "start_quarter"
    END_QUARTER = "end_quarter"  # no end sorts after every end, on SQLite and PostgreSQL alike


@dataclass(frozen=True)
class MandateSearch:
    mandatary_number: str | None = None
    principal_number: str | None = None
    groups: list[str] = field(default_factory=list)
    period: Quarter | None = None
    statuses: list[MandateStatus] = field(default_factory=list)


@dataclass(frozen=True)
class Criteria:
    """The search's criteria resolved to what the statement compares: enterprise ids (NOBODY for an
    unknown enterprise: no match), catalogue group codes, a quarter index."""

    principal_id: int | None = None
    mandatary_id: int | None = None
    groups: tuple[str, ...] = ()
    period: int | None = None
    statuses: tuple[MandateStatus, ...] = ()


async def resolve(uc: UseCase, search: MandateSearch) -> Criteria:
    """The criteria checked and resolved: a malformed number or an unknown group is refused (none: all, R-SRCH-4)."""
    mandatary_id = principal_id = None
    if search.mandatary_number:
        mandatary = await _enterprise_or_none(search.mandatary_number, ("filter", "mandataryNumber"), ("ssa_number",))
        mandatary_id = mandatary.id if mandatary else NOBODY
    if search.principal_number:
        principal = await _enterprise_or_none(search.principal_number, ("filter", "principalNumber"), ("nsso_number",))
        principal_id = principal.id if principal else NOBODY
    if search.groups:
        uc.catalogue.resolve(search.groups, ("filter", "groups"))
    return Criteria(
        principal_id,
        mandatary_id,
        tuple(dict.fromkeys(search.groups)),
        search.period.index if search.period else None,
        tuple(dict.fromkeys(search.statuses)),
    )


async def _enterprise_or_none(raw: str, field: tuple[str, ...], by: tuple[str, ...]) -> Enterprise | None:
    """An unknown enterprise matches nothing; a malformed CBE number is still an error."""
    try:
        return await find_enterprise(raw, field, by=by)
    except RuleViolation as violation:
        if violation.code is ErrorCode.ENTERPRISE_NOT_FOUND:
            return None
        raise
