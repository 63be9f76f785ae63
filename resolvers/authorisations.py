"""Authorisation PDFs: request (issue and seal), upload (eID-signed or a handwritten scan), officer review.

RULES.md §8-§11 (R-SIGN-5..11, R-PDF-1..8, R-PAP-1..8); the rules are `models.authorisation`,
the PDF work is `documents/` (pyHanko).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from typing import Any, BinaryIO

from prometheus_client import Counter
from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from config.messages import catalogue, kept, language_or_default
from documents import template
from documents.pool import VerificationPool
from documents.seal import RegistryKey, seal
from documents.verification import FoundSignature, Inspection
from models.authorisation import (
    INSPECTION_WORKING_DAYS,
    VERSIONED,
    Decision,
    IssuedCopy,
    Revocation,
    check_issued_copy,
    check_paper_status,
    check_request,
    paper_allowed,
    parse_decision,
    parties_to_sign,
    upload_revocation,
)
from models.errors import ErrorCode, RuleViolation, Words
from models.identifiers import format_enterprise_number
from models.quarter import Quarter, add_working_days
from models.signing import Party, SigningMethod
from models.status import Event, MandateStatus, next_status
from models.tables import AUTHORISATION_FACTS, Authorisation, Branch, Enterprise, Mandate, MandateGroup, Signature
from resolvers.activity import check_mandate_activity
from resolvers.columns import values_of
from resolvers.context import UseCase
from resolvers.employer_identification import block_linked_requests, unblock_linked_requests
from resolvers.finalise import finalise, recheck_places
from resolvers.journal import email, joined, record
from resolvers.languages import group_names
from resolvers.lookup import acting_party, find_mandate, require_party_signatory
from resolvers.sign import add_signature
from resolvers.statuses import current_status

FIELDS = {"PrincipalSignature": Party.PRINCIPAL, "MandatarySignature": Party.MANDATARY}
# Accepted uploads by verdict, served at /metrics with the rest (config/metrics.py); kept here so that the
# use case counts its own outcome without importing the web layer (tests/config/test_imports.py).
UPLOADS = Counter("mandates_authorisation_uploads_total", "Uploaded authorisations by verdict.", ["verdict"])


@dataclass(frozen=True)
class Paperwork:
    """What authorisations need besides the database: keys, trust roots, the paper tolerance, holidays."""

    registry: RegistryKey
    eid_trust_roots_pem: bytes | None
    paper_tolerance: bool
    holidays: frozenset[dt.date]
    max_upload_bytes: int
    verification: VerificationPool


@dataclass(frozen=True)
class NewVersion:
    """An authorisation to issue for the revision an action produces (a closure, a branch change): the action's
    mutation issues it in its own transaction, so that the new version reflects the action (R-PDF-8)."""

    paperwork: Paperwork
    method: SigningMethod
    language: str | None = None


async def request_authorisation(
    uc: UseCase, paperwork: Paperwork, mandate_id: str, method: SigningMethod, *, language: str | None = None
) -> Authorisation:
    """« Je désire une version électronique de la procuration »: issue the sealed PDF (R-PDF-1..5, R-SIGN-3,
    R-SIGN-9), in `language` when given, else in the principal's language, else in English."""
    async with in_transaction():
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)
        return await issue_authorisation(uc, mandate, NewVersion(paperwork, method, language))


async def issue_authorisation(uc: UseCase, mandate: Mandate, version: NewVersion) -> Authorisation:
    """Issue the sealed PDF of `mandate` as it stands, inside the caller's transaction with the mandate locked:
    `request_authorisation`, or the action (closure, branch change) whose new version it is (R-PDF-8)."""
    method, paperwork = version.method, version.paperwork
    acting_party(uc.actor, mandate)
    principal = mandate.principal
    check_request(
        method,
        current_status(mandate, uc.clock.today()),
        paper=paper_allowed(paperwork.paper_tolerance, principal.known_in_cbe),
        principal_known_in_cbe=principal.known_in_cbe,
        replaces_other=mandate.replaces_other_mandatary,
    )
    chosen = version.language or language_or_default(principal.language)
    pdf = await seal(template.render(await _content(uc, mandate, method, chosen)), paperwork.registry)
    now = uc.clock.now()
    authorisation = await Authorisation.create(
        mandate=mandate,
        method=method,
        template_version=template.TEMPLATE_VERSION,
        mandate_revision=mandate.revision,
        issued_at=now,
        issued_pdf=pdf,
        issued_sha256=hashlib.sha256(pdf).hexdigest(),
        requested_by_niss=uc.actor.niss,
    )
    await record(
        mandate,
        uc.actor,
        "AUTHORISATION_ISSUED",
        now,
        method=method,
        detail=Words("notice.detail.issued", {"method": method, "version": template.TEMPLATE_VERSION}),
    )
    return authorisation


def pdf_words(language: str) -> dict[str, str]:
    """The template's words in `language`, from the catalogue's `pdf.*` messages."""
    messages = catalogue(language_or_default(language))
    return {name: messages[f"pdf.{name}"] for name in template.WORDS}


async def _content(
    uc: UseCase, mandate: Mandate, method: SigningMethod, language: str
) -> template.AuthorisationContent:
    branch = await Branch.get(id=mandate.branch_id) if mandate.branch_id else None
    rows = await MandateGroup.filter(mandate_id=mandate.id).order_by("id").values_list("group_code", "end_quarter")
    codes = [code for code, _ in rows]
    return template.AuthorisationContent(
        reference=mandate.reference,
        template_version=template.TEMPLATE_VERSION,
        method=method.value,
        principal=_plate(mandate.principal),
        mandatary=_plate(mandate.mandatary, f"{branch.code} — {branch.name}" if branch else None),
        groups=[(code, group_names(uc.catalogue[code]).in_language(language)) for code in codes],
        start_quarter=str(Quarter(mandate.start_quarter)),
        language=language,
        words=pdf_words(language),
        ends={code: str(Quarter(end)) for code, end in rows if end is not None},  # a closure shows (R-PDF-8)
    )


def _plate(enterprise: Enterprise, branch: str | None = None) -> template.Plate:
    """Identification and address plate, from the reference data, never typed text (R-PDF-3)."""
    return template.Plate(
        name=enterprise.name,
        enterprise_number=format_enterprise_number(enterprise.enterprise_number),
        nsso_number=enterprise.nsso_number,
        ssa_number=enterprise.ssa_number,
        address=enterprise.address,
        branch=branch,
    )


async def upload_authorisation(uc: UseCase, paperwork: Paperwork, mandate_id: str, file: BinaryIO) -> Mandate:
    """« accepter et signer » with the reloaded PDF: eID signatures validate at once, a handwritten
    scan goes to the NSSO (R-SIGN-7, R-SIGN-10, R-PDF-5, R-PDF-6).

    `file` is read where it lies (the upload's temporary file): the mandate, the actor's right and
    party are checked before a byte of it is parsed; the verification runs off the event loop
    (documents/pool.py); the bytes are read into memory once, to be kept, after it (hardening item 4).
    """
    if file.seek(0, os.SEEK_END) > paperwork.max_upload_bytes:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_TOO_LARGE, "api.upload.too_large", ("file",), bytes=paperwork.max_upload_bytes
        )
    acting_party(uc.actor, await find_mandate(uc.actor, mandate_id))
    found = await paperwork.verification.inspect(file, paperwork.registry.cert_pem, paperwork.eid_trust_roots_pem)
    if not found.is_pdf:
        raise RuleViolation(ErrorCode.AUTHORISATION_NOT_PDF, "api.upload.not_pdf", ("file",))
    data = await asyncio.to_thread(_contents, file)
    async with in_transaction():
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)
        acting_party(uc.actor, mandate)
        check_mandate_activity(mandate, uc.clock.today())  # R-ENT-8
        issued = (
            await _issued(Authorisation.filter(issued_sha256=found.sealed_revision_sha256 or "-").order_by("id"))
            if found.seal_valid
            else None
        )
        revocation: Revocation | None = None
        if found.signatures:
            issued, verdict, revocation = await _electronic(uc, mandate, issued, found)
        else:
            issued, verdict = await _handwritten(uc, paperwork, mandate, issued)
        await _keep_upload(issued, data, uc.actor.niss, uc.clock.now(), verdict, revocation)
    UPLOADS.labels(
        "EID_SIGNATURES_VALID" if found.signatures else "HANDWRITTEN_TO_REVIEW"
    ).inc()  # refusals: their code in the operation's metrics
    return mandate


async def _issued(query: QuerySet[Authorisation]) -> Authorisation | None:
    """The first issued authorisation of `query`, without its earlier uploaded copy (up to 10 MB)."""
    return await query.only(*AUTHORISATION_FACTS, "issued_pdf").first()


def _contents(file: BinaryIO) -> bytes:
    file.seek(0)
    return file.read()


def _copy(row: Authorisation | None) -> IssuedCopy | None:
    if row is None:
        return None
    return IssuedCopy(row.mandate_id, row.mandate_revision, row.template_version, SigningMethod(row.method))


async def _electronic(
    uc: UseCase, mandate: Mandate, issued: Authorisation | None, found: Inspection
) -> tuple[Authorisation, Words, Revocation | None]:
    check_issued_copy(_copy(issued), mandate.id, mandate.revision, template.TEMPLATE_VERSION)
    assert issued is not None  # check_issued_copy refuses an upload without an issued copy
    if issued.method is SigningMethod.HANDWRITTEN:
        raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.upload.handwritten_only", ("file",), rules=("R-SIGN-5",))
    signers: dict[Party, tuple[str, str | None]] = {}
    for signature in found.signatures:
        party = FIELDS.get(signature.field or "")
        if not (signature.intact and signature.valid and signature.changes_allowed) or party is None:
            problem = signature.problem or f"signature field {signature.field!r} is not a party's"
            raise RuleViolation(
                ErrorCode.AUTHORISATION_SIGNATURE_INVALID, "api.upload.signature_invalid", ("file",), problem=problem
            )
        _check_revocation(signature)
        if not signature.trusted:
            raise RuleViolation(
                ErrorCode.AUTHORISATION_SIGNATURE_INVALID,
                "api.upload.not_eid",
                ("file",),
                signer=signature.signer_name or "—",
            )
        if not signature.signer_niss:
            raise RuleViolation(ErrorCode.AUTHORISATION_SIGNATURE_INVALID, "api.upload.no_niss", ("file",))
        signers[party] = (signature.signer_niss, signature.signer_name)
    revocation = upload_revocation([signature.revocation for signature in found.signatures])
    checked = Words(REVOCATION_VERDICTS.get(revocation, "notice.verdict.revocation_none"))
    if current_status(mandate, uc.clock.today()) in VERSIONED:
        return issued, await _new_version(uc, mandate, signers, checked), revocation
    already = {Party(p) for p in await values_of(Signature.filter(mandate_id=mandate.id), "party")}
    for party in parties_to_sign(list(signers), already, Party(mandate.encoder)):
        niss, name = signers[party]
        await add_signature(uc, mandate, party, SigningMethod.EID, niss, name)
    verdict = Words("notice.verdict.eid", {"signed": _signed(signers), "revocation": checked, "status": mandate.status})
    return issued, verdict, revocation


# What the verdict says of the revocation check (an accepted upload's `revocation`).
REVOCATION_VERDICTS: dict[Revocation | None, str] = {
    Revocation.GOOD: "notice.verdict.revocation_good",
    Revocation.NOT_DECLARED: "notice.verdict.revocation_not_declared",
    Revocation.NOT_CHECKED: "notice.verdict.revocation_not_checked",
}
SIGNED_BY = {Party.PRINCIPAL: "notice.verdict.principal_signed", Party.MANDATARY: "notice.verdict.mandatary_signed"}


def _signed(signers: dict[Party, tuple[str, str | None]]) -> list[Words]:
    """Who signed for each party, as the verdict names them (the certificate's name; never the NISS)."""
    return [
        Words(SIGNED_BY[party], {"name": name or Words("notice.verdict.some_signatory")})
        for party, (_, name) in signers.items()
    ]


def _check_revocation(signature: FoundSignature) -> None:
    """A revoked signer's certificate is refused; so is one whose revocation cannot be established in hard-fail."""
    if signature.revocation is Revocation.REVOKED:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_SIGNER_REVOKED, "api.upload.signer_revoked", ("file",), rules=("R-PDF-6",)
        )
    if signature.revocation is Revocation.UNKNOWN:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_REVOCATION_UNKNOWN, "api.upload.revocation_unknown", ("file",), rules=("R-PDF-6",)
        )


async def _new_version(
    uc: UseCase, mandate: Mandate, signers: dict[Party, tuple[str, str | None]], checked: Words
) -> Words:
    """A new version of a finalised mandate's authorisation, reflecting it as it stands after an action
    (closure, branch): every signature by an authorised signatory of its party; kept, the status unchanged,
    both parties notified (R-PDF-8, R-SIGN-11)."""
    for party, (niss, _) in signers.items():
        await require_party_signatory(mandate, party, niss, ("file",))
    await record(
        mandate,
        uc.actor,
        "AUTHORISATION_VERSION",
        uc.clock.now(),
        method=SigningMethod.EID,
        detail=Words("notice.detail.new_version"),
    )
    return Words("notice.verdict.eid_version", {"signed": _signed(signers), "revocation": checked})


async def _handwritten(
    uc: UseCase, paperwork: Paperwork, mandate: Mandate, sealed: Authorisation | None
) -> tuple[Authorisation, Words]:
    """A scan of the paper signed by both parties: to be validated by an officer (R-SIGN-10, R-LIFE-4, R-PAP-3)."""
    if sealed is not None and sealed.method is SigningMethod.EID:
        raise RuleViolation(ErrorCode.AUTHORISATION_SIGNATURE_INVALID, "api.upload.no_signature", ("file",))
    status = current_status(mandate, uc.clock.today())
    check_paper_status(status, mandate.replaces_other_mandatary)
    if not paper_allowed(paperwork.paper_tolerance, mandate.principal.known_in_cbe):
        raise RuleViolation(ErrorCode.PAPER_NOT_ALLOWED, "api.upload.paper_closed", ("file",), rules=("R-SIGN-9",))
    issued = sealed or await _issued(
        Authorisation.filter(mandate_id=mandate.id, method=SigningMethod.HANDWRITTEN).order_by("-id")
    )
    if issued is None:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_NOT_REQUESTED, "api.upload.not_requested", ("file",), rules=("R-PDF-2",)
        )
    check_issued_copy(_copy(issued), mandate.id, mandate.revision, template.TEMPLATE_VERSION)
    if status in VERSIONED:
        return issued, await _handwritten_version(uc, mandate)
    if status is MandateStatus.REJECTED:
        # A rejected mandate held no place; its correction takes one again only if it is still free (R-UNQ-12).
        await recheck_places(uc, mandate)
    mandate.status = next_status(status, Event.HANDWRITTEN_UPLOADED)
    mandate.rejection_reason = mandate.rejected_at = None
    mandate.rejection_consulted_by_principal_at = mandate.rejection_consulted_by_mandatary_at = None
    await mandate.save()
    now = uc.clock.now()
    await record(
        mandate,
        uc.actor,
        "HANDWRITTEN_UPLOADED",
        now,
        method=SigningMethod.HANDWRITTEN,
        detail=Words("notice.detail.handwritten_uploaded"),
    )
    return issued, Words("notice.verdict.handwritten")


async def _handwritten_version(uc: UseCase, mandate: Mandate) -> Words:
    """A hand-signed scan of a finalised mandate's new authorisation: kept for an officer's check, the status
    unchanged (R-PDF-8); the signatures on paper are the officer's to check, as for any scan (R-SIGN-11)."""
    await record(
        mandate,
        uc.actor,
        "AUTHORISATION_VERSION",
        uc.clock.now(),
        method=SigningMethod.HANDWRITTEN,
        detail=Words("notice.detail.handwritten_version"),
    )
    return Words("notice.verdict.handwritten_version")


async def _keep_upload(
    issued: Authorisation, data: bytes, niss: str, at: dt.datetime, verdict: Words, revocation: Revocation | None
) -> None:
    """Every uploaded version is kept (R-PDF-8): a second upload of the same issued PDF gets a row of its own.
    The verdict is kept as its catalogue key and values, written in each reader's language (config/messages.kept)."""
    upload: dict[str, Any] = {
        "uploaded_pdf": data,
        "uploaded_at": at,
        "uploaded_by_niss": niss,
        "verdict": kept(verdict),
        "revocation": revocation.value if revocation is not None else None,
    }
    if issued.uploaded_at is None:
        await Authorisation.filter(id=issued.id).update(**upload)
        return
    await _copy_row(Authorisation, issued.id, **upload)


async def _copy_row(model: type[Model], key: int, **changes: Any) -> Model:
    """A new row of `model` with every column of row `key` but its primary key, `changes` applied.
    The columns come from the model itself, so that a column added later is carried too."""
    meta = model._meta
    columns = [name for name in meta.fields_db_projection if name != meta.pk_attr and name not in changes]
    values = await model.filter(**{meta.pk_attr: key}).first().values(*columns)
    return await model.create(**values, **changes)


@dataclass(frozen=True)
class Review:
    decision: str
    reason: str | None = None
    principal_signer_niss: str | None = None  # read on the paper by the officer (R-SIGN-11)
    mandatary_signer_niss: str | None = None


async def review_authorisation(uc: UseCase, paperwork: Paperwork, mandate_id: str, review: Review) -> Mandate:
    """The officer's check of a handwritten authorisation: accept, reject, refer to Inspection (R-PAP-1..8)."""
    uc.actor.require_officer()
    decision = parse_decision(review.decision, review.reason)
    now, today = uc.clock.now(), uc.clock.today()
    async with in_transaction():
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)
        if mandate.status is not MandateStatus.TO_BE_VALIDATED:
            raise RuleViolation(
                ErrorCode.INVALID_TRANSITION, "api.review.not_to_be_validated", ("mandateId",), status=mandate.status
            )
        if decision is Decision.ACCEPT:
            check_mandate_activity(mandate, today)  # R-ENT-8; a refusal or a referral stays possible
            await _accept(uc, mandate, review, now)
        elif decision is Decision.REJECT:
            await _reject(uc, mandate, (review.reason or "").strip(), now)  # parse_decision: a REJECT has a reason
        else:
            mandate.status = next_status(mandate.status, Event.OFFICER_REFERRED)
            mandate.inspection_due = add_working_days(today, INSPECTION_WORKING_DAYS, paperwork.holidays)
            await mandate.save(update_fields=["status", "inspection_due"])
            due = {"date": mandate.inspection_due}
            await record(mandate, uc.actor, "REFERRED_TO_INSPECTION", now, detail=Words("notice.detail.referred", due))
            await email(  # R-PAP-7
                mandate.mandatary,
                mandate,
                Words("notice.email.inspection_subject", {"reference": mandate.reference}),
                Words("notice.email.inspection_body", due),
                now,
            )
    return mandate


async def _accept(uc: UseCase, mandate: Mandate, review: Review, now: dt.datetime) -> None:
    for party, niss, field in (
        (Party.PRINCIPAL, review.principal_signer_niss, "principalSignerNiss"),
        (Party.MANDATARY, review.mandatary_signer_niss, "mandatarySignerNiss"),
    ):
        if not niss:
            raise RuleViolation(
                ErrorCode.INVALID_INPUT, "api.review.niss_needed", (field,), rules=("R-SIGN-11",), party=party
            )
        await require_party_signatory(mandate, party, niss.strip(), (field,))
        await Signature.create(
            mandate=mandate, party=party, method=SigningMethod.HANDWRITTEN, signer_niss=niss.strip(), signed_at=now
        )
    await finalise(uc, mandate, Event.OFFICER_ACCEPTED)
    mandate.inspection_due = None
    await mandate.save(update_fields=["inspection_due"])
    unblocked = await unblock_linked_requests(mandate)  # R-WIDE-3, R-PAP-4
    await record(
        mandate,
        uc.actor,
        "ACCEPTED",
        now,
        method=SigningMethod.HANDWRITTEN,
        detail=joined(Words("notice.detail.accepted", {"status": mandate.status}), unblocked),
    )


async def _reject(uc: UseCase, mandate: Mandate, reason: str, now: dt.datetime) -> None:
    mandate.status = next_status(mandate.status, Event.OFFICER_REJECTED)
    mandate.rejection_reason, mandate.rejected_at, mandate.inspection_due = reason, now, None
    mandate.rejection_consulted_by_principal_at = mandate.rejection_consulted_by_mandatary_at = None
    await mandate.save()
    final = mandate.replaces_other_mandatary
    # A refusal of a mandate that changed the provider counts as a cancellation (R-PAP-5), else the parties
    # send a corrected or new authorisation (R-PAP-3); the provider hears of the blocked requests (R-WIDE-3).
    consequence = joined(
        Words("notice.detail.refused_final" if final else "notice.detail.refused_resend"),
        await block_linked_requests(mandate, reason, now),
    )
    refused = Words("notice.detail.refused", {"reason": reason})
    await record(mandate, uc.actor, "REJECTED", now, detail=joined(refused, consequence))
    await email(
        mandate.mandatary,
        mandate,
        Words("notice.email.refused_subject", {"reference": mandate.reference}),
        joined(refused, consequence),
        now,
    )


async def issued_file(authorisation_id: int, copy: str) -> bytes | None:
    """The issued PDF or the uploaded copy, and only that one (an uploaded copy may weigh 10 MB)."""
    files = await values_of(
        Authorisation.filter(id=authorisation_id), "issued_pdf" if copy == "issued" else "uploaded_pdf"
    )
    return files[0] if files else None
