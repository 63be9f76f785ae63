"""Competence: who may act for a principal in a group for a given day, as of today, and why (R-COMP-1..7).

`competent` reads plain values: the principal's groups that were finalised (`Holding`, with
`effective` meaning "has effect", R-LIFE-5) and its delegations (`Grant`). The day `on` is the day a
Dimona is made, a DRS risk date or a day of the DmfA quarter concerned. Which rule a group follows
comes from its catalogue entry:

- a group that requires others (DmfA, R-UNQ-4) has one mandatary, NSSO's first point of contact,
  competent for past, current and future quarters: the mandatary of today's quarter answers for the
  past, the mandatary of the quarter concerned for the present and the future (R-COMP-1, R-UNQ-3);
- a Publiato group (`publiato_period`): a mandatary stays competent for its own period after its end,
  and no other mandatary is (R-COMP-4);
- a group with a technical extension (the DRS groups, R-CLU-9) follows the risk date: the mandatary of
  the risk date's quarter stays competent until the last day of E + N, and the current mandatary can
  always file (R-COMP-3, R-COMP-5);
- any other group (Dimona, R-COMP-2, and the rest, R-COMP-7): the mandataries holding it on `on`.

A delegate is competent for the delegated groups and quarters while the delegation is active
(R-COMP-6, R-DEL-5); delegation leaves a technical extension untouched (R-DEL-3). The principal itself
may always act and is not listed.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from models.catalogue import ApplicationGroup
from models.delegation import delegation_status
from models.places import GroupRole, Holding, role_on
from models.quarter import Quarter
from models.status import EFFECTIVE, MandateStatus

# Statuses of mandates that are or were finalised: only they give competence (R-LIFE-5). A cancelled
# mandate (annulled, "as if there had never been a mandate", R-ANN-1) gives none.
FINALISED_ONCE = EFFECTIVE | {MandateStatus.CLOSED}


class Via(enum.Enum):
    MANDATE = "MANDATE"
    DELEGATION = "DELEGATION"
    TECHNICAL_EXTENSION = "TECHNICAL_EXTENSION"
    PUBLIATO_PERIOD = "PUBLIATO_PERIOD"


@dataclass(frozen=True)
class Grant:
    """A delegation as competence reads it; `status` is the stored one (CANCELLED once ended)."""

    delegation_id: int
    mandate_id: int
    delegate_id: int
    groups: frozenset[str]
    start: Quarter
    end: Quarter
    status: MandateStatus


@dataclass(frozen=True)
class Competence:
    mandatary_id: int
    role: GroupRole
    via: Via
    mandate_id: int
    delegation_id: int | None = None


def has_effect(status: MandateStatus, group: ApplicationGroup) -> bool:
    """Whether a group of a mandate in `status` has (or had, over its span) effect.

    Only a finalised mandate has effect (R-LIFE-5); a CLOSED one had it over its groups' spans; under
    IDENTIFICATION the employer-only groups wait for the principal's identification (R-WIDE-6).
    """
    return status in FINALISED_ONCE and not (status is MandateStatus.IDENTIFICATION and group.employer_only)


def competent(
    group: ApplicationGroup, holdings: list[Holding], grants: list[Grant], on: dt.date, today: dt.date
) -> list[Competence]:
    """Who may act for the principal in `group` for the day `on`, as of `today`, and why (R-COMP-7)."""
    quarter, current = Quarter.containing(on), Quarter.containing(today)
    held = [h for h in holdings if h.group == group.code and h.effective]
    found: list[Competence] = []
    seen: set[Competence] = set()  # a busy principal has hundreds of tenures: no scan of `found` per one

    def add(holding: Holding, via: Via, at: Quarter) -> None:
        role = role_on(group.roles, holding.start, holding.end, holding.master_span, at)
        entry = Competence(holding.mandatary_id, role, via, holding.mandate_id)
        if entry not in seen:
            seen.add(entry)
            found.append(entry)

    if group.requires:
        concerned = max(quarter, current)  # the past is the current mandatary's (R-COMP-1)
        for holding in held:
            if _covers(holding, concerned):
                add(holding, Via.MANDATE, concerned)
    else:
        extension = group.technical_extension_quarters
        for holding in held:
            if not _covers(holding, quarter):
                continue
            if holding.end is None or holding.end >= current:
                add(holding, Via.MANDATE, quarter)
            elif group.publiato_period:
                add(holding, Via.PUBLIATO_PERIOD, quarter)
            elif not extension:
                add(holding, Via.MANDATE, quarter)
            elif current <= holding.end + extension:
                add(holding, Via.TECHNICAL_EXTENSION, quarter)
        if extension:
            for holding in held:
                if _covers(holding, current):
                    add(holding, Via.MANDATE, current)  # the current mandatary can always file (R-COMP-3)

    for grant in grants:
        if group.code not in grant.groups or not grant.start <= quarter <= grant.end:
            continue
        main = next((h for h in holdings if h.mandate_id == grant.mandate_id and h.group == group.code), None)
        if (
            main is None
            or delegation_status(grant.status, not main.effective, main.end, today) is not MandateStatus.ACTIVE
        ):
            continue
        role = role_on(group.roles, main.start, main.end, main.master_span, quarter)
        found.append(Competence(grant.delegate_id, role, Via.DELEGATION, grant.mandate_id, grant.delegation_id))
    return found


def _covers(holding: Holding, quarter: Quarter) -> bool:
    return holding.start <= quarter and (holding.end is None or quarter <= holding.end)
