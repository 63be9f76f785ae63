"""Closure and recorded actions through GraphQL (RULES.md §14, §24; R-USR-4, R-NOT-1): closeMandate's
payload and history, its notifications, its input, who may call it, and recordAction.

The rules of closing (windows, action check, what may be modified, R-UNQ-7/9, R-CHG-6, R-CAL-7,
R-LIFE-7/8) are proved on the use case itself: tests/usecases/test_close.py.

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
    LOGISTIQUE,
    NO_STAFF,
    PROVIDER,
    SSA,
    active,
    codes,
    error_codes,
    niss,
    notifications,
)

MANDATE = """id reference status endQuarter
  groups { group { code } role startQuarter endQuarter closureReason closureText }
  history { action actorNiss actorEnterprise detail }"""

CLOSE = f"""
mutation($input: CloseMandateInput!) {{
  closeMandate(input: $input) {{ mandate {{ {MANDATE} }} userErrors {{ code field message rules }} }}
}}"""

RECORD = """
mutation($input: RecordActionInput!) { recordAction(input: $input) { ok userErrors { code field message rules } } }"""

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


async def seen(api, as_: str, mandate: dict) -> dict:
    result = await api(READ, {"reference": mandate["reference"]}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["mandate"]


def ends(mandate: dict) -> dict[str, str | None]:
    return {g["group"]["code"]: g["endQuarter"] for g in mandate["groups"]}


# R-CLO-1, R-CLO-2: who closes.


async def test_r_clo_1_an_officer_enters_the_closure_ex_officio(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    after = await closed(api, "nsso-officer", mandate, "2/2024")
    assert ends(after) == {"PMP": "2/2024"}
    event = after["history"][-1]
    assert (event["action"], event["actorNiss"], event["actorEnterprise"]) == ("CLOSURE", niss("nsso-officer"), None)
    assert "Asked by: NSSO Identification department" in event["detail"]


async def test_r_clo_1_the_company_enters_its_closure_itself(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    after = await closed(api, "employer-director", mandate, "3/2024")
    assert ends(after) == {"PMP": "3/2024"}
    assert after["history"][-1]["actorNiss"] == niss("employer-director")
    assert "Asked by: Principal" in after["history"][-1]["detail"]


async def test_r_clo_2_the_provider_enters_its_closure_itself(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    after = await closed(api, "provider-signatory", mandate, "2/2024")
    assert ends(after) == {"PMP": "2/2024"}
    assert "Asked by: Mandatary" in after["history"][-1]["detail"]


async def test_r_clo_3_a_mandate_in_identification_is_closed_by_either_party_under_the_windows(api, clock):
    """Guidelines §4.1 (issue 13, departure 6): a fully signed mandate waiting for the principal's
    identification (R-WIDE-6) is closed like an active one, by either party, within the windows of §14."""
    mandate = await active(api, NO_STAFF, PROVIDER, ["DIMONA"], "1/2024", by="mandatary")
    assert mandate["status"] == "IDENTIFICATION"
    # Month 2 of 2/2024: the mandatary may not go back to 4/2023 (T-2), and needs a reason code for T-1.
    assert codes(await close(api, "provider-signatory", mandate, "4/2023")) == ["CLOSURE_QUARTER_NOT_ALLOWED"]
    assert codes(await close(api, "provider-signatory", mandate, "1/2024")) == ["REASON_REQUIRED"]
    after = await closed(api, "company-without-staff", mandate, "2/2024")
    assert (after["status"], ends(after)) == ("IDENTIFICATION", {"DIMONA": "2/2024"})
    assert "Asked by: Principal." in after["history"][-1]["detail"]
    clock.frozen = dt.date(2024, 7, 1)
    assert (await seen(api, "provider-signatory", mandate))["status"] == "CLOSED"


async def test_r_clo_3_the_mandatary_closes_a_mandate_in_identification(api):
    mandate = await active(api, NO_STAFF, PROVIDER, ["DIMONA"], "2/2024", by="mandatary")
    after = await closed(api, "provider-signatory", mandate, "3/2024")
    assert (after["status"], ends(after)) == ("IDENTIFICATION", {"DIMONA": "3/2024"})


# R-CLO-3..10: the windows are the use case's (tests/usecases/test_close.py; every cell of the table is
# in tests/models/test_closure.py); here, how a reason reaches the groups an officer reads.


async def test_r_clo_9_the_reason_is_shown_to_officers(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "4/2023")
    await closed(
        api, "provider-signatory", mandate, "1/2024", reason="OTHER", reasonText="The employer moved its seat abroad"
    )
    group = (await seen(api, "nsso-officer", mandate))["groups"][0]
    assert (group["closureReason"], group["closureText"]) == ("OTHER", "The employer moved its seat abroad")


# R-CLO-12: recordAction (the action check of late closures is in tests/usecases/test_close.py).


async def test_r_clo_12_record_action_is_reserved_to_the_integrations(api):
    fields = {
        "principalNumber": LOGISTIQUE,
        "mandataryNumber": PROVIDER,
        "group": "DIMONA",
        "kind": "DIMONA",
        "performedOn": "2024-05-02",
    }
    for persona in ("employer-director", "provider-signatory", "nsso-officer"):
        result = await report(api, persona, **fields)
        assert error_codes(result) == ["FORBIDDEN"], persona
    assert (await report(api, **fields))["data"]["recordAction"] == {"ok": True, "userErrors": []}


async def test_r_clo_12_record_action_names_the_date_its_kind_is_judged_by(api):
    base = {"principalNumber": LOGISTIQUE, "mandataryNumber": SSA, "performedOn": "2024-05-02"}
    dmfa = (await report(api, **base, group="DMFA", kind="DMFA"))["data"]["recordAction"]
    assert (dmfa["ok"], codes(dmfa), dmfa["userErrors"][0]["field"]) == (False, ["INVALID_INPUT"], ["quarter"])
    drs = (await report(api, **base, group="DRS_BENEFITS", kind="DRS"))["data"]["recordAction"]
    assert (drs["ok"], codes(drs), drs["userErrors"][0]["field"]) == (False, ["INVALID_INPUT"], ["riskDate"])
    unknown = await report(
        api, **{**base, "principalNumber": "0403.170.701"}, group="DMFA", kind="DMFA", quarter="1/2024"
    )
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
        assert "Ending with the quarter 2/2024 (last day 30 June 2024): PMP." in newest["body"]


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


# R-MOD-2, R-MOD-5: the closure's input (the rules of R-CLO-15, R-MOD-1/3/4 are in tests/usecases/test_close.py).


async def test_r_mod_2_closing_adds_an_end_term_year(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    bad = await api(CLOSE, {"input": {"mandateId": mandate["id"], "endQuarter": "5/2024"}}, as_="employer-director")
    assert error_codes(bad) == ["INVALID_QUARTER"]
    after = await closed(api, "employer-director", mandate, "2/2024")
    assert (ends(after), after["endQuarter"]) == ({"PMP": "2/2024"}, "2/2024")
    assert "last day 30 June 2024" in after["history"][-1]["detail"]


def test_r_mod_5_no_operation_adds_groups_to_an_existing_mandate():
    takes_mandate_and_groups = {
        name
        for name, kind in schema._schema.type_map.items()
        if isinstance(kind, GraphQLInputObjectType) and {"mandateId", "groups"} <= set(kind.fields)
    }
    assert takes_mandate_and_groups <= {"CloseMandateInput", "CreateDelegationInput"}
    assert "CloseMandateInput" in takes_mandate_and_groups
    assert set(schema._schema.mutation_type.fields["closeMandate"].args) == {"input"}


# R-USR-4: closing needs a signatory of the acting party, and the manage role.


async def test_r_usr_4_a_manager_who_is_no_signatory_cannot_close(api):
    mandate = await active(api, BOULANGERIE, PROVIDER, ["PMP"], "2/2024")
    refused = await close(api, "employer-employee", mandate, "2/2024")
    assert codes(refused) == ["NOT_ALLOWED_TO_SIGN"]
    logistique = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    assert codes(await close(api, "employer-auditor", logistique, "2/2024")) == ["NOT_ALLOWED_TO_SIGN"]
    consult = await api(
        CLOSE, {"input": {"mandateId": logistique["id"], "endQuarter": "2/2024"}}, as_="employer-consult"
    )
    assert error_codes(consult) == ["FORBIDDEN"]
    assert codes(await close(api, "coop-managing-director", logistique, "2/2024")) == ["NOT_FOUND"]  # not its mandate
    assert ends(await closed(api, "employer-competence", logistique, "2/2024")) == {"PMP": "2/2024"}  # R-USR-3 (b)
