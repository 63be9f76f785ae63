"""Personas as use-case actors, and the small steps the use-case tests share (creating, signing,
reading a mandate's groups and history)."""

from __future__ import annotations

import datetime as dt

from config.clock import Clock
from models.catalogue import Catalogue
from models.identifiers import format_enterprise_number, normalise_enterprise_number
from models.quarter import Quarter
from models.tables import Delegation, Mandate, MandateEvent, MandateGroup, Notification
from resolvers.access import Actor
from resolvers.actions import ReportedAction, record_action
from resolvers.context import UseCase
from resolvers.create import NewMandate, create_mandate
from resolvers.delegations import create_delegation
from resolvers.ids import encode_id
from resolvers.places import refresh_end_quarter
from resolvers.sign import sign_mandate
from tests.api.helpers import LOGISTIQUE, PROVIDER, SIGNATORY_OF, SSA
from tests.conftest import PERSONAS


def actor(persona: str) -> Actor:
    """The actor a token of the demo persona names (config.tokens)."""
    p = PERSONAS[persona]
    enterprise = normalise_enterprise_number(p["enterprise"]) if p["enterprise"] else None
    return Actor(niss=p["niss"], name=p["name"], enterprise_number=enterprise, scopes=frozenset(p["scope"].split()))


class Acting:
    def __init__(self, clock: Clock, catalogue: Catalogue):
        self.clock, self.catalogue = clock, catalogue

    def __call__(self, persona: str) -> UseCase:
        return UseCase(actor(persona), self.clock, self.catalogue)


def gid(row, kind: str = "Mandate") -> str:
    return encode_id(kind, row.id)


async def created(
    act: Acting, as_: str, groups: list[str], start: str, *, principal: str | None = None, mandatary: str | None = None
) -> Mandate:
    new = NewMandate(
        groups=groups, start_quarter=Quarter.parse(start), principal_number=principal, mandatary_number=mandatary
    )
    return await create_mandate(act(as_), new)


async def active(
    act: Acting, principal: str, mandatary: str, groups: list[str], start: str, *, by: str = "principal"
) -> Mandate:
    """A mandate encoded by one party (`by`) and signed by both parties' signatories, by authentication."""
    if by == "principal":
        mandate = await created(act, SIGNATORY_OF[principal], groups, start, mandatary=mandatary)
        first, second = SIGNATORY_OF[principal], SIGNATORY_OF[mandatary]
    else:
        mandate = await created(act, SIGNATORY_OF[mandatary], groups, start, principal=principal)
        first, second = SIGNATORY_OF[mandatary], SIGNATORY_OF[principal]
    await sign_mandate(act(first), gid(mandate))
    return await sign_mandate(act(second), gid(mandate))


async def ends(mandate: Mandate) -> dict[str, str | None]:
    """Each group's end quarter, as the API writes it."""
    rows = await MandateGroup.filter(mandate_id=mandate.id).order_by("id")
    return {row.group_code: str(Quarter(row.end_quarter)) if row.end_quarter is not None else None for row in rows}


async def groups_of(mandate: Mandate) -> dict[str, MandateGroup]:
    return {row.group_code: row for row in await MandateGroup.filter(mandate_id=mandate.id).order_by("id")}


async def history(mandate: Mandate) -> list[MandateEvent]:
    return await MandateEvent.filter(mandate_id=mandate.id).order_by("id")


async def told(subject_part: str) -> list[str]:
    """The enterprise numbers notified with a subject containing `subject_part` (formatted as the API shows them)."""
    rows = await Notification.filter(subject__icontains=subject_part).prefetch_related("recipient").order_by("id")
    return [format_enterprise_number(row.recipient.enterprise_number) for row in rows]


TODAY = dt.date(2024, 5, 10)


async def replaced_history(
    act: Acting, groups: list[str], *, old: str = PROVIDER, new: str = SSA
) -> tuple[Mandate, Mandate]:
    """`old` holds `groups` for LOGISTIQUE from 1/2022; `new` replaces it from 1/2024 by a change of
    provider created on 2023-11-10, so `old`'s groups end 4/2023 (R-CHG-3). The clock is back on TODAY."""
    act.clock.frozen = dt.date(2022, 1, 10)
    first = await active(act, LOGISTIQUE, old, groups, "1/2022")
    act.clock.frozen = dt.date(2023, 11, 10)
    second = await active(act, LOGISTIQUE, new, groups, "1/2024")
    act.clock.frozen = TODAY
    return first, second


async def delegate(
    act: Acting,
    main: Mandate,
    delegate_number: str,
    groups: list[str],
    start: str,
    end: str,
    *,
    as_: str = "ssa-signatory",
) -> Delegation:
    return await create_delegation(
        act(as_), gid(main), delegate_number, groups, Quarter.parse(start), Quarter.parse(end)
    )


def digits(number: str) -> str:
    """An enterprise number as the tables keep it."""
    return number.replace(".", "")


async def set_end(reference: str, group: str, end: str) -> None:
    """Write a group's end quarter directly: it stands for a closure or an employer deletion, operations
    built elsewhere that these tests do not depend on (and a DRS group is never replaced, R-UNQ-11)."""
    mandate = await Mandate.get(reference=reference)
    await MandateGroup.filter(mandate_id=mandate.id, group_code=group).update(end_quarter=Quarter.parse(end).index)
    await refresh_end_quarter(mandate)


async def acted(
    act: Acting,
    principal: str,
    mandatary: str,
    group: str,
    kind: str,
    performed_on: str,
    *,
    quarter=None,
    risk_date=None,
) -> None:
    """An integration reports an action of `mandatary` for `principal`."""
    reported = ReportedAction(
        principal,
        mandatary,
        group,
        kind,
        dt.date.fromisoformat(performed_on),
        Quarter.parse(quarter) if quarter else None,
        dt.date.fromisoformat(risk_date) if risk_date else None,
    )
    await record_action(act("integration-system"), reported)
