"""The employer's own events, annulment and identification through GraphQL (RULES.md §17, §18, §20):
R-EMP-1..6, R-DEL-6, R-ANN-1, R-ANN-2, R-LIFE-9, R-WIDE-6, R-WIDE-2, R-CLU-6, R-USR-6.

Today is 2024-05-10 (month 2 of 2/2024) unless a test moves the clock.
"""

from __future__ import annotations

import datetime as dt

from models.tables import Delegation
from tests.api.delegation_steps import FULL_DMFA, delegate, replaced_history
from tests.api.helpers import (
    BOULANGERIE,
    LOGISTIQUE,
    MANDATE_FIELDS,
    NO_STAFF,
    PROVIDER,
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

CURATOR_NISS = "75061512374"  # fictitious, passes the NISS check

EMPLOYER_PAYLOAD = f"""
  enterprise {{ enterpriseNumber nssoNumber kinds deletedOn }}
  mandates {{ {MANDATE_FIELDS} }}
  userErrors {{ code field message rules }}
"""
DELETE = f"mutation($input: DeleteEmployerInput!) {{ deleteEmployer(input: $input) {{ {EMPLOYER_PAYLOAD} }} }}"
BANKRUPTCY = f"mutation($input: RecordBankruptcyInput!) {{ recordBankruptcy(input: $input) {{ {EMPLOYER_PAYLOAD} }} }}"
ANSWER = (
    f"mutation($input: RecordCuratorAnswerInput!) {{ recordCuratorAnswer(input: $input) {{ {EMPLOYER_PAYLOAD} }} }}"
)
ASSIGN = f"mutation($input: AssignNssoNumberInput!) {{ assignNssoNumber(input: $input) {{ {EMPLOYER_PAYLOAD} }} }}"
ANNUL = f"""
mutation($input: AnnulMandateInput!) {{
  annulMandate(input: $input) {{ mandate {{ {MANDATE_FIELDS} delegations {{ status }} }} userErrors {{ code field
    message }} }}
}}"""
CLOSE = f"""
mutation($input: CloseMandateInput!) {{
  closeMandate(input: $input) {{ mandate {{ {MANDATE_FIELDS} }} userErrors {{ code field message rules }} }}
}}"""
RECORD_ACTION = (
    "mutation($input: RecordActionInput!) { recordAction(input: $input) { ok userErrors { code field message } } }"
)
ENTERPRISE = "query($number: String!) { enterprise(number: $number) { enterpriseNumber nssoNumber kinds deletedOn } }"


async def officer(api, document: str, field: str, **fields) -> dict:
    result = await api(document, {"input": fields}, as_="nsso-officer")
    assert "errors" not in result, result
    return result["data"][field]


def ends(mandate: dict) -> dict[str, str | None]:
    return {group["group"]["code"]: group["endQuarter"] for group in mandate["groups"]}


async def kinds(api, number: str) -> list[str]:
    result = await api(ENTERPRISE, {"number": number}, as_="nsso-officer")
    return result["data"]["enterprise"]["kinds"]


async def subjects(api, as_: str, reference: str) -> list[str]:
    return [
        n["subject"] for n in await notifications(api, as_) if n["mandate"] and n["mandate"]["reference"] == reference
    ]


# R-EMP-1, R-EMP-2 ------------------------------------------------------------------------------


async def test_r_emp_1_the_deleted_principal_loses_employer_after_the_deletion_date(api, clock):
    payload = await officer(
        api,
        DELETE,
        "deleteEmployer",
        principalNumber=LOGISTIQUE,
        deletionDate="2024-05-15",
        requestedBy="SERVICE_PROVIDER",
    )
    assert payload["userErrors"] == []
    assert payload["enterprise"]["deletedOn"] == "2024-05-15"
    assert "EMPLOYER" in payload["enterprise"]["kinds"]  # still an employer until 2024-05-15
    clock.frozen = dt.date(2024, 5, 15)
    assert "EMPLOYER" in await kinds(api, LOGISTIQUE)
    clock.frozen = dt.date(2024, 5, 16)
    assert await kinds(api, LOGISTIQUE) == ["COMPANY_WITHOUT_STAFF"]


async def test_r_emp_1_a_principal_is_deleted_once_and_only_as_an_employer(api):
    first = await officer(
        api, DELETE, "deleteEmployer", principalNumber=LOGISTIQUE, deletionDate="2024-05-15", requestedBy="EMPLOYER"
    )
    assert first["userErrors"] == []
    again = await officer(
        api, DELETE, "deleteEmployer", principalNumber=LOGISTIQUE, deletionDate="2024-06-15", requestedBy="EMPLOYER"
    )
    assert codes(again) == ["NOT_AN_EMPLOYER"] and again["enterprise"] is None
    no_staff = await officer(
        api, DELETE, "deleteEmployer", principalNumber=NO_STAFF, deletionDate="2024-05-15", requestedBy="EMPLOYER"
    )
    assert codes(no_staff) == ["NOT_AN_EMPLOYER"]
    assert (await api(ENTERPRISE, {"number": LOGISTIQUE}, as_="nsso-officer"))["data"]["enterprise"][
        "deletedOn"
    ] == "2024-05-15"


async def test_r_emp_2_deletion_closes_the_employer_only_groups_at_the_end_of_the_deletion_quarter(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["DMFA", "DIMONA", "FLEXI", "BELPARCEL"], "2/2024")
    others_only = await active(api, BOULANGERIE, PROVIDER, ["PMP"], "2/2024")
    payload = await officer(
        api, DELETE, "deleteEmployer", principalNumber=LOGISTIQUE, deletionDate="2024-05-15", requestedBy="EMPLOYER"
    )
    assert payload["userErrors"] == []
    assert [m["reference"] for m in payload["mandates"]] == [mandate["reference"]]
    after = await read(api, "nsso-officer", mandate["reference"])
    assert ends(after) == {"DMFA": "2/2024", "DIMONA": "2/2024", "FLEXI": "2/2024", "BELPARCEL": None}  # R-CLU-6
    assert after["status"] == "ACTIVE" and after["endQuarter"] is None  # BELPARCEL goes on
    event = after["history"][-1]
    assert event["action"] == "EMPLOYER_DELETED" and event["actorNiss"] == niss("nsso-officer")
    assert "DmfA ends with 2/2024" in event["detail"] and "BELparcel" not in event["detail"]
    expected = [f"Mandate {mandate['reference']}: employer deleted"]
    assert (await subjects(api, "employer-director", mandate["reference"]))[:1] == expected
    assert (await subjects(api, "provider-signatory", mandate["reference"]))[:1] == expected
    assert ends(await read(api, "employer-manager", others_only["reference"])) == {"PMP": None}


async def test_r_emp_2_deletion_never_extends_an_earlier_end(api, clock):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["DIMONA", "PMP"], "2/2024")
    closed = await api(
        CLOSE,
        {"input": {"mandateId": mandate["id"], "endQuarter": "2/2024", "groups": ["DIMONA"]}},
        as_="employer-director",
    )
    assert closed["data"]["closeMandate"]["userErrors"] == []
    payload = await officer(
        api, DELETE, "deleteEmployer", principalNumber=LOGISTIQUE, deletionDate="2024-11-20", requestedBy="EMPLOYER"
    )
    assert payload["mandates"] == []  # DIMONA already ends before 4/2024; PMP is not employer-only
    assert ends(await read(api, "employer-director", mandate["reference"])) == {"DIMONA": "2/2024", "PMP": None}


async def test_r_del_6_deletion_ends_the_employer_only_groups_and_with_them_their_delegations(api, clock):
    """R-DEL-5: a delegation ends with its main group's end, which the deletion sets (R-EMP-2)."""
    _, main = await replaced_history(api, clock, FULL_DMFA)
    assert (await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023"))[
        "userErrors"
    ] == []
    payload = await officer(
        api,
        DELETE,
        "deleteEmployer",
        principalNumber=LOGISTIQUE,
        deletionDate="2024-05-15",
        requestedBy="SERVICE_PROVIDER",
    )
    assert [m["reference"] for m in payload["mandates"]] == [main["reference"]]  # the replaced one had ended already
    assert ends(payload["mandates"][0]) == {"DMFA": "2/2024", "DIMONA": "2/2024", "FLEXI": "2/2024"}
    query = '{ mandate(reference: "%s") { delegations { status } } }' % main["reference"]
    clock.frozen = dt.date(2024, 6, 30)
    assert (await api(query, as_="ssa-signatory"))["data"]["mandate"]["delegations"] == [{"status": "ACTIVE"}]
    clock.frozen = dt.date(2024, 7, 1)
    assert (await api(query, as_="ssa-signatory"))["data"]["mandate"]["delegations"] == [{"status": "CANCELLED"}]


async def test_r_emp_3_a_deleted_employer_identified_again_keeps_its_closed_mandates_closed(api, clock):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["DIMONA"], "2/2024")
    await officer(
        api, DELETE, "deleteEmployer", principalNumber=LOGISTIQUE, deletionDate="2024-05-15", requestedBy="EMPLOYER"
    )
    clock.frozen = dt.date(2024, 8, 1)
    assert (await read(api, "employer-director", mandate["reference"]))["status"] == "CLOSED"
    payload = await officer(api, ASSIGN, "assignNssoNumber", principalNumber=LOGISTIQUE, nssoNumber="9539339-30")
    assert payload["userErrors"] == []
    assert payload["enterprise"]["kinds"] == ["EMPLOYER"] and payload["enterprise"]["deletedOn"] is None
    after = await read(api, "employer-director", mandate["reference"])
    assert after["status"] == "CLOSED" and ends(after) == {"DIMONA": "2/2024"}


# R-EMP-4, R-EMP-5, R-EMP-6 ---------------------------------------------------------------------


async def test_r_emp_4_the_registered_curator_signs_and_closes_for_the_bankrupt_company(api, clock):
    mandate = await created(
        api, "provider-signatory", principalNumber=BOULANGERIE, groups=["PMP"], startQuarter="2/2024"
    )
    assert (await sign(api, "provider-signatory", mandate["id"]))["userErrors"] == []
    refused = await api(
        "mutation($id: ID!) { signMandate(input: {mandateId: $id}) { userErrors { code } } }",
        {"id": mandate["id"]},
        as_="employer-manager",
        niss=CURATOR_NISS,
        name="Curator Maes",
    )
    assert codes(refused["data"]["signMandate"]) == ["NOT_ALLOWED_TO_SIGN"]  # not yet registered
    payload = await officer(
        api,
        BANKRUPTCY,
        "recordBankruptcy",
        principalNumber=BOULANGERIE,
        publishedOn="2024-05-02",
        curatorNiss=CURATOR_NISS,
        curatorName="Curator Maes",
    )
    assert payload["userErrors"] == [] and payload["mandates"] == []
    signed = await api(
        f"mutation($id: ID!) {{ signMandate(input: {{mandateId: $id}}) {{ mandate {{ {MANDATE_FIELDS} }} "
        "userErrors { code } } }",
        {"id": mandate["id"]},
        as_="employer-manager",
        niss=CURATOR_NISS,
        name="Curator Maes",
    )
    signed = signed["data"]["signMandate"]
    assert signed["userErrors"] == [] and signed["mandate"]["status"] == "ACTIVE"
    assert signed["mandate"]["signatures"][-1] == {
        "party": "PRINCIPAL",
        "method": "AUTHENTICATION",
        "signerNiss": CURATOR_NISS,
    }
    clock.frozen = dt.date(2024, 7, 10)  # month 1 of 3/2024: the principal closes with E = T-1 without formality
    closed = await api(
        CLOSE,
        {"input": {"mandateId": mandate["id"], "endQuarter": "2/2024"}},
        as_="employer-manager",
        niss=CURATOR_NISS,
    )
    closed = closed["data"]["closeMandate"]
    assert closed["userErrors"] == [] and ends(closed["mandate"]) == {"PMP": "2/2024"}
    assert closed["mandate"]["history"][-1]["actorNiss"] == CURATOR_NISS


async def test_r_emp_4_a_curator_needs_a_valid_niss_and_a_published_bankruptcy(api):
    bad = await officer(
        api,
        BANKRUPTCY,
        "recordBankruptcy",
        principalNumber=BOULANGERIE,
        publishedOn="2024-05-02",
        curatorNiss="75061512375",
        curatorName="X",
    )
    assert codes(bad) == ["INVALID_NISS"]
    ahead = await officer(
        api,
        BANKRUPTCY,
        "recordBankruptcy",
        principalNumber=BOULANGERIE,
        publishedOn="2024-05-11",
        curatorNiss=CURATOR_NISS,
        curatorName="X",
    )
    assert codes(ahead) == ["INVALID_INPUT"] and ahead["userErrors"][0]["field"] == ["publishedOn"]


async def _bankrupt(api, principal: str = BOULANGERIE) -> None:
    payload = await officer(
        api,
        BANKRUPTCY,
        "recordBankruptcy",
        principalNumber=principal,
        publishedOn="2024-05-02",
        curatorNiss=CURATOR_NISS,
        curatorName="Curator Maes",
    )
    assert payload["userErrors"] == []


async def test_r_emp_5_no_answer_closes_every_open_group_at_the_end_of_the_recording_quarter(api, clock):
    social = await active(api, BOULANGERIE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "2/2024")
    other = await active(api, BOULANGERIE, SSA, ["PMP", "SIGEDIS"], "2/2024", by="mandatary")
    await _bankrupt(api)
    clock.frozen = dt.date(2024, 8, 20)
    payload = await officer(api, ANSWER, "recordCuratorAnswer", principalNumber=BOULANGERIE, answer="NO_ANSWER")
    assert payload["userErrors"] == []
    assert sorted(m["reference"] for m in payload["mandates"]) == sorted([social["reference"], other["reference"]])
    assert ends(await read(api, "employer-manager", social["reference"])) == {
        "DMFA": "3/2024",
        "DIMONA": "3/2024",
        "FLEXI": "3/2024",
    }
    after = await read(api, "employer-manager", other["reference"])
    assert ends(after) == {"PMP": "3/2024", "SIGEDIS": "3/2024"}
    newest = after["history"][-1]
    assert newest["action"] == "CURATOR_ANSWERED" and "answered “no answer”" in newest["detail"]
    assert (await subjects(api, "ssa-signatory", other["reference"]))[
        0
    ] == f"Mandate {other['reference']}: curator answered"


async def test_r_emp_5_the_curator_asking_for_deletion_closes_the_mandates_too(api):
    mandate = await active(api, BOULANGERIE, PROVIDER, ["PMP"], "2/2024")
    await _bankrupt(api)
    payload = await officer(api, ANSWER, "recordCuratorAnswer", principalNumber=BOULANGERIE, answer="DELETE")
    assert payload["userErrors"] == []
    assert (
        ends(payload["mandates"][0]) == {"PMP": "2/2024"}
        and payload["mandates"][0]["reference"] == mandate["reference"]
    )


async def test_r_emp_5_an_answer_needs_a_recorded_bankruptcy_awaiting_it(api):
    none = await officer(api, ANSWER, "recordCuratorAnswer", principalNumber=BOULANGERIE, answer="NO_ANSWER")
    assert codes(none) == ["BANKRUPTCY_NOT_RECORDED"]
    await _bankrupt(api)
    assert (await officer(api, ANSWER, "recordCuratorAnswer", principalNumber=BOULANGERIE, answer="CONTINUE"))[
        "userErrors"
    ] == []
    twice = await officer(api, ANSWER, "recordCuratorAnswer", principalNumber=BOULANGERIE, answer="NO_ANSWER")
    assert codes(twice) == ["BANKRUPTCY_NOT_RECORDED"]


async def test_r_emp_6_the_curator_keeping_staff_leaves_the_mandates_unchanged(api):
    mandate = await active(api, BOULANGERIE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "2/2024")
    before = await read(api, "employer-manager", mandate["reference"])
    await _bankrupt(api)
    payload = await officer(api, ANSWER, "recordCuratorAnswer", principalNumber=BOULANGERIE, answer="CONTINUE")
    assert payload["userErrors"] == [] and payload["mandates"] == []
    after = await read(api, "employer-manager", mandate["reference"])
    assert after == before  # same ends (all open), status and history


# R-ANN-1, R-ANN-2 ------------------------------------------------------------------------------


async def test_r_ann_1_only_an_officer_annuls(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    for persona in ("employer-director", "provider-signatory"):
        result = await api(ANNUL, {"input": {"mandateId": mandate["id"], "reason": "Asked by e-mail"}}, as_=persona)
        assert error_codes(result) == ["FORBIDDEN"]
    assert (await read(api, "employer-director", mandate["reference"]))["status"] == "ACTIVE"


async def test_r_ann_2_annulment_cancels_keeps_the_history_and_notifies_both_parties(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["DIMONA", "PMP"], "2/2024")
    payload = await officer(
        api, ANNUL, "annulMandate", mandateId=mandate["id"], reason="Signed by a person without authority"
    )
    assert payload["userErrors"] == []
    annulled = payload["mandate"]
    assert annulled["status"] == "CANCELLED"
    assert [e["action"] for e in annulled["history"]] == ["CREATED", "SIGNED", "SIGNED", "ANNULLED"]
    assert "Signed by a person without authority" in annulled["history"][-1]["detail"]
    assert ends(annulled) == {"DIMONA": None, "PMP": None}  # kept as they were: the status says it never took effect
    subject = f"Mandate {mandate['reference']}: annulled"
    assert (await subjects(api, "employer-director", mandate["reference"]))[0] == subject
    assert (await subjects(api, "provider-signatory", mandate["reference"]))[0] == subject


async def test_r_ann_2_annulment_cancels_the_delegations_at_once_and_tells_the_delegate(api, clock):
    _, main = await replaced_history(api, clock, FULL_DMFA)
    assert (await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023"))[
        "userErrors"
    ] == []
    payload = await officer(api, ANNUL, "annulMandate", mandateId=main["id"], reason="Authorisation forged")
    assert payload["userErrors"] == [] and payload["mandate"]["delegations"] == [{"status": "CANCELLED"}]
    row = await Delegation.get(mandate__reference=main["reference"])
    assert row.status.value == "CANCELLED" and row.ended_at is not None  # written, not only read as of today
    told = {
        n["recipient"]["enterpriseNumber"]
        for n in await notifications(api, "nsso-officer")
        if n["subject"] == f"Mandate {main['reference']}: annulled"
    }
    assert told == {LOGISTIQUE, SSA, PROVIDER}


async def test_r_ann_2_an_action_in_the_mandate_period_refuses_the_annulment(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["DIMONA", "PMP"], "2/2024")
    earlier = {
        "principalNumber": LOGISTIQUE,
        "mandataryNumber": PROVIDER,
        "group": "DIMONA",
        "kind": "DIMONA",
        "performedOn": "2024-03-28",
    }
    reported = await api(RECORD_ACTION, {"input": earlier}, as_="integration-system")
    assert reported["data"]["recordAction"] == {"ok": True, "userErrors": []}
    # A Dimona before the start quarter does not bind this mandate.
    assert (await officer(api, ANNUL, "annulMandate", mandateId=mandate["id"], reason="Duplicate"))["userErrors"] == []

    second = await active(api, BOULANGERIE, PROVIDER, ["DIMONA", "PMP"], "2/2024")
    inside = {
        "principalNumber": BOULANGERIE,
        "mandataryNumber": PROVIDER,
        "group": "DIMONA",
        "kind": "DIMONA",
        "performedOn": "2024-05-02",
    }
    assert (await api(RECORD_ACTION, {"input": inside}, as_="integration-system"))["data"]["recordAction"]["ok"] is True
    refused = await officer(api, ANNUL, "annulMandate", mandateId=second["id"], reason="Duplicate")
    assert codes(refused) == ["ACTIONS_IN_PERIOD"] and refused["userErrors"][0]["field"] == ["mandateId"]
    assert (await read(api, "employer-manager", second["reference"]))["status"] == "ACTIVE"


async def test_r_ann_2_annulment_states_a_reason(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    payload = await officer(api, ANNUL, "annulMandate", mandateId=mandate["id"], reason="  ")
    assert codes(payload) == ["REASON_REQUIRED"] and payload["userErrors"][0]["field"] == ["reason"]


async def test_r_life_9_any_status_but_cancelled_is_annulled(api, clock):
    pending = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    assert (await officer(api, ANNUL, "annulMandate", mandateId=pending["id"], reason="Encoded in error"))["mandate"][
        "status"
    ] == "CANCELLED"
    again = await officer(api, ANNUL, "annulMandate", mandateId=pending["id"], reason="Encoded in error")
    assert codes(again) == ["INVALID_TRANSITION"]
    closed = await active(api, BOULANGERIE, PROVIDER, ["PMP"], "2/2024")
    assert (await api(CLOSE, {"input": {"mandateId": closed["id"], "endQuarter": "2/2024"}}, as_="employer-manager"))[
        "data"
    ]["closeMandate"]["userErrors"] == []
    clock.frozen = dt.date(2024, 7, 2)
    assert (await read(api, "employer-manager", closed["reference"]))["status"] == "CLOSED"
    assert (await officer(api, ANNUL, "annulMandate", mandateId=closed["id"], reason="Fraud"))["mandate"][
        "status"
    ] == "CANCELLED"


# R-WIDE-6, R-WIDE-2 ----------------------------------------------------------------------------


async def test_r_wide_6_the_nsso_number_turns_identification_mandates_active(api):
    mandate = await active(api, NO_STAFF, PROVIDER, ["DIMONA", "BELPARCEL"], "2/2024")
    assert mandate["status"] == "IDENTIFICATION"  # DIMONA is employer-only (R-CLU-6)
    assert await kinds(api, NO_STAFF) == ["COMPANY_WITHOUT_STAFF"]
    payload = await officer(api, ASSIGN, "assignNssoNumber", principalNumber=NO_STAFF, nssoNumber="7531240-12")
    assert payload["userErrors"] == []
    assert payload["enterprise"]["nssoNumber"] == "7531240-12" and payload["enterprise"]["kinds"] == ["EMPLOYER"]
    (identified,) = payload["mandates"]
    assert identified["reference"] == mandate["reference"] and identified["status"] == "ACTIVE"
    assert identified["history"][-1]["action"] == "EMPLOYER_IDENTIFIED"
    subject = f"Mandate {mandate['reference']}: employer identified"
    assert (await subjects(api, "company-without-staff", mandate["reference"]))[0] == subject
    assert (await subjects(api, "provider-signatory", mandate["reference"]))[0] == subject
    # The principal is now found by its NSSO number (R-ENT-5).
    assert (await api(ENTERPRISE, {"number": "7531240-12"}, as_="nsso-officer"))["data"]["enterprise"][
        "enterpriseNumber"
    ] == NO_STAFF


async def test_r_wide_6_only_officers_assign_and_only_to_a_principal_that_is_no_employer(api):
    result = await api(
        ASSIGN, {"input": {"principalNumber": NO_STAFF, "nssoNumber": "7531240-12"}}, as_="company-without-staff"
    )
    assert error_codes(result) == ["FORBIDDEN"]
    employer = await officer(api, ASSIGN, "assignNssoNumber", principalNumber=LOGISTIQUE, nssoNumber="7531240-12")
    assert codes(employer) == ["ALREADY_AN_EMPLOYER"]
    taken = await officer(
        api, ASSIGN, "assignNssoNumber", principalNumber=NO_STAFF, nssoNumber="9539339-29"
    )  # LOGISTIQUE's
    assert codes(taken) == ["INVALID_INPUT"] and taken["userErrors"][0]["field"] == ["nssoNumber"]
    cbe_like = await officer(api, ASSIGN, "assignNssoNumber", principalNumber=NO_STAFF, nssoNumber=BOULANGERIE)
    assert codes(cbe_like) == ["INVALID_INPUT"]


async def test_r_usr_6_parties_get_forbidden_on_every_employer_event(api):
    for document, fields in (
        (DELETE, {"principalNumber": LOGISTIQUE, "deletionDate": "2024-05-15", "requestedBy": "EMPLOYER"}),
        (
            BANKRUPTCY,
            {
                "principalNumber": LOGISTIQUE,
                "publishedOn": "2024-05-02",
                "curatorNiss": CURATOR_NISS,
                "curatorName": "X",
            },
        ),
        (ANSWER, {"principalNumber": LOGISTIQUE, "answer": "NO_ANSWER"}),
    ):
        assert error_codes(await api(document, {"input": fields}, as_="employer-director")) == ["FORBIDDEN"]
