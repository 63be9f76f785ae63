"""Reading a principal's places from the database and closing the groups a new mandate replaces.

The rules are `models.places`; this module only loads `Holding` values and writes replacements.
Callers hold the lock on the principal's row (`lock_principal`) so that two requests cannot both
take the last place (R-UNQ-12).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import ValuesQuery

from models.catalogue import ApplicationGroup, Catalogue
from models.errors import Words
from models.places import Holding, Replacement, Span
from models.quarter import Quarter, quarter_or_none
from models.status import AWAITING_SIGNATURE, EFFECTIVE, HOLDS_PLACE, MandateStatus
from models.tables import Enterprise, Mandate, MandateGroup
from resolvers.access import Actor
from resolvers.columns import values_of
from resolvers.journal import group_ends, record
from resolvers.lookup import find_enterprise
from resolvers.templates import read

PRINCIPAL_FIELD = ("principalNumber",)


async def lock_principal(principal_id: int) -> None:
    """Serialise every change to one principal's places (row lock on PostgreSQL; SQLite writes are serial).

    Fetches the whole row: Tortoise drops FOR UPDATE from `values_list` queries. On SQLite, which has
    no row locks, the transaction already holds the database's one write lock (config/sqlite.py).
    """
    if Enterprise._meta.db.capabilities.dialect == "sqlite":
        return
    await Enterprise.select_for_update().get(id=principal_id)


async def principal_holdings(
    principal_id: int, catalogue: Catalogue, today: dt.date, exclude_mandate: int | None = None
) -> list[Holding]:
    """The principal's groups that hold a place: effective, or in flight and not lapsed (R-UNQ-12, R-EXP-4)."""
    rows = await read(_holding_rows, _STATUSES, principal=principal_id, today=today, exclude=exclude_mandate or -1)
    return to_holdings(rows, catalogue, effective=lambda status, group: status in EFFECTIVE)


# Written into the statement's text (resolvers.templates.Constants), which is built once.
_STATUSES = frozenset(status.value for status in HOLDS_PLACE | AWAITING_SIGNATURE)


def _holding_rows(principal: int, today: dt.date, exclude: int) -> ValuesQuery[Any]:
    lapsed = Q(mandate__status__in=sorted(s.value for s in AWAITING_SIGNATURE)) & Q(mandate__finalise_before__lt=today)
    return (
        MandateGroup.filter(principal_id=principal, mandate__status__in=sorted(s.value for s in HOLDS_PLACE))
        .exclude(lapsed)
        .exclude(mandate_id=exclude)
        .values(*HOLDING_COLUMNS)
    )


HOLDING_COLUMNS = (
    "mandate_id",
    "group_code",
    "start_quarter",
    "end_quarter",
    "mandate__mandatary_id",
    "mandate__status",
)


def to_holdings(
    rows: list[dict[str, Any]],
    catalogue: Catalogue,
    effective: Callable[[MandateStatus, ApplicationGroup], bool],
    codes: set[str] | None = None,
) -> list[Holding]:
    """`Holding` values from MandateGroup rows (HOLDING_COLUMNS); a group required by another group of
    its mandate takes that group's span as its master span (R-UNQ-5). `effective(status, group)`
    says whether the group has effect; `codes` keeps only those groups."""
    spans: dict[int, dict[str, Span]] = {}  # by mandate, so that a principal's hundreds of rows are not scanned per row
    for row in rows:
        spans.setdefault(row["mandate_id"], {})[row["group_code"]] = (
            Quarter(row["start_quarter"]),
            quarter_or_none(row["end_quarter"]),
        )
    holdings = []
    for row in rows:
        if codes is not None and row["group_code"] not in codes:
            continue
        master_span = next(
            (span for code, span in spans[row["mandate_id"]].items() if row["group_code"] in catalogue[code].requires),
            None,
        )
        holdings.append(
            Holding(
                mandate_id=row["mandate_id"],
                mandatary_id=row["mandate__mandatary_id"],
                group=row["group_code"],
                start=Quarter(row["start_quarter"]),
                end=quarter_or_none(row["end_quarter"]),
                effective=effective(MandateStatus(row["mandate__status"]), catalogue[row["group_code"]]),
                master_span=master_span,
            )
        )
    return holdings


async def apply_replacements(
    replacements: list[Replacement], actor: Actor | None, at: dt.datetime, by: Mandate, catalogue: Catalogue
) -> None:
    """Close each replaced group at the end of the quarter before the new start, and tell its parties (R-CHG-3)."""
    by_mandate: dict[int, list[Replacement]] = {}
    for replacement in replacements:
        by_mandate.setdefault(replacement.mandate_id, []).append(replacement)
    for mandate_id, items in by_mandate.items():
        mandate = await Mandate.get(id=mandate_id).prefetch_related("principal", "mandatary")
        for item in items:
            await (
                MandateGroup.filter(mandate_id=mandate_id, group_code=item.group)
                .filter(Q(end_quarter__isnull=True) | Q(end_quarter__gt=item.end.index))
                .update(end_quarter=item.end.index)
            )
        await refresh_end_quarter(mandate)
        ended = [group_ends(catalogue[item.group], item.end) for item in items]
        await record(
            mandate, actor, "REPLACED", at, detail=Words("notice.detail.replaced", {"by": by.reference, "ended": ended})
        )


async def refresh_end_quarter(mandate: Mandate) -> None:
    """The mandate's end: the latest end over its groups, none while one is open (API.md)."""
    ends = await values_of(MandateGroup.filter(mandate_id=mandate.id), "end_quarter")
    mandate.end_quarter = None if any(end is None for end in ends) else max(ends)
    mandate.revision += 1
    await mandate.save(update_fields=["end_quarter", "revision"])


async def locked_principal(principal_number: str) -> Enterprise:
    """The principal by its CBE or NSSO number (R-ENT-5), read under its lock (one statement)."""
    return await find_enterprise(principal_number, PRINCIPAL_FIELD, by=("nsso_number",), lock=True)
