"""Steps for the authorisation tests: request the PDF, fetch it by its link, sign it as a person, upload it."""

from __future__ import annotations

import json

from tests.api.helpers import MANDATE_FIELDS, niss
from tests.documents.pki import make_signer, sign_as

REQUEST = """
mutation($id: ID!, $method: SigningMethod!) {
  requestAuthorisation(input: {mandateId: $id, method: $method}) {
    authorisation { id method templateVersion issuedAt downloadUrl uploadedAt verdict }
    userErrors { code field message rules }
  }
}"""

UPLOAD = f"""
mutation($input: UploadAuthorisationInput!) {{
  uploadAuthorisation(input: $input) {{
    mandate {{ {MANDATE_FIELDS} authorisations {{ method uploadedAt verdict revocation }} }}
    userErrors {{ code field message rules }} }}
}}"""


REVIEW = """
mutation($input: ReviewAuthorisationInput!) {
  reviewAuthorisation(input: $input) {
    mandate {
      id reference status inspectionDue
      signatures { party method signerNiss }
      rejection { reason consultedByPrincipalAt consultedByMandataryAt }
      authorisations { method uploadedAt verdict }
    }
    userErrors { code field message rules }
  }
}"""


async def request(api, as_: str, mandate_id: str, method: str = "EID") -> dict:
    result = await api(REQUEST, {"id": mandate_id, "method": method}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["requestAuthorisation"]


async def issued_pdf(api, as_: str, mandate_id: str, method: str = "EID") -> bytes:
    payload = await request(api, as_, mandate_id, method)
    assert payload["userErrors"] == [], payload["userErrors"]
    response = await api.client.get(payload["authorisation"]["downloadUrl"])
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    return response.content


async def post_upload(api, as_: str, mandate_id: str, data: bytes):
    """A GraphQL multipart request (the spec Strawberry follows): operations, map, the file; the HTTP response."""
    from tests.conftest import token

    operations = {"query": UPLOAD, "variables": {"input": {"mandateId": mandate_id, "file": None}}}
    return await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": ("authorisation.pdf", data, "application/pdf")},
        headers={"Authorization": f"Bearer {token(as_)}"},
    )


async def upload(api, as_: str, mandate_id: str, data: bytes) -> dict:
    """uploadAuthorisation's payload."""
    response = await post_upload(api, as_, mandate_id, data)
    assert response.status_code == 200, response.text
    result = response.json()
    assert "errors" not in result, result
    return result["data"]["uploadAuthorisation"]


class Signers:
    """eID signature certificates of the test CA for the demo's people, made once per NISS."""

    def __init__(self, ca_cert, ca_key):
        self.ca_cert, self.ca_key, self._made = ca_cert, ca_key, {}

    def of(self, niss: str, name: str = "Test Signer"):
        if niss not in self._made:
            self._made[niss] = make_signer(self.ca_cert, self.ca_key, niss, name)
        return self._made[niss]

    async def sign(self, pdf: bytes, field: str, niss: str) -> bytes:
        cert, key = self.of(niss)
        return await sign_as(pdf, field, cert, key, self.ca_cert)


async def review(api, mandate_id: str, decision: str, *, as_: str = "nsso-officer", **fields) -> dict:
    """The officer's reviewAuthorisation payload."""
    result = await api(REVIEW, {"input": {"mandateId": mandate_id, "decision": decision, **fields}}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["reviewAuthorisation"]


async def accept(api, mandate_id: str, principal: str | None = None, mandatary: str | None = None) -> dict:
    """ACCEPT with the NISS read on the paper: by default the demo director and the provider's signatory."""
    principal = principal or niss("employer-director")
    mandatary = mandatary or niss("provider-signatory")
    return await review(api, mandate_id, "ACCEPT", principalSignerNiss=principal, mandatarySignerNiss=mandatary)


def padded(pdf: bytes, size: int, objects: int = 1) -> bytes:
    """`pdf` grown to about `size` bytes by an incremental update holding `objects` unreferenced streams
    of random (incompressible) bytes: a large upload that still carries the registry's seal, to be
    signed afterwards like any issued PDF. Many objects make the file costly to read (each has its
    cross-reference entry that the verification parses and compares between revisions)."""
    import os
    from io import BytesIO

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    each = max(0, (size - len(pdf)) // objects - 58)  # about 58 bytes of each object's envelope and xref entry
    for _ in range(objects):
        writer.add_object(generic.StreamObject(stream_data=os.urandom(each)))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


# Four managers of the parties of a mandate of the demo employer with the demo provider: four
# viewers, so that uploads at once stay within each one's abuse limits (resolvers/limits.py).
UPLOADERS = ("employer-director", "employer-competence", "employer-auditor", "provider-signatory")
