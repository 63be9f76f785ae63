"""Identification requests and the NSSO's registration of foreign entities (RULES.md §20, §21, §22).

A company's representative asks to be registered as a service provider, an officer decides
(R-SPID-1..3, R-USR-5); a provider files an employer identification request (WIDE) for its client
under a validated mandate, or the employer files its own (R-WIDE-1, R-WIDE-2, R-WIDE-4); refusing
the linked paper authorisation blocks the request until a replacement is accepted, and no NSSO
number is assigned meanwhile (R-WIDE-3, hooks called by `resolvers/authorisations.py` and
`resolvers/employer.py`); a principal unknown in the CBE takes an in-app mandate only once the NSSO
registered it or it is linked to a request (R-FOR-1, R-WIDE-5, hook called by `resolvers/create.py`);
an officer registers a foreign entity with its representative and its mandate (R-FOR-2, R-FOR-3).

The rules are `models/identification.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models import identification as rules
from models.authorisation import paper_allowed
from models.catalogue import ApplicationGroup
from models.creation import ActivityPeriod, check_companions, check_mandatary, check_parties, check_start
from models.employer import check_identifiable
from models.errors import ErrorCode, RuleViolation
from models.identification import (
    DIMONA,
    OPEN,
    Declaration,
    ForeignDocument,
    IdentificationStatus,
    ProviderDecision,
    ProviderRequestStatus,
)
from models.identifiers import normalise_enterprise_number, normalise_niss
from models.quarter import Quarter
from models.signing import Party, SignatoryRegister, SigningMethod, require_signatory
from models.status import EFFECTIVE, Event, MandateStatus
from models.tables import (
    EmployerIdentificationRequest,
    Enterprise,
    ForeignEntityDocument,
    ForeignEntityRegistration,
    FunctionCode,
    LegalForm,
    Mandate,
    MandateGroup,
    MatrixEntry,
    Notification,
    ProviderIdentificationRequest,
    Representative,
    Signature,
)
from resolvers import create
from resolvers.access import Forbidden
from resolvers.context import UseCase
from resolvers.finalise import finalise
from resolvers.ids import decode_id, fits
from resolvers.journal import channel_for, record
from resolvers.lookup import find_enterprise, find_mandate, own_enterprise, signatory_register
from resolvers.places import lock_principal
from resolvers.statuses import current_status

PRINCIPAL_FIELD = ("principalNumber",)


# --- Service-provider identification request (R-SPID-1..3, R-USR-5) -------------------------------


async def request_provider_identification(uc: UseCase, declarations: Iterable[Declaration]) -> ProviderIdentificationRequest:
    """« Identification »: a CBE representative of the company, whatever its function, asks the NSSO
    to register it as a non-approved service provider, declaring the conditions (R-SPID-1, R-SPID-2,
    R-USR-5). Anyone else gets FORBIDDEN."""
    uc.actor.require_manager()
    declared = list(declarations)
    async with in_transaction():
        company = await own_enterprise(uc.actor)
        await lock_principal(company.id)  # one pending request per company, even under concurrent requests
        if not rules.may_request_provider_identification(await signatory_register(company), uc.actor.niss):
            raise Forbidden("Only a legal representative of the company registered in the CBE may ask to register it as a service provider (R-SPID-1).")
        rules.check_provider_request(
            known_in_cbe=company.known_in_cbe,
            is_service_provider=company.is_service_provider,
            is_social_secretariat=company.is_social_secretariat,
            pending=await ProviderIdentificationRequest.filter(enterprise_id=company.id, status=ProviderRequestStatus.SUBMITTED).exists(),
            declared=declared,
        )
        return await ProviderIdentificationRequest.create(
            enterprise=company,
            applicant_niss=uc.actor.niss,
            applicant_name=uc.actor.name,
            declarations=sorted({d.value for d in declared}),
            status=ProviderRequestStatus.SUBMITTED,
            submitted_at=uc.clock.now(),
        )


async def decide_provider_identification(uc: UseCase, request_id: str, decision: ProviderDecision, reason: str | None) -> ProviderIdentificationRequest:
    """The officer's decision: APPROVE makes the company a SERVICE_PROVIDER, which may then be named
    as mandatary (R-ENT-12); REFUSE states the reason (R-SPID-2). The company is told in its e-Box."""
    uc.actor.require_officer()
    key = decode_id(request_id, "ProviderIdentificationRequest", ("requestId",))
    now = uc.clock.now()
    async with in_transaction():
        found = await ProviderIdentificationRequest.get_or_none(id=key)
        if found is None:
            raise RuleViolation(ErrorCode.NOT_FOUND, "No such provider identification request.", ("requestId",))
        await lock_principal(found.enterprise_id)
        request = await ProviderIdentificationRequest.select_for_update().get(id=key)
        company = await Enterprise.get(id=request.enterprise_id)
        request.status = rules.decide_provider_request(request.status, decision, reason)
        request.reason = (reason or "").strip() or None
        request.decided_at, request.decided_by_niss = now, uc.actor.niss
        await request.save()
        if request.status is ProviderRequestStatus.APPROVED:
            company.is_service_provider = True
            await company.save(update_fields=["is_service_provider"])
            subject, body = "Registered as a service provider", "The NSSO registered your company as a non-approved service provider: it may now be named as mandatary."
        else:
            subject, body = "Registration as a service provider refused", f"The NSSO refused to register your company as a service provider. Reason: {request.reason}."
        await Notification.create(recipient=company, channel=channel_for(company, is_mandatary=True), subject=subject, body=body, created_at=now)
    return request


# --- Employer identification request, WIDE (R-WIDE-1..5) ----------------------------------------


async def submit_employer_identification(uc: UseCase, principal_number: str, mandate_id: str | None, paper_tolerance: bool) -> EmployerIdentificationRequest:
    """An identification request for a principal that is not (or no longer) an NSSO employer.

    Filed by the principal itself (always possible), or by a provider holding a validated mandate of
    the principal with at least Dimona, or, while paper is accepted, whose handwritten scan awaits the
    officer (R-WIDE-1, R-WIDE-2, R-WIDE-4). Filing again re-links a blocked request to another mandate.
    """
    uc.actor.require_manager()
    now, today = uc.clock.now(), uc.clock.today()
    async with in_transaction():
        principal = await locked_principal(principal_number)
        check_identifiable(principal.nsso_number, principal.deleted_on)
        filer = await own_enterprise(uc.actor)
        provider, mandate = None, None
        if filer.id != principal.id:
            if not (filer.is_service_provider or filer.is_social_secretariat):
                raise RuleViolation(
                    ErrorCode.NOT_A_SERVICE_PROVIDER,
                    f"{filer.name} is neither the principal nor a registered service provider: it files no identification request for it.",
                    PRINCIPAL_FIELD,
                )
            provider = filer
            candidates = await _supporting_candidates(uc, principal, provider, mandate_id, today)
            mandate = rules.supporting_mandate(candidates, paper_allowed(paper_tolerance, principal.known_in_cbe))
        mandate_key = mandate.mandate_id if mandate else None
        existing = await (
            EmployerIdentificationRequest.filter(principal_id=principal.id, status__in=[s.value for s in OPEN])
            .filter(**({"provider_id": provider.id} if provider else {"provider_id__isnull": True}))
            .order_by("-id")
            .first()
        )
        if existing is not None:
            existing.status = rules.refiled_status(existing.status, existing.mandate_id, mandate_key)
            existing.mandate_id, existing.blocked_reason, existing.blocked_at = mandate_key, None, None
            await existing.save()
            return existing
        return await EmployerIdentificationRequest.create(
            principal=principal,
            provider=provider,
            mandate_id=mandate_key,
            status=IdentificationStatus.SUBMITTED,
            filed_by_niss=uc.actor.niss,
            created_at=now,
        )


async def _supporting_candidates(
    uc: UseCase, principal: Enterprise, provider: Enterprise, mandate_id: str | None, today: dt.date
) -> list[rules.SupportingMandate]:
    """The provider's mandates for the principal that could support the request: the one named, or all."""
    if mandate_id is not None:
        named = await find_mandate(uc.actor, mandate_id)
        if (named.principal_id, named.mandatary_id) != (principal.id, provider.id):
            raise RuleViolation(ErrorCode.VALIDATED_MANDATE_REQUIRED, "This mandate is not one of yours for this principal (R-WIDE-1).", ("mandateId",))
        mandates = [named]
    else:
        mandates = await Mandate.filter(
            principal_id=principal.id,
            mandatary_id=provider.id,
            status__in=[s.value for s in EFFECTIVE | {MandateStatus.TO_BE_VALIDATED}],
        ).order_by("id")
    current = Quarter.containing(today).index
    dimona = set(
        await MandateGroup.filter(mandate_id__in=[m.id for m in mandates], group_code=DIMONA)
        .filter(Q(end_quarter__isnull=True) | Q(end_quarter__gte=current))
        .values_list("mandate_id", flat=True)
    )
    return [rules.SupportingMandate(m.id, current_status(m, today), m.id in dimona) for m in mandates]


async def block_linked_requests(mandate: Mandate, reason: str, at: dt.datetime) -> str:
    """R-WIDE-3: the refusal of a mandate's paper authorisation blocks the identification requests
    filed under it. Returns the sentence the refusal's notification adds (empty when none)."""
    requests = await EmployerIdentificationRequest.filter(mandate_id=mandate.id, status=IdentificationStatus.SUBMITTED).select_for_update()
    for request in requests:
        request.status = rules.blocked_by_refusal(request.status)
        request.blocked_reason, request.blocked_at = reason, at
        await request.save(update_fields=["status", "blocked_reason", "blocked_at"])
    if not requests:
        return ""
    return (
        " The identification request filed under this mandate is blocked: no NSSO number is granted until a replacement "
        "authorisation (« remplacer une procuration pour un nouvel employeur ») is accepted (R-WIDE-3, R-PAP-4)."
    )


async def unblock_linked_requests(mandate: Mandate) -> str:
    """R-WIDE-3, R-PAP-4: accepting the replacement authorisation unblocks them. Returns the sentence the
    acceptance's notification adds (empty when none)."""
    requests = await EmployerIdentificationRequest.filter(mandate_id=mandate.id, status=IdentificationStatus.BLOCKED).select_for_update()
    for request in requests:
        request.status = rules.unblocked_by_acceptance(request.status)
        request.blocked_reason = request.blocked_at = None
        await request.save(update_fields=["status", "blocked_reason", "blocked_at"])
    return " The identification request filed under this mandate is no longer blocked (R-WIDE-3)." if requests else ""


async def conclude_identification(principal: Enterprise, at: dt.datetime) -> None:
    """Before the definitive NSSO number: refused while a request of the principal is blocked
    (R-WIDE-3); its open requests are then DONE. The caller holds the principal's lock."""
    requests = await EmployerIdentificationRequest.filter(principal_id=principal.id, status__in=[s.value for s in OPEN]).select_for_update()
    rules.check_not_blocked(request.status for request in requests)
    await EmployerIdentificationRequest.filter(id__in=[r.id for r in requests]).update(status=IdentificationStatus.DONE, done_at=at)


async def check_principal_identified(principal: Enterprise, groups: list[ApplicationGroup]) -> None:
    """R-FOR-1, R-WIDE-5, R-FOR-4, for a mandate created in the app (see the rule)."""
    if principal.known_in_cbe:
        return
    rules.check_principal_identified(
        known_in_cbe=False,
        nsso_number=principal.nsso_number,
        linked_to_request=await EmployerIdentificationRequest.filter(principal_id=principal.id).exists(),
        registered_by_nsso=await ForeignEntityRegistration.filter(enterprise_id=principal.id).exists(),
        nsso_initiated_groups=any(group.nsso_initiator for group in groups),
    )


def provider_requests(statuses: list[ProviderRequestStatus]):
    """Officers' list of service-provider requests, oldest first (R-SPID-2)."""
    return ProviderIdentificationRequest.filter(status__in=[s.value for s in statuses]).order_by("submitted_at", "id")


def employer_requests(statuses: list[IdentificationStatus]):
    """Officers' list of employer identification requests, oldest first (R-WIDE-1..3)."""
    return EmployerIdentificationRequest.filter(status__in=[s.value for s in statuses]).order_by("created_at", "id")


# --- Foreign entities registered by the NSSO (R-FOR-2, R-FOR-3) -----------------------------------


@dataclass(frozen=True)
class ForeignRepresentative:
    niss: str  # a bis number is a NISS too (R-ENT-6)
    name: str
    function_code: str


@dataclass(frozen=True)
class ForeignFile:
    kind: ForeignDocument
    file_name: str
    content: bytes


@dataclass(frozen=True)
class ForeignEntity:
    """The officer's registration form: the entity, its legal representative, the mandate and the documents."""

    enterprise_number: str  # the number the entity is registered under by the NSSO
    name: str
    address: str
    legal_form: str
    active_from: dt.date
    representative: ForeignRepresentative
    mandatary_number: str
    mandatary_signer_niss: str  # the Belgian provider's responsible person who signed the paper
    groups: list[str]
    start_quarter: Quarter
    documents: list[ForeignFile]


@dataclass(frozen=True)
class ForeignOutcome:
    enterprise: Enterprise
    mandate: Mandate


async def register_foreign_entity(uc: UseCase, form: ForeignEntity, max_document_bytes: int) -> ForeignOutcome:
    """The NSSO checks the documents (R-FOR-2), registers the foreign entity, unknown in the CBE, and its
    legal representative, then enters the handwritten authorisation itself: the mandate is validated at
    once (ACTIVE, or IDENTIFICATION for employer-only groups, R-WIDE-6), and the provider and the
    foreign entity get a confirmation (R-FOR-3, R-NOT-4). Later changes follow the general rules (R-FOR-4).
    """
    uc.actor.require_officer()
    documents = _documents(form.documents, max_document_bytes)
    number = normalise_enterprise_number(form.enterprise_number, ("enterpriseNumber",))
    name, address = _text(form.name, Enterprise, "name", "name"), _text(form.address, Enterprise, "address", "address")
    person = form.representative
    representative_niss = normalise_niss(person.niss, ("representative", "niss"))
    representative_name = _text(person.name, Representative, "name", "representative", "name")
    signer_niss = normalise_niss(form.mandatary_signer_niss, ("mandatarySignerNiss",))
    groups = uc.catalogue.resolve(list(form.groups))
    today, now = uc.clock.today(), uc.clock.now()
    check_start(form.start_quarter, today)
    check_companions(groups)
    async with in_transaction():
        legal_form = await LegalForm.get_or_none(code=form.legal_form.strip()) if fits(LegalForm, "code", form.legal_form.strip()) else None
        if legal_form is None:
            raise RuleViolation(ErrorCode.INVALID_INPUT, f"Unknown legal form '{form.legal_form}'.", ("legalForm",))
        function = person.function_code.strip()
        if not fits(FunctionCode, "code", function) or not await FunctionCode.exists(code=function):
            raise RuleViolation(ErrorCode.INVALID_INPUT, f"Unknown function code '{person.function_code}'.", ("representative", "functionCode"))
        # The representative signed the paper: its function must allow signing for the legal form (R-SIGN-11, R-ENT-9).
        allowed = frozenset(await MatrixEntry.filter(legal_form_id=legal_form.code).values_list("function_code_id", flat=True))
        require_signatory(SignatoryRegister(((representative_niss, function),), allowed, frozenset()), representative_niss, Party.PRINCIPAL, ("representative", "functionCode"))
        if await Enterprise.exists(enterprise_number=number):
            raise RuleViolation(ErrorCode.INVALID_INPUT, f"An enterprise is already registered under {form.enterprise_number}.", ("enterpriseNumber",))
        mandatary = await find_enterprise(form.mandatary_number, ("mandataryNumber",), by=("ssa_number",))
        check_mandatary(mandatary.name, mandatary.is_service_provider, mandatary.is_social_secretariat, ("mandataryNumber",))
        require_signatory(await signatory_register(mandatary), signer_niss, Party.MANDATARY, ("mandatarySignerNiss",))
        check_parties(ActivityPeriod(form.active_from, None), ActivityPeriod(mandatary.active_from, mandatary.active_until), form.start_quarter, None, today)
        entity = await Enterprise.create(
            enterprise_number=number,
            name=name,
            address=address,
            legal_form=legal_form,
            active_from=form.active_from,
            known_in_cbe=False,  # R-ENT-11: paper stays its signing method (R-SIGN-9, R-WIDE-4)
            known_in_user_management=False,  # nobody of it is registered yet: notified by post (R-NOT-3)
        )
        await Representative.create(enterprise=entity, niss=representative_niss, name=representative_name, function_code_id=function)
        # The scan is in the officer's hands; the Belgian provider sent the documents, so it is the encoder.
        mandate = await create.insert_mandate(entity, mandatary, groups, form.start_quarter, MandateStatus.TO_BE_VALIDATED, Party.MANDATARY, now)
        for party, signer in ((Party.PRINCIPAL, representative_niss), (Party.MANDATARY, signer_niss)):
            await Signature.create(mandate=mandate, party=party, method=SigningMethod.HANDWRITTEN, signer_niss=signer, signed_at=now)
        await finalise(uc, mandate, Event.OFFICER_ACCEPTED)
        registration = await ForeignEntityRegistration.create(enterprise=entity, mandate=mandate, registered_by_niss=uc.actor.niss, registered_at=now)
        await ForeignEntityDocument.bulk_create(
            [ForeignEntityDocument(registration=registration, kind=d.kind, file_name=d.file_name, content=d.content) for d in documents]
        )
        codes = ", ".join(g.code for g in groups)
        await record(
            mandate,
            uc.actor,
            "REGISTERED_BY_NSSO",
            now,
            method=SigningMethod.HANDWRITTEN,
            subject=f"Mandate {mandate.reference}: confirmation of its registration by the NSSO",
            detail=(
                f"The NSSO registered {entity.name}, unknown in the CBE, with its legal representative {representative_name}, "
                f"and entered its handwritten authorisation for {codes} from {form.start_quarter}, signed for the mandatary by one of its signatories; "
                f"status {mandate.status.value}. Documents checked: {', '.join(d.file_name for d in documents)}."
            ),
        )
    return ForeignOutcome(entity, mandate)


def _documents(files: list[ForeignFile], max_bytes: int) -> list[ForeignFile]:
    """The documents received: an empty file counts as missing; each one fits the upload limit (R-FOR-2)."""
    received = [f for f in files if f.content]
    rules.check_documents(f.kind for f in received)
    for f in received:
        if len(f.content) > max_bytes:
            raise RuleViolation(ErrorCode.INVALID_INPUT, f"{f.file_name} exceeds {max_bytes} bytes.", ("documents", f.kind.value))
    return [ForeignFile(f.kind, (f.file_name or f.kind.value)[:200], f.content) for f in received]


def _text(value: str, model, column: str, *field: str) -> str:
    text = (value or "").strip()
    if not text or not fits(model, column, text):
        raise RuleViolation(ErrorCode.INVALID_INPUT, f"Give the {' '.join(field)} (at most {model._meta.fields_map[column].max_length} characters).", field)
    return text


async def locked_principal(principal_number: str) -> Enterprise:
    """The principal by its CBE or NSSO number (R-ENT-5), read again under its lock."""
    principal = await find_enterprise(principal_number, PRINCIPAL_FIELD, by=("nsso_number",))
    await lock_principal(principal.id)
    await principal.refresh_from_db()
    return principal


