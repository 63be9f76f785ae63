"""Who may act for a principal: loads the values `models.competence` reasons with (R-COMP-1..7).

`tenures` is also what a delegation is checked against: the groups each mandatary held, with effect,
for the principal (R-DEL-1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet, ValuesQuery

from models.catalogue import Catalogue
from models.competence import FINALISED_ONCE, Grant, Via, competent, has_effect
from models.places import GroupRole, Holding
from models.quarter import Quarter
from models.status import MandateStatus
from models.tables import Delegation, Enterprise, MandateGroup
from resolvers.context import UseCase
from resolvers.lookup import find_enterprise
from resolvers.places import HOLDING_COLUMNS, to_holdings
from resolvers.templates import read, read_objects
from resolvers.visibility import require_concerned_by


@dataclass(frozen=True)
class Competent:
    """One answer of `competentMandataries`. `mandate_id` and `delegation_id` only when the viewer may see
    that mandate (and the delegation with it, R-DEL-2): their rows are read only if the query asks for them.
    `delegated`: via DELEGATION, the delegated period, told to whoever may ask (the delegate among them, R-COMP-6)."""

    mandatary: Enterprise
    role: GroupRole
    via: Via
    mandate_id: int | None
    delegation_id: int | None
    delegated: tuple[Quarter, Quarter] | None


async def tenures(
    principal_id: int, codes: set[str], catalogue: Catalogue, quarters: tuple[Quarter, ...] | None = None
) -> list[Holding]:
    """The principal's groups `codes` in finalised mandates, with the master span each takes from its
    mandate's DmfA (R-UNQ-5) and whether it has effect (R-LIFE-5, R-WIDE-6).

    `quarters`: only the mandates whose group `codes` covers one of these quarters (filtered in the
    database; their masters come with them); None for every tenure (R-DEL-1 reads them all).
    """
    masters = {group.code for group in catalogue if codes & set(group.requires)}
    groups = sorted(codes | masters)
    if quarters is None:
        rows = await read(_tenure_rows, _FINALISED_ONCE, principal=principal_id, groups=groups)
    else:
        indexes = [quarter.index for quarter in quarters]
        rows = await read(
            _tenure_rows_covering,
            _FINALISED_ONCE,
            principal=principal_id,
            codes=sorted(codes),
            groups=groups,
            quarters=indexes,
        )
    return to_holdings(rows, catalogue, effective=has_effect, codes=codes)


_FINALISED_ONCE = frozenset(status.value for status in FINALISED_ONCE)  # written into the statements' text


def _tenures(principal: int, groups: list[str]) -> QuerySet[MandateGroup]:
    statuses = sorted(_FINALISED_ONCE)
    return MandateGroup.filter(principal_id=principal, group_code__in=groups, mandate__status__in=statuses)


def _tenure_rows(principal: int, groups: list[str]) -> ValuesQuery[Any]:
    """Every tenure of `codes` and their masters (`groups`) in the principal's finalised mandates."""
    return _tenures(principal, groups).order_by("mandate_id").values(*HOLDING_COLUMNS)


def _tenure_rows_covering(principal: int, codes: list[str], groups: list[str], quarters: list[int]) -> ValuesQuery[Any]:
    """Those of the mandates whose group `codes` covers one of `quarters`."""
    covering = MandateGroup.filter(principal_id=principal, group_code__in=codes).filter(_covers_one_of(quarters))
    return (
        _tenures(principal, groups)
        .filter(mandate_id__in=Subquery(covering.values("mandate_id")))
        .order_by("mandate_id")
        .values(*HOLDING_COLUMNS)
    )


def delegations_over(principal_id: int, quarter: Quarter) -> QuerySet[Delegation]:
    """The principal's delegations whose period holds `quarter`, through its mandates: the principal's
    mandates by their (principal_id, ...) index, then each one's delegations by (mandate_id, id)."""
    return (
        Delegation.filter(mandate__principal_id=principal_id, from_quarter__lte=quarter.index)
        .filter(to_quarter__gte=quarter.index)
        .order_by("id")
    )


def _delegation_rows(principal: int, quarter: int) -> ValuesQuery[Any]:
    return delegations_over(principal, Quarter(quarter)).values(
        "id", "mandate_id", "delegate_id", "group_codes", "from_quarter", "to_quarter", "status"
    )


def _enterprises(ids: list[int]) -> QuerySet[Enterprise]:
    return Enterprise.filter(id__in=ids)


def _covers_one_of(quarters: list[int]) -> Q:
    """A group whose span [start, end] contains one of `quarters` (their indexes)."""
    return Q(
        *(
            Q(start_quarter__lte=quarter) & (Q(end_quarter__isnull=True) | Q(end_quarter__gte=quarter))
            for quarter in quarters
        ),
        join_type="OR",
    )


async def competent_mandataries(uc: UseCase, principal_number: str, group: str, on: dt.date) -> list[Competent]:
    """Who may act for the principal in `group` for the day `on`, as of today (R-COMP-7).

    Asked by officers, the integrations, the principal itself and the enterprises that are (or were)
    its mandataries or delegates; anyone else gets FORBIDDEN. The database keeps only the rows that can
    answer: delegations of `group` over the quarter of `on`, tenures covering that quarter or today's,
    and the main tenure of each such delegation; they are read as values, not as ORM objects. Which
    mandates the viewer sees follows from their mandataries (R-SRCH-1), so none is read here.
    """
    (entry,) = uc.catalogue.resolve([group], ("group",))
    principal = await find_enterprise(principal_number, ("principalNumber",), by=("nsso_number",))
    sees = await require_concerned_by(uc.actor, principal)
    today = uc.clock.today()
    quarter = Quarter.containing(on)
    delegated = await read(_delegation_rows, principal=principal.id, quarter=quarter.index)
    grants = [
        Grant(
            row["id"],
            row["mandate_id"],
            row["delegate_id"],
            frozenset(row["group_codes"]),
            Quarter(row["from_quarter"]),
            Quarter(row["to_quarter"]),
            MandateStatus(row["status"]),
        )
        for row in delegated
        if entry.code in row["group_codes"]
    ]
    holdings = await tenures(principal.id, {entry.code}, uc.catalogue, (quarter, Quarter.containing(today)))
    held = {h.mandate_id for h in holdings}
    missing = {grant.mandate_id for grant in grants} - held
    if missing:  # a delegation's main tenure that covers neither quarter (its status and end still matter)
        holdings += [h for h in await tenures(principal.id, {entry.code}, uc.catalogue) if h.mandate_id in missing]
    found = competent(entry, holdings, grants, on, today)
    mandataries = {h.mandate_id: h.mandatary_id for h in holdings}
    ids = sorted({c.mandatary_id for c in found})
    enterprises = {e.id: e for e in await read_objects(_enterprises, ids=ids)} if found else {}
    periods = {grant.delegation_id: (grant.start, grant.end) for grant in grants}
    answers = []
    for c in found:
        shown = sees(mandataries[c.mandate_id])  # a delegation is seen with its main mandate (R-DEL-2)
        mandate, delegation = (c.mandate_id, c.delegation_id) if shown else (None, None)
        period = periods.get(c.delegation_id) if c.delegation_id is not None else None
        answers.append(Competent(enterprises[c.mandatary_id], c.role, c.via, mandate, delegation, period))
    return answers
