"""New versions of the authorisation attached to an action on a finalised mandate, through GraphQL.

R-PDF-8 (issue 13, departure 2), with R-PDF-2, R-PDF-5, R-SIGN-9. A closure or a branch change may ask, in the
same request, for the authorisation showing the mandate as the action leaves it (`newAuthorisation`): it is
issued in the action's transaction, for the revision the action produces, then signed and uploaded like any
authorisation; the upload is verified and kept as a version, the status unchanged. Today is 2024-05-10.
"""

from __future__ import annotations

import subprocess

from resolvers.authorisations import pdf_words
from tests.api.authorisation_steps import Signers, issued_pdf, request, upload
from tests.api.helpers import LOGISTIQUE, MANDATE_FIELDS, PROVIDER, SSA, active, codes, created, error_codes, niss, sign

PRINCIPAL_FIELD, MANDATARY_FIELD = "PrincipalSignature", "MandatarySignature"
DIRECTOR, PROVIDER_SIGNATORY = niss("employer-director"), niss("provider-signatory")

AUTHORISATIONS = "authorisations { method templateVersion downloadUrl uploadedAt verdict }"

CLOSE = f"""
mutation($input: CloseMandateInput!) {{
  closeMandate(input: $input) {{ mandate {{ {MANDATE_FIELDS} {AUTHORISATIONS} }} userErrors {{ code field }} }}
}}"""

BRANCH = f"""
mutation($input: ChangeBranchInput!) {{
  changeBranch(input: $input) {{ mandate {{ {MANDATE_FIELDS} {AUTHORISATIONS} }} userErrors {{ code field }} }}
}}"""

VIEW = f"""
query($reference: String!) {{ mandate(reference: $reference) {{ {MANDATE_FIELDS} {AUTHORISATIONS} }} }}"""


def _text(pdf: bytes) -> str:
    """The document's text as any PDF tool reads it (poppler's pdftotext), on one line."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return " ".join(out.split())


async def _download(api, authorisation: dict) -> bytes:
    response = await api.client.get(authorisation["downloadUrl"])
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    return response.content


async def _eid_active(api, signers: Signers) -> dict:
    """An ACTIVE mandate made by eID signatures on its first authorisation."""
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    signed = await signers.sign(await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR), MANDATARY_FIELD, PROVIDER_SIGNATORY)
    payload = await upload(api, "employer-director", mandate["id"], signed)
    assert payload["userErrors"] == [] and payload["mandate"]["status"] == "ACTIVE"
    return payload["mandate"]


async def _close(api, mandate_id: str, as_: str = "employer-director", **fields) -> dict:
    result = await api(CLOSE, {"input": {"mandateId": mandate_id, "endQuarter": "4/2024", **fields}}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["closeMandate"]


async def _view(api, reference: str) -> dict:
    result = await api(VIEW, {"reference": reference}, as_="employer-director")
    assert "errors" not in result, result
    return result["data"]["mandate"]


async def test_r_pdf_8_a_closure_with_a_new_authorisation_issues_the_version_that_shows_the_end(api, signers):
    """Given an ACTIVE mandate with one authorisation, when a closure is done with a new authorisation asked in
    the same request, then the new version shows the end quarter, is signed, verified and kept: two entries."""
    mandate = await _eid_active(api, signers)
    payload = await _close(api, mandate["id"], newAuthorisation={"method": "EID", "language": "FR"})
    assert payload["userErrors"] == []
    closed = payload["mandate"]
    assert closed["status"] == "ACTIVE" and closed["endQuarter"] == "4/2024"
    assert [a["uploadedAt"] is not None for a in closed["authorisations"]] == [True, False]
    assert [e["action"] for e in closed["history"][-2:]] == ["CLOSURE", "AUTHORISATION_ISSUED"]
    version = closed["authorisations"][-1]
    assert version["method"] == "EID" and version["templateVersion"] == "3"

    pdf = await _download(api, version)
    text = _text(pdf)
    assert pdf_words("fr")["group_ends"].split("{")[1].split("}")[1].strip() in text  # "— dernier trimestre…"
    assert "4/2024" in text and mandate["reference"] in text

    signed = await signers.sign(await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR), MANDATARY_FIELD, PROVIDER_SIGNATORY)
    kept = await upload(api, "employer-director", mandate["id"], signed)
    assert kept["userErrors"] == []
    result = kept["mandate"]
    assert result["status"] == "ACTIVE" and result["endQuarter"] == "4/2024"
    assert len(result["authorisations"]) == 2 and all(a["uploadedAt"] for a in result["authorisations"])
    assert "new version" in result["authorisations"][-1]["verdict"]
    assert result["history"][-1]["action"] == "AUTHORISATION_VERSION"
    assert [(s["party"], s["method"]) for s in result["signatures"]] == [("PRINCIPAL", "EID"), ("MANDATARY", "EID")]


async def test_r_pdf_8_a_refused_new_authorisation_leaves_the_action_undone(api, signers):
    """One transaction: the closure is not written when the authorisation it asks for is refused."""
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    refused = await _close(api, mandate["id"], newAuthorisation={"method": "AUTHENTICATION"})
    assert codes(refused) == ["INVALID_INPUT"] and refused["mandate"] is None
    after = await _view(api, mandate["reference"])
    assert after["endQuarter"] is None and after["authorisations"] == []
    assert all(group["endQuarter"] is None for group in after["groups"])
    assert after["history"][-1]["action"] != "CLOSURE"
    # An officer closing ex officio is no mandate manager of either party: no version for it.
    officer = await api(
        CLOSE,
        {"input": {"mandateId": mandate["id"], "endQuarter": "4/2024", "newAuthorisation": {"method": "EID"}}},
        as_="nsso-officer",
    )
    assert error_codes(officer) == ["FORBIDDEN"]
    assert (await _view(api, mandate["reference"]))["endQuarter"] is None


async def test_r_pdf_8_a_branch_change_with_a_new_authorisation_names_the_branch_then_the_head_office(api, signers):
    mandate = await created(
        api, "employer-director", mandataryNumber=SSA, branchCode="BRU", groups=["PMP"], startQuarter="3/2024"
    )
    await sign(api, "employer-director", mandate["id"])
    assert (await sign(api, "ssa-signatory", mandate["id"]))["mandate"]["status"] == "ACTIVE"
    words = pdf_words("en")

    moved = await api(
        BRANCH,
        {"input": {"mandateId": mandate["id"], "branchCode": "LIE", "newAuthorisation": {"method": "EID"}}},
        as_="ssa-signatory",
    )
    payload = moved["data"]["changeBranch"]
    assert payload["userErrors"] == [] and payload["mandate"]["branch"] == {"code": "LIE"}
    text = _text(await _download(api, payload["mandate"]["authorisations"][-1]))
    assert words["branch"].format(branch="LIE") in text and words["head_office"] not in text

    home = await api(
        BRANCH, {"input": {"mandateId": mandate["id"], "newAuthorisation": {"method": "EID"}}}, as_="ssa-signatory"
    )
    payload = home["data"]["changeBranch"]
    assert payload["userErrors"] == [] and payload["mandate"]["branch"] is None
    assert len(payload["mandate"]["authorisations"]) == 2
    pdf = await _download(api, payload["mandate"]["authorisations"][-1])
    assert words["head_office"] in _text(pdf)

    signed = await signers.sign(
        await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR), MANDATARY_FIELD, niss("ssa-signatory")
    )
    kept = await upload(api, "ssa-signatory", mandate["id"], signed)
    assert kept["userErrors"] == [] and kept["mandate"]["status"] == "ACTIVE"
    assert kept["mandate"]["history"][-1]["action"] == "AUTHORISATION_VERSION"


async def test_r_pdf_8_a_refused_branch_change_issues_no_authorisation(api):
    mandate = await created(
        api, "employer-director", mandataryNumber=SSA, branchCode="BRU", groups=["PMP"], startQuarter="3/2024"
    )
    await sign(api, "employer-director", mandate["id"])
    await sign(api, "ssa-signatory", mandate["id"])
    same = await api(
        BRANCH,
        {"input": {"mandateId": mandate["id"], "branchCode": "BRU", "newAuthorisation": {"method": "EID"}}},
        as_="ssa-signatory",
    )
    assert codes(same["data"]["changeBranch"]) == ["INVALID_BRANCH"]
    assert (await _view(api, mandate["reference"]))["authorisations"] == []


async def test_r_pdf_8_r_sign_9_a_handwritten_version_of_an_active_mandate_is_kept_for_the_nsso_status_unchanged(api):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    before = await issued_pdf(api, "employer-director", mandate["id"], method="HANDWRITTEN")
    payload = await _close(api, mandate["id"], newAuthorisation={"method": "HANDWRITTEN"})
    assert payload["userErrors"] == []
    issued = payload["mandate"]["authorisations"][-1]
    assert issued["method"] == "HANDWRITTEN"
    # The paper issued before the closure does not show it: refused (R-PDF-5).
    stale = await upload(api, "employer-director", mandate["id"], before)
    assert codes(stale) == ["AUTHORISATION_NOT_FOR_THIS_MANDATE"]
    # Stand-in for the printed, hand-signed and scanned new version: the issued PDF itself.
    scan = await _download(api, issued)
    kept = await upload(api, "employer-director", mandate["id"], scan)
    assert kept["userErrors"] == []
    result = kept["mandate"]
    assert result["status"] == "ACTIVE" and result["endQuarter"] == "4/2024"
    assert "NSSO's check" in result["authorisations"][-1]["verdict"]
    last = result["history"][-1]
    assert (last["action"], last["method"]) == ("AUTHORISATION_VERSION", "HANDWRITTEN")
    assert [s["method"] for s in result["signatures"]] == ["AUTHENTICATION", "AUTHENTICATION"]


async def test_r_sign_9_no_handwritten_version_once_the_paper_tolerance_closed(api, closed_tolerance):
    """A principal known in the CBE signs its new version electronically once the tolerance ended: the paper
    request is refused with the reason, the closure with it not written."""
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    assert codes(await request(closed_tolerance, "employer-director", mandate["id"], "HANDWRITTEN")) == [
        "PAPER_NOT_ALLOWED"
    ]
    refused = await _close(closed_tolerance, mandate["id"], newAuthorisation={"method": "HANDWRITTEN"})
    assert codes(refused) == ["PAPER_NOT_ALLOWED"]
    assert (await _view(api, mandate["reference"]))["endQuarter"] is None
    # A paper copy issued while the tolerance was open is not accepted after it closed.
    scan = await issued_pdf(api, "employer-director", mandate["id"], method="HANDWRITTEN")
    late = await upload(closed_tolerance, "employer-director", mandate["id"], scan)
    assert codes(late) == ["PAPER_NOT_ALLOWED"]
    assert (await _view(api, mandate["reference"]))["status"] == "ACTIVE"


async def test_r_pdf_2_a_version_issued_on_the_previous_template_is_refused(api, signers, monkeypatch):
    """Template 3 shows closures and the head office; a PDF issued from template 2 is refused on reload."""
    from documents import template

    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    monkeypatch.setattr(template, "TEMPLATE_VERSION", "2")
    old = await issued_pdf(api, "employer-director", mandate["id"])
    monkeypatch.undo()
    signed = await signers.sign(await signers.sign(old, PRINCIPAL_FIELD, DIRECTOR), MANDATARY_FIELD, PROVIDER_SIGNATORY)
    assert codes(await upload(api, "employer-director", mandate["id"], signed)) == ["AUTHORISATION_OUTDATED_TEMPLATE"]


async def test_r_pdf_8_a_late_closure_that_ends_the_mandate_at_once_still_gets_its_version(api, signers):
    """A closure of a past quarter: the mandate reads CLOSED at once, and the version showing that end is still
    issued in the same request, signed and kept."""
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "1/2024")
    payload = await _close(
        api,
        mandate["id"],
        endQuarter="1/2024",
        reasonText="Contract ended in March",
        newAuthorisation={"method": "EID"},
    )
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "CLOSED"
    pdf = await _download(api, payload["mandate"]["authorisations"][-1])
    assert pdf_words("en")["group_ends"].format(group="", quarter="1/2024").strip() in _text(pdf)
    signed = await signers.sign(await signers.sign(pdf, PRINCIPAL_FIELD, DIRECTOR), MANDATARY_FIELD, PROVIDER_SIGNATORY)
    kept = await upload(api, "employer-director", mandate["id"], signed)
    assert kept["userErrors"] == [] and kept["mandate"]["status"] == "CLOSED"
    assert kept["mandate"]["history"][-1]["action"] == "AUTHORISATION_VERSION"
