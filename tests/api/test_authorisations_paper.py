"""Handwritten (paper) authorisations through GraphQL: the scan, the officer's review, the paper rules.

R-SIGN-5, R-SIGN-9, R-SIGN-10, R-SIGN-11, R-PDF-2, R-PDF-8, R-PAP-1..8, R-LIFE-4, R-LIFE-6, R-NOT-4,
R-ENT-11, R-WIDE-4, R-DASH-5, R-USR-6, R-CAL-6. Today is 2024-05-10 unless a test moves the clock.

The "scan": a paper authorisation is printed, signed by hand and scanned, so what comes back carries no
eID signature. Two stand-ins are used and named where they are: the issued PDF itself, uploaded as it was
downloaded (a printed+scanned copy of the unique model), and a PDF rendered again with
`documents.template.render` without the registry's seal (a scan carries no digital seal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from documents import template
from models.tables import Authorisation
from resolvers.authorisations import pdf_words
from tests.api.authorisation_steps import REVIEW, accept, issued_pdf, request, review, upload
from tests.api.helpers import (
    DASHBOARD,
    FOREIGN,
    LOGISTIQUE,
    PROVIDER,
    PROVIDER2,
    active,
    codes,
    created,
    error_codes,
    niss,
    notifications,
    read,
    sign,
)
from tests.conftest import token

DIRECTOR, PROVIDER_SIGNATORY = niss("employer-director"), niss("provider-signatory")
PROVIDER2_SIGNATORY = niss("provider2-signatory")
FOREIGN_REPRESENTATIVE = "73082780373"  # Stefan Müller, legal representative (10007) of Demo Bau GmbH (reference.json)
OFFICER = "nsso-officer"

QUEUE = """
{ reviewQueue { totalCount edges { node { id reference status } } } }"""

PAPER_VIEW = """
query($reference: String!) { mandate(reference: $reference) {
  status inspectionDue endQuarter groups { group { code } endQuarter }
  signatures { party method signerNiss }
  rejection { reason consultedByPrincipalAt consultedByMandataryAt }
  authorisations { method uploadedAt verdict }
} }"""

ACTIVE_MANDATES = """
{ mandates(filter: {statuses: [ACTIVE]}) { totalCount edges { node { reference } } } }"""

CONSULTED = """
mutation($id: ID!) { markRejectionConsulted(input: {mandateId: $id}) { userErrors { code } } }"""


# --- steps ----------------------------------------------------------------------------------------


async def _mandate(api, as_: str = "employer-director", **fields) -> dict:
    fields = {"mandataryNumber": PROVIDER, "groups": ["PMP"], "startQuarter": "3/2024", **fields}
    return await created(api, as_, **fields)


def _rescanned(reference: str) -> bytes:
    """A wholly new paper copy, scanned: rendered again from the template, carrying no registry seal."""
    plate = template.Plate(
        name="Demo Logistique Meuse SA",
        enterprise_number=LOGISTIQUE,
        nsso_number=None,
        ssa_number=None,
        address="Quai de Meuse 112, 5000 Namur",
    )
    content = template.AuthorisationContent(
        reference=reference,
        template_version=template.TEMPLATE_VERSION,
        method="HANDWRITTEN",
        principal=plate,
        mandatary=replace(plate, name="Demo Payroll Partners SA", enterprise_number=PROVIDER),
        groups=[("PMP", "PMP")],
        start_quarter="3/2024",
        language="en",
        words=pdf_words("en"),
    )
    return template.render(content)


async def _submitted(api, as_: str = "employer-director", **fields) -> dict:
    """A mandate whose handwritten scan was uploaded: TO_BE_VALIDATED."""
    mandate = await _mandate(api, as_, **fields)
    # Stand-in for the printed, hand-signed and scanned authorisation: the issued PDF itself.
    scan = await issued_pdf(api, as_, mandate["id"], method="HANDWRITTEN")
    payload = await upload(api, as_, mandate["id"], scan)
    assert payload["userErrors"] == [], payload["userErrors"]
    assert payload["mandate"]["status"] == "TO_BE_VALIDATED"
    return payload["mandate"]


async def view(api, as_: str, reference: str) -> dict:
    result = await api(PAPER_VIEW, {"reference": reference}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["mandate"]


async def queue(api) -> list[str]:
    result = await api(QUEUE, as_=OFFICER)
    assert "errors" not in result, result
    return [edge["node"]["reference"] for edge in result["data"]["reviewQueue"]["edges"]]


async def dashboard_rejected(api, as_: str) -> tuple[int, str]:
    block = (await api(DASHBOARD, as_=as_))["data"]["dashboard"]["rejected"]
    return block["count"], block["colour"]


def emails(items: list[dict], reference: str) -> list[dict]:
    return [n for n in items if n["channel"] == "EMAIL" and n["mandate"]["reference"] == reference]


# --- the scan ---------------------------------------------------------------------------------------


async def test_r_sign_10_a_handwritten_scan_awaits_the_officer_and_gives_no_competence(api):
    """R-LIFE-4: TO_BE_VALIDATED; R-LIFE-5: no effect (not ACTIVE, no signature) before the officer's check."""
    mandate = await _mandate(api)
    scan = await issued_pdf(api, "employer-director", mandate["id"], method="HANDWRITTEN")
    payload = await upload(api, "employer-director", mandate["id"], scan)
    assert payload["userErrors"] == []
    result = payload["mandate"]
    assert result["status"] == "TO_BE_VALIDATED"
    assert result["signatures"] == []
    assert [(a["method"], a["verdict"]) for a in result["authorisations"]] == [
        ("HANDWRITTEN", "Handwritten scan received; awaiting the NSSO's check.")
    ]
    # The verdict is kept as words, read in the reader's language (Accept-Language).
    headers = {"Authorization": f"Bearer {token('nsso-officer')}", "Accept-Language": "fr-BE"}
    query = "query($reference: String!) { mandate(reference: $reference) { authorisations { verdict } } }"
    french = (await api.raw(query, {"reference": result["reference"]}, headers=headers)).json()["data"]["mandate"]
    assert french["authorisations"] == [{"verdict": "Scan manuscrit reçu ; en attente du contrôle de l’ONSS."}]
    assert result["history"][-1]["action"] == "HANDWRITTEN_UPLOADED"
    # No competence: the provider has no ACTIVE mandate for the principal.
    listed = (await api(ACTIVE_MANDATES, as_="provider-signatory"))["data"]["mandates"]
    assert listed["totalCount"] == 0
    # Both parties read the same status.
    assert (await read(api, "provider-signatory", mandate["reference"]))["status"] == "TO_BE_VALIDATED"


async def test_r_pdf_8_every_uploaded_scan_is_kept(api):
    """Two uploads of the paper authorisation (the second after a refusal, R-PAP-3): two kept versions."""
    mandate = await _submitted(api)
    await review(api, mandate["id"], "REJECT", reason="Date of signature missing")
    again = await upload(api, "provider-signatory", mandate["id"], _rescanned(mandate["reference"]))
    assert again["userErrors"] == []
    kept = again["mandate"]["authorisations"]
    assert len(kept) == 2
    assert all(a["method"] == "HANDWRITTEN" and a["uploadedAt"] for a in kept)


# The columns an upload writes itself; every other column of the issued row is carried to the new one.
UPLOAD_COLUMNS = {"uploaded_at", "uploaded_pdf", "uploaded_by_niss", "verdict"}


async def test_code_health_a_second_upload_carries_every_column_of_the_issued_row(api):
    """`_keep_upload` copies the issued row without naming its columns: over every field of the model
    (`Authorisation._meta.fields_map`, so a column added later is compared too), the kept version equals
    the issued one but for its key and the upload's own columns (R-PDF-8)."""
    mandate = await _submitted(api)
    await review(api, mandate["id"], "REJECT", reason="Date of signature missing")
    second = _rescanned(mandate["reference"])
    assert (await upload(api, "provider-signatory", mandate["id"], second))["userErrors"] == []
    first_row, copy = await Authorisation.filter(mandate__reference=mandate["reference"]).order_by("id")
    meta = Authorisation._meta
    compared = []
    for name, field in meta.fields_map.items():
        column = getattr(field, "source_field", None) or name  # a foreign key compares by its key column
        if name == meta.pk_attr or name in UPLOAD_COLUMNS:
            continue
        assert getattr(copy, column) == getattr(first_row, column), name
        compared.append(column)
    assert {"mandate_id", "issued_pdf", "issued_sha256", "requested_by_niss"} <= set(compared)
    assert copy.id != first_row.id and copy.uploaded_pdf == second and copy.uploaded_pdf != first_row.uploaded_pdf


# --- the officer's queue ---------------------------------------------------------------------------


async def test_r_pap_1_the_officer_lists_the_review_queue(api):
    first = await _submitted(api)
    second = await _submitted(api, groups=["SIGEDIS"])
    waiting = await _mandate(api, groups=["WITA_AMATEUR"])  # TO_BE_FINALISED: not to review
    references = await queue(api)
    assert references == [first["reference"], second["reference"]]  # oldest first
    assert waiting["reference"] not in references


async def test_r_usr_6_a_non_officer_may_neither_list_nor_review(api):
    """R-PAP-1: the review is the officers'; a principal or a provider gets FORBIDDEN."""
    mandate = await _submitted(api)
    for persona in ("employer-director", "provider-signatory"):
        assert error_codes(await api(QUEUE, as_=persona)) == ["FORBIDDEN"]
        result = await api(
            REVIEW,
            {
                "input": {
                    "mandateId": mandate["id"],
                    "decision": "ACCEPT",
                    "principalSignerNiss": DIRECTOR,
                    "mandatarySignerNiss": PROVIDER_SIGNATORY,
                }
            },
            as_=persona,
        )
        assert error_codes(result) == ["FORBIDDEN"]
    assert (await view(api, "employer-director", mandate["reference"]))["status"] == "TO_BE_VALIDATED"


async def test_r_pap_1_an_invalid_decision_is_refused(api):
    mandate = await _submitted(api)
    payload = await review(api, mandate["id"], "APPROVE")
    assert codes(payload) == ["REVIEW_DECISION_INVALID"]
    assert payload["userErrors"][0]["field"] == ["decision"]
    assert (await view(api, OFFICER, mandate["reference"]))["status"] == "TO_BE_VALIDATED"


async def test_r_pap_1_only_a_mandate_to_be_validated_is_reviewed(api):
    """Reviewing a TO_BE_FINALISED, a PENDING or an ACTIVE mandate is an invalid transition."""
    fresh = await _mandate(api)
    assert codes(await accept(api, fresh["id"])) == ["INVALID_TRANSITION"]
    pending = await _mandate(api, groups=["SIGEDIS"])
    await sign(api, "employer-director", pending["id"])
    assert codes(await review(api, pending["id"], "REFER_TO_INSPECTION")) == ["INVALID_TRANSITION"]
    validated = await _submitted(api, groups=["WITA_AMATEUR"])
    assert (await accept(api, validated["id"]))["mandate"]["status"] == "ACTIVE"
    assert codes(await review(api, validated["id"], "REJECT", reason="too late")) == ["INVALID_TRANSITION"]
    assert (await view(api, OFFICER, validated["reference"]))["status"] == "ACTIVE"
    assert (await view(api, OFFICER, fresh["reference"]))["status"] == "TO_BE_FINALISED"


# --- ACCEPT -----------------------------------------------------------------------------------------


async def test_r_pap_2_accept_activates_the_mandate_and_notifies_both_parties(api):
    """R-SIGN-11: the NISS written on the paper are recorded as HANDWRITTEN signatures (R-SIGN-12)."""
    mandate = await _submitted(api)
    payload = await accept(api, mandate["id"])
    assert payload["userErrors"] == []
    result = payload["mandate"]
    assert result["status"] == "ACTIVE"
    assert [(s["party"], s["method"], s["signerNiss"]) for s in result["signatures"]] == [
        ("PRINCIPAL", "HANDWRITTEN", DIRECTOR),
        ("MANDATARY", "HANDWRITTEN", PROVIDER_SIGNATORY),
    ]
    subject = f"Mandate {mandate['reference']}: accepted"
    for persona, number in (("employer-director", LOGISTIQUE), ("provider-signatory", PROVIDER)):
        latest = (await notifications(api, persona))[0]
        assert (latest["subject"], latest["recipient"]["enterpriseNumber"], latest["channel"]) == (
            subject,
            number,
            "EBOX",
        )
    assert mandate["reference"] not in await queue(api)
    listed = (await api(ACTIVE_MANDATES, as_="provider-signatory"))["data"]["mandates"]
    assert [edge["node"]["reference"] for edge in listed["edges"]] == [mandate["reference"]]


async def test_r_pap_2_accepting_a_change_of_provider_closes_the_replaced_group(api):
    """R-CHG-3 at the officer's acceptance: the other provider's PMP ends the quarter before S."""
    old = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "1/2024")
    new = await _submitted(api, mandataryNumber=PROVIDER2)
    assert (await view(api, "employer-director", old["reference"]))["endQuarter"] is None  # untouched while in review
    assert (await accept(api, new["id"], mandatary=PROVIDER2_SIGNATORY))["mandate"]["status"] == "ACTIVE"
    replaced = await view(api, "employer-director", old["reference"])
    assert (replaced["status"], replaced["endQuarter"]) == ("ACTIVE", "2/2024")


async def test_r_sign_11_accept_needs_the_niss_of_authorised_signatories(api):
    mandate = await _submitted(api)
    none = await review(api, mandate["id"], "ACCEPT")
    assert (codes(none), none["userErrors"][0]["field"]) == (["INVALID_INPUT"], ["principalSignerNiss"])
    missing = await review(api, mandate["id"], "ACCEPT", principalSignerNiss=DIRECTOR)
    assert codes(missing) == ["INVALID_INPUT"]
    assert missing["userErrors"][0]["field"] == ["mandatarySignerNiss"]
    # A CBE representative whose function the matrix does not allow to sign for legal form 014.
    auditor = await accept(api, mandate["id"], principal=niss("employer-auditor"))
    assert codes(auditor) == ["NOT_ALLOWED_TO_SIGN"]
    # The principal's signatory is nobody for the provider: refused after the principal's NISS passed,
    # and nothing of the half-done acceptance stays.
    crossed = await accept(api, mandate["id"], mandatary=DIRECTOR)
    assert codes(crossed) == ["NOT_ALLOWED_TO_SIGN"]
    after = await view(api, OFFICER, mandate["reference"])
    assert (after["status"], after["signatures"]) == ("TO_BE_VALIDATED", [])
    # A competence holder (R-USR-3 b) is an authorised signatory.
    ok = await accept(api, mandate["id"], principal=niss("employer-competence"))
    assert ok["mandate"]["status"] == "ACTIVE"


# --- REFER_TO_INSPECTION ----------------------------------------------------------------------------


async def test_r_pap_6_r_pap_7_a_referral_keeps_it_to_be_validated_due_in_ten_working_days(api, clock):
    """R-CAL-6: Friday 2024-05-03 + 10 working days, skipping Ascension (05-09) and Whit Monday (05-20) = 05-21.
    R-NOT-4: the provider is told by e-mail, with the due date; the principal gets no e-mail."""
    clock.frozen = dt.date(2024, 5, 3)
    mandate = await _submitted(api)
    payload = await review(api, mandate["id"], "REFER_TO_INSPECTION")
    assert payload["userErrors"] == []
    assert (payload["mandate"]["status"], payload["mandate"]["inspectionDue"]) == ("TO_BE_VALIDATED", "2024-05-21")
    assert payload["mandate"]["signatures"] == []
    assert mandate["reference"] in await queue(api)  # still to review: the outcome comes later
    (mail,) = emails(await notifications(api, "provider-signatory"), mandate["reference"])
    assert mail["recipient"]["enterpriseNumber"] == PROVIDER
    assert "inspection" in mail["subject"].lower()
    assert "2024-05-21" in mail["body"] and "Inspection" in mail["body"]
    assert emails(await notifications(api, "employer-director"), mandate["reference"]) == []


async def test_r_pap_8_no_irregularity_after_inspection_accepts(api):
    mandate = await _submitted(api)
    await review(api, mandate["id"], "REFER_TO_INSPECTION")
    result = (await accept(api, mandate["id"]))["mandate"]
    assert (result["status"], result["inspectionDue"]) == ("ACTIVE", None)


async def test_r_pap_8_irregularities_after_inspection_reject(api):
    """The provider is asked by e-mail for a new (third) authorisation, and may send it (R-PAP-3)."""
    mandate = await _submitted(api)
    referred = await review(api, mandate["id"], "REFER_TO_INSPECTION")
    assert referred["mandate"]["inspectionDue"] == "2024-05-27"  # Friday 05-10 + 10 working days (05-20 a holiday)
    result = (await review(api, mandate["id"], "REJECT", reason="Inspection: the principal did not sign"))["mandate"]
    assert (result["status"], result["inspectionDue"], result["rejection"]["reason"]) == (
        "REJECTED",
        None,
        "Inspection: the principal did not sign",
    )
    mails = emails(await notifications(api, "provider-signatory"), mandate["reference"])
    assert [m["subject"] for m in mails] == [
        f"Mandate {mandate['reference']}: authorisation refused",
        f"Mandate {mandate['reference']}: authorisation under inspection",
    ]
    assert "corrected or new authorisation" in mails[0]["body"]
    third = await upload(api, "provider-signatory", mandate["id"], _rescanned(mandate["reference"]))
    assert third["mandate"]["status"] == "TO_BE_VALIDATED"


# --- REJECT -----------------------------------------------------------------------------------------


async def test_r_pap_3_a_refusal_states_its_reason(api):
    mandate = await _submitted(api)
    for reason in (None, "   "):
        payload = await review(api, mandate["id"], "REJECT", **({"reason": reason} if reason is not None else {}))
        assert codes(payload) == ["REASON_REQUIRED"]
        assert payload["userErrors"][0]["field"] == ["reason"]
    assert (await view(api, OFFICER, mandate["reference"]))["status"] == "TO_BE_VALIDATED"


async def test_r_pap_3_a_refusal_is_mailed_counted_until_consulted_and_corrected_by_a_new_scan(api):
    """R-LIFE-6: REJECTED from the officer's review; R-NOT-4: the reason by e-mail to the provider;
    R-DASH-5: the Rejected block is red for each side until that side consults it."""
    mandate = await _submitted(api)
    reason = "NISS of the principal's signatory missing"
    result = (await review(api, mandate["id"], "REJECT", reason=reason))["mandate"]
    assert (result["status"], result["rejection"]["reason"]) == ("REJECTED", reason)
    (mail,) = emails(await notifications(api, "provider-signatory"), mandate["reference"])
    assert mail["recipient"]["enterpriseNumber"] == PROVIDER
    assert reason in mail["body"]
    assert mandate["reference"] not in await queue(api)
    # R-DASH-5, per side.
    assert await dashboard_rejected(api, "employer-director") == (1, "RED")
    assert await dashboard_rejected(api, "provider-signatory") == (1, "RED")
    assert (await api(CONSULTED, {"id": mandate["id"]}, as_="employer-director"))["data"]["markRejectionConsulted"][
        "userErrors"
    ] == []
    assert await dashboard_rejected(api, "employer-director") == (0, "WHITE")
    assert await dashboard_rejected(api, "provider-signatory") == (1, "RED")
    await api(CONSULTED, {"id": mandate["id"]}, as_="provider-signatory")
    assert await dashboard_rejected(api, "provider-signatory") == (0, "WHITE")
    # R-PAP-3: a corrected copy (a wholly new one, rescanned) brings it back for review.
    corrected = await upload(api, "provider-signatory", mandate["id"], _rescanned(mandate["reference"]))
    assert corrected["userErrors"] == []
    assert corrected["mandate"]["status"] == "TO_BE_VALIDATED"
    again = await view(api, "employer-director", mandate["reference"])
    assert again["rejection"] is None
    assert mandate["reference"] in await queue(api)
    assert (await accept(api, mandate["id"]))["mandate"]["status"] == "ACTIVE"


async def test_r_pap_5_a_refusal_on_a_change_of_provider_is_final(api):
    """The other provider's mandate is untouched; no corrected scan, no new paper request (R-LIFE-9)."""
    old = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "1/2024")
    before = await view(api, "employer-director", old["reference"])
    new = await _submitted(api, mandataryNumber=PROVIDER2)  # S=3/2024 = T+1 replaces PROVIDER's PMP
    result = (await review(api, new["id"], "REJECT", reason="Crossed-out start quarter not countersigned"))["mandate"]
    assert result["status"] == "REJECTED"
    (mail,) = emails(await notifications(api, "provider2-signatory"), new["reference"])
    assert "cancellation" in mail["body"]
    corrected = await upload(api, "provider2-signatory", new["id"], _rescanned(new["reference"]))
    assert codes(corrected) == ["INVALID_TRANSITION"]
    assert codes(await request(api, "provider2-signatory", new["id"], "HANDWRITTEN")) == ["INVALID_TRANSITION"]
    assert (await view(api, "employer-director", new["reference"]))["status"] == "REJECTED"
    assert await view(api, "employer-director", old["reference"]) == before
    assert before["status"] == "ACTIVE" and before["groups"] == [{"group": {"code": "PMP"}, "endQuarter": None}]


# --- paper rules ------------------------------------------------------------------------------------


async def test_r_sign_9_with_the_tolerance_closed_paper_is_refused_for_a_principal_known_in_the_cbe(
    api, closed_tolerance
):
    mandate = await _mandate(api)
    assert codes(await request(closed_tolerance, "employer-director", mandate["id"], "HANDWRITTEN")) == [
        "PAPER_NOT_ALLOWED"
    ]
    assert (
        codes(await request(closed_tolerance, "employer-director", mandate["id"], "EID")) == []
    )  # electronic stays open
    # A paper copy requested while the tolerance was open is not accepted after it closed.
    scan = await issued_pdf(api, "employer-director", mandate["id"], method="HANDWRITTEN")
    late = await upload(closed_tolerance, "employer-director", mandate["id"], scan)
    assert codes(late) == ["PAPER_NOT_ALLOWED"]
    assert (await view(api, "employer-director", mandate["reference"]))["status"] == "TO_BE_FINALISED"


async def test_r_wide_4_paper_stays_accepted_for_a_principal_unknown_in_the_cbe(api, closed_tolerance):
    """R-SIGN-9 (b): Demo Bau GmbH, unknown in the CBE, signs on paper even with the tolerance closed;
    the provider encodes its mandate (PMP: not a group NSSO initiates, R-FOR-1)."""
    mandate = await created(
        closed_tolerance, "provider-signatory", principalNumber=FOREIGN, groups=["PMP"], startQuarter="3/2024"
    )
    scan = await issued_pdf(closed_tolerance, "provider-signatory", mandate["id"], method="HANDWRITTEN")
    payload = await upload(closed_tolerance, "provider-signatory", mandate["id"], scan)
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "TO_BE_VALIDATED"
    result = (await accept(closed_tolerance, mandate["id"], principal=FOREIGN_REPRESENTATIVE))["mandate"]
    assert result["status"] == "ACTIVE"
    assert [(s["party"], s["signerNiss"]) for s in result["signatures"]] == [
        ("PRINCIPAL", FOREIGN_REPRESENTATIVE),
        ("MANDATARY", PROVIDER_SIGNATORY),
    ]


async def test_r_ent_11_eid_is_not_available_for_a_principal_unknown_in_the_cbe(api):
    mandate = await created(api, "provider-signatory", principalNumber=FOREIGN, groups=["PMP"], startQuarter="3/2024")
    payload = await request(api, "provider-signatory", mandate["id"], "EID")
    assert codes(payload) == ["EID_NOT_AVAILABLE"]
    assert payload["authorisation"] is None
    assert codes(await request(api, "provider-signatory", mandate["id"], "HANDWRITTEN")) == []


async def test_r_sign_5_no_paper_once_the_encoder_signed_by_authentication(api):
    mandate = await _mandate(api)
    scan = await issued_pdf(api, "employer-director", mandate["id"], method="HANDWRITTEN")  # while TO_BE_FINALISED
    assert (await sign(api, "employer-director", mandate["id"]))["mandate"]["status"] == "PENDING"
    assert codes(await request(api, "employer-director", mandate["id"], "HANDWRITTEN")) == ["INVALID_TRANSITION"]
    payload = await upload(api, "provider-signatory", mandate["id"], scan)
    assert codes(payload) == ["INVALID_TRANSITION"]
    assert "R-SIGN-5" in payload["userErrors"][0]["rules"]
    assert (await view(api, "employer-director", mandate["reference"]))["status"] == "PENDING"


async def test_r_sign_5_a_submitted_or_refused_paper_mandate_takes_no_electronic_signature(api):
    """R-SIGN-10 / R-LIFE-9: once the scan is in, only the officer decides; after a refusal only a
    corrected scan is accepted (R-PAP-3), never a signature by authentication or eID."""
    mandate = await _submitted(api)
    assert codes(await sign(api, "employer-director", mandate["id"])) == ["INVALID_TRANSITION"]
    assert codes(await request(api, "employer-director", mandate["id"], "EID")) == ["INVALID_TRANSITION"]
    # A second scan while the first is being reviewed is not taken either.
    assert codes(await upload(api, "employer-director", mandate["id"], _rescanned(mandate["reference"]))) == [
        "INVALID_TRANSITION"
    ]
    await review(api, mandate["id"], "REJECT", reason="Illegible")
    assert codes(await sign(api, "employer-director", mandate["id"])) == ["INVALID_TRANSITION"]
    assert codes(await request(api, "employer-director", mandate["id"], "EID")) == ["INVALID_TRANSITION"]
    after = await view(api, "employer-director", mandate["reference"])
    assert (after["status"], after["signatures"], len(after["authorisations"])) == ("REJECTED", [], 1)


async def test_r_pdf_2_the_paper_copy_issued_for_another_mandate_is_refused(api):
    one = await _mandate(api)
    other = await _mandate(api, groups=["SIGEDIS"])
    copy = await issued_pdf(api, "employer-director", one["id"], method="HANDWRITTEN")
    await issued_pdf(api, "employer-director", other["id"], method="HANDWRITTEN")
    assert codes(await upload(api, "employer-director", other["id"], copy)) == ["AUTHORISATION_NOT_FOR_THIS_MANDATE"]
    assert (await view(api, "employer-director", other["reference"]))["status"] == "TO_BE_FINALISED"


async def test_r_pdf_2_a_scan_before_any_handwritten_request_is_refused(api):
    """The scan must be of the unique model issued for this mandate: an EID request does not count."""
    mandate = await _mandate(api)
    assert codes(await upload(api, "employer-director", mandate["id"], _rescanned(mandate["reference"]))) == [
        "AUTHORISATION_NOT_REQUESTED"
    ]
    await request(api, "employer-director", mandate["id"], "EID")
    assert codes(await upload(api, "employer-director", mandate["id"], _rescanned(mandate["reference"]))) == [
        "AUTHORISATION_NOT_REQUESTED"
    ]
    assert (await view(api, "employer-director", mandate["reference"]))["status"] == "TO_BE_FINALISED"


async def test_r_pdf_2_a_scan_of_an_outdated_template_is_refused(api, monkeypatch):
    mandate = await _mandate(api)
    monkeypatch.setattr(template, "TEMPLATE_VERSION", "1")
    scan = await issued_pdf(api, "employer-director", mandate["id"], method="HANDWRITTEN")
    monkeypatch.undo()
    assert codes(await upload(api, "employer-director", mandate["id"], scan)) == ["AUTHORISATION_OUTDATED_TEMPLATE"]
    # The same holds for an unsealed scan: it is judged against the model issued (on template 1).
    assert codes(await upload(api, "employer-director", mandate["id"], _rescanned(mandate["reference"]))) == [
        "AUTHORISATION_OUTDATED_TEMPLATE"
    ]
    assert (await view(api, "employer-director", mandate["reference"]))["status"] == "TO_BE_FINALISED"
