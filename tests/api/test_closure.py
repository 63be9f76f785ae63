"""Closure and recorded actions through GraphQL (RULES.md §14, §24; R-CAL-7, R-UNQ-7, R-UNQ-9, R-CHG-6,
R-USR-4, R-NOT-1, R-LIFE-7, R-LIFE-8).

Today is 2024-05-10 (month 2 of 2/2024) unless a test moves the clock; the dates of RULES.md's test
ideas are used where it gives them.
"""

from __future__ import annotations

import datetime as dt

from graphql import GraphQLInputObjectType

from schema.app import schema
from tests.api.delegation_steps import FULL_DMFA, delegate, replaced_history
from tests.api.helpers import (
    BOULANGERIE,
    COOP,
    LOGISTIQUE,
    PROVIDER,
    SSA,
    active,
    codes,
    create,
    created,
    error_codes,
    niss,
    notifications,
    sign,
)

MANDATE = """id reference status endQuarter
  groups { group { code } role startQuarter endQuarter closureReason closureText }
  history { action actorNiss actorEnterprise detail }"""

CLOSE = f"""
mutation($input: CloseMandateInput!) {{
  closeMandate(input: $input) {{ mandate {{ {MANDATE} }} userErrors {{ code field message }} }}
}}"""

RECORD = """
mutation($input: RecordActionInput!) { recordAction(input: $input) { ok userErrors { code field message } } }"""

READ = f"""query($reference: String!) {{ mandate(reference: $reference) {{ {MANDATE} }} }}"""


async def close(api, as_: str, mandate: dict, end: str, **fields) -> dict:
    """closeMandate's payload (mandate and userErrors)."""
    result = await api(CLOSE, {"input": {"mandateId": mandate["id"], "endQuarter": end, **fields}}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["closeMandate"]


async def closed(api, as_: str, mandate: dict, end: str, **fields) -> dict:
    payload = await close(api, as_, mandate, end, **fields)
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload["mandate"]


async def report(api, as_: str = "integration-system", **fields) -> dict:
    """recordAction's whole response, as `as_`."""
    return await api(RECORD, {"input": fields}, as_=as_)


async def acted(api, principal: str, mandatary: str, group: str, kind: str, performed_on: str, **extra) -> None:
    """An integration reports an action of `mandatary` for `principal`."""
    result = await report(
        api, principalNumber=principal, mandataryNumber=mandatary, group=group, kind=kind, performedOn=performed_on, **extra
    )
    assert result["data"]["recordAction"] == {"ok": True, "userErrors": []}, result


async def seen(api, as_: str, mandate: dict) -> dict:
    result = await api(READ, {"reference": mandate["reference"]}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["mandate"]


def ends(mandate: dict) -> dict[str, str | None]:
    return {g["group"]["code"]: g["endQuarter"] for g in mandate["groups"]}


def roles(mandate: dict) -> dict[str, str]:
    return {g["group"]["code"]: g["role"] for g in mandate["groups"]}


# R-CLO-1, R-CLO-2: who closes.


async def test_r_clo_1_an_officer_enters_the_closure_ex_officio(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    after = await closed(api, "nsso-officer", mandate, "2/2024")
    assert ends(after) == {"PMP": "2/2024"}
    event = after["history"][-1]
    assert (event["action"], event["actorNiss"], event["actorEnterprise"]) == ("CLOSURE", niss("nsso-officer"), None)
    assert "asked by the officer" in event["detail"]


async def test_r_clo_1_the_company_enters_its_closure_itself(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    after = await closed(api, "employer-director", mandate, "3/2024")
    assert ends(after) == {"PMP": "3/2024"}
    assert after["history"][-1]["actorNiss"] == niss("employer-director")
    assert "asked by the principal" in after["history"][-1]["detail"]


async def test_r_clo_2_the_provider_enters_its_closure_itself(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    after = await closed(api, "provider-signatory", mandate, "2/2024")
    assert ends(after) == {"PMP": "2/2024"}
    assert "asked by the mandatary" in after["history"][-1]["detail"]


# R-CLO-3..10: the windows (every cell of the table is in tests/models/test_closure.py).


async def test_r_clo_3_either_party_ends_up_to_t_plus_4_without_reason(api, clock):
    clock.frozen = dt.date(2024, 8, 15)
    first = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    second = await active(api, BOULANGERIE, SSA, ["SIGEDIS"], "3/2024")
    assert codes(await close(api, "employer-director", first, "4/2025")) == ["CLOSURE_QUARTER_NOT_ALLOWED"]
    assert ends(await closed(api, "employer-director", first, "3/2025")) == {"PMP": "3/2025"}
    assert codes(await close(api, "ssa-signatory", second, "4/2025")) == ["CLOSURE_QUARTER_NOT_ALLOWED"]
    after = await closed(api, "ssa-signatory", second, "3/2024")
    assert (after["endQuarter"], after["status"]) == ("3/2024", "ACTIVE")
    assert after["groups"][0]["closureReason"] is None


async def test_r_clo_4_the_principal_ends_at_t_minus_1_in_month_1_without_formality(api, clock):
    clock.frozen = dt.date(2024, 1, 20)
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2023")
    after = await closed(api, "employer-director", mandate, "4/2023")
    assert ends(after) == {"PMP": "4/2023"}
    assert after["status"] == "CLOSED"  # its last end has passed (R-LIFE-7)
    assert after["history"][-1]["action"] == "LATE_CLOSURE"


async def test_r_clo_5_the_principal_ends_at_t_minus_2_in_month_1_with_a_reason_listed_for_review(api, clock):
    clock.frozen = dt.date(2024, 1, 20)
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2023")
    refused = await close(api, "employer-director", mandate, "3/2023")
    assert codes(refused) == ["REASON_REQUIRED"]
    assert refused["userErrors"][0]["field"] == ["reasonText"]
    after = await closed(api, "employer-director", mandate, "3/2023", reasonText="The shop closed in September")
    assert ends(after) == {"PMP": "3/2023"}
    assert after["groups"][0]["closureText"] == "The shop closed in September"
    event = after["history"][-1]
    assert event["action"] == "LATE_CLOSURE"
    assert "The shop closed in September" in event["detail"] and "Listed for the NSSO's review" in event["detail"]


async def test_r_clo_6_the_principal_ends_at_t_minus_1_in_months_2_3_with_a_reason(api, clock):
    clock.frozen = dt.date(2024, 5, 15)
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "4/2023")
    assert codes(await close(api, "employer-director", mandate, "4/2023", reasonText="x")) == ["CLOSURE_QUARTER_NOT_ALLOWED"]
    assert codes(await close(api, "employer-director", mandate, "1/2024")) == ["REASON_REQUIRED"]
    after = await closed(api, "employer-director", mandate, "1/2024", reasonText="No staff since January")
    assert ends(after) == {"PMP": "1/2024"}
    assert after["groups"][0]["closureText"] == "No staff since January"


async def test_r_clo_7_the_mandatary_in_month_1_t_minus_1_freely_t_minus_2_with_a_code(api, clock):
    clock.frozen = dt.date(2024, 1, 20)
    one = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2023")
    two = await active(api, BOULANGERIE, PROVIDER, ["PMP"], "2/2023")
    assert ends(await closed(api, "provider-signatory", one, "4/2023")) == {"PMP": "4/2023"}
    refused = await close(api, "provider-signatory", two, "3/2023")
    assert codes(refused) == ["REASON_REQUIRED"]
    assert refused["userErrors"][0]["field"] == ["reason"]
    after = await closed(api, "provider-signatory", two, "3/2023", reason="DEBTOR_EMPLOYER")
    assert after["groups"][0]["closureReason"] == "DEBTOR_EMPLOYER"


async def test_r_clo_8_the_mandatary_in_months_2_3_ends_at_t_minus_1_with_a_code(api, clock):
    clock.frozen = dt.date(2024, 6, 15)
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2023")
    assert codes(await close(api, "provider-signatory", mandate, "1/2024")) == ["REASON_REQUIRED"]
    assert codes(await close(api, "provider-signatory", mandate, "4/2023", reason="SILENT_EMPLOYER")) == ["CLOSURE_QUARTER_NOT_ALLOWED"]
    after = await closed(api, "provider-signatory", mandate, "1/2024", reason="LATE_NOTICE_BY_EMPLOYER")
    assert (ends(after), after["groups"][0]["closureReason"]) == ({"PMP": "1/2024"}, "LATE_NOTICE_BY_EMPLOYER")


async def test_r_clo_9_other_needs_a_text_and_the_reason_is_shown_to_officers(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "4/2023")
    refused = await close(api, "provider-signatory", mandate, "1/2024", reason="OTHER", reasonText="  ")
    assert codes(refused) == ["REASON_REQUIRED"]
    await closed(api, "provider-signatory", mandate, "1/2024", reason="OTHER", reasonText="The employer moved its seat abroad")
    group = (await seen(api, "nsso-officer", mandate))["groups"][0]
    assert (group["closureReason"], group["closureText"]) == ("OTHER", "The employer moved its seat abroad")


async def test_r_clo_10_outside_the_windows_only_an_officer_closes_with_a_justification(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2023")
    assert codes(await close(api, "provider-signatory", mandate, "4/2023", reason="SILENT_EMPLOYER")) == ["CLOSURE_QUARTER_NOT_ALLOWED"]
    assert codes(await close(api, "nsso-officer", mandate, "4/2023")) == ["REASON_REQUIRED"]
    after = await closed(api, "nsso-officer", mandate, "4/2023", reasonText="Argued request of the provider, e-mail of 2 May")
    assert ends(after) == {"PMP": "4/2023"}
    event = after["history"][-1]
    assert (event["action"], event["actorNiss"]) == ("LATE_CLOSURE", niss("nsso-officer"))
    assert "e-mail of 2 May" in event["detail"] and "Listed for the NSSO's review" in event["detail"]


async def test_r_clo_10_the_officers_derogation_still_checks_the_actions(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["DIMONA", "PMP"], "3/2023")
    await acted(api, LOGISTIQUE, PROVIDER, "DIMONA", "DIMONA", "2024-03-01")
    refused = await close(api, "nsso-officer", mandate, "4/2023", reasonText="Argued request")
    assert codes(refused) == ["ACTIONS_IN_PERIOD"]


# R-CLO-11, R-CLO-12: the action check of late closures.


async def test_r_clo_11_an_action_in_one_group_binds_the_whole_mandate(api, clock):
    clock.frozen = dt.date(2024, 4, 5)
    busy = await active(api, LOGISTIQUE, PROVIDER, ["DIMONA", "PMP"], "1/2024")
    idle = await active(api, BOULANGERIE, PROVIDER, ["DIMONA", "PMP"], "1/2024")
    await acted(api, LOGISTIQUE, PROVIDER, "DIMONA", "DIMONA", "2024-04-05")
    await acted(api, BOULANGERIE, PROVIDER, "DIMONA", "DIMONA", "2024-03-28")  # before the released period
    clock.frozen = dt.date(2024, 4, 20)
    refused = await close(api, "provider-signatory", busy, "1/2024", groups=["PMP"])
    assert codes(refused) == ["ACTIONS_IN_PERIOD"]
    assert refused["userErrors"][0]["field"] == ["endQuarter"]
    assert ends(await closed(api, "provider-signatory", idle, "1/2024", groups=["PMP"])) == {"DIMONA": None, "PMP": "1/2024"}


async def test_r_clo_11_the_check_applies_whoever_asks(api, clock):
    clock.frozen = dt.date(2024, 4, 20)
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["DIMONA", "PMP"], "1/2024")
    await acted(api, LOGISTIQUE, PROVIDER, "DIMONA", "DIMONA", "2024-04-05")
    assert codes(await close(api, "employer-director", mandate, "1/2024")) == ["ACTIONS_IN_PERIOD"]
    # Not late: the current quarter is not released, the actions do not matter.
    assert ends(await closed(api, "employer-director", mandate, "2/2024")) == {"DIMONA": "2/2024", "PMP": "2/2024"}


async def test_r_clo_12_provisions_for_an_earlier_quarter_do_not_block(api, clock):
    clock.frozen = dt.date(2024, 4, 15)
    earlier = await active(api, LOGISTIQUE, SSA, ["DMFA", "DIMONA", "FLEXI"], "3/2023")
    released = await active(api, BOULANGERIE, SSA, ["DMFA", "DIMONA", "FLEXI"], "3/2023")
    await acted(api, LOGISTIQUE, SSA, "DMFA", "PROVISIONS", "2024-02-05", quarter="4/2023")
    await acted(api, BOULANGERIE, SSA, "DMFA", "PROVISIONS", "2024-04-05", quarter="1/2024")
    after = await closed(api, "ssa-signatory", earlier, "4/2023", reason="SILENT_EMPLOYER")
    assert set(ends(after).values()) == {"4/2023"}
    assert codes(await close(api, "ssa-signatory", released, "4/2023", reason="SILENT_EMPLOYER")) == ["ACTIONS_IN_PERIOD"]


async def test_r_clo_12_a_drs_counts_by_the_quarter_of_its_risk_date(api, clock):
    clock.frozen = dt.date(2024, 4, 15)
    before = await active(api, LOGISTIQUE, PROVIDER, ["DRS_UNEMPLOYMENT"], "3/2023")
    within = await active(api, BOULANGERIE, PROVIDER, ["DRS_UNEMPLOYMENT"], "3/2023")
    await acted(api, LOGISTIQUE, PROVIDER, "DRS_UNEMPLOYMENT", "DRS", "2024-01-10", riskDate="2023-12-28")
    await acted(api, BOULANGERIE, PROVIDER, "DRS_UNEMPLOYMENT", "DRS", "2023-12-20", riskDate="2024-01-03")
    assert ends(await closed(api, "provider-signatory", before, "4/2023", reason="SILENT_EMPLOYER")) == {"DRS_UNEMPLOYMENT": "4/2023"}
    assert codes(await close(api, "provider-signatory", within, "4/2023", reason="SILENT_EMPLOYER")) == ["ACTIONS_IN_PERIOD"]


async def test_r_clo_12_record_action_is_reserved_to_the_integrations(api):
    fields = dict(principalNumber=LOGISTIQUE, mandataryNumber=PROVIDER, group="DIMONA", kind="DIMONA", performedOn="2024-05-02")
    for persona in ("employer-director", "provider-signatory", "nsso-officer"):
        result = await report(api, persona, **fields)
        assert error_codes(result) == ["FORBIDDEN"], persona
    assert (await report(api, **fields))["data"]["recordAction"] == {"ok": True, "userErrors": []}


async def test_r_clo_12_record_action_names_the_date_its_kind_is_judged_by(api):
    base = dict(principalNumber=LOGISTIQUE, mandataryNumber=SSA, performedOn="2024-05-02")
    dmfa = (await report(api, **base, group="DMFA", kind="DMFA"))["data"]["recordAction"]
    assert (dmfa["ok"], codes(dmfa), dmfa["userErrors"][0]["field"]) == (False, ["INVALID_INPUT"], ["quarter"])
    drs = (await report(api, **base, group="DRS_BENEFITS", kind="DRS"))["data"]["recordAction"]
    assert (drs["ok"], codes(drs), drs["userErrors"][0]["field"]) == (False, ["INVALID_INPUT"], ["riskDate"])
    unknown = (await report(api, **{**base, "principalNumber": "0403.170.701"}, group="DMFA", kind="DMFA", quarter="1/2024"))
    assert codes(unknown["data"]["recordAction"]) == ["ENTERPRISE_NOT_FOUND"]
    ok = (await report(api, **base, group="DRS_BENEFITS", kind="DRS", riskDate="2024-04-30"))["data"]["recordAction"]
    assert ok == {"ok": True, "userErrors": []}


# R-CLO-13, R-NOT-1: notifications.


async def test_r_clo_13_both_parties_are_notified_of_a_closure(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    await closed(api, "employer-director", mandate, "2/2024")
    for persona, number in (("employer-director", LOGISTIQUE), ("provider-signatory", PROVIDER)):
        newest = (await notifications(api, persona))[0]
        assert newest["recipient"]["enterpriseNumber"] == number
        assert newest["mandate"]["reference"] == mandate["reference"]
        assert newest["subject"] == f"Mandate {mandate['reference']}: closure"
        assert "PMP end 2/2024" in newest["body"]


async def test_r_not_1_an_officers_closure_notifies_both_parties(api):
    mandate = await active(api, BOULANGERIE, SSA, ["SIGEDIS"], "2/2024")
    await closed(api, "nsso-officer", mandate, "3/2024")
    for persona in ("employer-manager", "ssa-signatory"):
        newest = (await notifications(api, persona))[0]
        assert newest["subject"] == f"Mandate {mandate['reference']}: closure"


# R-CLO-14: delegations end with the main mandate.


async def test_r_clo_14_closing_the_main_mandate_ends_its_delegations(api, clock):
    """R-DEL-5: the delegation ends with the main group's end date, CANCELLED once it has passed."""
    _, main = await replaced_history(api, clock, FULL_DMFA)
    assert codes(await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023")) == []
    await closed(api, "ssa-signatory", main, "2/2024")
    query = "query($r: String!) { mandate(reference: $r) { delegations { status } } }"
    clock.frozen = dt.date(2024, 6, 30)
    still = await api(query, {"r": main["reference"]}, as_="ssa-signatory")
    assert still["data"]["mandate"]["delegations"] == [{"status": "ACTIVE"}]
    clock.frozen = dt.date(2024, 7, 1)
    ended = await api(query, {"r": main["reference"]}, as_="ssa-signatory")
    assert ended["data"]["mandate"]["delegations"] == [{"status": "CANCELLED"}]


# R-CLO-15, R-MOD-1..5: what can be modified.


async def test_r_clo_15_an_end_once_set_is_not_changed(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    await closed(api, "employer-director", mandate, "4/2024")
    refused = await close(api, "employer-director", mandate, "3/2024", groups=["PMP"])
    assert codes(refused) == ["INVALID_TRANSITION"]
    assert codes(await close(api, "nsso-officer", mandate, "3/2024")) == ["INVALID_TRANSITION"]  # no open group left


async def test_r_clo_15_the_mandate_stays_modifiable_while_a_group_is_open(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP", "SIGEDIS"], "2/2024")
    first = await closed(api, "employer-director", mandate, "4/2024", groups=["PMP"])
    assert (ends(first), first["endQuarter"]) == ({"PMP": "4/2024", "SIGEDIS": None}, None)
    second = await closed(api, "employer-director", mandate, "3/2024")  # by default: the open groups only
    assert (ends(second), second["endQuarter"]) == ({"PMP": "4/2024", "SIGEDIS": "3/2024"}, "4/2024")


async def test_r_mod_1_only_active_mandates_are_closed(api, clock):
    pending = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="2/2024")
    assert (await sign(api, "employer-director", pending["id"]))["mandate"]["status"] == "PENDING"
    assert codes(await close(api, "employer-director", pending, "2/2024")) == ["INVALID_TRANSITION"]
    ended = await active(api, BOULANGERIE, PROVIDER, ["PMP"], "2/2024")
    await closed(api, "employer-manager", ended, "2/2024")
    clock.frozen = dt.date(2024, 7, 2)
    assert codes(await close(api, "nsso-officer", ended, "2/2024", reasonText="x")) == ["INVALID_TRANSITION"]


async def test_r_mod_2_closing_adds_an_end_term_year(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    bad = await api(CLOSE, {"input": {"mandateId": mandate["id"], "endQuarter": "5/2024"}}, as_="employer-director")
    assert error_codes(bad) == ["INVALID_QUARTER"]
    after = await closed(api, "employer-director", mandate, "2/2024")
    assert (ends(after), after["endQuarter"]) == ({"PMP": "2/2024"}, "2/2024")
    assert "last day 2024-06-30" in after["history"][-1]["detail"]


async def test_r_mod_3_only_the_ticked_groups_change(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP", "SIGEDIS", "BELPARCEL"], "2/2024")
    assert codes(await close(api, "employer-director", mandate, "3/2024", groups=["DIMONA"])) == ["GROUP_NOT_IN_MANDATE"]
    assert codes(await close(api, "employer-director", mandate, "3/2024", groups=["NOPE"])) == ["UNKNOWN_GROUP"]
    assert codes(await close(api, "employer-director", mandate, "3/2024", groups=[])) == ["GROUPS_REQUIRED"]
    after = await closed(api, "employer-director", mandate, "3/2024", groups=["PMP"])
    assert ends(after) == {"PMP": "3/2024", "SIGEDIS": None, "BELPARCEL": None}


async def test_r_mod_4_a_refused_closure_changes_nothing(api):
    """The API commits in one call: a refusal leaves groups, history and notifications as they were."""
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP", "SIGEDIS"], "4/2023")
    before = await seen(api, "employer-director", mandate)
    count = len(await notifications(api, "employer-director"))
    assert codes(await close(api, "employer-director", mandate, "1/2024", groups=["PMP"])) == ["REASON_REQUIRED"]
    assert await seen(api, "employer-director", mandate) == before
    assert len(await notifications(api, "employer-director")) == count


def test_r_mod_5_no_operation_adds_groups_to_an_existing_mandate():
    takes_mandate_and_groups = {
        name
        for name, kind in schema._schema.type_map.items()
        if isinstance(kind, GraphQLInputObjectType) and {"mandateId", "groups"} <= set(kind.fields)
    }
    assert takes_mandate_and_groups <= {"CloseMandateInput", "CreateDelegationInput"}
    assert "CloseMandateInput" in takes_mandate_and_groups
    assert set(schema._schema.mutation_type.fields["closeMandate"].args) == {"input"}


# R-UNQ-7, R-UNQ-9: Dimona and Flexi beside the DmfA.


async def test_r_unq_9_a_master_dimona_does_not_end_before_the_dmfa(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "2/2024")
    refused = await close(api, "provider-signatory", mandate, "2/2024", groups=["DIMONA"])
    assert codes(refused) == ["GROUP_REQUIRES_OTHERS"]
    assert codes(await close(api, "provider-signatory", mandate, "2/2024", groups=["DIMONA", "FLEXI"])) == ["GROUP_REQUIRES_OTHERS"]
    assert set(ends(await closed(api, "provider-signatory", mandate, "2/2024")).values()) == {"2/2024"}


async def test_r_unq_7_ending_only_the_dmfa_keeps_dimona_as_secondary_if_that_place_is_free(api, clock):
    master = await active(api, LOGISTIQUE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "2/2024")
    secondary = await active(api, LOGISTIQUE, SSA, ["DIMONA"], "2/2024")
    refused = await close(api, "provider-signatory", master, "2/2024", groups=["DMFA"])
    assert codes(refused) == ["SINGLE_MANDATARY_TAKEN"]
    # Ending Dimona with the DmfA leaves only Flexi, whose secondary place is free.
    both = await active(api, BOULANGERIE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "2/2024")
    await active(api, BOULANGERIE, SSA, ["DIMONA"], "2/2024")
    assert ends(await closed(api, "provider-signatory", both, "2/2024", groups=["DMFA", "DIMONA"]))["FLEXI"] is None
    # Once the other secondary ends, the DmfA alone may end.
    await closed(api, "ssa-signatory", secondary, "2/2024")
    after = await closed(api, "provider-signatory", master, "2/2024", groups=["DMFA"])
    assert ends(after) == {"DMFA": "2/2024", "DIMONA": None, "FLEXI": None}
    assert roles(after) == {"DMFA": "SOLE", "DIMONA": "MASTER", "FLEXI": "MASTER"}  # until E
    clock.frozen = dt.date(2024, 7, 1)
    later = await seen(api, "provider-signatory", master)
    assert (roles(later)["DIMONA"], roles(later)["FLEXI"], later["status"]) == ("SECONDARY", "SECONDARY", "ACTIVE")


# R-CHG-6: longer retroactivity in two operations.


async def test_r_chg_6_a_late_closure_frees_the_quarters_for_the_new_provider(api, clock):
    clock.frozen = dt.date(2024, 4, 10)
    await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "1/2023")
    former = (await api("{ mandates { edges { node { id reference } } } }", as_="provider-signatory"))["data"]["mandates"]["edges"][0]["node"]
    early = await create(api, "ssa-signatory", principalNumber=LOGISTIQUE, groups=["PMP"], startQuarter="1/2024")
    assert codes(early) == ["RETROACTIVE_START_NOT_ALLOWED"]
    after = await closed(api, "provider-signatory", former, "4/2023", reason="SILENT_EMPLOYER")
    assert ends(after) == {"PMP": "4/2023"}
    new = await created(api, "ssa-signatory", principalNumber=LOGISTIQUE, groups=["PMP"], startQuarter="1/2024")
    assert new["startQuarter"] == "1/2024"


# R-USR-4: closing needs a signatory of the acting party, and the manage role.


async def test_r_usr_4_a_manager_who_is_no_signatory_cannot_close(api):
    mandate = await active(api, BOULANGERIE, PROVIDER, ["PMP"], "2/2024")
    refused = await close(api, "employer-employee", mandate, "2/2024")
    assert codes(refused) == ["NOT_ALLOWED_TO_SIGN"]
    logistique = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    assert codes(await close(api, "employer-auditor", logistique, "2/2024")) == ["NOT_ALLOWED_TO_SIGN"]
    consult = await api(CLOSE, {"input": {"mandateId": logistique["id"], "endQuarter": "2/2024"}}, as_="employer-consult")
    assert error_codes(consult) == ["FORBIDDEN"]
    assert codes(await close(api, "coop-managing-director", logistique, "2/2024")) == ["NOT_FOUND"]  # not its mandate
    assert ends(await closed(api, "employer-competence", logistique, "2/2024")) == {"PMP": "2/2024"}  # R-USR-3 (b)


# R-CAL-7, R-LIFE-7, R-LIFE-8.


async def test_r_cal_7_a_group_cannot_end_before_it_starts(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    assert codes(await close(api, "employer-director", mandate, "2/2024")) == ["CLOSURE_QUARTER_NOT_ALLOWED"]
    assert codes(await close(api, "nsso-officer", mandate, "2/2024", reasonText="void it")) == ["CLOSURE_QUARTER_NOT_ALLOWED"]
    assert ends(await closed(api, "employer-director", mandate, "3/2024")) == {"PMP": "3/2024"}


async def test_r_life_7_a_closed_mandate_stays_active_until_its_end_passes(api, clock):
    clock.frozen = dt.date(2024, 4, 10)
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    assert (await closed(api, "employer-director", mandate, "2/2024"))["status"] == "ACTIVE"
    clock.frozen = dt.date(2024, 6, 30)
    assert (await seen(api, "employer-director", mandate))["status"] == "ACTIVE"
    clock.frozen = dt.date(2024, 7, 1)
    assert (await seen(api, "employer-director", mandate))["status"] == "CLOSED"


async def test_r_life_8_closing_some_groups_leaves_the_others_and_the_status(api, clock):
    mandate = await active(api, COOP, PROVIDER, ["DIMONA", "PMP"], "2/2024")
    after = await closed(api, "coop-managing-director", mandate, "2/2024", groups=["PMP"])
    assert (ends(after), after["status"], after["endQuarter"]) == ({"DIMONA": None, "PMP": "2/2024"}, "ACTIVE", None)
    clock.frozen = dt.date(2024, 8, 1)
    assert (await seen(api, "coop-managing-director", mandate))["status"] == "ACTIVE"
