"""Identification requests and foreign entities registered by the NSSO, through GraphQL (RULES.md §20,
§21, §22): R-SPID-1, R-SPID-2, R-SPID-3, R-USR-5, R-WIDE-1..6, R-FOR-1..5, R-ENT-11, R-ENT-12, R-PAP-4,
R-NOT-4. Today is 2024-05-10 (month 2 of 2/2024).
"""

from __future__ import annotations

import json

from config.demo import DEMO_DIR
from models.tables import ForeignEntityDocument
from resolvers.reference_data import load_reference
from tests.api.authorisation_steps import accept, issued_pdf, request, review, upload
from tests.api.helpers import (
    BOULANGERIE,
    FOREIGN,
    LOGISTIQUE,
    MANDATE_FIELDS,
    NO_STAFF,
    PROVIDER,
    PROVIDER2,
    SSA,
    SSA_NUMBER,
    codes,
    create,
    created,
    error_codes,
    niss,
    notifications,
    read,
    sign,
)
from tests.conftest import token
from tests.documents.test_documents import pdftotext

OFFICER = "nsso-officer"
EVERY_CONDITION = [
    "TECHNICAL_ABILITY",
    "CIVIL_LIABILITY_INSURANCE",
    "NO_NSSO_DEBTS",
    "FOLLOWS_INSTRUCTIONS",
    "INSPECTOR_ACCESS",
    "TIMELY_REPORTING",
    "QUALITY_BAROMETER",
]
NO_STAFF_MANAGER = niss("company-without-staff")
PROVIDER_SIGNATORY = niss("provider-signatory")

PROVIDER_REQUEST = "request { id status applicantNiss declarations reason enterprise { enterpriseNumber kinds } }"
REQUEST_PROVIDER = f"""
mutation($input: RequestProviderIdentificationInput!) {{
  requestProviderIdentification(input: $input) {{ {PROVIDER_REQUEST} userErrors {{ code field message rules }} }}
}}"""
DECIDE_PROVIDER = f"""
mutation($input: DecideProviderIdentificationInput!) {{
  decideProviderIdentification(input: $input) {{ {PROVIDER_REQUEST} userErrors {{ code field message rules }} }}
}}"""
PROVIDER_QUEUE = """
query($statuses: [ProviderRequestStatus!]) { providerIdentificationRequests(statuses: $statuses) {
  totalCount edges { node { id status enterprise { enterpriseNumber } } }
} }"""
EMPLOYER_REQUEST = (
    "request { id status blockedReason doneAt principal { enterpriseNumber } provider { enterpriseNumber } mandate { "
    "reference } }"
)
SUBMIT_EMPLOYER = f"""
mutation($input: SubmitEmployerIdentificationInput!) {{
  submitEmployerIdentification(input: $input) {{ {EMPLOYER_REQUEST} userErrors {{ code field message rules }} }}
}}"""
EMPLOYER_QUEUE = """
query($statuses: [IdentificationStatus!]) { employerIdentificationRequests(statuses: $statuses) {
  totalCount edges { node { status blockedReason principal { enterpriseNumber } provider { enterpriseNumber } mandate
    { reference } } }
} }"""
ASSIGN = """
mutation($input: AssignNssoNumberInput!) { assignNssoNumber(input: $input) {
  enterprise { nssoNumber kinds } mandates { reference status } userErrors { code field message rules }
} }"""
REGISTER = f"""
mutation($input: RegisterForeignEntityInput!) {{
  registerForeignEntity(input: $input) {{
    enterprise {{ enterpriseNumber name knownInCbe kinds address representatives {{ niss name functionCode canSign }} }}
    mandate {{ {MANDATE_FIELDS} }}
    userErrors {{ code field message rules }}
  }}
}}"""
ENTERPRISE = "query($number: String!) { enterprise(number: $number) { enterpriseNumber ssaNumber kinds knownInCbe } }"

# A foreign company registered by the officer (numbers fictitious, passing their checks).
BAU = "0712.345.630"
BIS = "85273000106"  # the bis number NSSO created for its representative: born 1985-07-30, month + 20
DOCUMENTS = {
    "COMPANY_DATA": ("statuten.pdf", b"%PDF-1.4 company data with the current address"),
    "REPRESENTATIVE_DESIGNATION": ("bestellung.pdf", b"%PDF-1.4 designation of the legal representative"),
    "IDENTITY_COPY": ("ausweis-farbe.jpg", b"\xff\xd8\xff colour copy of the identity card"),
    "SIGNED_AUTHORISATION": ("vollmacht-scan.pdf", b"%PDF-1.4 authorisation signed by hand by both"),
}
# Neither CBE nor NSSO number: an association unknown in the CBE, loaded as reference data.
UNIDENTIFIED = "0765.432.146"
UNIDENTIFIED_HEAD = "85073000160"


# --- steps ----------------------------------------------------------------------------------------


async def ask_provider(api, as_: str, declarations=EVERY_CONDITION, **claims) -> dict:
    result = await api(REQUEST_PROVIDER, {"input": {"declarations": declarations}}, as_=as_, **claims)
    assert "errors" not in result, result
    return result["data"]["requestProviderIdentification"]


async def decide(api, request_id: str, decision: str, reason: str | None = None) -> dict:
    result = await api(
        DECIDE_PROVIDER, {"input": {"requestId": request_id, "decision": decision, "reason": reason}}, as_=OFFICER
    )
    assert "errors" not in result, result
    return result["data"]["decideProviderIdentification"]


async def provider_queue(api, statuses=None) -> list[tuple[str, str]]:
    result = await api(PROVIDER_QUEUE, {"statuses": statuses}, as_=OFFICER)
    assert "errors" not in result, result
    return [
        (e["node"]["enterprise"]["enterpriseNumber"], e["node"]["status"])
        for e in result["data"]["providerIdentificationRequests"]["edges"]
    ]


async def submit(api, as_: str, principal: str, mandate_id: str | None = None, **claims) -> dict:
    result = await api(
        SUBMIT_EMPLOYER, {"input": {"principalNumber": principal, "mandateId": mandate_id}}, as_=as_, **claims
    )
    assert "errors" not in result, result
    return result["data"]["submitEmployerIdentification"]


async def employer_queue(api, statuses=None) -> list[dict]:
    result = await api(EMPLOYER_QUEUE, {"statuses": statuses}, as_=OFFICER)
    assert "errors" not in result, result
    return [e["node"] for e in result["data"]["employerIdentificationRequests"]["edges"]]


async def assign(api, principal: str, nsso_number: str) -> dict:
    result = await api(ASSIGN, {"input": {"principalNumber": principal, "nssoNumber": nsso_number}}, as_=OFFICER)
    assert "errors" not in result, result
    return result["data"]["assignNssoNumber"]


async def enterprise(api, number: str) -> dict | None:
    result = await api(ENTERPRISE, {"number": number}, as_=OFFICER)
    assert "errors" not in result, result
    return result["data"]["enterprise"]


async def scanned(api, as_: str, mandate_id: str) -> dict:
    """The handwritten authorisation, printed, signed and scanned (stand-in: the issued PDF itself), uploaded."""
    scan = await issued_pdf(api, as_, mandate_id, method="HANDWRITTEN")
    payload = await upload(api, as_, mandate_id, scan)
    assert payload["userErrors"] == [], payload["userErrors"]
    assert payload["mandate"]["status"] == "TO_BE_VALIDATED"
    return payload["mandate"]


def registration(**overrides) -> dict:
    return {
        "enterpriseNumber": BAU,
        "name": "Demo Holzbau Bayern GmbH",
        "address": "Hauptstraße 5, 80331 München, Deutschland",
        "legalForm": "030",
        "activeFrom": "2024-01-01",
        "representative": {"niss": BIS, "name": "Anna Huber", "functionCode": "10007"},
        "mandataryNumber": PROVIDER,
        "mandatarySignerNiss": PROVIDER_SIGNATORY,
        "groups": ["WORKS_DECLARATIONS"],
        "startQuarter": "2/2024",
        **overrides,
    }


async def register(api, fields: dict, documents: dict = DOCUMENTS, as_: str = OFFICER) -> dict:
    """registerForeignEntity as a GraphQL multipart request: one file per document."""
    kinds = list(documents)
    operations = {
        "query": REGISTER,
        "variables": {"input": {**fields, "documents": [{"kind": kind, "file": None} for kind in kinds]}},
    }
    response = await api.client.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({str(i): [f"variables.input.documents.{i}.file"] for i in range(len(kinds))}),
        },
        files={str(i): documents[kind] for i, kind in enumerate(kinds)},
        headers={"Authorization": f"Bearer {token(as_)}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


async def registered(api, **overrides) -> dict:
    result = await register(api, registration(**overrides))
    assert "errors" not in result, result
    payload = result["data"]["registerForeignEntity"]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


async def load_unidentified() -> None:
    """An association unknown in the CBE with no NSSO number (R-WIDE-5)."""
    await load_reference(
        json.dumps(
            {
                "enterprises": [
                    {
                        "enterpriseNumber": UNIDENTIFIED,
                        "name": "Demo Verein ohne Rechtspersönlichkeit",
                        "legalForm": "030",
                        "kinds": ["COMPANY_WITHOUT_STAFF"],
                        "activeFrom": "2020-01-01",
                        "knownInCbe": False,
                        "knownInUserManagement": False,
                        "representatives": [
                            {"niss": UNIDENTIFIED_HEAD, "name": "Jonas Weber", "functionCode": "10007"}
                        ],
                    }
                ]
            }
        )
    )


# --- §22 Service-provider identification request --------------------------------------------------


async def test_r_spid_1_a_person_who_is_no_representative_gets_forbidden(api):
    """A competence holder and a plain manager are no CBE representatives; a consult user manages nothing (R-USR-2)."""
    for persona in ("employer-competence", "employer-employee", "employer-consult"):
        result = await api(REQUEST_PROVIDER, {"input": {"declarations": EVERY_CONDITION}}, as_=persona)
        assert error_codes(result) == ["FORBIDDEN"], persona
    assert await provider_queue(api) == []


async def test_r_usr_5_any_cbe_representative_files_the_identification_request(api):
    """The auditor's function (10009) may not sign for the SA, yet he is a CBE representative."""
    payload = await ask_provider(api, "employer-auditor")
    assert payload["userErrors"] == []
    assert payload["request"]["status"] == "SUBMITTED"
    assert payload["request"]["applicantNiss"] == niss("employer-auditor")
    assert payload["request"]["declarations"] == sorted(EVERY_CONDITION)
    assert await provider_queue(api) == [(LOGISTIQUE, "SUBMITTED")]


async def test_r_spid_2_approved_by_the_officer_the_company_can_be_named_as_mandatary(api):
    """R-ENT-12: before the approval, NOT_A_SERVICE_PROVIDER; after it, the mandate is created."""
    before = await create(api, "employer-director", mandataryNumber=BOULANGERIE, groups=["PMP"], startQuarter="3/2024")
    assert codes(before) == ["NOT_A_SERVICE_PROVIDER"]
    asked = await ask_provider(api, "employer-manager")
    assert asked["userErrors"] == []
    request_id = asked["request"]["id"]
    payload = await decide(api, request_id, "APPROVE")
    assert payload["userErrors"] == []
    assert payload["request"]["status"] == "APPROVED"
    assert payload["request"]["enterprise"]["kinds"] == ["EMPLOYER", "SERVICE_PROVIDER"]
    mandate = await created(
        api, "employer-director", mandataryNumber=BOULANGERIE, groups=["PMP"], startQuarter="3/2024"
    )
    assert mandate["mandatary"]["enterpriseNumber"] == BOULANGERIE
    (told,) = [n for n in await notifications(api, "employer-manager") if n["mandate"] is None]
    assert (told["channel"], told["subject"]) == ("EBOX", "Registered as a service provider")
    assert await provider_queue(api) == []
    assert await provider_queue(api, ["APPROVED"]) == [(BOULANGERIE, "APPROVED")]
    assert codes(await decide(api, request_id, "REFUSE", "Changed my mind")) == ["INVALID_TRANSITION"]
    assert codes(await ask_provider(api, "employer-manager")) == ["ALREADY_A_SERVICE_PROVIDER"]


async def test_r_spid_2_a_refusal_states_its_reason_and_the_company_stays_no_provider(api):
    request_id = (await ask_provider(api, "coop-managing-director"))["request"]["id"]
    no_reason = await decide(api, request_id, "REFUSE")
    assert codes(no_reason) == ["REASON_REQUIRED"] and no_reason["userErrors"][0]["field"] == ["reason"]
    payload = await decide(api, request_id, "REFUSE", "No civil-liability insurance certificate")
    assert (payload["request"]["status"], payload["request"]["reason"]) == (
        "REFUSED",
        "No civil-liability insurance certificate",
    )
    assert "SERVICE_PROVIDER" not in payload["request"]["enterprise"]["kinds"]
    (told,) = [n for n in await notifications(api, "coop-managing-director") if n["mandate"] is None]
    assert "No civil-liability insurance certificate" in told["body"]
    refused = await create(
        api, "employer-director", mandataryNumber="0538.038.016", groups=["PMP"], startQuarter="3/2024"
    )
    assert codes(refused) == ["NOT_A_SERVICE_PROVIDER"]
    # A refused company may ask again.
    assert (await ask_provider(api, "coop-managing-director"))["request"]["status"] == "SUBMITTED"


async def test_r_spid_2_the_request_declares_every_condition_and_is_filed_once(api):
    missing = await ask_provider(api, "employer-director", [c for c in EVERY_CONDITION if c != "NO_NSSO_DEBTS"])
    assert codes(missing) == ["CONDITION_NOT_DECLARED"]
    assert missing["userErrors"][0]["field"] == ["declarations", "NO_NSSO_DEBTS"]
    assert (await ask_provider(api, "employer-director"))["userErrors"] == []
    assert codes(await ask_provider(api, "employer-auditor")) == ["DUPLICATE_REQUEST"]
    assert await provider_queue(api) == [(LOGISTIQUE, "SUBMITTED")]


async def test_r_spid_2_only_officers_list_and_decide(api):
    request_id = (await ask_provider(api, "employer-director"))["request"]["id"]
    assert error_codes(await api(PROVIDER_QUEUE, as_="employer-director")) == ["FORBIDDEN"]
    result = await api(
        DECIDE_PROVIDER, {"input": {"requestId": request_id, "decision": "APPROVE"}}, as_="employer-director"
    )
    assert error_codes(result) == ["FORBIDDEN"]
    assert await provider_queue(api) == [(LOGISTIQUE, "SUBMITTED")]


async def test_r_spid_3_an_ssa_is_entered_by_the_nsso_not_through_the_request(api):
    ssa = await enterprise(api, SSA_NUMBER)
    assert (ssa["enterpriseNumber"], ssa["ssaNumber"], ssa["kinds"]) == (
        SSA,
        SSA_NUMBER,
        ["COMPANY_WITHOUT_STAFF", "SOCIAL_SECRETARIAT"],
    )
    assert codes(await ask_provider(api, "ssa-signatory")) == ["ALREADY_A_SERVICE_PROVIDER"]


# --- §20 Employer identification request (WIDE) ---------------------------------------------------


async def test_r_wide_1_a_pending_dimona_mandate_is_not_enough_an_identification_one_is(api):
    mandate = await created(
        api, "provider-signatory", principalNumber=NO_STAFF, groups=["DIMONA"], startQuarter="2/2024"
    )
    assert (await sign(api, "provider-signatory", mandate["id"]))["mandate"]["status"] == "PENDING"
    refused = await submit(api, "provider-signatory", NO_STAFF)
    assert codes(refused) == ["VALIDATED_MANDATE_REQUIRED"] and "R-WIDE-1" in refused["userErrors"][0]["rules"]
    assert codes(await submit(api, "provider-signatory", NO_STAFF, mandate["id"])) == ["VALIDATED_MANDATE_REQUIRED"]
    assert (await sign(api, "company-without-staff", mandate["id"]))["mandate"]["status"] == "IDENTIFICATION"
    payload = await submit(api, "provider-signatory", NO_STAFF)
    assert payload["userErrors"] == []
    assert payload["request"]["status"] == "SUBMITTED"
    assert payload["request"]["provider"]["enterpriseNumber"] == PROVIDER
    assert payload["request"]["mandate"]["reference"] == mandate["reference"]
    assert codes(await submit(api, "provider-signatory", NO_STAFF)) == ["DUPLICATE_REQUEST"]


async def test_r_wide_1_a_mandate_without_dimona_or_of_another_provider_does_not_count(api):
    pmp = await created(api, "provider-signatory", principalNumber=NO_STAFF, groups=["PMP"], startQuarter="2/2024")
    await sign(api, "provider-signatory", pmp["id"])
    assert (await sign(api, "company-without-staff", pmp["id"]))["mandate"]["status"] == "ACTIVE"
    assert codes(await submit(api, "provider-signatory", NO_STAFF)) == ["VALIDATED_MANDATE_REQUIRED"]
    dimona = await created(
        api, "provider-signatory", principalNumber=NO_STAFF, groups=["DIMONA"], startQuarter="2/2024"
    )
    await sign(api, "provider-signatory", dimona["id"])
    await sign(api, "company-without-staff", dimona["id"])
    # PROVIDER2 holds no mandate: PROVIDER's mandate does not let it file.
    assert codes(await submit(api, "provider2-signatory", NO_STAFF)) == ["VALIDATED_MANDATE_REQUIRED"]
    assert codes(await submit(api, "provider2-signatory", NO_STAFF, dimona["id"])) == ["NOT_FOUND"]
    # An enterprise that is neither the principal nor a provider files nothing for it.
    assert codes(await submit(api, "employer-director", NO_STAFF)) == ["NOT_A_SERVICE_PROVIDER"]
    assert await employer_queue(api) == []


async def test_r_wide_1_the_employer_may_still_file_its_own_request(api):
    payload = await submit(api, "company-without-staff", NO_STAFF)
    assert payload["userErrors"] == []
    assert (payload["request"]["status"], payload["request"]["provider"], payload["request"]["mandate"]) == (
        "SUBMITTED",
        None,
        None,
    )
    assert codes(await submit(api, "company-without-staff", NO_STAFF)) == ["DUPLICATE_REQUEST"]
    # An NSSO employer needs no identification.
    assert codes(await submit(api, "employer-director", LOGISTIQUE)) == ["ALREADY_AN_EMPLOYER"]
    assert error_codes(
        await api(SUBMIT_EMPLOYER, {"input": {"principalNumber": NO_STAFF}}, as_="employer-consult")
    ) == ["FORBIDDEN"]


async def test_r_wide_2_a_scan_goes_with_the_request_then_identification_then_active(api):
    """R-WIDE-6: accepted while the principal has no NSSO number, the mandate is IDENTIFICATION; the
    number makes it ACTIVE and the request DONE."""
    mandate = await created(
        api, "provider-signatory", principalNumber=NO_STAFF, groups=["DIMONA", "PMP"], startQuarter="2/2024"
    )
    await scanned(api, "provider-signatory", mandate["id"])
    payload = await submit(api, "provider-signatory", NO_STAFF)
    assert payload["userErrors"] == []
    assert payload["request"]["mandate"]["reference"] == mandate["reference"]
    accepted = await accept(api, mandate["id"], principal=NO_STAFF_MANAGER)
    assert accepted["mandate"]["status"] == "IDENTIFICATION"
    identified = await assign(api, NO_STAFF, "7531240-12")
    assert identified["userErrors"] == []
    assert identified["mandates"] == [{"reference": mandate["reference"], "status": "ACTIVE"}]
    assert await employer_queue(api) == []
    (done,) = await employer_queue(api, ["DONE"])
    assert done["mandate"]["reference"] == mandate["reference"]


async def test_r_wide_3_a_refused_authorisation_blocks_the_request_until_its_replacement_is_accepted(api):
    """R-PAP-4: the corrected scan brings the mandate back to TO_BE_VALIDATED; the request stays blocked until
    ACCEPT."""
    mandate = await created(
        api, "provider-signatory", principalNumber=NO_STAFF, groups=["DIMONA"], startQuarter="2/2024"
    )
    await scanned(api, "provider-signatory", mandate["id"])
    assert (await submit(api, "provider-signatory", NO_STAFF))["userErrors"] == []
    assert (await review(api, mandate["id"], "REJECT", reason="Signature of the company missing"))["mandate"][
        "status"
    ] == "REJECTED"
    (blocked,) = await employer_queue(api)
    assert (blocked["status"], blocked["blockedReason"]) == ("BLOCKED", "Signature of the company missing")
    refused = await assign(api, NO_STAFF, "7531240-12")
    assert codes(refused) == ["IDENTIFICATION_BLOCKED"]
    assert (await enterprise(api, NO_STAFF))["kinds"] == ["COMPANY_WITHOUT_STAFF"]
    # The provider is told of both the refusal and the blocking: in its e-Box (R-NOT-2) and by e-mail (R-NOT-4).
    told = [
        n
        for n in await notifications(api, "provider-signatory")
        if n["mandate"]["reference"] == mandate["reference"] and n["channel"] in ("EBOX", "EMAIL")
    ]
    latest = {n["channel"]: n for n in reversed(told)}
    for channel in ("EBOX", "EMAIL"):
        body = latest[channel]["body"]
        assert "Signature of the company missing" in body and "identification request" in body and "blocked" in body, (
            channel
        )
    # Filing again on the same mandate does not unblock it.
    assert codes(await submit(api, "provider-signatory", NO_STAFF)) == ["VALIDATED_MANDATE_REQUIRED"]
    assert codes(await submit(api, "provider-signatory", NO_STAFF, mandate["id"])) == ["VALIDATED_MANDATE_REQUIRED"]
    await scanned(api, "provider-signatory", mandate["id"])  # the replacement authorisation
    assert [r["status"] for r in await employer_queue(api)] == ["BLOCKED"]
    assert codes(await submit(api, "provider-signatory", NO_STAFF, mandate["id"])) == ["IDENTIFICATION_BLOCKED"]
    assert codes(await assign(api, NO_STAFF, "7531240-12")) == ["IDENTIFICATION_BLOCKED"]
    assert (await accept(api, mandate["id"], principal=NO_STAFF_MANAGER))["mandate"]["status"] == "IDENTIFICATION"
    (unblocked,) = await employer_queue(api)
    assert (unblocked["status"], unblocked["blockedReason"]) == ("SUBMITTED", None)
    identified = await assign(api, NO_STAFF, "7531240-12")
    assert identified["userErrors"] == [] and identified["mandates"] == [
        {"reference": mandate["reference"], "status": "ACTIVE"}
    ]


async def test_r_wide_3_a_blocked_request_is_re_linked_to_a_new_mandate(api):
    """R-PAP-4, R-PAP-5: the refused mandate changed nothing to re-open; the provider files under a new, validated
    mandate."""
    refused = await created(
        api, "provider-signatory", principalNumber=NO_STAFF, groups=["DIMONA"], startQuarter="2/2024"
    )
    await scanned(api, "provider-signatory", refused["id"])
    await submit(api, "provider-signatory", NO_STAFF)
    await review(api, refused["id"], "REJECT", reason="Wrong company")
    fresh = await created(api, "provider-signatory", principalNumber=NO_STAFF, groups=["DIMONA"], startQuarter="2/2024")
    assert codes(await sign(api, "provider-signatory", fresh["id"])) == []
    assert (await sign(api, "company-without-staff", fresh["id"]))["mandate"]["status"] == "IDENTIFICATION"
    payload = await submit(api, "provider-signatory", NO_STAFF, fresh["id"])
    assert payload["userErrors"] == []
    assert (payload["request"]["status"], payload["request"]["mandate"]["reference"]) == (
        "SUBMITTED",
        fresh["reference"],
    )
    assert len(await employer_queue(api)) == 1
    assert (await assign(api, NO_STAFF, "7531240-12"))["userErrors"] == []


async def test_r_wide_4_with_the_tolerance_closed_a_scan_counts_only_for_a_principal_unknown_in_the_cbe(
    api, closed_tolerance
):
    # Known in the CBE: the scan uploaded during the tolerance no longer supports the request.
    known = await created(api, "provider-signatory", principalNumber=NO_STAFF, groups=["DIMONA"], startQuarter="2/2024")
    await scanned(api, "provider-signatory", known["id"])
    assert codes(await submit(closed_tolerance, "provider-signatory", NO_STAFF)) == ["PAPER_NOT_ALLOWED"]
    # Unknown in the CBE (registered by the NSSO, no NSSO number): paper is still accepted.
    await registered(api)
    foreign = await created(
        closed_tolerance, "provider-signatory", principalNumber=BAU, groups=["DIMONA"], startQuarter="3/2024"
    )
    await scanned(closed_tolerance, "provider-signatory", foreign["id"])
    payload = await submit(closed_tolerance, "provider-signatory", BAU)
    assert payload["userErrors"] == []
    assert (payload["request"]["status"], payload["request"]["mandate"]["reference"]) == (
        "SUBMITTED",
        foreign["reference"],
    )


async def test_r_wide_5_a_principal_with_neither_cbe_nor_nsso_number_needs_an_identification_request(api):
    await load_unidentified()
    refused = await create(
        api, "provider-signatory", principalNumber=UNIDENTIFIED, groups=["PMP"], startQuarter="3/2024"
    )
    assert codes(refused) == ["ENTERPRISE_NOT_FOUND"] and "R-WIDE-5" in refused["userErrors"][0]["rules"]
    # Its head files the employer's own identification request; the mandate is then linked to it.
    own = await submit(api, "company-without-staff", UNIDENTIFIED, enterprise=UNIDENTIFIED, niss=UNIDENTIFIED_HEAD)
    assert own["userErrors"] == []
    mandate = await created(
        api, "provider-signatory", principalNumber=UNIDENTIFIED, groups=["PMP"], startQuarter="3/2024"
    )
    assert mandate["status"] == "TO_BE_FINALISED"


async def test_r_wide_6_the_identification_request_ends_with_the_nsso_number(api):
    """The definitive number closes the principal's open requests (DONE)."""
    await submit(api, "company-without-staff", NO_STAFF)
    assert (await assign(api, NO_STAFF, "7531240-12"))["userErrors"] == []
    (done,) = await employer_queue(api, ["DONE"])
    assert done["principal"]["enterpriseNumber"] == NO_STAFF
    assert await employer_queue(api) == []
    assert codes(await submit(api, "company-without-staff", NO_STAFF)) == ["ALREADY_AN_EMPLOYER"]


async def test_r_wide_1_only_officers_list_the_identification_requests(api):
    assert error_codes(await api(EMPLOYER_QUEUE, as_="provider-signatory")) == ["FORBIDDEN"]


# --- §21 Foreign entities registered by the NSSO --------------------------------------------------


async def test_r_for_1_belparcel_for_a_foreign_company_unknown_in_the_cbe_goes_through_the_officer(api):
    refused = await create(
        api, "provider-signatory", principalNumber=FOREIGN, groups=["BELPARCEL"], startQuarter="3/2024"
    )
    assert codes(refused) == ["ENTERPRISE_NOT_FOUND"] and "R-FOR-1" in refused["userErrors"][0]["rules"]


async def test_r_for_2_a_registration_without_the_identity_copy_is_refused_naming_it(api):
    documents = {kind: file for kind, file in DOCUMENTS.items() if kind != "IDENTITY_COPY"}
    payload = (await register(api, registration(), documents))["data"]["registerForeignEntity"]
    assert codes(payload) == ["DOCUMENT_MISSING"]
    assert payload["userErrors"][0]["field"] == ["documents", "IDENTITY_COPY"]
    assert "colour copy of the legal representative’s identity document" in payload["userErrors"][0]["message"]
    assert payload["enterprise"] is None and await enterprise(api, BAU) is None
    # An empty file is no document either.
    empty = {**DOCUMENTS, "COMPANY_DATA": ("statuten.pdf", b"")}
    assert (await register(api, registration(), empty))["data"]["registerForeignEntity"]["userErrors"][0]["field"] == [
        "documents",
        "COMPANY_DATA",
    ]


async def test_r_for_3_complete_documents_register_the_entity_and_an_active_mandate(api):
    """R-ENT-11: unknown in the CBE; R-ENT-6: its representative under a bis number; R-NOT-4: a
    confirmation to the provider and to the foreign entity."""
    payload = await registered(api)
    entity, mandate = payload["enterprise"], payload["mandate"]
    assert (entity["enterpriseNumber"], entity["knownInCbe"], entity["kinds"]) == (
        BAU,
        False,
        ["COMPANY_WITHOUT_STAFF"],
    )
    assert entity["representatives"] == [{"niss": BIS, "name": "Anna Huber", "functionCode": "10007", "canSign": True}]
    assert mandate["status"] == "ACTIVE"
    assert (mandate["principal"]["enterpriseNumber"], mandate["mandatary"]["enterpriseNumber"]) == (BAU, PROVIDER)
    assert [(g["group"]["code"], g["startQuarter"]) for g in mandate["groups"]] == [("WORKS_DECLARATIONS", "2/2024")]
    assert [(s["party"], s["method"], s["signerNiss"]) for s in mandate["signatures"]] == [
        ("PRINCIPAL", "HANDWRITTEN", BIS),
        ("MANDATARY", "HANDWRITTEN", PROVIDER_SIGNATORY),
    ]
    (event,) = mandate["history"]
    assert (event["action"], event["actorNiss"], event["method"]) == (
        "REGISTERED_BY_NSSO",
        niss(OFFICER),
        "HANDWRITTEN",
    )
    sent = [
        n
        for n in await notifications(api, OFFICER)
        if n["mandate"] and n["mandate"]["reference"] == mandate["reference"]
    ]
    by_recipient = {n["recipient"]["enterpriseNumber"]: n for n in sent}
    assert set(by_recipient) == {BAU, PROVIDER} and len(sent) == 2
    assert all("confirmation" in n["subject"] for n in sent)
    assert by_recipient[PROVIDER]["channel"] == "EBOX"
    assert by_recipient[BAU]["channel"] == "POST" and "Hauptstraße 5, 80331 München" in by_recipient[BAU]["body"]
    kept = await ForeignEntityDocument.all().order_by("id").values_list("kind", "file_name", "content")
    assert [(kind.value, name, bytes(content)) for kind, name, content in kept] == [
        (kind, *file) for kind, file in DOCUMENTS.items()
    ]
    # Competence follows at once: the mandate is in force.
    assert (await read(api, "provider-signatory", mandate["reference"]))["status"] == "ACTIVE"


async def test_r_for_3_only_officers_register_and_the_signatories_are_checked(api):
    assert error_codes(await register(api, registration(), as_="provider-signatory")) == ["FORBIDDEN"]
    cases = [
        (
            registration(representative={"niss": BIS, "name": "Anna Huber", "functionCode": "10009"}),
            "NOT_ALLOWED_TO_SIGN",
            ["representative", "functionCode"],
        ),
        (registration(mandatarySignerNiss=niss("employer-director")), "NOT_ALLOWED_TO_SIGN", ["mandatarySignerNiss"]),
        (
            registration(mandataryNumber=LOGISTIQUE, mandatarySignerNiss=niss("employer-director")),
            "NOT_A_SERVICE_PROVIDER",
            ["mandataryNumber"],
        ),
        (registration(enterpriseNumber=FOREIGN), "INVALID_INPUT", ["enterpriseNumber"]),
        (
            registration(representative={"niss": "85273000107", "name": "Anna Huber", "functionCode": "10007"}),
            "INVALID_NISS",
            ["representative", "niss"],
        ),
        (registration(startQuarter="1/2023"), "PERIOD_OUTSIDE_ACTIVITY", ["startQuarter"]),
    ]
    for fields, code, field in cases:
        payload = (await register(api, fields))["data"]["registerForeignEntity"]
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)], fields
    assert await enterprise(api, BAU) is None


async def test_r_for_4_a_later_change_of_mandatary_follows_the_general_rules(api):
    """§13 applies: no retroactive start in month 2 (R-CHG-5); from the next quarter, the new provider's
    paper mandate (R-ENT-11: no eID) accepted by the officer closes the old one (R-CHG-3)."""
    old = (await registered(api))["mandate"]
    retroactive = await create(
        api, "provider2-signatory", principalNumber=BAU, groups=["WORKS_DECLARATIONS"], startQuarter="2/2024"
    )
    assert codes(retroactive) == ["RETROACTIVE_START_NOT_ALLOWED"]
    new = await created(
        api, "provider2-signatory", principalNumber=BAU, groups=["WORKS_DECLARATIONS"], startQuarter="3/2024"
    )
    assert codes(await request(api, "provider2-signatory", new["id"], "EID")) == ["EID_NOT_AVAILABLE"]
    await scanned(api, "provider2-signatory", new["id"])
    accepted = await accept(api, new["id"], principal=BIS, mandatary=niss("provider2-signatory"))
    assert accepted["userErrors"] == [] and accepted["mandate"]["status"] == "ACTIVE"
    replaced = await read(api, "provider-signatory", old["reference"])
    assert [(g["group"]["code"], g["endQuarter"]) for g in replaced["groups"]] == [("WORKS_DECLARATIONS", "2/2024")]
    assert replaced["history"][-1]["action"] == "REPLACED"
    assert (await read(api, "provider2-signatory", new["reference"]))["mandatary"]["enterpriseNumber"] == PROVIDER2


async def test_r_for_5_the_officer_updates_the_foreign_entity_and_a_new_authorisation_shows_it(api, tmp_path):
    data = json.loads((DEMO_DIR / "reference.json").read_text(encoding="utf-8"))
    (bau,) = [item for item in data["enterprises"] if item["enterpriseNumber"] == FOREIGN]
    await load_reference(json.dumps({"enterprises": [{**bau, "address": "Neue Allee 9, 50667 Köln, Deutschland"}]}))
    mandate = await created(api, "provider-signatory", principalNumber=FOREIGN, groups=["PMP"], startQuarter="3/2024")
    text = pdftotext(await issued_pdf(api, "provider-signatory", mandate["id"], method="HANDWRITTEN"), tmp_path)
    assert "Neue Allee 9, 50667 Köln" in text


async def test_r_spid_1_a_provider_request_is_a_node_seen_by_its_company_and_officers(api):
    """`node(id:)` resolves the request for its company and the NSSO, and hides it from others (R-SRCH-1)."""
    request_id = (await ask_provider(api, "company-without-staff"))["request"]["id"]
    query = "query($id: ID!) { node(id: $id) { id ... on ProviderIdentificationRequest { status } } }"
    for persona in ("company-without-staff", "nsso-officer"):
        assert await api(query, {"id": request_id}, as_=persona) == {
            "data": {"node": {"id": request_id, "status": "SUBMITTED"}}
        }
    assert await api(query, {"id": request_id}, as_="employer-director") == {"data": {"node": None}}
