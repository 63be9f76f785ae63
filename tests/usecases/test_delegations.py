"""Delegations, called as use cases (resolvers/delegations.py; RULES.md §15): R-DEL-1, R-DEL-3..5,
R-LIFE-9, and the sweep's step that persists their end (R-DEL-5).

A (PROVIDER) held DMFA+DIMONA+FLEXI for LOGISTIQUE from 1/2022; B (SSA) replaced it from 1/2024, so A's
groups end 4/2023. Who may call createDelegation and endDelegation, their payloads and notifications
stay in tests/api/test_delegation.py. Today is 2024-05-10 unless a test moves the clock.
"""

from __future__ import annotations

import datetime as dt

import pytest

from config.catalogue import load_catalogue
from config.settings import Settings
from models.errors import RuleViolation
from models.quarter import Quarter
from models.status import MandateStatus
from models.tables import Delegation, Mandate
from resolvers.competence import competent_mandataries
from resolvers.delegations import delegation_status, end_delegation
from resolvers.sign import sign_mandate
from resolvers.sweep import sweep
from tests.api.delegation_steps import FULL_DMFA
from tests.api.helpers import LOGISTIQUE, PROVIDER, PROVIDER2, SSA
from tests.usecases.steps import (
    Acting,
    active,
    created,
    delegate,
    digits,
    gid,
    history,
    replaced_history,
    set_end,
    told,
)

pytestmark = pytest.mark.asyncio(loop_scope="package")

CATALOGUE = load_catalogue(Settings().catalogue_path)  # names the groups in the sweep's notifications


async def refused(
    act: Acting, main: Mandate, delegate_number: str, groups: list[str], start: str, end: str
) -> RuleViolation:

    with pytest.raises(RuleViolation) as caught:
        await delegate(act, main, delegate_number, groups, start, end)
    return caught.value


async def competent(act: Acting, group: str, on: str) -> list[tuple[str, str, str]]:
    """(mandatary, via, role) of each answer, as an officer asks for LOGISTIQUE."""
    found = await competent_mandataries(act("nsso-officer"), LOGISTIQUE, group, dt.date.fromisoformat(on))
    return [(c.mandatary.enterprise_number, c.via.value, c.role.value) for c in found]


async def statuses(act: Acting, main: Mandate) -> list[str]:
    """Each delegation's status as read today, before the sweep persists it."""
    main = await Mandate.get(id=main.id)
    rows = await Delegation.filter(mandate_id=main.id).order_by("id")
    groups = await main.groups.all()
    return [delegation_status(row, main, groups, act.clock.today()).value for row in rows]


async def test_r_del_1_the_main_mandatary_delegates_an_earlier_period_to_the_provider_mandated_then(act):
    _, main = await replaced_history(act, FULL_DMFA)
    delegation = await delegate(act, main, PROVIDER, ["DMFA"], "1/2023", "4/2023")
    assert (delegation.status, Quarter(delegation.from_quarter), Quarter(delegation.to_quarter)) == (
        MandateStatus.ACTIVE,
        Quarter.parse("1/2023"),
        Quarter.parse("4/2023"),
    )
    assert delegation.group_codes == ["DMFA"]
    assert (await delegation.delegate).enterprise_number == digits(PROVIDER)
    # C was never mandated for LOGISTIQUE; 1/2024 is not before B's start.
    never = await refused(act, main, PROVIDER2, ["DMFA"], "1/2023", "4/2023")
    assert (never.code.value, never.field) == ("DELEGATE_NOT_MANDATED", ("delegateNumber",))
    assert (
        await refused(act, main, PROVIDER, ["DIMONA"], "1/2024", "1/2024")
    ).code.value == "DELEGATION_PERIOD_NOT_ALLOWED"
    assert (
        await refused(act, main, PROVIDER, ["DIMONA", "FLEXI"], "4/2021", "4/2023")
    ).code.value == "DELEGATE_NOT_MANDATED"
    assert await Delegation.filter(mandate_id=main.id).count() == 1  # the refusals left nothing


async def test_r_del_1_only_groups_of_the_main_mandate_and_a_subset_of_them(act):
    _, main = await replaced_history(act, FULL_DMFA)
    assert (await refused(act, main, PROVIDER, ["PMP"], "1/2023", "4/2023")).code.value == "GROUP_NOT_IN_MANDATE"
    assert (await refused(act, main, PROVIDER, ["NOPE"], "1/2023", "4/2023")).code.value == "UNKNOWN_GROUP"
    two = await delegate(act, main, PROVIDER, ["DMFA", "DIMONA"], "2/2023", "3/2023")
    assert two.group_codes == ["DMFA", "DIMONA"]
    # 3/2023 of DIMONA is already delegated to A.
    assert (
        await refused(act, main, PROVIDER, ["DIMONA"], "3/2023", "4/2023")
    ).code.value == "DELEGATION_PERIOD_NOT_ALLOWED"


async def test_r_del_3_delegating_leaves_the_technical_extension_unchanged(act, clock):
    clock.frozen = dt.date(2022, 1, 10)
    old = await active(act, LOGISTIQUE, PROVIDER, ["DRS_UNEMPLOYMENT"], "1/2022")
    await set_end(old.reference, "DRS_UNEMPLOYMENT", "4/2023")
    clock.frozen = dt.date(2023, 11, 10)
    main = await active(act, LOGISTIQUE, SSA, ["DRS_UNEMPLOYMENT"], "1/2024")
    clock.frozen = dt.date(2024, 2, 1)
    before = await competent(act, "DRS_UNEMPLOYMENT", "2023-12-10")
    assert before == [(digits(PROVIDER), "TECHNICAL_EXTENSION", "SOLE"), (digits(SSA), "MANDATE", "SOLE")]
    delegation = await delegate(act, main, PROVIDER, ["DRS_UNEMPLOYMENT"], "1/2023", "4/2023")
    assert await competent(act, "DRS_UNEMPLOYMENT", "2023-12-10") == before + [(digits(PROVIDER), "DELEGATION", "SOLE")]
    await end_delegation(act("ssa-signatory"), gid(delegation, "Delegation"))
    assert await competent(act, "DRS_UNEMPLOYMENT", "2023-12-10") == before


async def test_r_del_4_publiato_cannot_be_delegated(act):
    """R-CLU-7: a group the catalogue marks as not delegable is refused."""
    _, main = await replaced_history(act, ["WORK_ACCIDENTS_PUBLIATO"])
    violation = await refused(act, main, PROVIDER, ["WORK_ACCIDENTS_PUBLIATO"], "1/2023", "4/2023")
    assert (violation.code.value, violation.field) == ("DELEGATION_NOT_ALLOWED", ("groups",))


async def test_r_del_5_the_delegation_is_cancelled_once_the_main_group_has_ended_and_notified(act, clock):
    _, main = await replaced_history(act, FULL_DMFA)
    delegation = await delegate(act, main, PROVIDER, ["DMFA"], "1/2023", "4/2023")
    # C replaces B from 3/2024: B's groups end 2/2024 (a closure with E=2/2024 would do the same).
    await active(act, LOGISTIQUE, PROVIDER2, FULL_DMFA, "3/2024")
    clock.frozen = dt.date(2024, 6, 30)
    assert await statuses(act, main) == ["ACTIVE"]
    assert (digits(PROVIDER), "DELEGATION", "SOLE") in await competent(act, "DMFA", "2023-08-01")
    clock.frozen = dt.date(2024, 7, 1)
    assert await statuses(act, main) == ["CANCELLED"]  # before the sweep
    assert (digits(PROVIDER), "DELEGATION", "SOLE") not in await competent(act, "DMFA", "2023-08-01")
    await delegation.refresh_from_db()
    assert delegation.status is MandateStatus.ACTIVE  # the sweep has not run
    assert (await sweep(clock, CATALOGUE)).delegations_cancelled == 1
    await delegation.refresh_from_db()
    assert delegation.status is MandateStatus.CANCELLED and delegation.ended_at is not None
    event = (await history(main))[-1]
    assert (event.action, event.actor_niss) == ("DELEGATION_CANCELLED", None)
    assert sorted(await told("delegation cancelled")) == sorted([LOGISTIQUE, SSA, PROVIDER])
    assert (await sweep(clock, CATALOGUE)).delegations_cancelled == 0  # persisted once
    with pytest.raises(RuleViolation) as twice:
        await end_delegation(act("ssa-signatory"), gid(delegation, "Delegation"))
    assert twice.value.code.value == "INVALID_TRANSITION"


async def test_r_del_5_a_cancelled_main_mandate_cancels_its_delegations_at_once(act, clock):
    _, main = await replaced_history(act, FULL_DMFA)
    await delegate(act, main, PROVIDER, ["DMFA"], "1/2023", "4/2023")
    # Written directly: the officer's annulment is another operation, not this test's subject.
    await Mandate.filter(id=main.id).update(status="CANCELLED")
    assert await statuses(act, main) == ["CANCELLED"]
    assert await competent(act, "DMFA", "2023-08-01") == []
    assert (await sweep(clock, CATALOGUE)).delegations_cancelled == 1


async def test_r_life_9_only_an_effective_mandate_can_be_delegated(act, clock):
    """R-LIFE-5: before ACTIVE a mandate has no effect, so nothing to delegate."""
    clock.frozen = dt.date(2022, 1, 10)
    await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "1/2022")
    clock.frozen = dt.date(2023, 11, 10)
    pending = await created(act, "ssa-signatory", ["PMP"], "1/2024", principal=LOGISTIQUE)
    await sign_mandate(act("ssa-signatory"), gid(pending))
    assert (await refused(act, pending, PROVIDER, ["PMP"], "1/2023", "4/2023")).code.value == "INVALID_TRANSITION"
    await sign_mandate(act("employer-director"), gid(pending))
    assert (await delegate(act, pending, PROVIDER, ["PMP"], "1/2023", "4/2023")).status is MandateStatus.ACTIVE
