"""Places and the change of provider, through the creation and signing use cases (resolvers/places.py,
resolvers/create.py; RULES.md §12, §13): R-UNQ-4, R-UNQ-6, R-UNQ-10..13, R-EXP-4, R-CHG-1, R-CHG-3..5,
R-CHG-8.

What createMandate answers (payload, codes in userErrors, roles shown) stays in tests/api/test_creation.py.
Today is 2024-05-10 (month 2 of 2/2024) unless a test moves the clock.
"""

from __future__ import annotations

import datetime as dt

import pytest

from config.messages import render
from models.errors import RuleViolation
from models.status import MandateStatus
from tests.api.helpers import LOGISTIQUE, PROVIDER, PROVIDER2, SSA
from tests.usecases.steps import Acting, acted, active, created, ends, history

pytestmark = pytest.mark.asyncio(loop_scope="package")


async def refused(act: Acting, as_: str, groups: list[str], start: str, **party) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        await created(act, as_, groups, start, **party)
    return caught.value


async def test_r_unq_4_dmfa_requires_dimona_and_flexi(act):
    violation = await refused(act, "employer-director", ["DMFA", "DIMONA"], "3/2024", mandatary=PROVIDER)
    assert violation.code.value == "GROUP_REQUIRES_OTHERS" and "FLEXI" in render("en", violation)
    await created(act, "employer-director", ["DMFA", "DIMONA", "FLEXI"], "3/2024", mandatary=PROVIDER)


async def test_r_exp_4_an_in_flight_mandate_reserves_a_single_group(act):
    await created(act, "employer-director", ["PMP"], "3/2024", mandatary=PROVIDER)
    assert (
        await refused(act, "ssa-signatory", ["PMP"], "3/2024", principal=LOGISTIQUE)
    ).code.value == "SINGLE_MANDATARY_TAKEN"


async def test_r_unq_13_one_mandatary_cannot_hold_the_same_group_twice(act):
    await active(act, LOGISTIQUE, PROVIDER, ["DIMONA"], "1/2024")
    assert (
        await refused(act, "employer-director", ["DIMONA"], "3/2024", mandatary=PROVIDER)
    ).code.value == "DUPLICATE_MANDATE"


async def test_r_unq_11_drs_maximum_refuses_never_replaces(act):
    await active(act, LOGISTIQUE, PROVIDER, ["DRS_UNEMPLOYMENT"], "1/2024")
    await active(act, LOGISTIQUE, SSA, ["DRS_UNEMPLOYMENT"], "1/2024")
    third = await refused(act, "employer-director", ["DRS_UNEMPLOYMENT"], "3/2024", mandatary=PROVIDER2)
    assert third.code.value == "MAX_MANDATARIES_REACHED" and "maximum of 2" in render("en", third)


async def test_r_unq_12_cancelled_mandates_free_their_place(act, clock):
    clock.frozen = dt.date(2024, 1, 5)
    await created(act, "employer-director", ["PMP"], "1/2024", mandatary=PROVIDER)
    clock.frozen = dt.date(2024, 3, 6)  # 61 days later: lapsed, shown CANCELLED even before the sweep
    await created(act, "employer-director", ["PMP"], "2/2024", mandatary=SSA)


async def test_r_chg_1_no_earlier_provider_allows_unlimited_retroactivity(act):
    await created(act, "provider-signatory", ["SIGEDIS"], "1/2018", principal=LOGISTIQUE)


async def test_r_chg_4_current_quarter_only_in_its_first_month(act, clock):
    clock.frozen = dt.date(2024, 1, 10)
    await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "1/2024")
    clock.frozen = dt.date(2024, 4, 20)
    await created(act, "ssa-signatory", ["PMP"], "2/2024", principal=LOGISTIQUE)


async def test_r_chg_5_no_other_retroactivity_when_another_holds_the_place(act, clock):
    clock.frozen = dt.date(2024, 1, 10)
    await active(act, LOGISTIQUE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "1/2024")
    clock.frozen = dt.date(2024, 5, 2)
    for start in ("2/2024", "1/2024"):
        violation = await refused(act, "ssa-signatory", ["DMFA", "DIMONA", "FLEXI"], start, principal=LOGISTIQUE)
        assert violation.code.value == "RETROACTIVE_START_NOT_ALLOWED", start


async def test_r_chg_3_a_change_of_provider_closes_the_replaced_group_on_activation(act):
    old = await active(act, LOGISTIQUE, PROVIDER, ["PMP", "SIGEDIS"], "1/2024")
    new = await active(act, LOGISTIQUE, SSA, ["PMP"], "3/2024")
    assert new.status is MandateStatus.ACTIVE
    assert await ends(old) == {"PMP": "2/2024", "SIGEDIS": None}  # R-CHG-2: the day before the new start
    assert (await history(old))[-1].action == "REPLACED"


async def test_r_unq_6_a_new_secondary_ends_the_existing_secondary_never_the_master(act):
    master = await active(act, LOGISTIQUE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "1/2024")
    first = await active(act, LOGISTIQUE, SSA, ["DIMONA"], "2/2024")
    await active(act, LOGISTIQUE, PROVIDER2, ["DIMONA"], "3/2024")
    assert (await ends(master))["DIMONA"] is None
    assert (await ends(first))["DIMONA"] == "2/2024"


async def test_r_unq_10_a_new_dmfa_mandatary_takes_the_master_place(act):
    old = await active(act, LOGISTIQUE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "1/2024")
    await active(act, LOGISTIQUE, SSA, ["DMFA", "DIMONA", "FLEXI"], "3/2024")
    assert set((await ends(old)).values()) == {"2/2024"}  # R-UNQ-3


async def test_r_chg_8_a_replacement_closes_the_previous_group_without_the_action_check(act, clock):
    """The replaced mandatary's Dimona of the quarter does not stop the automatic closure (R-CHG-3, R-CRE-6)."""
    clock.frozen = dt.date(2024, 1, 10)
    old = await active(act, LOGISTIQUE, PROVIDER, ["DIMONA"], "1/2024")
    await acted(act, LOGISTIQUE, PROVIDER, "DIMONA", "DIMONA", "2024-04-05")
    clock.frozen = dt.date(2024, 4, 25)
    new = await active(act, LOGISTIQUE, SSA, ["DIMONA"], "2/2024", by="mandatary")
    assert new.status is MandateStatus.ACTIVE
    assert await ends(old) == {"DIMONA": "1/2024"}
