"""The authorisation PDF: template (R-PDF-2..4, R-PDF-7), seal (R-PDF-5), verification of uploads (R-PDF-6).

poppler-utils (pdftotext, pdfsig) is installed by the test set-up (tests/setup_browser.sh); its
absence fails these tests, it never skips them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from documents.seal import RegistryKey, create_development_key, seal
from documents.template import TEMPLATE_VERSION, AuthorisationContent, Plate, render
from documents.verification import inspect
from resolvers.authorisations import pdf_words
from tests.documents.pki import cert_pem, make_ca, make_signer, sign_as

PRINCIPAL_NISS, MANDATARY_NISS = "85073003328", "90010100123"

CONTENT = AuthorisationContent(
    reference="MND-2024-000123",
    template_version=TEMPLATE_VERSION,
    method="EID",
    principal=Plate(
        name="Coopérative Les Tisserands (SC)",
        enterprise_number="0123.456.749",
        nsso_number="123456789",
        ssa_number=None,
        address="Rue de l'Été 12, 1000 Bruxelles",
    ),
    mandatary=Plate(
        name="Secrétariat social Équipe",
        enterprise_number="0409.536.968",
        nsso_number=None,
        ssa_number="0123",
        address="Boulevard Anspach 1, 1000 Bruxelles",
        branch="BRU — Brussels",
    ),
    groups=[("DMFA", "DmfA"), ("DIMONA", "Dimona"), ("FLEXI", "Flexi-jobs")],
    start_quarter="3/2024",
    language="en",
    words={
        **pdf_words("en"),
        "clause": "Any earlier contract (fees of 10 € à 20 €) ends on the start date; see art. 1 (b) \\ 2.",
    },
)


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(
            f"{tool} is missing: install Debian's poppler-utils (bash tests/setup_browser.sh, or apt-get install "
            f"-y poppler-utils)"
        )
    return path


def pdftotext(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(
        [poppler("pdftotext"), "-layout", "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


# --- fixtures: keys, a test PKI, the issued and the signed PDFs (made once per module) ---------------


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> RegistryKey:
    return RegistryKey.load(*create_development_key(tmp_path_factory.mktemp("registry")))


@pytest.fixture(scope="module")
def other_registry(tmp_path_factory) -> RegistryKey:
    return RegistryKey.load(*create_development_key(tmp_path_factory.mktemp("other-registry")))


@pytest.fixture(scope="module")
def pki():
    ca, ca_key = make_ca("Test eID root CA")
    principal = make_signer(ca, ca_key, PRINCIPAL_NISS, "Alice Dupont")
    mandatary = make_signer(ca, ca_key, MANDATARY_NISS, "Bob Peeters")
    rogue_ca, rogue_ca_key = make_ca("Rogue root CA")
    rogue = make_signer(rogue_ca, rogue_ca_key, MANDATARY_NISS, "Mallory Rogue")
    return {
        "ca": ca,
        "roots": cert_pem(ca),
        "principal": principal,
        "mandatary": mandatary,
        "rogue_ca": rogue_ca,
        "rogue": rogue,
    }


@pytest.fixture(scope="module")
def issued(registry) -> bytes:
    return asyncio.run(seal(render(CONTENT), registry))


@pytest.fixture(scope="module")
def signed(issued, pki) -> bytes:
    """The issued PDF signed by the principal, then by the mandatary."""

    async def both() -> bytes:
        once = await sign_as(issued, "PrincipalSignature", *pki["principal"], pki["ca"])
        return await sign_as(once, "MandatarySignature", *pki["mandatary"], pki["ca"])

    return asyncio.run(both())


# --- the template ----------------------------------------------------------------------------------


def test_r_pdf_3_text_carries_reference_plates_groups_and_start_quarter(tmp_path):
    text = pdftotext(render(CONTENT), tmp_path)
    assert "Authorisation — mandate MND-2024-000123" in text
    for expected in [
        "Coopérative Les Tisserands (SC)",
        "0123.456.749",
        "NSSO number: 123456789",
        "Rue de l'Été 12, 1000 Bruxelles",
        "Secrétariat social Équipe",
        "0409.536.968",
        "SSA number: 0123",
        "Branch: BRU — Brussels",
        "Boulevard Anspach 1, 1000 Bruxelles",
        "Start quarter (affiliation): 3/2024",
    ]:
        assert expected in text, expected
    for _code, name in CONTENT.groups:
        assert f"[X] {name}" in text
    flat = " ".join(text.split())  # the clause may wrap
    assert "(fees of 10 € à 20 €) ends on the start date; see art. 1 (b) \\ 2." in flat


PDF_WORDS = {  # words of each language's template, read back from the PDF's text
    "en": ["Authorisation — mandate MND-2024-000123", "Principal", "NSSO number: 123456789", "For the mandatary"],
    "fr": ["Procuration — mandat MND-2024-000123", "Mandant", "Numéro ONSS : 123456789", "Pour le mandataire"],
    "nl": ["Volmacht — mandaat MND-2024-000123", "Mandaatgever", "RSZ-nummer: 123456789", "Voor de mandataris"],
    "de": ["Vollmacht — Mandat MND-2024-000123", "Mandatgeber", "LSS-Nummer: 123456789", "Für den Mandatar"],
}


@pytest.mark.parametrize("language", sorted(PDF_WORDS))
def test_r_pdf_3_the_authorisation_is_written_in_each_of_the_four_languages(language, tmp_path):
    content = replace(CONTENT, language=language, words=pdf_words(language))
    pdf = render(content)
    text = pdftotext(pdf, tmp_path)
    flat = " ".join(text.split())
    for expected in PDF_WORDS[language]:
        assert expected in text, (language, expected)
    assert " ".join(pdf_words(language)["clause"].split()) in flat
    assert pdf_words(language)["footer"].split("{")[0].strip() in text
    for other, words in PDF_WORDS.items():
        if other != language:
            assert words[0] not in text, (language, other)
    assert not re.search(r"\bR-[A-Z]+-\d+\b|\b[A-Z]+_[A-Z_]+\b|\bEID\b|\bHANDWRITTEN\b", text)
    assert PdfFileReader(BytesIO(pdf)).root["/Lang"] == language


def test_r_pdf_3_absent_numbers_and_branch_are_not_printed(tmp_path):
    content = replace(
        CONTENT,
        principal=replace(CONTENT.principal, nsso_number=None),
        mandatary=replace(CONTENT.mandatary, ssa_number=None, branch=None),
    )
    text = pdftotext(render(content), tmp_path)
    assert "NSSO number" not in text and "SSA number" not in text and "Branch" not in text


def test_r_pdf_4_paper_fields_and_two_empty_signature_fields(tmp_path):
    pdf = render(CONTENT)
    text = pdftotext(pdf, tmp_path)
    assert text.count("NISS of the representative:") == 2
    assert text.count("Signature:") == 2
    assert text.count("Date:") == 2
    assert text.count("[X]") == len(CONTENT.groups)
    fields = {name: filled for name, filled, _ in enumerate_sig_fields(PdfFileReader(BytesIO(pdf)))}
    assert fields == {"PrincipalSignature": None, "MandatarySignature": None}


def test_r_pdf_2_template_version_and_reference_in_text_and_info(tmp_path):
    pdf = render(CONTENT)
    assert TEMPLATE_VERSION == "3"  # 3: the closed groups' end quarters and the head office (R-PDF-8)
    assert "Template version: 3" in pdftotext(pdf, tmp_path)
    info = PdfFileReader(BytesIO(pdf)).trailer["/Info"]
    assert info["/Title"] == "Authorisation — mandate MND-2024-000123"
    assert (
        info["/TemplateVersion"] == "3"
        and info["/MandateReference"] == "MND-2024-000123"
        and info["/SigningMethod"] == "EID"
    )
    assert "template version 3" in info["/Subject"]


@pytest.mark.parametrize("language", sorted(PDF_WORDS))
def test_r_pdf_8_a_new_version_shows_each_closed_groups_end_and_the_head_office(language, tmp_path):
    """After a closure of some groups and a move back to the head office, the new version says so, in each
    of the four languages (issue 13, departure 2)."""
    words = pdf_words(language)
    content = replace(
        CONTENT,
        language=language,
        words=words,
        mandatary=replace(CONTENT.mandatary, branch=None),
        ends={"DMFA": "4/2024", "FLEXI": "1/2025"},
    )
    flat = " ".join(pdftotext(render(content), tmp_path).split())
    assert f"[X] {words['group_ends'].format(group='DmfA', quarter='4/2024')}" in flat
    assert f"[X] {words['group_ends'].format(group='Flexi-jobs', quarter='1/2025')}" in flat
    assert "[X] Dimona" in flat and words["group_ends"].format(group="Dimona", quarter="")[:12] not in flat
    assert words["head_office"] in flat
    assert words["branch"].split("{")[0].strip() not in flat.replace(words["head_office"], "")


def test_r_pdf_3_long_content_flows_onto_more_pages(tmp_path):
    groups = [(f"G{i}", f"Application group number {i}") for i in range(60)]
    pdf = render(replace(CONTENT, groups=groups))
    reader = PdfFileReader(BytesIO(pdf))
    pages = int(reader.root["/Pages"]["/Count"])
    assert pages >= 2
    text = pdftotext(pdf, tmp_path)
    assert all(f"[X] {name}\n" in text for _, name in groups)
    assert text.count("NISS of the representative:") == 2
    assert f"page {pages}/{pages}" in text


def test_r_pdf_7_no_master_or_secondary_anywhere(tmp_path, issued):
    content = replace(
        CONTENT, groups=[("DMFA", "DmfA"), ("DIMONA", "Dimona"), ("FLEXI", "Flexi-jobs")], method="HANDWRITTEN"
    )
    for pdf in (render(content), issued):
        text = pdftotext(pdf, tmp_path).lower()
        for word in ("master", "secondary", "secondaire"):
            assert word not in text
        info = PdfFileReader(BytesIO(pdf)).trailer["/Info"]
        assert not any(re.search("master|secondary|secondaire", str(value), re.IGNORECASE) for value in info.values())


# --- the seal --------------------------------------------------------------------------------------


async def test_r_pdf_5_seal_binds_the_issued_revision(issued, registry, pki):
    unsealed = render(CONTENT)
    found = await inspect(issued, registry.cert_pem, pki["roots"])
    assert found.is_pdf and found.seal_valid and found.problems == []
    assert found.sealed_revision_sha256 == hashlib.sha256(issued).hexdigest()
    assert found.signatures == []
    resealed = await seal(unsealed, registry)
    assert resealed != issued  # each issue has its own timestamp


def test_r_pdf_5_the_seal_shows_its_real_signing_time_to_readers_of_the_pdf(registry, tmp_path):
    """Not 1 January 1970: the seal's dictionary states /M, the instant its timestamp token records, and
    poppler's pdfsig (which reads /M, not the token) shows it."""
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    sealed = asyncio.run(seal(render(CONTENT), registry))
    after = dt.datetime.now(dt.UTC)
    reader = PdfFileReader(BytesIO(sealed))
    (field,) = [s for s in reader.embedded_timestamp_signatures]
    stated = generic.parse_pdf_date(field.sig_object["/M"])
    assert before <= stated <= after
    assert field.signed_data["encap_content_info"]["content"].parsed["gen_time"].native == stated
    (tmp_path / "sealed.pdf").write_bytes(sealed)
    report = subprocess.run(
        [poppler("pdfsig"), str(tmp_path / "sealed.pdf")], capture_output=True, text=True, check=False
    ).stdout
    shown = re.findall(r"Signing Time: (.+)", report)
    assert shown and "1970" not in report
    assert dt.datetime.strptime(shown[-1].strip(), "%b %d %Y %H:%M:%S").date() == stated.date()


async def test_r_pdf_5_signed_copy_keeps_the_issued_pdf_as_prefix(issued, signed, registry, pki):
    assert signed.startswith(issued)
    found = await inspect(signed, registry.cert_pem, pki["roots"])
    assert found.seal_valid
    assert found.sealed_revision_sha256 == hashlib.sha256(issued).hexdigest()


async def test_r_pdf_5_pdf_sealed_by_another_registry_key_has_no_valid_seal(registry, other_registry, pki):
    foreign = await seal(render(CONTENT), other_registry)
    found = await inspect(foreign, registry.cert_pem, pki["roots"])
    assert found.is_pdf and not found.seal_valid and found.sealed_revision_sha256 is None
    assert any("not a valid seal of this registry" in p for p in found.problems)


async def test_r_pdf_5_unsealed_pdf_has_no_seal(registry, pki):
    found = await inspect(render(CONTENT), registry.cert_pem, pki["roots"])
    assert found.is_pdf and not found.seal_valid and found.sealed_revision_sha256 is None
    assert any("no valid registry seal" in p for p in found.problems)


def test_r_pdf_5_development_key_is_reused_and_usable_for_time_stamping(tmp_path):
    key_path, cert_path = create_development_key(tmp_path)
    first = (key_path.read_bytes(), cert_path.read_bytes())
    assert create_development_key(tmp_path) == (key_path, cert_path)
    assert (key_path.read_bytes(), cert_path.read_bytes()) == first
    cert = x509.load_pem_x509_certificate(first[1])
    assert (
        cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
        == "Mandates registry — DEVELOPMENT KEY, not for production"
    )
    assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "mandates development"
    assert cert.public_key().key_size == 3072
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical and ExtendedKeyUsageOID.TIME_STAMPING in eku.value
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days >= 3650
    assert oct(os.stat(key_path).st_mode & 0o777) == "0o600"


# --- the signatures ----------------------------------------------------------------------------------


async def test_r_pdf_6_both_parties_signatures_are_intact_valid_trusted(signed, registry, pki):
    found = await inspect(signed, registry.cert_pem, pki["roots"])
    assert found.problems == []
    assert [(s.field, s.signer_niss, s.signer_name) for s in found.signatures] == [
        ("PrincipalSignature", PRINCIPAL_NISS, "Alice Dupont"),
        ("MandatarySignature", MANDATARY_NISS, "Bob Peeters"),
    ]
    for s in found.signatures:
        assert (s.intact, s.valid, s.trusted, s.changes_allowed, s.problem) == (True, True, True, True, None)
        assert s.signed_at is not None


async def test_r_pdf_6_one_signature_so_far(issued, registry, pki):
    once = await sign_as(issued, "MandatarySignature", *pki["mandatary"], pki["ca"])
    found = await inspect(once, registry.cert_pem, pki["roots"])
    assert [(s.field, s.signer_niss, s.changes_allowed, s.trusted) for s in found.signatures] == [
        ("MandatarySignature", MANDATARY_NISS, True, True)
    ]


async def test_r_pdf_6_signer_of_another_ca_is_not_trusted(issued, registry, pki):
    once = await sign_as(issued, "PrincipalSignature", *pki["principal"], pki["ca"])
    both = await sign_as(once, "MandatarySignature", *pki["rogue"], pki["rogue_ca"])
    found = await inspect(both, registry.cert_pem, pki["roots"])
    principal, rogue = found.signatures
    assert principal.trusted and principal.problem is None
    assert rogue.signer_name == "Mallory Rogue" and rogue.intact and rogue.valid and not rogue.trusted
    assert "does not chain to the accepted eID roots" in rogue.problem
    # without any configured eID root, nothing is trusted (never the operating system's list)
    untrusted = await inspect(both, registry.cert_pem, None)
    assert not any(s.trusted for s in untrusted.signatures)


async def test_r_pdf_6_content_changed_after_signing_is_reported(signed, registry, pki):
    tampered = _add_page_content(signed)
    assert tampered.startswith(signed)
    found = await inspect(tampered, registry.cert_pem, pki["roots"])
    assert found.seal_valid  # the issued revision itself is untouched...
    assert found.problems  # ...but what follows it is not acceptable
    assert len(found.signatures) == 2
    for s in found.signatures:
        assert s.intact and s.valid  # the signed bytes are intact...
        assert not s.changes_allowed  # ...but the document was changed afterwards
        assert "modified after signing" in s.problem or "added after the last signature" in s.problem


def _add_page_content(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    forged = generic.StreamObject(stream_data=b"BT /F2 24 Tf 100 120 Td (FORGED: groups added) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(forged))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


async def test_r_pdf_6_content_changed_between_issue_and_signatures_is_reported(issued, registry, pki):
    changed = _add_page_content(issued)
    once = await sign_as(changed, "PrincipalSignature", *pki["principal"], pki["ca"])
    both = await sign_as(once, "MandatarySignature", *pki["mandatary"], pki["ca"])
    found = await inspect(both, registry.cert_pem, pki["roots"])
    assert found.seal_valid and found.sealed_revision_sha256 == hashlib.sha256(issued).hexdigest()
    assert any("after the issued revision" in p for p in found.problems)
    for s in found.signatures:
        assert s.intact and s.valid and s.trusted  # each signature is fine on its own...
        assert not s.changes_allowed and "after the issued revision" in s.problem  # ...but signs a changed document


async def test_r_pdf_6_bytes_changed_inside_the_signed_range_are_reported(signed, registry, pki):
    # the /Info entry of the first revision (pyHanko writes "-" as \055), covered by every signature
    original = b"/MandateReference (MND\\0552024\\055000123)"
    assert original in signed
    tampered = signed.replace(original, b"/MandateReference (MND\\0552024\\055000124)", 1)
    assert len(tampered) == len(signed) and tampered != signed
    found = await inspect(tampered, registry.cert_pem, pki["roots"])
    assert found.is_pdf and not found.seal_valid  # the issued revision is not the one issued
    assert len(found.signatures) == 2
    for s in found.signatures:
        # pyHanko's `valid` is the signature over the signed attributes: it may hold while the
        # document digest does not; `trusted` is never granted to a broken signature
        assert not s.intact and not s.trusted
        assert "the signed bytes were altered" in s.problem and "eID roots" not in s.problem


async def test_r_pdf_6_not_a_pdf(registry, pki, signed):
    for data in [
        b"",
        b"just a text file\n",
        os.urandom(4096),
        signed[: len(signed) // 2],
        b"%PDF-1.7\n" + os.urandom(2000),
    ]:
        found = await inspect(data, registry.cert_pem, pki["roots"])
        assert not found.is_pdf and not found.seal_valid and found.signatures == []
        assert found.problems and found.problems[0]


# --- what another PDF tool sees ---------------------------------------------------------------------


def test_r_pdf_6_pdfsig_reads_the_seal_and_both_signatures(signed, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    # -nocert: no NSS trust database on the machine; the cryptographic check still runs.
    result = subprocess.run([poppler("pdfsig"), "-nocert", str(path)], capture_output=True, check=True)
    lines = result.stdout.decode("utf-8").splitlines()
    assert lines[0] == f"Digital Signature Info of: {path}"
    blocks = [line for line in lines if re.fullmatch(r"Signature #\d+:", line)]
    assert blocks == ["Signature #1:", "Signature #2:", "Signature #3:"]
    assert lines.count("  - Signature Field Name: PrincipalSignature") == 1
    assert lines.count("  - Signature Field Name: MandatarySignature") == 1
    assert lines.count("  - Signature Field Name: RegistrySeal") == 1
    assert "  - Signer Certificate Common Name: Alice Dupont" in lines
    assert "  - Signer Certificate Common Name: Bob Peeters" in lines
    assert "  - Signer Certificate Common Name: Mandates registry — DEVELOPMENT KEY, not for production" in lines
    assert f"  - Signer full Distinguished Name: serialNumber={PRINCIPAL_NISS},CN=Alice Dupont,C=BE" in lines
    assert lines.count("  - Signature Type: adbe.pkcs7.detached") == 2
    assert lines.count("  - Signature Validation: Signature is Valid.") == 2
    assert lines.count("  - Total document signed") == 1  # the mandatary's, the last one
    # poppler 22.12 does not verify RFC 3161 document timestamps: it lists the seal, unverified
    assert "  - Signature Type: unknown" in lines
    assert "  - Signature Validation: Signature has not yet been verified." in lines
