"""Who may act for a principal: loads the values `models.competence` reasons with (R-COMP-1..7).

`tenures` is also what a delegation is checked against: the groups each mandatary held, with effect,
for the principal (R-DEL-1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.catalogue import Catalogue
from models.competence import FINALISED_ONCE, Grant, Via, competent, has_effect
from models.places import GroupRole, Holding
from models.quarter import Quarter
from models.tables import Delegation, Enterprise, Mandate, MandateGroup
from resolvers.context import UseCase
from resolvers.lookup import find_enterprise
from resolvers.places import HOLDING_COLUMNS, to_holdings
from resolvers.visibility import require_concerned_by, visible_mandates


@dataclass(frozen=True)
class Competent:
    """One answer of `competentMandataries`; `mandate` and `delegation` only when the viewer may see them."""

    mandatary: Enterprise
    role: GroupRole
    via: Via
    mandate: Mandate | None
    delegation: Delegation | None


async def tenures(principal_id: int, codes: set[str], catalogue: Catalogue) -> list[Holding]:
    """The principal's groups `codes` in finalised mandates, with the master span each takes from its
    mandate's DmfA (R-UNQ-5) and whether it has effect (R-LIFE-5, R-WIDE-6)."""
    masters = {group.code for group in catalogue if codes & set(group.requires)}
    rows = (
        await MandateGroup.filter(
            principal_id=principal_id,
            group_code__in=sorted(codes | masters),
            mandate__status__in=[s.value for s in FINALISED_ONCE],
        )
        .order_by("mandate_id")
        .values(*HOLDING_COLUMNS)
    )
    return to_holdings(rows, catalogue, effective=has_effect, codes=codes)


async def competent_mandataries(uc: UseCase, principal_number: str, group: str, on: dt.date) -> list[Competent]:
    """Who may act for the principal in `group` for the day `on`, as of today (R-COMP-7).

    Asked by officers, the integrations, the principal itself and the enterprises that are (or were)
    its mandataries or delegates; anyone else gets FORBIDDEN.
    """
    (entry,) = uc.catalogue.resolve([group], ("group",))
    principal = await find_enterprise(principal_number, ("principalNumber",), by=("nsso_number",))
    await require_concerned_by(uc.actor, principal)
    holdings = await tenures(principal.id, {entry.code}, uc.catalogue)
    rows = await Delegation.filter(mandate__principal_id=principal.id).order_by("id")
    grants = [
        Grant(
            row.id,
            row.mandate_id,
            row.delegate_id,
            frozenset(row.group_codes),
            Quarter(row.from_quarter),
            Quarter(row.to_quarter),
            row.status,
        )
        for row in rows
        if entry.code in row.group_codes
    ]
    found = competent(entry, holdings, grants, on, uc.clock.today())
    enterprises = {e.id: e for e in await Enterprise.filter(id__in={c.mandatary_id for c in found})}
    mandates = {m.id: m for m in await (await visible_mandates(uc.actor)).filter(id__in={c.mandate_id for c in found})}
    delegations = {row.id: row for row in rows if row.mandate_id in mandates}
    return [
        Competent(
            enterprises[c.mandatary_id],
            c.role,
            c.via,
            mandates.get(c.mandate_id),
            delegations.get(c.delegation_id) if c.delegation_id is not None else None,
        )
        for c in found
    ]
