"""Verification of an uploaded authorisation PDF (R-PDF-5, R-PDF-6): facts, no verdict.

`inspect` reports what the upload carries: the registry's seal (a /DocTimeStamp signed by the
registry certificate) and the digest of the revision it covers, i.e. of the issued PDF; then every
ordinary signature with its signer (NISS from the certificate subject's serialNumber, as on a
Belgian eID), its integrity, validity, trust (against the given eID/itsme roots) and whether only
signatures or form filling were added after the issued revision. The use cases decide what to accept.

It never raises on bad input: a text file, random bytes or a truncated PDF give `is_pdf=False` with
a problem; a broken signature gives a FoundSignature with everything False and a problem.

Revocation (issue 12, item 5): each signer's certificate is checked against the CRLs and OCSP
responders its chain declares (CRL distribution points, the OCSP address of its Authority
Information Access), fetched by pyhanko-certvalidator with aiohttp within a per-request timeout.
The check runs in pyhanko-certvalidator's soft-fail mode, which still refuses a revoked certificate
and lists the revocation checks that got no usable answer (`soft_fail_exceptions`); the hard-fail
policy is applied here on that list. In its own hard-fail mode pyHanko reports an unanswered check
as a generic chain failure, indistinguishable from a certificate of an unknown authority. In
hard-fail (`RevocationPolicy.hard_fail`) a certificate whose revocation cannot be established
(responder unreachable, no usable answer) is not trusted; in soft-fail it is, and the signature
says it was not checked. `FoundSignature.revocation` carries the answer.

The file is read where it lies (an upload's temporary file, or bytes already in memory), never
copied whole: digests are computed by chunks. It is CPU work; the server runs it off the event loop
(documents/pool.py).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import BinaryIO

from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.misc import chunked_digest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel, SuspiciousModification
from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend

from models.authorisation import Revocation

logger = logging.getLogger(__name__)

ALLOWED_LEVELS = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


@dataclass(frozen=True)
class RevocationPolicy:
    hard_fail: bool = True  # MANDATES_EID_REVOCATION
    timeout_seconds: float = 10.0  # MANDATES_EID_REVOCATION_TIMEOUT_SECONDS, per CRL or OCSP request


@dataclass(frozen=True)
class FoundSignature:
    field: str | None  # the signature field name, e.g. "PrincipalSignature"
    signer_niss: str | None  # certificate subject serialNumber (as on a Belgian eID), None if absent
    signer_name: str | None  # subject common name
    signed_at: datetime | None
    intact: bool  # the signed bytes hash matches
    valid: (
        bool  # cryptographically valid signature (pyHanko: over the signed attributes; may stay True when not intact)
    )
    trusted: bool  # the signer chain reaches the given eID trust roots (False whenever not intact or not valid)
    changes_allowed: (
        bool  # only signatures/form filling after the issued revision; the last signature covers the whole file
    )
    problem: str | None  # human-readable reason when any of the above fails
    revocation: Revocation | None = None  # None when the signature was not checked that far (broken, untrusted)


@dataclass(frozen=True)
class Inspection:
    is_pdf: bool
    sealed_revision_sha256: str | None  # sha256 of the bytes covered by the registry's document timestamp
    seal_valid: bool  # a document timestamp intact, valid and signed by the registry certificate
    signatures: list[FoundSignature]  # every signature other than document timestamps, in file order
    problems: list[str]


def _certs(pem: bytes | None) -> list[asn1_x509.Certificate]:
    # An empty list, never None: pyhanko-certvalidator falls back to the OS trust list on None.
    return list(load_certs_from_pemder_data(pem)) if pem else []


def _context(trust_roots: list[asn1_x509.Certificate]) -> ValidationContext:
    """For the registry's own seal: its certificate is the trust root, nothing to fetch."""
    return ValidationContext(trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail")


def _signer_context(trust_roots: list[asn1_x509.Certificate], backend: AIOHttpFetcherBackend) -> ValidationContext:
    """For eID signatures: CRLs and OCSP answers fetched where the certificates declare them (soft-fail: the
    checks without an answer are listed, the policy is `_revocation`'s)."""
    return ValidationContext(
        trust_roots=trust_roots, allow_fetching=True, revocation_mode="soft-fail", fetcher_backend=backend
    )


def _declares_revocation(cert: asn1_x509.Certificate) -> bool:
    return bool(cert.crl_distribution_points or cert.ocsp_urls)


def _revocation(
    status, context: ValidationContext, cert: asn1_x509.Certificate | None, policy: RevocationPolicy
) -> Revocation | None:
    """The revocation answer of a validated signature (pyHanko's status and the context's unanswered checks);
    None when the chain fails for another reason (not an eID authority's)."""
    if status.revoked:
        return Revocation.REVOKED
    if not status.trusted:
        return None
    if context.soft_fail_exceptions:
        return Revocation.UNKNOWN if policy.hard_fail else Revocation.NOT_CHECKED
    return Revocation.GOOD if cert is not None and _declares_revocation(cert) else Revocation.NOT_DECLARED


def _level_problem(status) -> str | None:
    """Why the changes after this signature's revision are not acceptable, or None."""
    if status.coverage is None or status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return f"the signature does not cover a whole revision (coverage {getattr(status.coverage, 'name', None)})"
    level = status.modification_level
    if level is None or level in ALLOWED_LEVELS:
        return None
    suspicion = str(status.diff_result) if isinstance(status.diff_result, SuspiciousModification) else ""
    detail = f": {suspicion.splitlines()[0][:200]}" if suspicion else ""
    return f"the document was modified after signing (modification level {level.name}){detail}"


def _subject(cert: asn1_x509.Certificate, key: str) -> str | None:
    value = cert.subject.native.get(key)
    if isinstance(value, list):  # a multi-valued attribute
        value = value[0] if value else None
    return str(value) if value is not None else None


def _not_a_pdf(problem: str) -> Inspection:
    return Inspection(is_pdf=False, sealed_revision_sha256=None, seal_valid=False, signatures=[], problems=[problem])


def _sha256_of_start(stream: BinaryIO, length: int) -> str:
    """The digest of the first `length` bytes (the issued revision), read by chunks."""
    digest = hashlib.sha256()
    stream.seek(0)
    chunked_digest(bytearray(1 << 16), stream, digest, max_read=length)
    return digest.hexdigest()


async def inspect(
    source: bytes | BinaryIO,
    registry_cert_pem: bytes,
    eid_trust_roots_pem: bytes | None,
    revocation: RevocationPolicy = RevocationPolicy(),
) -> Inspection:
    """What the file carries; `source` is its bytes or a seekable binary stream of it."""
    backend = AIOHttpFetcherBackend(per_request_timeout=revocation.timeout_seconds)
    try:
        return await _inspect(source, registry_cert_pem, eid_trust_roots_pem, revocation, backend)
    finally:
        await backend.close()


async def _inspect(
    source: bytes | BinaryIO,
    registry_cert_pem: bytes,
    eid_trust_roots_pem: bytes | None,
    policy: RevocationPolicy,
    backend: AIOHttpFetcherBackend,
) -> Inspection:
    registry_certs = _certs(registry_cert_pem)
    eid_roots = _certs(eid_trust_roots_pem)
    stream = BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    stream.seek(0)
    if b"%PDF-" not in stream.read(1024):
        return _not_a_pdf("the file is not a PDF")
    try:
        reader = PdfFileReader(stream, strict=False)
        if reader.encrypted:
            return Inspection(
                is_pdf=True,
                sealed_revision_sha256=None,
                seal_valid=False,
                signatures=[],
                problems=["the PDF is encrypted"],
            )
        reader.root  # noqa: B018 - parses the catalog: fails on a broken file
        embedded: list[EmbeddedPdfSignature] = list(reader.embedded_signatures)
    except Exception as error:  # noqa: BLE001 - any parse failure means "not a readable PDF"
        return _not_a_pdf(f"the PDF cannot be read ({type(error).__name__}: {error})")

    problems: list[str] = []

    # --- the registry's seal ---------------------------------------------------------------------
    sealed_revision_sha256: str | None = None
    seal_revision: int | None = None
    seal_after_problem: str | None = None
    registry_ders = {cert.dump() for cert in registry_certs}
    for emb in embedded:
        if emb.sig_object_type != "/DocTimeStamp":
            continue
        try:
            seal_status = await async_validate_pdf_timestamp(emb, validation_context=_context(registry_certs))
        except Exception as error:  # noqa: BLE001
            problems.append(
                f"document timestamp {emb.field_name!r} cannot be validated ({type(error).__name__}: {error})"
            )
            continue
        by_registry = seal_status.signing_cert is not None and seal_status.signing_cert.dump() in registry_ders
        if not (seal_status.intact and seal_status.valid and seal_status.trusted and by_registry):
            problems.append(f"document timestamp {emb.field_name!r} is not a valid seal of this registry")
            continue
        if seal_status.coverage is None or seal_status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
            problems.append(f"document timestamp {emb.field_name!r} does not cover a whole revision")
            continue
        _, _, start2, len2 = (int(x) for x in emb.byte_range)
        sealed_revision_sha256 = _sha256_of_start(stream, start2 + len2)
        seal_revision = emb.signed_revision
        seal_after_problem = _level_problem(seal_status)
        if seal_after_problem:
            problems.append(f"after the issued revision, {seal_after_problem}")
        break
    if sealed_revision_sha256 is None:
        problems.append("no valid registry seal: this is not a PDF issued by the registry")

    # --- is anything appended after the last signature? ----------------------------------------------
    uncovered_tail = False
    if embedded:
        try:
            last = embedded[-1]
            last.compute_integrity_info(skip_diff=True)
            uncovered_tail = last.coverage != SignatureCoverageLevel.ENTIRE_FILE
        except Exception:  # noqa: BLE001
            uncovered_tail = True
        if uncovered_tail:
            problems.append("bytes were added after the last signature")

    # --- every ordinary signature -------------------------------------------------------------------
    signatures: list[FoundSignature] = []
    for emb in embedded:
        if emb.sig_object_type != "/Sig":
            continue
        field = emb.field_name
        cert: asn1_x509.Certificate | None
        try:
            cert = emb.signer_cert
            niss, name = _subject(cert, "serial_number"), _subject(cert, "common_name")
        except Exception:  # noqa: BLE001
            cert, niss, name = None, None, None
        context = _signer_context(eid_roots, backend)
        try:
            status = await async_validate_pdf_signature(emb, signer_validation_context=context)
        except Exception as error:  # noqa: BLE001
            signatures.append(
                FoundSignature(
                    field,
                    niss,
                    name,
                    None,
                    False,
                    False,
                    False,
                    False,
                    f"the signature cannot be validated ({type(error).__name__}: {error})",
                )
            )
            continue
        reasons: list[str] = []
        revocation = _revocation(status, context, cert, policy) if status.intact and status.valid else None
        if not status.intact:
            reasons.append("the signed bytes were altered (digest mismatch)")
        if not status.valid:
            reasons.append("the signature is not cryptographically valid")
        if revocation is Revocation.REVOKED:
            reasons.append("the signer certificate is revoked")
        elif revocation is Revocation.UNKNOWN:
            reasons.append("whether the signer certificate is revoked cannot be established at the moment")
        elif status.intact and status.valid and not status.trusted:
            reasons.append("the signer certificate does not chain to the accepted eID roots")
        change_reasons: list[str] = []
        own = _level_problem(status)
        if own:
            change_reasons.append(own)
        if seal_after_problem:
            change_reasons.append(f"after the issued revision, {seal_after_problem}")
        if seal_revision is not None and emb.signed_revision <= seal_revision:
            change_reasons.append("the signature was made before the registry's seal")
        if uncovered_tail:
            change_reasons.append("bytes were added after the last signature")
        reasons.extend(change_reasons)
        signed_at = (
            status.timestamp_validity.timestamp if status.timestamp_validity is not None else status.signer_reported_dt
        )
        signatures.append(
            FoundSignature(
                field=field,
                signer_niss=niss,
                signer_name=name,
                signed_at=signed_at,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted) and revocation is not Revocation.UNKNOWN,
                changes_allowed=not change_reasons,
                problem="; ".join(reasons) or None,
                revocation=revocation,
            )
        )
    return Inspection(
        is_pdf=True,
        sealed_revision_sha256=sealed_revision_sha256,
        seal_valid=sealed_revision_sha256 is not None,
        signatures=signatures,
        problems=problems,
    )
