"""The enterprise file through GraphQL (issue 14): its competence holders (R-USR-3 b, R-EMP-4) and its history
(R-EMP-1, R-EMP-4..6, R-WIDE-6), read by NSSO officers and the enterprise's own users only; the delegations an
enterprise gave and received (R-DEL-2, R-DEL-5) and the delegated period in the competence answer (R-COMP-6).

Today is 2024-05-10. LOGISTIQUE's demo data gives Sophie Renard the competence to sign (persona employer-competence).
"""

from __future__ import annotations

from tests.api.delegation_steps import FULL_DMFA, delegate, end_delegation, replaced_history
from tests.api.helpers import LOGISTIQUE, NO_STAFF, PROVIDER, SSA, active, niss
from tests.api.test_identification import BAU, ask_provider, assign, decide, registered, submit
from tests.conftest import token

CURATOR_NISS = "75061512374"  # fictitious, passes the NISS check
REASON = "The civil liability insurance is not proven."
FILE = """query($number: String!) { enterprise(number: $number) {
  competenceHolders { niss name curator } history { kind on at summary } } }"""
OFFICER_ACTS = {
    "deleteEmployer": (
        "mutation($input: DeleteEmployerInput!) { deleteEmployer(input: $input) { userErrors { code } } }"
    ),
    "recordBankruptcy": (
        "mutation($input: RecordBankruptcyInput!) { recordBankruptcy(input: $input) { userErrors { code } } }"
    ),
    "recordCuratorAnswer": (
        "mutation($input: RecordCuratorAnswerInput!) { recordCuratorAnswer(input: $input) { userErrors { code } } }"
    ),
    "assignNssoNumber": (
        "mutation($input: AssignNssoNumberInput!) { assignNssoNumber(input: $input) { userErrors { code } } }"
    ),
}
GIVEN = """{ delegationsGiven(first: 10) { totalCount edges { node {
  id status fromQuarter toQuarter groups { code } delegate { enterpriseNumber } mandate { reference } } } } }"""
RECEIVED = """{ delegationsReceived(first: 10) { totalCount edges { node {
  status fromQuarter toQuarter groups { code } principal { enterpriseNumber }
  mainMandatary { enterpriseNumber } } } } }"""
COMPETENT = """query($on: Date!) { competentMandataries(principalNumber: "%s", group: "DMFA", on: $on) {
  mandatary { enterpriseNumber } via delegatedFrom delegatedTo delegation { id } mandate { reference } } }""" % (
    LOGISTIQUE
)


async def file_of(api, as_: str, number: str = LOGISTIQUE, language: str = "en") -> dict:
    headers = {"Authorization": f"Bearer {token(as_)}", "Accept-Language": language}
    response = await api.raw(FILE, {"number": number}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["enterprise"]


async def act(api, mutation: str, **fields) -> None:
    result = await api(OFFICER_ACTS[mutation], {"input": fields}, as_="nsso-officer")
    assert "errors" not in result and result["data"][mutation]["userErrors"] == [], result


# R-USR-3 b, R-EMP-4: the competence holders ------------------------------------------------------------------


async def test_r_usr_3_the_competence_holders_are_shown_to_officers_and_the_enterprises_own_users_only(api, clock):
    await active(api, LOGISTIQUE, PROVIDER, ["DIMONA"], "2/2024")  # PROVIDER is LOGISTIQUE's mandatary
    sophie = {"niss": niss("employer-competence"), "name": "Sophie Renard", "curator": False}
    assert (await file_of(api, "nsso-officer"))["competenceHolders"] == [sophie]
    assert (await file_of(api, "employer-consult"))["competenceHolders"] == [sophie]
    # Its mandatary, and an integration: people are not the CBE's public data.
    for outsider in ("provider-signatory", "integration-system"):
        assert await file_of(api, outsider) == {"competenceHolders": None, "history": None}


async def test_r_emp_4_the_curator_joins_the_competence_holders_and_the_history_tells_the_bankruptcy(api, clock):
    await act(
        api,
        "recordBankruptcy",
        principalNumber=LOGISTIQUE,
        publishedOn="2024-05-02",
        curatorNiss=CURATOR_NISS,
        curatorName="Maître Anne Curat",
    )
    await act(api, "recordCuratorAnswer", principalNumber=LOGISTIQUE, answer="CONTINUE")
    seen = await file_of(api, "employer-director")
    assert {"niss": CURATOR_NISS, "name": "Maître Anne Curat", "curator": True} in seen["competenceHolders"]
    # Newest first; the answer keeps only its day, so it comes after the day's recorded acts.
    assert [(e["kind"], e["on"]) for e in seen["history"]] == [
        ("CURATOR_ANSWERED", "2024-05-10"),
        ("BANKRUPTCY_RECORDED", "2024-05-10"),
    ]
    answered, recorded = (e["summary"] for e in seen["history"])
    assert answered == "The curator (Maître Anne Curat) answered: continue the activity."
    assert recorded == "The NSSO recorded the bankruptcy published on 2 May 2024; curator: Maître Anne Curat."
    assert seen["history"][0]["at"] is None and seen["history"][1]["at"].startswith("2024-05-10T")


# R-EMP-1, R-WIDE-6: the history, newest first, in the reader's language ---------------------------------------


async def test_r_emp_1_the_history_tells_the_deletion_and_the_new_nsso_number_newest_first_in_the_readers_language(
    api, clock
):
    assert (await file_of(api, "nsso-officer"))["history"] == []
    await act(api, "deleteEmployer", principalNumber=LOGISTIQUE, deletionDate="2024-05-15", requestedBy="EMPLOYER")
    await act(api, "assignNssoNumber", principalNumber=LOGISTIQUE, nssoNumber="9539339-30")
    history = (await file_of(api, "employer-director", language="fr"))["history"]
    assert [e["kind"] for e in history] == ["NSSO_NUMBER_ASSIGNED", "EMPLOYER_DELETED"]
    assert [e["summary"] for e in history] == [
        "L’ONSS a attribué le numéro ONSS 9539339-30.",
        "L’ONSS a supprimé l’identification comme employeur au 15 mai 2024, à la demande de l’employeur.",
    ]
    assert (await file_of(api, "nsso-officer", language="nl"))["history"][0]["summary"] == (
        "De RSZ kende het RSZ-nummer 9539339-30 toe."
    )


# R-DEL-2, R-DEL-5: delegations given and received --------------------------------------------------------------


async def test_r_del_2_the_main_mandatary_lists_the_delegations_it_gave_and_the_delegate_those_it_received(api, clock):
    _, main = await replaced_history(api, clock, FULL_DMFA)
    payload = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023")
    given = (await api(GIVEN, as_="ssa-signatory"))["data"]["delegationsGiven"]
    assert given["totalCount"] == 1
    assert given["edges"][0]["node"] == {
        "id": payload["delegation"]["id"],
        "status": "ACTIVE",
        "fromQuarter": "1/2023",
        "toQuarter": "4/2023",
        "groups": [{"code": "DMFA"}],
        "delegate": {"enterpriseNumber": PROVIDER},
        "mandate": {"reference": main["reference"]},
    }
    # The delegate reads its delegation's terms, for whom and from whom, not the main mandate.
    received = (await api(RECEIVED, as_="provider-signatory"))["data"]["delegationsReceived"]
    assert received["edges"] == [
        {
            "node": {
                "status": "ACTIVE",
                "fromQuarter": "1/2023",
                "toQuarter": "4/2023",
                "groups": [{"code": "DMFA"}],
                "principal": {"enterpriseNumber": LOGISTIQUE},
                "mainMandatary": {"enterpriseNumber": SSA},
            }
        }
    ]
    # Each side lists only its own: the delegate gave none, the main mandatary received none, the principal neither.
    for persona, document, field in [
        ("provider-signatory", GIVEN, "delegationsGiven"),
        ("ssa-signatory", RECEIVED, "delegationsReceived"),
        ("employer-director", GIVEN, "delegationsGiven"),
        ("employer-director", RECEIVED, "delegationsReceived"),
        ("nsso-officer", RECEIVED, "delegationsReceived"),
    ]:
        assert (await api(document, as_=persona))["data"][field] == {"totalCount": 0, "edges": []}, persona
    # Ended by the main mandatary: both lists say so (R-DEL-5).
    assert (await end_delegation(api, "ssa-signatory", payload["delegation"]["id"]))["userErrors"] == []
    given = (await api(GIVEN, as_="ssa-signatory"))["data"]["delegationsGiven"]
    received = (await api(RECEIVED, as_="provider-signatory"))["data"]["delegationsReceived"]
    assert given["edges"][0]["node"]["status"] == received["edges"][0]["node"]["status"] == "CANCELLED"


async def test_r_del_2_the_lists_are_paged_newest_first(api, clock):
    _, main = await replaced_history(api, clock, FULL_DMFA)
    older = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "2/2023")
    newer = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DIMONA"], "3/2023", "4/2023")
    page = "query($after: String) { delegationsGiven(first: 1, after: $after) { totalCount pageInfo { hasNextPage "
    page += "endCursor } edges { node { id } } } }"
    first = (await api(page, as_="ssa-signatory"))["data"]["delegationsGiven"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"]
    assert first["edges"] == [{"node": {"id": newer["delegation"]["id"]}}]
    after = first["pageInfo"]["endCursor"]
    second = (await api(page, {"after": after}, as_="ssa-signatory"))["data"]["delegationsGiven"]
    assert second["edges"] == [{"node": {"id": older["delegation"]["id"]}}] and not second["pageInfo"]["hasNextPage"]


# R-COMP-6: the delegate is told the delegated period --------------------------------------------------------------


async def test_r_comp_6_the_competence_answer_gives_the_delegated_period_to_the_delegate_too(api, clock):
    _, main = await replaced_history(api, clock, FULL_DMFA)
    payload = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023")
    for persona, sees_delegation in [("provider-signatory", False), ("ssa-signatory", True), ("nsso-officer", True)]:
        result = await api(COMPETENT, {"on": "2023-08-01"}, as_=persona)
        assert "errors" not in result, result
        (via_delegation,) = [c for c in result["data"]["competentMandataries"] if c["via"] == "DELEGATION"]
        assert via_delegation["mandatary"] == {"enterpriseNumber": PROVIDER}
        assert (via_delegation["delegatedFrom"], via_delegation["delegatedTo"]) == ("1/2023", "4/2023"), persona
        # The delegation node and its main mandate only to the main mandate's parties and officers (R-DEL-2).
        expected = {"id": payload["delegation"]["id"]} if sees_delegation else None
        assert via_delegation["delegation"] == expected, persona
    answers = (await api(COMPETENT, {"on": "2023-08-01"}, as_="ssa-signatory"))["data"]["competentMandataries"]
    assert all(c["delegatedFrom"] is None for c in answers if c["via"] != "DELEGATION")


# R-FOR-2, R-SPID-2, R-WIDE-6: the requests about the enterprise and the NSSO's decisions ---------------------------


async def test_r_for_2_the_history_tells_the_foreign_entitys_registration_and_the_documents_checked(api):
    await registered(api)
    (event,) = (await file_of(api, "nsso-officer", number=BAU))["history"]
    assert event["kind"] == "FOREIGN_ENTITY_REGISTERED"
    assert event["summary"].startswith("The NSSO registered the foreign entity after checking: the company’s data")
    assert "a colour copy of the legal representative’s identity document" in event["summary"]


async def test_r_spid_2_the_history_tells_the_providers_request_and_the_officers_refusal_with_its_reason(api):
    request = (await ask_provider(api, "company-without-staff"))["request"]
    await decide(api, request["id"], "REFUSE", REASON)
    history = (await file_of(api, "company-without-staff", number=NO_STAFF))["history"]
    assert [(e["kind"], e["summary"]) for e in history] == [
        (
            "PROVIDER_REQUEST_REFUSED",
            "The NSSO refused to register the company as a service provider: " + REASON,
        ),
        ("PROVIDER_REQUEST_SUBMITTED", "The company asked to be registered as a service provider."),
    ]


async def test_r_wide_6_the_history_tells_the_employers_own_identification_request_and_its_conclusion(api):
    assert (await submit(api, "company-without-staff", NO_STAFF))["userErrors"] == []
    assert (await assign(api, NO_STAFF, "7531240-12"))["userErrors"] == []
    history = (await file_of(api, "company-without-staff", number=NO_STAFF))["history"]
    assert [(e["kind"], e["summary"]) for e in history] == [
        ("NSSO_NUMBER_ASSIGNED", "The NSSO assigned the NSSO number 7531240-12."),
        ("IDENTIFICATION_DONE", "The identification request was concluded with the NSSO number."),
        ("IDENTIFICATION_REQUESTED", "An identification request as an employer was filed by the employer itself."),
    ]
