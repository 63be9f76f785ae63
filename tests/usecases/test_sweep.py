"""The sweep, called as the use case (resolvers/sweep.py; RULES.md §11): R-EXP-2 (warned once 7 days
before the limit, cancelled after it, each notified once) and R-LIFE-7 (CLOSED persisted).

What GraphQL shows before the sweep runs, and the paper flow the sweep leaves alone, stay in
tests/api/test_finalisation_limit.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from config.catalogue import load_catalogue
from config.settings import Settings
from models.status import MandateStatus
from models.tables import Mandate
from resolvers.sign import sign_mandate
from resolvers.statuses import current_status
from resolvers.sweep import SweepReport, sweep
from tests.api.helpers import LOGISTIQUE, PROVIDER, PROVIDER2, SSA
from tests.usecases.steps import Acting, active, created, gid, history, told

CATALOGUE = load_catalogue(Settings().catalogue_path)  # names the groups in the sweep's notifications

pytestmark = pytest.mark.asyncio(loop_scope="package")

CREATED_ON, DAY_61 = dt.date(2024, 1, 1), dt.date(2024, 3, 2)  # finaliseBefore 2024-03-01 (2024 is a leap year)


async def in_flight(act: Acting) -> tuple[Mandate, Mandate]:
    """Created on 2024-01-01: one TO_BE_FINALISED (SIGEDIS with the SSA), one PENDING (PMP with the provider)."""
    act.clock.frozen = CREATED_ON
    unsigned = await created(act, "employer-director", ["SIGEDIS"], "1/2024", mandatary=SSA)
    pending = await created(act, "employer-director", ["PMP"], "1/2024", mandatary=PROVIDER)
    assert (await sign_mandate(act("employer-director"), gid(pending))).status is MandateStatus.PENDING
    assert unsigned.finalise_before == pending.finalise_before == dt.date(2024, 3, 1)
    return unsigned, pending


async def stored(mandate: Mandate) -> str:
    """The status the database holds (what the sweep persists)."""
    return (await Mandate.get(id=mandate.id)).status.value


async def test_r_exp_2_the_sweep_persists_cancelled_and_notifies_both_parties_once(act, clock):
    unsigned, pending = await in_flight(act)
    clock.frozen = DAY_61
    assert (await sweep(clock, CATALOGUE)).cancelled == 2
    assert (await stored(unsigned), await stored(pending)) == ("CANCELLED", "CANCELLED")
    assert sorted(await told(f"Mandate {pending.reference}: cancelled")) == sorted([LOGISTIQUE, PROVIDER])
    assert sorted(await told(f"Mandate {unsigned.reference}: cancelled")) == sorted([LOGISTIQUE, SSA])
    event = (await history(pending))[-1]
    assert (event.action, event.actor_niss) == ("CANCELLED", None) and "2024-03-01" in event.detail
    # Once: a second sweep finds nothing to do and notifies nobody.
    clock.frozen = dt.date(2024, 3, 3)
    assert await sweep(clock, CATALOGUE) == SweepReport(cancelled=0, closed=0, warned=0)
    assert len(await told("cancelled")) == 4


async def test_r_exp_2_both_parties_are_warned_seven_days_before_the_limit_once(act, clock):
    unsigned, pending = await in_flight(act)
    clock.frozen = dt.date(2024, 2, 22)  # 8 days before the limit: too early
    assert (await sweep(clock, CATALOGUE)).warned == 0
    clock.frozen = dt.date(2024, 2, 23)  # finaliseBefore 2024-03-01 minus 7 days
    assert await sweep(clock, CATALOGUE) == SweepReport(cancelled=0, closed=0, warned=2)
    assert sorted(await told(f"Mandate {pending.reference}: lapse warning")) == sorted([LOGISTIQUE, PROVIDER])
    assert sorted(await told(f"Mandate {unsigned.reference}: lapse warning")) == sorted([LOGISTIQUE, SSA])
    warnings = [event.detail for event in await history(pending) if event.action == "LAPSE_WARNING"]
    assert len(warnings) == 1 and "2024-03-01" in warnings[0]
    assert await stored(pending) == "PENDING"
    # Only once, the same day and the following days.
    for day in (23, 24, 29):
        clock.frozen = dt.date(2024, 2, day)
        assert (await sweep(clock, CATALOGUE)).warned == 0
    assert len(await told("lapse warning")) == 4


async def test_r_exp_2_a_mandate_finalised_in_time_is_neither_warned_nor_cancelled(act, clock):
    _unsigned, pending = await in_flight(act)
    await sign_mandate(act("provider-signatory"), gid(pending))
    clock.frozen = dt.date(2024, 2, 23)
    assert (await sweep(clock, CATALOGUE)).warned == 1  # the unsigned one only
    clock.frozen = DAY_61
    assert (await sweep(clock, CATALOGUE)).cancelled == 1
    assert await stored(pending) == "ACTIVE"
    assert await told(f"Mandate {pending.reference}: lapse warning") == []


async def test_r_life_7_an_ended_mandate_reads_closed_after_its_end_and_the_sweep_persists_it(act, clock):
    """A change of provider ends the replaced single-group mandate at S-1 = 2/2024 (R-CHG-3)."""
    old = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "1/2024")
    new = await active(act, LOGISTIQUE, PROVIDER2, ["PMP"], "3/2024")
    clock.frozen = dt.date(2024, 6, 30)  # last day of validity
    assert (await sweep(clock, CATALOGUE)).closed == 0
    clock.frozen = dt.date(2024, 7, 1)
    assert current_status(await Mandate.get(id=old.id), clock.today()) is MandateStatus.CLOSED  # before the sweep
    assert await stored(old) == "ACTIVE"
    assert await sweep(clock, CATALOGUE) == SweepReport(cancelled=0, closed=1, warned=0)
    assert (await stored(old), await stored(new)) == ("CLOSED", "ACTIVE")
    assert sorted(await told(f"Mandate {old.reference}: closed")) == sorted([LOGISTIQUE, PROVIDER])
    assert (await history(old))[-1].action == "CLOSED"
    assert (await sweep(clock, CATALOGUE)).closed == 0
