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

from documents import template
from documents.pool import VerificationPool
from documents.seal import RegistryKey, seal
from documents.verification import Inspection
from models.authorisation import (
    INSPECTION_WORKING_DAYS,
    Decision,
    IssuedCopy,
    check_issued_copy,
    check_paper_status,
    check_request,
    paper_allowed,
    parse_decision,
    parties_to_sign,
)
from models.errors import ErrorCode, RuleViolation
from models.identifiers import format_enterprise_number
from models.quarter import Quarter, add_working_days
from models.signing import PREVIOUS_CONTRACT_CLAUSE, Party, SigningMethod
from models.status import FINALISED, Event, MandateStatus, next_status
from models.tables import AUTHORISATION_FACTS, Authorisation, Branch, Enterprise, Mandate, Signature
from resolvers.activity import check_mandate_activity
from resolvers.columns import values_of
from resolvers.context import UseCase
from resolvers.employer_identification import block_linked_requests, unblock_linked_requests
from resolvers.finalise import finalise, recheck_places
from resolvers.journal import email, record
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


async def request_authorisation(
    uc: UseCase, paperwork: Paperwork, mandate_id: str, method: SigningMethod
) -> Authorisation:
    """« Je désire une version électronique de la procuration »: issue the sealed PDF (R-PDF-1..5, R-SIGN-3,
    R-SIGN-9)."""
    async with in_transaction():
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)
        acting_party(uc.actor, mandate)
        principal = mandate.principal
        check_request(
            method,
            current_status(mandate, uc.clock.today()),
            paper=paper_allowed(paperwork.paper_tolerance, principal.known_in_cbe),
            principal_known_in_cbe=principal.known_in_cbe,
            replaces_other=mandate.replaces_other_mandatary,
        )
        pdf = await seal(template.render(await _content(uc, mandate, method)), paperwork.registry)
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
            detail=f"{method.value} authorisation issued (template {template.TEMPLATE_VERSION}).",
        )
    return authorisation


async def _content(uc: UseCase, mandate: Mandate, method: SigningMethod) -> template.AuthorisationContent:
    branch = await Branch.get(id=mandate.branch_id) if mandate.branch_id else None
    codes = await values_of(mandate.groups.all(), "group_code")
    return template.AuthorisationContent(
        reference=mandate.reference,
        template_version=template.TEMPLATE_VERSION,
        method=method.value,
        principal=_plate(mandate.principal),
        mandatary=_plate(mandate.mandatary, f"{branch.code} — {branch.name}" if branch else None),
        groups=[(code, uc.catalogue[code].name) for code in codes],
        start_quarter=str(Quarter(mandate.start_quarter)),
        clause=PREVIOUS_CONTRACT_CLAUSE,
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
            ErrorCode.AUTHORISATION_TOO_LARGE, f"The file exceeds {paperwork.max_upload_bytes} bytes.", ("file",)
        )
    acting_party(uc.actor, await find_mandate(uc.actor, mandate_id))
    found = await paperwork.verification.inspect(file, paperwork.registry.cert_pem, paperwork.eid_trust_roots_pem)
    if not found.is_pdf:
        raise RuleViolation(ErrorCode.AUTHORISATION_NOT_PDF, "The file is not a PDF.", ("file",))
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
        if found.signatures:
            issued, verdict = await _electronic(uc, mandate, issued, found)
        else:
            issued, verdict = await _handwritten(uc, paperwork, mandate, issued)
        await _keep_upload(issued, data, uc.actor.niss, uc.clock.now(), verdict)
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
) -> tuple[Authorisation, str]:
    check_issued_copy(_copy(issued), mandate.id, mandate.revision, template.TEMPLATE_VERSION)
    assert issued is not None  # check_issued_copy refuses an upload without an issued copy
    if issued.method is SigningMethod.HANDWRITTEN:
        raise RuleViolation(
            ErrorCode.INVALID_TRANSITION,
            (
                "This authorisation was issued for handwritten signatures: electronic and paper signatures never "
                "combine (R-SIGN-5)."
            ),
            ("file",),
        )
    signers: dict[Party, tuple[str, str | None]] = {}
    for signature in found.signatures:
        party = FIELDS.get(signature.field or "")
        if not (signature.intact and signature.valid and signature.changes_allowed) or party is None:
            problem = signature.problem or f"signature field {signature.field!r} is not a party's"
            raise RuleViolation(ErrorCode.AUTHORISATION_SIGNATURE_INVALID, f"Invalid signature: {problem}.", ("file",))
        if not signature.trusted:
            raise RuleViolation(
                ErrorCode.AUTHORISATION_SIGNATURE_INVALID,
                (
                    f"The signature of {signature.signer_name or 'the signer'} does not chain to an accepted eID "
                    f"authority."
                ),
                ("file",),
            )
        if not signature.signer_niss:
            raise RuleViolation(
                ErrorCode.AUTHORISATION_SIGNATURE_INVALID, "The signer's certificate carries no NISS.", ("file",)
            )
        signers[party] = (signature.signer_niss, signature.signer_name)
    if current_status(mandate, uc.clock.today()) in FINALISED:
        return issued, await _new_version(uc, mandate, signers)
    already = {Party(p) for p in await values_of(Signature.filter(mandate_id=mandate.id), "party")}
    for party in parties_to_sign(list(signers), already, Party(mandate.encoder)):
        niss, name = signers[party]
        await add_signature(uc, mandate, party, SigningMethod.EID, niss, name)
    described = "; ".join(
        f"{party.value.lower()} signed by {name or 'one of its signatories'}" for party, (_, name) in signers.items()
    )
    return (
        issued,
        f"Registry seal intact; eID signatures valid and trusted: {described}; status {mandate.status.value}.",
    )


async def _new_version(uc: UseCase, mandate: Mandate, signers: dict[Party, tuple[str, str | None]]) -> str:
    """A new version of a finalised mandate's authorisation, reflecting it as it stands after an action
    (closure, branch): every signature by an authorised signatory of its party; kept, the status unchanged,
    both parties notified (R-PDF-8, R-SIGN-11)."""
    for party, (niss, _) in signers.items():
        await require_party_signatory(mandate, party, niss, ("file",))
    described = "; ".join(
        f"{party.value.lower()} signed by {name or 'one of its signatories'}" for party, (_, name) in signers.items()
    )
    await record(
        mandate,
        uc.actor,
        "AUTHORISATION_VERSION",
        uc.clock.now(),
        method=SigningMethod.EID,
        detail=f"A new version of the authorisation was attached ({described}); the status is unchanged.",
    )
    return f"Registry seal intact; eID signatures valid and trusted: {described}; new version, status unchanged."


async def _handwritten(
    uc: UseCase, paperwork: Paperwork, mandate: Mandate, sealed: Authorisation | None
) -> tuple[Authorisation, str]:
    """A scan of the paper signed by both parties: to be validated by an officer (R-SIGN-10, R-LIFE-4, R-PAP-3)."""
    if sealed is not None and sealed.method is SigningMethod.EID:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_SIGNATURE_INVALID, "This electronic authorisation carries no signature.", ("file",)
        )
    status = current_status(mandate, uc.clock.today())
    check_paper_status(status, mandate.replaces_other_mandatary)
    if not paper_allowed(paperwork.paper_tolerance, mandate.principal.known_in_cbe):
        raise RuleViolation(
            ErrorCode.PAPER_NOT_ALLOWED,
            "Paper authorisations are no longer accepted for this principal (R-SIGN-9).",
            ("file",),
        )
    issued = sealed or await _issued(
        Authorisation.filter(mandate_id=mandate.id, method=SigningMethod.HANDWRITTEN).order_by("-id")
    )
    if issued is None:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_NOT_REQUESTED,
            (
                "Request the handwritten authorisation first: the scan must be of the model issued for this mandate "
                "(R-PDF-2)."
            ),
            ("file",),
        )
    check_issued_copy(_copy(issued), mandate.id, mandate.revision, template.TEMPLATE_VERSION)
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
        detail="Handwritten authorisation submitted to the NSSO; the mandate takes effect only after its check.",
    )
    return issued, "Handwritten scan received; awaiting the NSSO's check."


async def _keep_upload(issued: Authorisation, data: bytes, niss: str, at: dt.datetime, verdict: str) -> None:
    """Every uploaded version is kept (R-PDF-8): a second upload of the same issued PDF gets a row of its own."""
    upload: dict[str, Any] = {"uploaded_pdf": data, "uploaded_at": at, "uploaded_by_niss": niss, "verdict": verdict}
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
                ErrorCode.INVALID_TRANSITION,
                f"Only a mandate to be validated is reviewed, not one {mandate.status.value}.",
                ("mandateId",),
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
            detail = (
                f"Referred to the Inspection department; the result will be known by {mandate.inspection_due} (10 "
                f"working days)."
            )
            await record(mandate, uc.actor, "REFERRED_TO_INSPECTION", now, detail=detail)
            await email(
                mandate.mandatary,
                mandate,
                f"Mandate {mandate.reference}: authorisation under inspection",
                "The NSSO doubts that the authorisation is correct; the Inspection department investigates. "
                f"The result will be known by {mandate.inspection_due}. Meanwhile the authorisation is not validated "
                f"(R-PAP-7).",
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
                ErrorCode.INVALID_INPUT,
                f"Give the NISS written on the paper for the {party.value.lower()} (R-SIGN-11).",
                (field,),
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
        detail=f"Handwritten authorisation validated by the NSSO; status {mandate.status.value}.{unblocked}",
    )


async def _reject(uc: UseCase, mandate: Mandate, reason: str, now: dt.datetime) -> None:
    mandate.status = next_status(mandate.status, Event.OFFICER_REJECTED)
    mandate.rejection_reason, mandate.rejected_at, mandate.inspection_due = reason, now, None
    mandate.rejection_consulted_by_principal_at = mandate.rejection_consulted_by_mandatary_at = None
    await mandate.save()
    final = mandate.replaces_other_mandatary
    consequence = (
        (
            "This mandate changed the provider: the refusal counts as a cancellation; introduce a new mandate with a "
            "correct authorisation (R-PAP-5)."
        )
        if final
        else "Send a corrected or new authorisation through the registry (R-PAP-3)."
    )
    consequence += await block_linked_requests(mandate, reason, now)  # the provider hears of both (R-WIDE-3)
    await record(mandate, uc.actor, "REJECTED", now, detail=f"Authorisation refused: {reason}. {consequence}")
    await email(
        mandate.mandatary,
        mandate,
        f"Mandate {mandate.reference}: authorisation refused",
        f"Reason: {reason}.\n{consequence}",
        now,
    )


async def issued_file(authorisation_id: int, copy: str) -> bytes | None:
    """The issued PDF or the uploaded copy, and only that one (an uploaded copy may weigh 10 MB)."""
    files = await values_of(
        Authorisation.filter(id=authorisation_id), "issued_pdf" if copy == "issued" else "uploaded_pdf"
    )
    return files[0] if files else None
