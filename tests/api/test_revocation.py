"""eID revocation (issue 12, item 5; R-PDF-6): the signer's certificate is checked against the CRL and
the OCSP responder its certificate declares, published by the test CA on 127.0.0.1
(tests/documents/revocation.py). A revoked signer is refused with AUTHORISATION_SIGNER_REVOKED; a
responder that cannot be reached refuses the upload in hard-fail mode (AUTHORISATION_REVOCATION_UNKNOWN,
nothing saved) and lets it through in soft-fail mode, the upload's verdict and `revocation` saying so.
"""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from config.settings import Settings, SettingsError
from tests.api.authorisation_steps import issued_pdf, upload
from tests.api.helpers import PROVIDER, codes, created, niss
from tests.conftest import Api
from tests.documents.pki import make_ca, make_signer, sign_as
from tests.documents.revocation import RevocationServices, unreachable_url

PRINCIPAL_FIELD = "PrincipalSignature"
DIRECTOR = niss("employer-director")


@pytest.fixture
def services(eid_ca):
    with RevocationServices(eid_ca[0], eid_ca[1]) as services:
        yield services


async def _api(settings: Settings, clock, mode: str):
    from config.asgi import create_app

    app = create_app(
        replace(settings, eid_revocation=mode, eid_revocation_timeout_seconds=5.0), clock, manage_database=False
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def _upload_signed_by(client: httpx.AsyncClient, eid_ca, cert, key) -> tuple[dict, dict]:
    """A new mandate's issued PDF signed by the principal with `cert`, uploaded: (the mandate, the payload)."""
    api = Api(client)
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    pdf = await issued_pdf(api, "employer-director", mandate["id"])
    signed = await sign_as(pdf, PRINCIPAL_FIELD, cert, key, eid_ca[0])
    return mandate, await upload(api, "employer-director", mandate["id"], signed)


@pytest.mark.parametrize("mode", ["hard-fail", "soft-fail"])
@pytest.mark.parametrize("published", ["crl", "ocsp"])
async def test_r_pdf_6_a_revoked_signers_upload_is_refused_with_its_code(
    reference, clock, settings, eid_ca, services, mode, published
):
    cert, key = services.signer(
        DIRECTOR, "Revoked Signer", crl=published == "crl", ocsp=published == "ocsp", revoked=True
    )
    async with await _api(settings, clock, mode) as client:
        _, payload = await _upload_signed_by(client, eid_ca, cert, key)
    assert codes(payload) == ["AUTHORISATION_SIGNER_REVOKED"]
    assert payload["userErrors"][0]["field"] == ["file"]
    assert "revoked" in payload["userErrors"][0]["message"]
    assert services.asked == [published]


@pytest.mark.parametrize("published", ["crl", "ocsp"])
async def test_r_pdf_6_a_good_answer_is_recorded_on_the_upload(reference, clock, settings, eid_ca, services, published):
    cert, key = services.signer(DIRECTOR, "Good Signer", crl=published == "crl", ocsp=published == "ocsp")
    async with await _api(settings, clock, "hard-fail") as client:
        _, payload = await _upload_signed_by(client, eid_ca, cert, key)
    assert payload["userErrors"] == []
    (authorisation,) = payload["mandate"]["authorisations"]
    assert authorisation["revocation"] == "GOOD"
    assert "no certificate revoked" in authorisation["verdict"]
    assert services.asked == [published]


async def test_r_pdf_6_an_unreachable_responder_refuses_in_hard_fail_mode(reference, clock, settings, eid_ca):
    cert, key = make_signer(eid_ca[0], eid_ca[1], DIRECTOR, "Unchecked Signer", crl_url=unreachable_url("/ca.crl"))
    async with await _api(settings, clock, "hard-fail") as client:
        mandate, payload = await _upload_signed_by(client, eid_ca, cert, key)
        assert codes(payload) == ["AUTHORISATION_REVOCATION_UNKNOWN"]
        assert "again later" in payload["userErrors"][0]["message"]
        # Nothing was saved: the issued copy still waits for its upload, the mandate for its signature.
        seen = await Api(client)(
            "query($r: String!) { mandate(reference: $r) { status authorisations { uploadedAt revocation } } }",
            {"r": mandate["reference"]},
            as_="employer-director",
        )
    assert seen["data"]["mandate"]["authorisations"] == [{"uploadedAt": None, "revocation": None}]
    assert seen["data"]["mandate"]["status"] == mandate["status"]


async def test_r_pdf_6_an_unreachable_responder_is_noted_and_accepted_in_soft_fail_mode(
    reference, clock, settings, eid_ca
):
    cert, key = make_signer(
        eid_ca[0],
        eid_ca[1],
        DIRECTOR,
        "Unchecked Signer",
        crl_url=unreachable_url("/ca.crl"),
        ocsp_url=unreachable_url("/ocsp"),
    )
    async with await _api(settings, clock, "soft-fail") as client:
        _, payload = await _upload_signed_by(client, eid_ca, cert, key)
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "PENDING"
    (authorisation,) = payload["mandate"]["authorisations"]
    assert authorisation["revocation"] == "NOT_CHECKED"
    assert "revocation not checked" in authorisation["verdict"]


async def test_r_pdf_6_a_certificate_naming_no_revocation_service_is_recorded_so(reference, clock, settings, eid_ca):
    cert, key = make_signer(eid_ca[0], eid_ca[1], DIRECTOR, "Plain Signer")
    async with await _api(settings, clock, "hard-fail") as client:
        _, payload = await _upload_signed_by(client, eid_ca, cert, key)
    assert payload["userErrors"] == []
    assert payload["mandate"]["authorisations"][0]["revocation"] == "NOT_DECLARED"


def test_eid_revocation_hard_fail_by_default_in_production_and_soft_fail_on_request():
    assert Settings().eid_revocation_hard_fail is False
    assert replace(Settings(), production=True).eid_revocation_hard_fail is True
    assert replace(Settings(), production=True, eid_revocation="soft-fail").eid_revocation_hard_fail is False
    assert Settings.from_env({"MANDATES_EID_REVOCATION": "Hard-Fail"}).eid_revocation_hard_fail is True
    with pytest.raises(SettingsError, match="MANDATES_EID_REVOCATION"):
        Settings.from_env({"MANDATES_EID_REVOCATION": "ignore"})


async def test_r_pdf_6_an_unknown_authority_is_no_revocation_question(reference, clock, settings, eid_ca):
    """A certificate of an authority the registry does not trust is refused as such, even when it names a
    revocation service that does not answer (not "try again later")."""
    rogue, rogue_key = make_ca("Rogue root CA")
    cert, key = make_signer(rogue, rogue_key, DIRECTOR, "Mallory Rogue", crl_url=unreachable_url("/ca.crl"))
    async with await _api(settings, clock, "hard-fail") as client:
        api = Api(client)
        mandate = await created(
            api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024"
        )
        signed = await sign_as(
            await issued_pdf(api, "employer-director", mandate["id"]), PRINCIPAL_FIELD, cert, key, rogue
        )
        payload = await upload(api, "employer-director", mandate["id"], signed)
    assert codes(payload) == ["AUTHORISATION_SIGNATURE_INVALID"]
