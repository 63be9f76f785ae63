"""Competence, called as the use case (resolvers/competence.py; RULES.md §16): R-COMP-1..7, R-CLU-9,
R-UNQ-5 (roles), R-LIFE-5.

Histories are built by moving the clock: A (PROVIDER) holds the group from 1/2022, B (SSA) replaces it
from 1/2024 by a change of provider created on 2023-11-10, so A's group ends 4/2023. Who may ask and
what they see of the mandate stay in tests/api/test_competence.py. Today is 2024-05-10.
"""

from __future__ import annotations

import datetime as dt

import pytest

from models.quarter import Quarter
from models.tables import Enterprise
from resolvers.competence import competent_mandataries, delegations_over
from tests.api.delegation_steps import FULL_DMFA
from tests.api.helpers import COOP, LOGISTIQUE, PROVIDER, SSA, statements
from tests.usecases.steps import Acting, active, created, delegate, digits, replaced_history, set_end

pytestmark = pytest.mark.asyncio(loop_scope="package")


async def answers(act: Acting, group: str, on: str, principal: str = LOGISTIQUE, as_: str = "nsso-officer"):
    return await competent_mandataries(act(as_), principal, group, dt.date.fromisoformat(on))


async def competent(act: Acting, group: str, on: str, **who) -> list[tuple[str, str, str]]:
    """(mandatary, via, role) of each answer."""
    return [(digits_of(c), c.via.value, c.role.value) for c in await answers(act, group, on, **who)]


def digits_of(answer) -> str:
    return answer.mandatary.enterprise_number


A, B = digits(PROVIDER), digits(SSA)


async def test_r_comp_1_the_current_dmfa_mandatary_answers_for_past_current_and_future_quarters(act, clock):
    _, new = await replaced_history(act, FULL_DMFA)
    clock.frozen = dt.date(2024, 5, 1)
    for day in ("2023-08-01", "2024-04-15", "2024-11-02"):
        assert await competent(act, "DMFA", day) == [(B, "MANDATE", "SOLE")], day
    assert (await answers(act, "DMFA", "2023-08-01"))[0].mandate_id == new.id
    # Before the change, A was the current one, for the past too.
    clock.frozen = dt.date(2023, 12, 1)
    assert await competent(act, "DMFA", "2022-03-01") == [(A, "MANDATE", "SOLE")]


async def test_r_comp_6_a_delegate_is_competent_for_the_delegated_groups_and_period(act):
    _, main = await replaced_history(act, FULL_DMFA)
    delegation = await delegate(act, main, PROVIDER, ["DMFA"], "1/2023", "4/2023")
    assert await competent(act, "DMFA", "2023-08-01") == [(B, "MANDATE", "SOLE"), (A, "DELEGATION", "SOLE")]
    delegated = (await answers(act, "DMFA", "2023-08-01"))[1]
    assert (delegated.delegation_id, delegated.mandate_id) == (delegation.id, main.id)
    # Only that group and that period.
    assert await competent(act, "DMFA", "2022-08-01") == [(B, "MANDATE", "SOLE")]
    assert await competent(act, "DIMONA", "2023-08-01") == [(A, "MANDATE", "MASTER")]  # A's own Dimona that day


async def test_r_comp_2_dimona_needs_a_mandate_on_the_day_it_is_made(act, clock):
    clock.frozen = dt.date(2022, 1, 10)
    await active(act, LOGISTIQUE, PROVIDER, ["DIMONA"], "1/2022")
    clock.frozen = dt.date(2024, 1, 10)
    await active(act, LOGISTIQUE, SSA, ["DIMONA"], "2/2024")  # a new secondary ends A's at 1/2024 (R-UNQ-6)
    clock.frozen = dt.date(2024, 5, 10)
    assert await competent(act, "DIMONA", "2024-04-02") == [(B, "MANDATE", "SECONDARY")]
    assert await competent(act, "DIMONA", "2024-01-15") == [(A, "MANDATE", "SECONDARY")]


async def test_r_unq_5_the_dmfa_mandatarys_dimona_is_master_and_the_other_secondary(act):
    await active(act, LOGISTIQUE, PROVIDER, FULL_DMFA, "1/2024")
    await active(act, LOGISTIQUE, SSA, ["DIMONA"], "3/2024")
    assert await competent(act, "DIMONA", "2024-08-01") == [(A, "MANDATE", "MASTER"), (B, "MANDATE", "SECONDARY")]
    assert await competent(act, "FLEXI", "2024-08-01") == [(A, "MANDATE", "MASTER")]


async def drs_history(act: Acting, old_end: str) -> None:
    """A's DRS_UNEMPLOYMENT from 1/2022 ending `old_end`, B's from 1/2024 (a DRS group is never replaced, R-UNQ-11)."""
    act.clock.frozen = dt.date(2022, 1, 10)
    old = await active(act, LOGISTIQUE, PROVIDER, ["DRS_UNEMPLOYMENT"], "1/2022")
    await set_end(old.reference, "DRS_UNEMPLOYMENT", old_end)
    act.clock.frozen = dt.date(2023, 11, 10)
    await active(act, LOGISTIQUE, SSA, ["DRS_UNEMPLOYMENT"], "1/2024")


async def test_r_comp_3_drs_follows_the_risk_date_until_the_technical_extension_ends(act, clock):
    await drs_history(act, "4/2023")
    clock.frozen = dt.date(2024, 2, 1)
    assert await competent(act, "DRS_UNEMPLOYMENT", "2023-12-10") == [
        (A, "TECHNICAL_EXTENSION", "SOLE"),
        (B, "MANDATE", "SOLE"),
    ]
    clock.frozen = dt.date(2024, 4, 2)
    assert await competent(act, "DRS_UNEMPLOYMENT", "2023-12-10") == [(B, "MANDATE", "SOLE")]


async def test_r_clu_9_the_drs_extension_lasts_one_quarter(act, clock):
    await drs_history(act, "4/2023")
    clock.frozen = dt.date(2024, 3, 31)  # the last day of E+1
    assert (A, "TECHNICAL_EXTENSION", "SOLE") in await competent(act, "DRS_UNEMPLOYMENT", "2023-06-01")
    clock.frozen = dt.date(2024, 4, 1)
    assert (A, "TECHNICAL_EXTENSION", "SOLE") not in await competent(act, "DRS_UNEMPLOYMENT", "2023-06-01")


async def test_r_comp_5_an_ended_mandate_keeps_its_technical_extension(act, clock):
    clock.frozen = dt.date(2022, 1, 10)
    old = await active(act, LOGISTIQUE, PROVIDER, ["DRS_UNEMPLOYMENT"], "1/2022")
    await set_end(old.reference, "DRS_UNEMPLOYMENT", "2/2024")  # stands for the employer deletion of 2024-05-15
    clock.frozen = dt.date(2024, 8, 1)
    assert await competent(act, "DRS_UNEMPLOYMENT", "2024-05-01") == [(A, "TECHNICAL_EXTENSION", "SOLE")]
    clock.frozen = dt.date(2024, 10, 1)
    assert await competent(act, "DRS_UNEMPLOYMENT", "2024-05-01") == []


async def test_r_comp_4_publiato_stays_with_the_mandatary_of_its_period(act):
    old, _ = await replaced_history(act, ["WORK_ACCIDENTS_PUBLIATO"])
    (answer,) = await answers(act, "WORK_ACCIDENTS_PUBLIATO", "2023-06-01")
    assert (digits_of(answer), answer.via.value, answer.mandate_id) == (A, "PUBLIATO_PERIOD", old.id)
    assert await competent(act, "WORK_ACCIDENTS_PUBLIATO", "2024-03-01") == [(B, "MANDATE", "SOLE")]


async def test_r_comp_7_a_principal_without_mandates_has_no_mandatary_to_list(act):
    assert await competent(act, "DMFA", "2024-05-01", principal=COOP, as_="coop-managing-director") == []


async def test_r_comp_7_other_groups_list_the_holders_of_that_day(act):
    await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "1/2024")
    assert await competent(act, "PMP", "2024-05-01") == [(A, "MANDATE", "SOLE")]
    assert await competent(act, "PMP", "2023-12-31") == []


async def test_r_life_5_a_mandate_not_yet_active_gives_no_competence(act):
    pending = await created(act, "employer-director", ["PMP"], "2/2024", mandatary=PROVIDER)
    assert pending.status.value == "TO_BE_FINALISED"
    assert await competent(act, "PMP", "2024-05-01") == []


async def test_r_comp_7_an_answer_costs_four_statements_whatever_the_tenures(act):
    """The principal, its delegations, its tenures (filtered by group and quarter in SQL), the mandataries'
    names: four statements for one answer or many; no mandate row, whose visibility follows from its
    mandatary (R-SRCH-1). A mandatary asking adds its own look-up and the check that it is one (R-COMP-7)."""
    await replaced_history(act, FULL_DMFA)
    with statements() as run:
        assert await competent(act, "DMFA", "2023-08-01", as_="employer-director") == [(B, "MANDATE", "SOLE")]
    assert len(run) == 4, run
    await active(act, LOGISTIQUE, PROVIDER, ["DIMONA"], "3/2024")
    with statements() as run:
        assert len(await answers(act, "DIMONA", "2024-08-01", as_="employer-director")) == 2
    assert len(run) == 4, run
    with statements() as run:
        (answer,) = await answers(act, "DMFA", "2023-08-01", as_="provider-signatory")  # A, a former mandatary
    assert answer.mandate_id is None and len(run) == 6, run


async def test_r_comp_6_a_principals_delegations_are_read_through_the_indexes(act, db):
    """EXPLAIN of the delegations read: the principal's mandates, then each one's delegations by
    (mandate_id, id), never the whole delegation table. PostgreSQL's planner prefers a sequential scan of
    tables this small: turned off for the transaction, what is proven is that the indexes can serve."""
    _, main = await replaced_history(act, FULL_DMFA)
    await delegate(act, main, PROVIDER, ["DMFA"], "1/2023", "4/2023")
    principal = await Enterprise.get(enterprise_number=digits(LOGISTIQUE))
    sql = delegations_over(principal.id, Quarter.parse("3/2023")).sql(params_inline=True)
    if db.capabilities.dialect == "postgres":
        await db.execute_script("SET LOCAL enable_seqscan = off")
        _, rows = await db.execute_query("EXPLAIN " + sql)
        plan = "\n".join(row["QUERY PLAN"] for row in rows)
        assert "Seq Scan" not in plan, plan
    else:
        _, rows = await db.execute_query("EXPLAIN QUERY PLAN " + sql)
        plan = "\n".join(row["detail"] for row in rows)
        assert "SCAN delegation" not in plan, plan
    assert "idx_delegation_mandate" in plan, plan
