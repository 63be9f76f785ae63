"""eID-signed authorisations through GraphQL, signed for real with pyHanko by test-CA certificates.

R-PDF-1..8, R-SIGN-4..7, R-SIGN-11, R-LIFE-3, R-LIFE-5. Today is 2024-05-10 unless moved.
"""

from __future__ import annotations

import subprocess
from dataclasses import replace
from io import BytesIO

import httpx
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from documents import template
from models.tables import Authorisation
from tests.api.authorisation_steps import issued_pdf, request, upload
from tests.api.helpers import LOGISTIQUE, PROVIDER, SSA, codes, created, niss, read, sign
from tests.conftest import token
from tests.documents.pki import make_ca, make_signer, sign_as

PRINCIPAL_FIELD, MANDATARY_FIELD = "PrincipalSignature", "MandatarySignature"
DIRECTOR, PROVIDER_SIGNATORY = niss("employer-director"), niss("provider-signatory")


def _text(pdf: bytes) -> str:
    """What any PDF tool reads in the document (poppler's pdftotext)."""
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


async def _mandate(api, **fields) -> dict:
    fields = {"mandataryNumber": PROVIDER, "groups": ["PMP"], "startQuarter": "3/2024", **fields}
    return await created(api, "employer-director", **fields)


async def test_r_sign_7_a_pdf_signed_by_both_parties_activates_the_mandate(api, signers):
    mandate = await _mandate(api)
    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    signed = await signers.sign(await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR), MANDATARY_FIELD, PROVIDER_SIGNATORY)
    payload = await upload(api, "employer-director", mandate["id"], signed)
    assert payload["userErrors"] == []
    result = payload["mandate"]
    assert result["status"] == "ACTIVE"
    assert [(s["party"], s["method"], s["signerNiss"]) for s in result["signatures"]] == [
        ("PRINCIPAL", "EID", DIRECTOR),
        ("MANDATARY", "EID", None),  # the mandatary's signer: its NISS is not the principal's to see
    ]  # R-SIGN-12
    seen_by_officer = await read(api, "nsso-officer", result["reference"])
    assert [s["signerNiss"] for s in seen_by_officer["signatures"]] == [DIRECTOR, PROVIDER_SIGNATORY]
    assert "valid and trusted" in result["authorisations"][0]["verdict"]


VERDICTS = "query($reference: String!) { mandate(reference: $reference) { authorisations { verdict } } }"
EID_VERDICT_OPENS = {
    "en": (
        "Registry seal intact; eID signatures valid and trusted: principal signed by",
        "the status is now “Active”.",
    ),
    "fr": ("Sceau du registre intact ; signatures eID valides et de confiance : mandant signé par", "« Actif »."),
    "nl": ("Zegel van het register intact; eID-handtekeningen geldig en vertrouwd: mandaatgever", "“Actief”."),
    "de": ("Siegel des Registers unversehrt; eID-Signaturen gültig und vertrauenswürdig: Mandatgeber", "„Aktiv“."),
}


async def test_r_pdf_6_the_upload_verdict_is_kept_as_words_and_written_in_the_readers_language(api, signers):
    """The verdict is kept as catalogue keys and values (config/messages.kept), as a history detail is:
    each reader gets it in the language of Accept-Language, the status in words, never its code."""
    mandate = await _mandate(api)
    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    signed = await signers.sign(await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR), MANDATARY_FIELD, PROVIDER_SIGNATORY)
    assert (await upload(api, "employer-director", mandate["id"], signed))["userErrors"] == []
    (stored,) = await Authorisation.filter(mandate__reference=mandate["reference"]).values_list("verdict", flat=True)
    assert stored.startswith('{"key":"notice.verdict.eid"') and "Registry seal" not in stored
    for language, (opening, ending) in EID_VERDICT_OPENS.items():
        headers = {"Authorization": f"Bearer {token('provider-signatory')}", "Accept-Language": language}
        response = await api.raw(VERDICTS, {"reference": mandate["reference"]}, headers=headers)
        (verdict,) = [a["verdict"] for a in response.json()["data"]["mandate"]["authorisations"]]
        assert verdict.startswith(opening) and verdict.endswith(ending), (language, verdict)
        assert "ACTIVE" not in verdict and "PRINCIPAL" not in verdict


async def test_r_life_3_the_encoders_eid_signature_alone_makes_it_pending_then_the_counterparty_completes(api, signers):
    mandate = await _mandate(api)
    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    first = await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR)
    assert (await upload(api, "employer-director", mandate["id"], first))["mandate"]["status"] == "PENDING"
    # R-SIGN-4: after an eID first level, authentication is too low for the second.
    assert codes(await sign(api, "provider-signatory", mandate["id"])) == ["SIGNING_LEVEL_TOO_LOW"]
    both = await signers.sign(first, MANDATARY_FIELD, PROVIDER_SIGNATORY)
    payload = await upload(api, "provider-signatory", mandate["id"], both)
    assert payload["mandate"]["status"] == "ACTIVE"
    assert len(payload["mandate"]["authorisations"]) == 2  # every uploaded version is kept (R-PDF-8)


async def test_r_sign_4_authentication_first_then_eid_second_is_allowed(api, signers):
    mandate = await _mandate(api)
    assert (await sign(api, "employer-director", mandate["id"]))["mandate"]["status"] == "PENDING"
    pdf = await issued_pdf(api, "provider-signatory", mandate["id"])
    signed = await signers.sign(pdf, MANDATARY_FIELD, PROVIDER_SIGNATORY)
    payload = await upload(api, "provider-signatory", mandate["id"], signed)
    assert payload["mandate"]["status"] == "ACTIVE"
    assert [(s["party"], s["method"]) for s in payload["mandate"]["signatures"]] == [
        ("PRINCIPAL", "AUTHENTICATION"),
        ("MANDATARY", "EID"),
    ]


async def test_r_sign_6_a_pdf_signed_only_by_the_counterparty_is_refused(api, signers):
    mandate = await _mandate(api)
    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    signed = await signers.sign(pdf, MANDATARY_FIELD, PROVIDER_SIGNATORY)
    assert codes(await upload(api, "provider-signatory", mandate["id"], signed)) == ["INVALID_TRANSITION"]


async def test_r_pdf_6_a_pdf_changed_after_signing_is_refused(api, signers):
    mandate = await _mandate(api)
    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    signed = await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR)
    # An incremental update after the signature replaces the page's text: the seal and the signature
    # still verify over their revisions, but the document changed in more than signatures.
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 700 Td (Groups: ALL) Tj ET")
    )
    writer.update_container(page)
    tampered = BytesIO()
    writer.write(tampered)
    payload = await upload(api, "employer-director", mandate["id"], tampered.getvalue())
    assert codes(payload) == ["AUTHORISATION_SIGNATURE_INVALID"]
    assert payload["mandate"] is None


async def test_r_pdf_5_a_pdf_issued_for_another_mandate_is_refused(api, signers):
    one = await _mandate(api)
    other = await _mandate(api, groups=["SIGEDIS"])
    pdf = await issued_pdf(api, "employer-director", one["id"])
    signed = await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR)
    assert codes(await upload(api, "employer-director", other["id"], signed)) == ["AUTHORISATION_NOT_FOR_THIS_MANDATE"]


async def test_r_pdf_5_a_pdf_issued_before_the_mandate_changed_is_refused(api, signers):
    mandate = await created(
        api, "employer-director", mandataryNumber=SSA, branchCode="BRU", groups=["PMP"], startQuarter="3/2024"
    )
    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    moved = await api(
        'mutation($id: ID!) { changeBranch(input: {mandateId: $id, branchCode: "LIE"}) { userErrors { code } } }',
        {"id": mandate["id"]},
        as_="ssa-signatory",
    )
    assert moved["data"]["changeBranch"]["userErrors"] == []
    signed = await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR)
    payload = await upload(api, "employer-director", mandate["id"], signed)
    assert codes(payload) == ["AUTHORISATION_NOT_FOR_THIS_MANDATE"]
    assert "before the mandate changed" in payload["userErrors"][0]["message"]


async def test_r_pdf_6_a_signature_outside_the_eid_trust_roots_is_refused(api):
    mandate = await _mandate(api)
    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    rogue_ca, rogue_key = make_ca("Not an eID authority")
    cert, key = make_signer(rogue_ca, rogue_key, DIRECTOR, "Marc Delvaux")
    signed = await sign_as(pdf, PRINCIPAL_FIELD, cert, key, rogue_ca)
    payload = await upload(api, "employer-director", mandate["id"], signed)
    assert codes(payload) == ["AUTHORISATION_SIGNATURE_INVALID"]
    assert "eID authority" in payload["userErrors"][0]["message"]


async def test_r_sign_11_a_signer_who_may_not_sign_for_the_party_is_refused(api, signers):
    mandate = await _mandate(api)
    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    auditor = niss("employer-auditor")  # a CBE representative whose function the matrix does not allow
    signed = await signers.sign(pdf, PRINCIPAL_FIELD, auditor)
    assert codes(await upload(api, "employer-director", mandate["id"], signed)) == ["NOT_ALLOWED_TO_SIGN"]


async def test_r_pdf_2_an_outdated_template_is_refused(api, signers, monkeypatch):
    mandate = await _mandate(api)
    monkeypatch.setattr(template, "TEMPLATE_VERSION", "1")
    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    monkeypatch.undo()
    signed = await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR)
    assert codes(await upload(api, "employer-director", mandate["id"], signed)) == ["AUTHORISATION_OUTDATED_TEMPLATE"]


async def test_r_pdf_6_a_file_that_is_not_a_pdf_is_refused(api):
    mandate = await _mandate(api)
    payload = await upload(api, "employer-director", mandate["id"], b"GIF89a this is not a PDF")
    assert codes(payload) == ["AUTHORISATION_NOT_PDF"]


async def test_r_pdf_6_an_upload_over_the_size_limit_is_refused_before_it_is_read(api, app, clock, settings, signers):
    from config.asgi import create_app
    from tests.conftest import token

    mandate = await _mandate(api)
    small = create_app(replace(settings, max_upload_bytes=10_000), clock, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=small), base_url="http://testserver") as client:
        response = await client.post(
            "/graphql",
            data={"operations": '{"query": "mutation { __typename }"}', "map": "{}"},
            files={"0": ("big.pdf", b"%PDF-" + b"0" * 200_000, "application/pdf")},
            headers={"Authorization": f"Bearer {token('employer-director')}"},
        )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "AUTHORISATION_TOO_LARGE"
    assert mandate["status"] == "TO_BE_FINALISED"


async def test_r_pdf_1_the_pdf_names_the_mandate_and_its_link_is_signed_and_short_lived(api):
    mandate = await _mandate(api)
    payload = await request(api, "employer-director", mandate["id"])
    authorisation = payload["authorisation"]
    assert authorisation["method"] == "EID" and authorisation["templateVersion"] == template.TEMPLATE_VERSION
    response = await api.client.get(authorisation["downloadUrl"])
    assert response.content.startswith(b"%PDF-")
    assert mandate["reference"] in _text(response.content)
    forged = authorisation["downloadUrl"].replace("signature=", "signature=0")
    assert (await api.client.get(forged)).status_code == 403
    expired = authorisation["downloadUrl"].split("expires=")[0] + "expires=1&signature=00"
    assert (await api.client.get(expired)).status_code == 403


async def test_r_sign_3_a_non_signatory_manager_may_request_the_pdf(api):
    mandate = await created(api, "employer-manager", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    assert codes(await request(api, "employer-employee", mandate["id"])) == []
    assert codes(await sign(api, "employer-employee", mandate["id"])) == ["NOT_ALLOWED_TO_SIGN"]


async def test_r_sign_5_a_pdf_issued_for_paper_carrying_an_eid_signature_is_refused(api, signers):
    mandate = await _mandate(api)
    pdf = await issued_pdf(api, "employer-director", mandate["id"], method="HANDWRITTEN")
    signed = await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR)
    assert codes(await upload(api, "employer-director", mandate["id"], signed)) == ["INVALID_TRANSITION"]


async def test_r_cre_6_r_pdf_7_the_pdf_carries_the_clause_and_never_the_roles(api):
    mandate = await created(
        api, "employer-director", mandataryNumber=PROVIDER, groups=["DMFA", "DIMONA", "FLEXI"], startQuarter="3/2024"
    )
    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    text = _text(pdf)
    assert "lawfully ended" in text
    assert LOGISTIQUE in text and "3/2024" in text
    assert not any(word in text.lower() for word in ("master", "secondary", "secondaire"))


async def test_r_sign_8_a_counterparty_unknown_in_user_management_signs_outside_and_the_encoder_uploads(api, signers):
    """The ASBL has no user: the SSA passes the PDF on, gets it back signed and reloads it alone."""
    from tests.api.helpers import ASBL

    mandate = await created(api, "ssa-signatory", principalNumber=ASBL, groups=["SIGEDIS"], startQuarter="3/2024")
    pdf = await issued_pdf(api, "ssa-signatory", mandate["id"])
    signed = await signers.sign(
        await signers.sign(pdf, MANDATARY_FIELD, niss("ssa-signatory")), PRINCIPAL_FIELD, "82080627364"
    )
    payload = await upload(api, "ssa-signatory", mandate["id"], signed)
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "ACTIVE"
    assert {s["party"]: s["signerNiss"] for s in payload["mandate"]["signatures"]} == {
        "MANDATARY": niss("ssa-signatory"),
        "PRINCIPAL": None,
    }
    seen_by_officer = await read(api, "nsso-officer", payload["mandate"]["reference"])
    assert {s["party"]: s["signerNiss"] for s in seen_by_officer["signatures"]} == {
        "MANDATARY": niss("ssa-signatory"),
        "PRINCIPAL": "82080627364",
    }


CLOSE = "mutation($input: CloseMandateInput!) { closeMandate(input: $input) { userErrors { code } } }"


async def test_r_pdf_8_a_manager_attaches_a_new_version_to_an_active_mandate_after_an_action(api, signers):
    """Issue 13, departure 2: an ACTIVE mandate gets a new authorisation reflecting it after an action (here
    a closure): requested, signed, verified like any upload and kept as a version; the status is unchanged."""
    mandate = await _mandate(api)
    await sign(api, "employer-director", mandate["id"])
    assert (await sign(api, "provider-signatory", mandate["id"]))["mandate"]["status"] == "ACTIVE"
    before = await issued_pdf(api, "employer-director", mandate["id"])  # issued before the closure
    closed = await api(CLOSE, {"input": {"mandateId": mandate["id"], "endQuarter": "4/2024"}}, as_="employer-director")
    assert closed["data"]["closeMandate"]["userErrors"] == []
    stale = await signers.sign(
        await signers.sign(before, PRINCIPAL_FIELD, DIRECTOR), MANDATARY_FIELD, PROVIDER_SIGNATORY
    )
    assert codes(await upload(api, "employer-director", mandate["id"], stale)) == ["AUTHORISATION_NOT_FOR_THIS_MANDATE"]

    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    wrong = await signers.sign(pdf, PRINCIPAL_FIELD, niss("employer-employee"))  # no signatory of the principal
    assert codes(await upload(api, "employer-director", mandate["id"], wrong)) == ["NOT_ALLOWED_TO_SIGN"]
    signed = await signers.sign(await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR), MANDATARY_FIELD, PROVIDER_SIGNATORY)
    payload = await upload(api, "employer-director", mandate["id"], signed)
    assert payload["userErrors"] == []
    result = payload["mandate"]
    assert result["status"] == "ACTIVE" and result["endQuarter"] == "4/2024"
    assert [(s["party"], s["method"]) for s in result["signatures"]] == [
        ("PRINCIPAL", "AUTHENTICATION"),
        ("MANDATARY", "AUTHENTICATION"),
    ]  # the version adds no signature: the mandate was already signed
    assert result["history"][-1]["action"] == "AUTHORISATION_VERSION"
    assert any("new version" in (a["verdict"] or "") for a in result["authorisations"])
