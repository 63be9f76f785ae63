"""Delegations through GraphQL (RULES.md §15): R-DEL-1..5, R-DEL-7, R-CLU-7, with R-NOT-1 and R-LIFE-5/9.

A (PROVIDER) held DMFA+DIMONA+FLEXI for LOGISTIQUE from 1/2022; B (SSA) replaced it from 1/2024, so A's
groups end 4/2023. Today is 2024-05-10 unless a test moves the clock.
"""

from __future__ import annotations

import datetime as dt

from models.tables import Delegation, Mandate
from resolvers.sweep import sweep
from tests.api.delegation_steps import (
    CREATE_DELEGATION,
    END_DELEGATION,
    FULL_DMFA,
    competent,
    delegate,
    end_delegation,
    replaced_history,
    set_end,
)
from tests.api.helpers import (
    LOGISTIQUE,
    PROVIDER,
    PROVIDER2,
    SSA,
    active,
    codes,
    created,
    error_codes,
    niss,
    notifications,
    read,
    sign,
)

DELEGATIONS = '{ mandate(reference: "%s") { delegations { id status fromQuarter toQuarter groups { code } delegate { enterpriseNumber } } } }'


async def delegations_of(api, as_: str, reference: str) -> list[dict]:
    result = await api(DELEGATIONS % reference, as_=as_)
    assert "errors" not in result, result
    return result["data"]["mandate"]["delegations"]


async def test_r_del_1_the_main_mandatary_delegates_an_earlier_period_to_the_provider_mandated_then(api, clock):
    _, main = await replaced_history(api, clock, FULL_DMFA)
    payload = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023")
    assert payload["userErrors"] == []
    delegation = payload["delegation"]
    assert (delegation["status"], delegation["fromQuarter"], delegation["toQuarter"]) == ("ACTIVE", "1/2023", "4/2023")
    assert delegation["groups"] == [{"code": "DMFA"}]
    assert delegation["delegate"] == {"enterpriseNumber": PROVIDER}
    assert delegation["mandate"] == {"reference": main["reference"]}
    listed = await delegations_of(api, "employer-director", main["reference"])
    assert [(d["id"], d["status"]) for d in listed] == [(delegation["id"], "ACTIVE")]
    # C was never mandated for LOGISTIQUE; 1/2024 is not before B's start.
    never = await delegate(api, "ssa-signatory", main["id"], PROVIDER2, ["DMFA"], "1/2023", "4/2023")
    assert codes(never) == ["DELEGATE_NOT_MANDATED"] and never["delegation"] is None
    assert never["userErrors"][0]["field"] == ["delegateNumber"]
    own_period = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DIMONA"], "1/2024", "1/2024")
    assert codes(own_period) == ["DELEGATION_PERIOD_NOT_ALLOWED"]
    before_a = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DIMONA", "FLEXI"], "4/2021", "4/2023")
    assert codes(before_a) == ["DELEGATE_NOT_MANDATED"]
    assert len(await delegations_of(api, "employer-director", main["reference"])) == 1  # the refusals left nothing


async def test_r_del_1_only_groups_of_the_main_mandate_and_a_subset_of_them(api, clock):
    _, main = await replaced_history(api, clock, FULL_DMFA)
    foreign = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["PMP"], "1/2023", "4/2023")
    assert codes(foreign) == ["GROUP_NOT_IN_MANDATE"]
    unknown = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["NOPE"], "1/2023", "4/2023")
    assert codes(unknown) == ["UNKNOWN_GROUP"]
    two = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA", "DIMONA"], "2/2023", "3/2023")
    assert [g["code"] for g in two["delegation"]["groups"]] == ["DMFA", "DIMONA"]
    again = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DIMONA"], "3/2023", "4/2023")
    assert codes(again) == ["DELEGATION_PERIOD_NOT_ALLOWED"]  # 3/2023 of DIMONA is already delegated to A


async def test_r_del_2_only_the_main_mandatary_registers_and_ends_its_delegations(api, clock):
    _, main = await replaced_history(api, clock, FULL_DMFA)
    variables = {"input": {"mandateId": main["id"], "delegateNumber": PROVIDER, "groups": ["DMFA"], "fromQuarter": "1/2023", "toQuarter": "4/2023"}}
    by_principal = await api(CREATE_DELEGATION, variables, as_="employer-director")
    assert error_codes(by_principal) == ["FORBIDDEN"]
    by_delegate = await delegate(api, "provider-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023")
    assert codes(by_delegate) == ["NOT_FOUND"]  # not a party to B's mandate: it does not see it
    by_consult = await api(CREATE_DELEGATION, variables, as_="employer-consult")
    assert error_codes(by_consult) == ["FORBIDDEN"]
    # Neither the principal's signature nor the delegate's acceptance: ACTIVE at once.
    delegation = (await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023"))["delegation"]
    assert delegation["status"] == "ACTIVE"
    ended_by_principal = await api(END_DELEGATION, {"id": delegation["id"]}, as_="employer-director")
    assert error_codes(ended_by_principal) == ["FORBIDDEN"]
    assert codes(await end_delegation(api, "provider-signatory", delegation["id"])) == ["NOT_FOUND"]
    ended = await end_delegation(api, "ssa-signatory", delegation["id"])
    assert ended["userErrors"] == [] and ended["delegation"]["status"] == "CANCELLED"
    twice = await end_delegation(api, "ssa-signatory", delegation["id"])
    assert codes(twice) == ["INVALID_TRANSITION"]


async def test_r_del_2_a_malformed_delegation_id_is_a_user_error(api):
    payload = await end_delegation(api, "ssa-signatory", "not-an-id")
    assert codes(payload) == ["INVALID_ID"]
    assert payload["userErrors"][0]["field"] == ["delegationId"]


async def test_r_del_3_delegating_leaves_the_technical_extension_unchanged(api, clock):
    clock.frozen = dt.date(2022, 1, 10)
    old = await active(api, LOGISTIQUE, PROVIDER, ["DRS_UNEMPLOYMENT"], "1/2022")
    await set_end(old["reference"], "DRS_UNEMPLOYMENT", "4/2023")
    clock.frozen = dt.date(2023, 11, 10)
    main = await active(api, LOGISTIQUE, SSA, ["DRS_UNEMPLOYMENT"], "1/2024")
    clock.frozen = dt.date(2024, 2, 1)
    before = await competent(api, "nsso-officer", "DRS_UNEMPLOYMENT", "2023-12-10")
    assert before == [(PROVIDER, "TECHNICAL_EXTENSION", "SOLE"), (SSA, "MANDATE", "SOLE")]
    delegation = (await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DRS_UNEMPLOYMENT"], "1/2023", "4/2023"))["delegation"]
    during = await competent(api, "nsso-officer", "DRS_UNEMPLOYMENT", "2023-12-10")
    assert during == before + [(PROVIDER, "DELEGATION", "SOLE")]
    await end_delegation(api, "ssa-signatory", delegation["id"])
    assert await competent(api, "nsso-officer", "DRS_UNEMPLOYMENT", "2023-12-10") == before


async def test_r_del_4_publiato_cannot_be_delegated(api, clock):
    """R-CLU-7: createDelegation refuses a group the catalogue marks as not delegable."""
    _, main = await replaced_history(api, clock, ["WORK_ACCIDENTS_PUBLIATO"])
    payload = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["WORK_ACCIDENTS_PUBLIATO"], "1/2023", "4/2023")
    assert codes(payload) == ["DELEGATION_NOT_ALLOWED"]
    assert payload["userErrors"][0]["field"] == ["groups"]


async def test_r_clu_7_each_group_says_whether_it_may_be_delegated(api):
    groups = (await api("{ applicationGroups { code delegable } }"))["data"]["applicationGroups"]
    assert len(groups) == 16
    assert [g["code"] for g in groups if not g["delegable"]] == ["WORK_ACCIDENTS_PUBLIATO"]


async def test_r_del_5_the_delegation_is_cancelled_once_the_main_group_has_ended_and_notified(api, clock):
    _, main = await replaced_history(api, clock, FULL_DMFA)
    delegation = (await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023"))["delegation"]
    # C replaces B from 3/2024: B's groups end 2/2024 (a closure with E=2/2024 would do the same).
    await active(api, LOGISTIQUE, PROVIDER2, FULL_DMFA, "3/2024")
    clock.frozen = dt.date(2024, 6, 30)
    assert [d["status"] for d in await delegations_of(api, "ssa-signatory", main["reference"])] == ["ACTIVE"]
    assert (PROVIDER, "DELEGATION", "SOLE") in await competent(api, "nsso-officer", "DMFA", "2023-08-01")
    clock.frozen = dt.date(2024, 7, 1)
    assert [d["status"] for d in await delegations_of(api, "ssa-signatory", main["reference"])] == ["CANCELLED"]  # before the sweep
    assert (PROVIDER, "DELEGATION", "SOLE") not in await competent(api, "nsso-officer", "DMFA", "2023-08-01")
    row = await Delegation.get(mandate__reference=main["reference"])
    assert row.status.value == "ACTIVE"  # the sweep has not run
    report = await sweep(clock)
    assert report.delegations_cancelled == 1
    await row.refresh_from_db()
    assert row.status.value == "CANCELLED" and row.ended_at is not None
    history = (await read(api, "ssa-signatory", main["reference"]))["history"]
    assert history[-1]["action"] == "DELEGATION_CANCELLED" and history[-1]["actorNiss"] is None
    told = {n["recipient"]["enterpriseNumber"] for n in await notifications(api, "nsso-officer") if "delegation cancelled" in n["subject"]}
    assert told == {LOGISTIQUE, SSA, PROVIDER}
    assert (await sweep(clock)).delegations_cancelled == 0  # persisted once
    assert codes(await end_delegation(api, "ssa-signatory", delegation["id"])) == ["INVALID_TRANSITION"]


async def test_r_del_5_a_cancelled_main_mandate_cancels_its_delegations_at_once(api, clock):
    _, main = await replaced_history(api, clock, FULL_DMFA)
    await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023")
    # Written directly: the officer's annulment is another operation, not this test's subject.
    await Mandate.filter(reference=main["reference"]).update(status="CANCELLED")
    assert [d["status"] for d in await delegations_of(api, "ssa-signatory", main["reference"])] == ["CANCELLED"]
    assert await competent(api, "nsso-officer", "DMFA", "2023-08-01") == []
    assert (await sweep(clock)).delegations_cancelled == 1


async def test_r_del_7_creating_and_ending_a_delegation_notifies_principal_mandatary_and_delegate(api, clock):
    """R-NOT-1: delegation events are actions on the main mandate."""
    _, main = await replaced_history(api, clock, FULL_DMFA)
    delegation = (await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023"))["delegation"]
    created_for = [n["recipient"]["enterpriseNumber"] for n in await notifications(api, "nsso-officer") if "delegation created" in n["subject"]]
    assert sorted(created_for) == sorted([LOGISTIQUE, SSA, PROVIDER])
    delegate_box = await notifications(api, "provider-signatory", first=1)
    # The delegate is told, but is no party of the main mandate: the notification does not open it.
    assert delegate_box[0]["channel"] == "EBOX" and main["reference"] in delegate_box[0]["subject"] and delegate_box[0]["mandate"] is None
    assert "DMFA for 1/2023–4/2023" in delegate_box[0]["body"]
    await end_delegation(api, "ssa-signatory", delegation["id"])
    ended_for = [n["recipient"]["enterpriseNumber"] for n in await notifications(api, "nsso-officer") if "delegation ended" in n["subject"]]
    assert sorted(ended_for) == sorted([LOGISTIQUE, SSA, PROVIDER])
    history = (await read(api, "ssa-signatory", main["reference"]))["history"]
    assert [(e["action"], e["actorNiss"]) for e in history[-2:]] == [
        ("DELEGATION_CREATED", niss("ssa-signatory")),
        ("DELEGATION_ENDED", niss("ssa-signatory")),
    ]


async def test_r_life_9_only_an_effective_mandate_can_be_delegated(api, clock):
    """R-LIFE-5: before ACTIVE a mandate has no effect, so nothing to delegate."""
    clock.frozen = dt.date(2022, 1, 10)
    await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "1/2022")
    clock.frozen = dt.date(2023, 11, 10)
    pending = await created(api, "ssa-signatory", principalNumber=LOGISTIQUE, groups=["PMP"], startQuarter="1/2024")
    await sign(api, "ssa-signatory", pending["id"])
    payload = await delegate(api, "ssa-signatory", pending["id"], PROVIDER, ["PMP"], "1/2023", "4/2023")
    assert codes(payload) == ["INVALID_TRANSITION"]
    await sign(api, "employer-director", pending["id"])
    assert codes(await delegate(api, "ssa-signatory", pending["id"], PROVIDER, ["PMP"], "1/2023", "4/2023")) == []
