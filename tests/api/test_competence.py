"""Competence through GraphQL (RULES.md §16): R-COMP-1..7, R-CLU-9, R-UNQ-5 (roles), R-LIFE-5.

Histories are built by moving the clock: A (PROVIDER) holds the group from 1/2022, B (SSA) replaces
it from 1/2024 by a change of provider created on 2023-11-10, so A's group ends 4/2023. Today is
2024-05-10 unless a test moves the clock.
"""

from __future__ import annotations

import datetime as dt

from tests.api.delegation_steps import COMPETENT, FULL_DMFA, competent, delegate, replaced_history, set_end
from tests.api.helpers import COOP, LOGISTIQUE, PROVIDER, SSA, active, created, error_codes


async def test_r_comp_1_the_current_dmfa_mandatary_answers_for_past_current_and_future_quarters(api, clock):
    _, new = await replaced_history(api, clock, FULL_DMFA)
    clock.frozen = dt.date(2024, 5, 1)
    for day in ("2023-08-01", "2024-04-15", "2024-11-02"):
        assert await competent(api, "nsso-officer", "DMFA", day) == [(SSA, "MANDATE", "SOLE")], day
    result = await api(COMPETENT, {"principal": LOGISTIQUE, "group": "DMFA", "on": "2023-08-01"}, as_="nsso-officer")
    assert result["data"]["competentMandataries"][0]["mandate"] == {"reference": new["reference"]}
    # Before the change, A was the current one, for the past too.
    clock.frozen = dt.date(2023, 12, 1)
    assert await competent(api, "nsso-officer", "DMFA", "2022-03-01") == [(PROVIDER, "MANDATE", "SOLE")]


async def test_r_comp_6_a_delegate_is_competent_for_the_delegated_groups_and_period(api, clock):
    _, main = await replaced_history(api, clock, FULL_DMFA)
    delegation = (await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023"))["delegation"]
    assert await competent(api, "nsso-officer", "DMFA", "2023-08-01") == [(SSA, "MANDATE", "SOLE"), (PROVIDER, "DELEGATION", "SOLE")]
    result = await api(COMPETENT, {"principal": LOGISTIQUE, "group": "DMFA", "on": "2023-08-01"}, as_="nsso-officer")
    delegated = result["data"]["competentMandataries"][1]
    assert delegated["delegation"] == {"id": delegation["id"]} and delegated["mandate"] == {"reference": main["reference"]}
    # Only that group and that period.
    assert await competent(api, "nsso-officer", "DMFA", "2022-08-01") == [(SSA, "MANDATE", "SOLE")]
    assert await competent(api, "nsso-officer", "DIMONA", "2023-08-01") == [(PROVIDER, "MANDATE", "MASTER")]  # A's own Dimona that day


async def test_r_comp_2_dimona_needs_a_mandate_on_the_day_it_is_made(api, clock):
    clock.frozen = dt.date(2022, 1, 10)
    await active(api, LOGISTIQUE, PROVIDER, ["DIMONA"], "1/2022")
    clock.frozen = dt.date(2024, 1, 10)
    await active(api, LOGISTIQUE, SSA, ["DIMONA"], "2/2024")  # a new secondary ends A's at 1/2024 (R-UNQ-6)
    clock.frozen = dt.date(2024, 5, 10)
    assert await competent(api, "nsso-officer", "DIMONA", "2024-04-02") == [(SSA, "MANDATE", "SECONDARY")]
    assert await competent(api, "nsso-officer", "DIMONA", "2024-01-15") == [(PROVIDER, "MANDATE", "SECONDARY")]


async def test_r_unq_5_the_dmfa_mandatarys_dimona_is_master_and_the_other_secondary(api):
    await active(api, LOGISTIQUE, PROVIDER, FULL_DMFA, "1/2024")
    await active(api, LOGISTIQUE, SSA, ["DIMONA"], "3/2024")
    assert await competent(api, "nsso-officer", "DIMONA", "2024-08-01") == [(PROVIDER, "MANDATE", "MASTER"), (SSA, "MANDATE", "SECONDARY")]
    assert await competent(api, "nsso-officer", "FLEXI", "2024-08-01") == [(PROVIDER, "MANDATE", "MASTER")]


async def drs_history(api, clock, old_end: str) -> None:
    """A's DRS_UNEMPLOYMENT from 1/2022 ending `old_end`, B's from 1/2024 (a DRS group is never replaced, R-UNQ-11)."""
    clock.frozen = dt.date(2022, 1, 10)
    old = await active(api, LOGISTIQUE, PROVIDER, ["DRS_UNEMPLOYMENT"], "1/2022")
    await set_end(old["reference"], "DRS_UNEMPLOYMENT", old_end)
    clock.frozen = dt.date(2023, 11, 10)
    await active(api, LOGISTIQUE, SSA, ["DRS_UNEMPLOYMENT"], "1/2024")


async def test_r_comp_3_drs_follows_the_risk_date_until_the_technical_extension_ends(api, clock):
    await drs_history(api, clock, "4/2023")
    clock.frozen = dt.date(2024, 2, 1)
    assert await competent(api, "nsso-officer", "DRS_UNEMPLOYMENT", "2023-12-10") == [(PROVIDER, "TECHNICAL_EXTENSION", "SOLE"), (SSA, "MANDATE", "SOLE")]
    clock.frozen = dt.date(2024, 4, 2)
    assert await competent(api, "nsso-officer", "DRS_UNEMPLOYMENT", "2023-12-10") == [(SSA, "MANDATE", "SOLE")]


async def test_r_clu_9_the_drs_extension_lasts_one_quarter(api, clock):
    await drs_history(api, clock, "4/2023")
    clock.frozen = dt.date(2024, 3, 31)  # the last day of E+1
    assert (PROVIDER, "TECHNICAL_EXTENSION", "SOLE") in await competent(api, "nsso-officer", "DRS_UNEMPLOYMENT", "2023-06-01")
    clock.frozen = dt.date(2024, 4, 1)
    assert (PROVIDER, "TECHNICAL_EXTENSION", "SOLE") not in await competent(api, "nsso-officer", "DRS_UNEMPLOYMENT", "2023-06-01")


async def test_r_comp_5_an_ended_mandate_keeps_its_technical_extension(api, clock):
    clock.frozen = dt.date(2022, 1, 10)
    old = await active(api, LOGISTIQUE, PROVIDER, ["DRS_UNEMPLOYMENT"], "1/2022")
    await set_end(old["reference"], "DRS_UNEMPLOYMENT", "2/2024")  # stands for the employer deletion of 2024-05-15
    clock.frozen = dt.date(2024, 8, 1)
    assert await competent(api, "nsso-officer", "DRS_UNEMPLOYMENT", "2024-05-01") == [(PROVIDER, "TECHNICAL_EXTENSION", "SOLE")]
    clock.frozen = dt.date(2024, 10, 1)
    assert await competent(api, "nsso-officer", "DRS_UNEMPLOYMENT", "2024-05-01") == []


async def test_r_comp_4_publiato_stays_with_the_mandatary_of_its_period(api, clock):
    old, new = await replaced_history(api, clock, ["WORK_ACCIDENTS_PUBLIATO"])
    result = await api(COMPETENT, {"principal": LOGISTIQUE, "group": "WORK_ACCIDENTS_PUBLIATO", "on": "2023-06-01"}, as_="nsso-officer")
    assert [(c["mandatary"]["enterpriseNumber"], c["via"], c["mandate"]["reference"]) for c in result["data"]["competentMandataries"]] == [
        (PROVIDER, "PUBLIATO_PERIOD", old["reference"])
    ]
    assert await competent(api, "nsso-officer", "WORK_ACCIDENTS_PUBLIATO", "2024-03-01") == [(SSA, "MANDATE", "SOLE")]


async def test_r_comp_7_a_principal_without_mandates_has_no_mandatary_to_list(api):
    assert await competent(api, "coop-managing-director", "DMFA", "2024-05-01", principal=COOP) == []


async def test_r_comp_7_other_groups_list_the_holders_of_that_day(api):
    await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "1/2024")
    assert await competent(api, "nsso-officer", "PMP", "2024-05-01") == [(PROVIDER, "MANDATE", "SOLE")]
    assert await competent(api, "nsso-officer", "PMP", "2023-12-31") == []


async def test_r_life_5_a_mandate_not_yet_active_gives_no_competence(api):
    pending = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="2/2024")
    assert pending["status"] == "TO_BE_FINALISED"
    assert await competent(api, "nsso-officer", "PMP", "2024-05-01") == []


async def test_r_comp_7_who_may_ask_and_what_they_see(api, clock):
    """Officers, integrations, the principal and its mandataries; the mandate only when the viewer may see it."""
    _, new = await replaced_history(api, clock, FULL_DMFA)
    for persona in ("nsso-officer", "integration-system", "employer-director", "employer-consult", "ssa-signatory", "provider-signatory"):
        result = await api(COMPETENT, {"principal": LOGISTIQUE, "group": "DMFA", "on": "2023-08-01"}, as_=persona)
        assert "errors" not in result, (persona, result)
        (answer,) = result["data"]["competentMandataries"]
        seen = answer["mandate"]["reference"] if answer["mandate"] else None
        assert seen == (new["reference"] if persona in ("nsso-officer", "employer-director", "employer-consult", "ssa-signatory") else None), persona
    stranger = await api(COMPETENT, {"principal": LOGISTIQUE, "group": "DMFA", "on": "2023-08-01"}, as_="employer-manager")  # BOULANGERIE
    assert error_codes(stranger) == ["FORBIDDEN"]
    never = await api(COMPETENT, {"principal": LOGISTIQUE, "group": "DMFA", "on": "2023-08-01"}, as_="provider2-signatory")  # never its mandatary
    assert error_codes(never) == ["FORBIDDEN"]
    anonymous = await api(COMPETENT, {"principal": LOGISTIQUE, "group": "DMFA", "on": "2023-08-01"})
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    unknown = await api(COMPETENT, {"principal": LOGISTIQUE, "group": "NOPE", "on": "2023-08-01"}, as_="nsso-officer")
    assert error_codes(unknown) == ["UNKNOWN_GROUP"]
    nobody = await api(COMPETENT, {"principal": "0403.170.701", "group": "DMFA", "on": "2023-08-01"}, as_="nsso-officer")
    assert error_codes(nobody) == ["ENTERPRISE_NOT_FOUND"]
    by_nsso_number = await api(COMPETENT, {"principal": "9539339-29", "group": "DMFA", "on": "2023-08-01"}, as_="nsso-officer")
    assert [c["mandatary"]["enterpriseNumber"] for c in by_nsso_number["data"]["competentMandataries"]] == [SSA]
