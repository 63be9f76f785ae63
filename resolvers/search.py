"""The mandate search: criteria combined, sortable columns, pages (R-SRCH-1..8).

Criteria are ANDed, values inside one criterion ORed; the period matches a group valid on some day
of that quarter, and a group criterion with a period needs the same group to match both (R-SRCH-3).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from tortoise.expressions import Case, F, Q, Subquery, When
from tortoise.queryset import QuerySet

from models.errors import ErrorCode, RuleViolation
from models.quarter import Quarter
from models.status import MandateStatus
from models.tables import Enterprise, Mandate, MandateGroup
from resolvers.context import UseCase
from resolvers.lookup import find_enterprise
from resolvers.statuses import any_status, ended_condition, lapsed_condition
from resolvers.visibility import visible_mandates


class OrderField(enum.Enum):
    CREATED_AT = ("created_at",)
    REFERENCE = ("series", "number")  # by series, then by number as a number (R-SRCH-8)
    PRINCIPAL_NAME = ("principal__name",)
    MANDATARY_NAME = ("mandatary__name",)
    STATUS = ("shown_status",)  # the status as of today, as shown (a lapsed mandate sorts as CANCELLED)
    START_QUARTER = ("start_quarter",)
    END_QUARTER = ("open_ended", "end_quarter")  # no end sorts after every end, on SQLite and PostgreSQL alike


@dataclass(frozen=True)
class MandateSearch:
    mandatary_number: str | None = None
    principal_number: str | None = None
    groups: list[str] = field(default_factory=list)
    period: Quarter | None = None
    statuses: list[MandateStatus] = field(default_factory=list)


async def matching(uc: UseCase, criteria: MandateSearch) -> QuerySet[Mandate]:
    """The query of every mandate the viewer may see that meets the criteria (no criteria: all, R-SRCH-4)."""
    query = (await visible_mandates(uc.actor)).annotate(**_sort_columns(uc.clock.today()))
    if criteria.mandatary_number:
        mandatary = await _enterprise_or_none(criteria.mandatary_number, ("filter", "mandataryNumber"), ("ssa_number",))
        query = query.filter(mandatary_id=mandatary.id if mandatary else -1)
    if criteria.principal_number:
        principal = await _enterprise_or_none(
            criteria.principal_number, ("filter", "principalNumber"), ("nsso_number",)
        )
        query = query.filter(principal_id=principal.id if principal else -1)
    if criteria.groups or criteria.period:
        groups = MandateGroup.all()
        if criteria.groups:
            uc.catalogue.resolve(criteria.groups, ("filter", "groups"))
            groups = groups.filter(group_code__in=criteria.groups)
        if criteria.period:
            q = criteria.period.index
            groups = groups.filter(Q(start_quarter__lte=q) & (Q(end_quarter__isnull=True) | Q(end_quarter__gte=q)))
        query = query.filter(id__in=Subquery(groups.values("mandate_id")))
    if criteria.statuses:
        query = query.filter(any_status(list(criteria.statuses), uc.clock.today()))
    return query


def _sort_columns(today: dt.date) -> dict[str, Case]:
    """Computed sort keys: the status shown today (resolvers.statuses) and whether the end is open."""
    return {
        "shown_status": Case(
            When(lapsed_condition(today), then=MandateStatus.CANCELLED.value),
            When(ended_condition(today), then=MandateStatus.CLOSED.value),
            default=F("status"),
        ),
        "open_ended": Case(
            When(end_quarter__isnull=True, then="1"), default="0"
        ),  # text: PostgreSQL types a bare parameter as text
    }


def ordering(order: OrderField, descending: bool) -> list[str]:
    """Columns to sort on; the ID breaks ties so that pages never overlap."""
    sign = "-" if descending else ""
    return [sign + column for column in order.value] + [sign + "id"]


async def _enterprise_or_none(raw: str, field: tuple[str, ...], by: tuple[str, ...]) -> Enterprise | None:
    """An unknown enterprise matches nothing; a malformed CBE number is still an error."""
    try:
        return await find_enterprise(raw, field, by=by)
    except RuleViolation as violation:
        if violation.code is ErrorCode.ENTERPRISE_NOT_FOUND:
            return None
        raise
