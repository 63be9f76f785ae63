"""Foreign entities registered by the NSSO (RULES.md §22: R-FOR-2, R-FOR-3).

An officer checks the documents, registers a foreign entity unknown in the CBE with its legal
representative, and enters its handwritten authorisation: the mandate is validated at once. Later
changes follow the general rules (R-FOR-4); whether such a principal may take an in-app mandate is
decided at creation (`resolvers/create.py`, R-FOR-1). The rules are `models/identification.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.models import Model
from tortoise.transactions import in_transaction

from models import identification as rules
from models.creation import ActivityPeriod, check_companions, check_mandatary, check_parties, check_start
from models.errors import ErrorCode, RuleViolation, Words
from models.identification import ForeignDocument
from models.identifiers import normalise_enterprise_number, normalise_niss
from models.quarter import Quarter
from models.signing import Party, SignatoryRegister, SigningMethod, require_signatory
from models.status import Event, MandateStatus
from models.tables import (
    Enterprise,
    ForeignEntityDocument,
    ForeignEntityRegistration,
    FunctionCode,
    LegalForm,
    Mandate,
    MatrixEntry,
    Representative,
    Signature,
)
from resolvers.columns import values_of
from resolvers.context import UseCase
from resolvers.create import insert_mandate
from resolvers.finalise import finalise
from resolvers.ids import fits, text_length
from resolvers.journal import record
from resolvers.languages import group_names
from resolvers.lookup import find_enterprise, signatory_register


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
        legal_form = (
            await LegalForm.get_or_none(code=form.legal_form.strip())
            if fits(LegalForm, "code", form.legal_form.strip())
            else None
        )
        if legal_form is None:
            raise RuleViolation(ErrorCode.INVALID_INPUT, "api.foreign.legal_form", ("legalForm",), form=form.legal_form)
        function = person.function_code.strip()
        if not fits(FunctionCode, "code", function) or not await FunctionCode.exists(code=function):
            raise RuleViolation(
                ErrorCode.INVALID_INPUT,
                "api.foreign.function_code",
                ("representative", "functionCode"),
                function=person.function_code,
            )
        # The representative signed the paper: its function must allow signing for the legal form (R-SIGN-11, R-ENT-9).
        allowed = frozenset(await values_of(MatrixEntry.filter(legal_form_id=legal_form.code), "function_code_id"))
        require_signatory(
            SignatoryRegister(((representative_niss, function),), allowed, frozenset()),
            representative_niss,
            Party.PRINCIPAL,
            ("representative", "functionCode"),
        )
        if await Enterprise.exists(enterprise_number=number):
            raise RuleViolation(
                ErrorCode.INVALID_INPUT,
                "api.foreign.already_registered",
                ("enterpriseNumber",),
                number=form.enterprise_number,
            )
        mandatary = await find_enterprise(form.mandatary_number, ("mandataryNumber",), by=("ssa_number",))
        check_mandatary(
            mandatary.name, mandatary.is_service_provider, mandatary.is_social_secretariat, ("mandataryNumber",)
        )
        require_signatory(await signatory_register(mandatary), signer_niss, Party.MANDATARY, ("mandatarySignerNiss",))
        check_parties(
            ActivityPeriod(form.active_from, None),
            ActivityPeriod(mandatary.active_from, mandatary.active_until),
            form.start_quarter,
            None,
            today,
        )
        entity = await Enterprise.create(
            enterprise_number=number,
            name=name,
            address=address,
            legal_form=legal_form,
            active_from=form.active_from,
            known_in_cbe=False,  # R-ENT-11: paper stays its signing method (R-SIGN-9, R-WIDE-4)
            known_in_user_management=False,  # nobody of it is registered yet: notified by post (R-NOT-3)
        )
        await Representative.create(
            enterprise=entity, niss=representative_niss, name=representative_name, function_code_id=function
        )
        # The scan is in the officer's hands; the Belgian provider sent the documents, so it is the encoder.
        mandate, _ = await insert_mandate(
            entity, mandatary, groups, form.start_quarter, MandateStatus.TO_BE_VALIDATED, Party.MANDATARY, now
        )
        for party, signer in ((Party.PRINCIPAL, representative_niss), (Party.MANDATARY, signer_niss)):
            await Signature.create(
                mandate=mandate, party=party, method=SigningMethod.HANDWRITTEN, signer_niss=signer, signed_at=now
            )
        await finalise(uc, mandate, Event.OFFICER_ACCEPTED)
        registration = await ForeignEntityRegistration.create(
            enterprise=entity, mandate=mandate, registered_by_niss=uc.actor.niss, registered_at=now
        )
        await ForeignEntityDocument.bulk_create(
            [
                ForeignEntityDocument(registration=registration, kind=d.kind, file_name=d.file_name, content=d.content)
                for d in documents
            ]
        )
        await record(
            mandate,
            uc.actor,
            "REGISTERED_BY_NSSO",
            now,
            method=SigningMethod.HANDWRITTEN,
            subject=Words("notice.subject.registered", {"reference": mandate.reference}),
            detail=Words(
                "notice.detail.registered",
                {
                    "entity": entity.name,
                    "representative": representative_name,
                    "groups": [group_names(g) for g in groups],
                    "start": form.start_quarter,
                    "status": mandate.status,
                    "documents": [d.file_name for d in documents],
                },
            ),
        )
    return ForeignOutcome(entity, mandate)


def _documents(files: list[ForeignFile], max_bytes: int) -> list[ForeignFile]:
    """The documents received: an empty file counts as missing; each one fits the upload limit (R-FOR-2)."""
    received = [f for f in files if f.content]
    rules.check_documents(f.kind for f in received)
    for f in received:
        if len(f.content) > max_bytes:
            raise RuleViolation(
                ErrorCode.INVALID_INPUT,
                "api.foreign.document_too_large",
                ("documents", f.kind.value),
                file=f.file_name,
                bytes=max_bytes,
            )
    return [ForeignFile(f.kind, (f.file_name or f.kind.value)[:200], f.content) for f in received]


def _text(value: str, model: type[Model], column: str, *field: str) -> str:
    text = (value or "").strip()
    if not text or not fits(model, column, text):
        raise RuleViolation(
            ErrorCode.INVALID_INPUT,
            "api.foreign.text_too_long",
            field,
            name=" ".join(field),
            length=text_length(model, column),
        )
    return text
