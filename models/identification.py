"""Identification requests and the NSSO's registration of foreign entities (RULES.md §20, §21, §22:
R-SPID-1..3, R-USR-5, R-WIDE-1..5, R-FOR-1..3, R-ENT-11, R-ENT-12).

Pure rules: they take values (statuses, flags, the signatory register) and return a decision or
refuse with a `RuleViolation`. The rows are read and written by `resolvers/provider_registration.py`,
`resolvers/employer_identification.py` and `resolvers/foreign_entities.py`, one feature each.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from models.errors import ErrorCode, RuleViolation
from models.signing import SignatoryRegister
from models.status import EFFECTIVE, MandateStatus

DIMONA = "DIMONA"  # the group a provider's identification request needs at least (R-WIDE-1)


# --- Service-provider identification request (R-SPID-1..3, R-USR-5) -------------------------------


class Declaration(enum.Enum):
    """The conditions NSSO assesses, as the applicant declares it meets them (R-SPID-2)."""

    TECHNICAL_ABILITY = "TECHNICAL_ABILITY"
    CIVIL_LIABILITY_INSURANCE = "CIVIL_LIABILITY_INSURANCE"
    NO_NSSO_DEBTS = "NO_NSSO_DEBTS"
    FOLLOWS_INSTRUCTIONS = "FOLLOWS_INSTRUCTIONS"
    INSPECTOR_ACCESS = "INSPECTOR_ACCESS"
    TIMELY_REPORTING = "TIMELY_REPORTING"
    QUALITY_BAROMETER = "QUALITY_BAROMETER"


DECLARATION_TEXT = {
    Declaration.TECHNICAL_ABILITY: "technically able to exchange the prescribed electronic messages",
    Declaration.CIVIL_LIABILITY_INSURANCE: "insured for civil liability covering its activities as a service provider",
    Declaration.NO_NSSO_DEBTS: "no debts to the NSSO",
    Declaration.FOLLOWS_INSTRUCTIONS: "follows the NSSO's instructions and the guidelines for service providers",
    Declaration.INSPECTOR_ACCESS: "gives the social inspectors access to the information they ask for",
    Declaration.TIMELY_REPORTING: "reports the ends of mandates and employer deletions in time",
    Declaration.QUALITY_BAROMETER: "submits to the quality control of the quality barometer, with its sanctions",
}


class ProviderRequestStatus(enum.Enum):
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    REFUSED = "REFUSED"


class ProviderDecision(enum.Enum):
    APPROVE = "APPROVE"
    REFUSE = "REFUSE"


def may_request_provider_identification(register: SignatoryRegister, niss: str) -> bool:
    """Only a legal representative registered in the CBE, whatever its function, files the request
    (R-SPID-1, R-USR-5): a competence holder or a plain manager may not."""
    return register.is_representative(niss)


def check_provider_request(
    *,
    known_in_cbe: bool,
    is_service_provider: bool,
    is_social_secretariat: bool,
    pending: bool,
    declared: Iterable[Declaration],
) -> None:
    """A company registered in the CBE (R-SPID-1) that is not yet a mandatary asks once, declaring
    every condition (R-SPID-2). [interpretation] An SSA is entered by NSSO in the reference data and
    never asks through this request (R-SPID-3)."""
    if not known_in_cbe:
        raise RuleViolation(ErrorCode.NOT_REGISTERED_IN_CBE, "api.identification.not_in_cbe", rules=("R-SPID-1",))
    if is_social_secretariat:
        raise RuleViolation(
            ErrorCode.ALREADY_A_SERVICE_PROVIDER, "api.identification.ssa_entered_by_nsso", rules=("R-SPID-3",)
        )
    if is_service_provider:
        raise RuleViolation(ErrorCode.ALREADY_A_SERVICE_PROVIDER, "api.identification.already_provider")
    if pending:
        raise RuleViolation(ErrorCode.DUPLICATE_REQUEST, "api.identification.request_pending")
    missing = _missing(Declaration, declared)
    if missing:
        raise RuleViolation(
            ErrorCode.CONDITION_NOT_DECLARED,
            "api.identification.conditions_missing",
            ("declarations", missing[0].value),
            rules=("R-SPID-2",),
            missing=missing,
        )


def decide_provider_request(
    status: ProviderRequestStatus, decision: ProviderDecision, reason: str | None
) -> ProviderRequestStatus:
    """The officer approves (the company becomes a SERVICE_PROVIDER) or refuses with a reason (R-SPID-2)."""
    if status is not ProviderRequestStatus.SUBMITTED:
        raise RuleViolation(
            ErrorCode.INVALID_TRANSITION, "api.identification.already_decided", ("requestId",), status=status
        )
    if decision is ProviderDecision.REFUSE:
        if not (reason or "").strip():
            raise RuleViolation(
                ErrorCode.REASON_REQUIRED, "api.identification.refusal_reason", ("reason",), rules=("R-SPID-2",)
            )
        return ProviderRequestStatus.REFUSED
    return ProviderRequestStatus.APPROVED


# --- Employer identification request, WIDE (R-WIDE-1..5) ---------------------------------------


class IdentificationStatus(enum.Enum):
    SUBMITTED = "SUBMITTED"
    BLOCKED = "BLOCKED"  # the linked paper authorisation was refused (R-WIDE-3)
    DONE = "DONE"  # the definitive NSSO number was assigned (R-WIDE-2, R-WIDE-6)


OPEN = frozenset({IdentificationStatus.SUBMITTED, IdentificationStatus.BLOCKED})


@dataclass(frozen=True)
class SupportingMandate:
    """A mandate of the filing provider for the principal, as the WIDE check sees it."""

    mandate_id: int
    status: MandateStatus  # as of today (lapsed in-flight mandates are CANCELLED)
    holds_dimona: bool  # a DIMONA group not ended before the current quarter


def supporting_mandate(candidates: Sequence[SupportingMandate], paper_allowed: bool) -> SupportingMandate:
    """The mandate that lets a provider file an identification request for its client (R-WIDE-1):
    validated in the registry (ACTIVE or IDENTIFICATION) and holding at least Dimona; or, while
    paper is accepted (the tolerance, or always for a principal unknown in the CBE), a mandate whose
    handwritten scan awaits the officer: the scan goes with the request (R-WIDE-2, R-WIDE-4).
    An effective mandate is preferred to a scan.
    """
    with_dimona = [c for c in candidates if c.holds_dimona]
    for wanted in (EFFECTIVE, {MandateStatus.TO_BE_VALIDATED}):
        found = next((c for c in with_dimona if c.status in wanted), None)
        if found is None:
            continue
        if found.status is MandateStatus.TO_BE_VALIDATED and not paper_allowed:
            raise RuleViolation(
                ErrorCode.PAPER_NOT_ALLOWED,
                "api.identification.paper_closed",
                ("mandateId",),
                rules=("R-WIDE-1", "R-SIGN-9"),
            )
        return found
    raise RuleViolation(
        ErrorCode.VALIDATED_MANDATE_REQUIRED,
        "api.identification.validated_mandate_first",
        ("mandateId",) if candidates else ("principalNumber",),
        rules=("R-WIDE-1",),
    )


def refiled_status(
    existing: IdentificationStatus, existing_mandate_id: int | None, new_mandate_id: int | None
) -> IdentificationStatus:
    """A filer with an open request files again: a blocked request is re-linked to another mandate
    and submitted again (« remplacer une procuration pour un nouvel employeur », R-PAP-4); on the same
    mandate it waits for the officer's acceptance of the corrected scan (R-WIDE-3)."""
    if existing is IdentificationStatus.SUBMITTED:
        raise RuleViolation(ErrorCode.DUPLICATE_REQUEST, "api.identification.already_submitted")
    if existing is IdentificationStatus.BLOCKED and existing_mandate_id == new_mandate_id:
        raise RuleViolation(
            ErrorCode.IDENTIFICATION_BLOCKED,
            "api.identification.blocked_replacement",
            ("mandateId",),
            rules=("R-WIDE-3", "R-PAP-4"),
        )
    return IdentificationStatus.SUBMITTED


def blocked_by_refusal(status: IdentificationStatus) -> IdentificationStatus:
    """Refusing the linked authorisation blocks the request (R-WIDE-3)."""
    return IdentificationStatus.BLOCKED if status is IdentificationStatus.SUBMITTED else status


def unblocked_by_acceptance(status: IdentificationStatus) -> IdentificationStatus:
    """Accepting the replacement authorisation unblocks it (R-WIDE-3, R-PAP-4)."""
    return IdentificationStatus.SUBMITTED if status is IdentificationStatus.BLOCKED else status


def check_not_blocked(statuses: Iterable[IdentificationStatus]) -> None:
    """The definitive NSSO number is not granted while a request of the principal is blocked (R-WIDE-3)."""
    if IdentificationStatus.BLOCKED in set(statuses):
        raise RuleViolation(
            ErrorCode.IDENTIFICATION_BLOCKED,
            "api.identification.blocked_refused",
            ("principalNumber",),
            rules=("R-WIDE-3",),
        )


def check_principal_identified(
    *,
    known_in_cbe: bool,
    nsso_number: str | None,
    linked_to_request: bool,
    registered_by_nsso: bool,
    nsso_initiated_groups: bool,
) -> None:
    """A principal unknown in the CBE, in an in-app mandate (R-ENT-11).

    Once the NSSO registered it (R-FOR-3), later mandates follow the general rules (R-FOR-4).
    Before that, the groups the NSSO initiates (works declarations, single permit, BELparcel) go
    through the officer's registration (R-FOR-1); and a principal with neither CBE nor NSSO number
    takes a mandate only once linked to an identification request (R-WIDE-5).
    """
    if known_in_cbe or registered_by_nsso:
        return
    if nsso_initiated_groups:
        raise RuleViolation(
            ErrorCode.ENTERPRISE_NOT_FOUND,
            "api.identification.foreign_by_nsso",
            ("principalNumber",),
            rules=("R-FOR-1",),
        )
    if not nsso_number and not linked_to_request:
        raise RuleViolation(
            ErrorCode.ENTERPRISE_NOT_FOUND, "api.identification.no_number", ("principalNumber",), rules=("R-WIDE-5",)
        )


# --- Foreign entities registered by the NSSO (R-FOR-2, R-FOR-3) -----------------------------------


class ForeignDocument(enum.Enum):
    """The documents the officer's registration form requires (R-FOR-2)."""

    COMPANY_DATA = "COMPANY_DATA"
    REPRESENTATIVE_DESIGNATION = "REPRESENTATIVE_DESIGNATION"
    IDENTITY_COPY = "IDENTITY_COPY"
    SIGNED_AUTHORISATION = "SIGNED_AUTHORISATION"


DOCUMENT_TEXT = {
    ForeignDocument.COMPANY_DATA: (
        "the company's data (deed of incorporation, official publications, ...) with its current address"
    ),
    ForeignDocument.REPRESENTATIVE_DESIGNATION: "the proof of the legal representative's designation",
    ForeignDocument.IDENTITY_COPY: "a colour copy of the legal representative's identity document",
    ForeignDocument.SIGNED_AUTHORISATION: (
        "the scan of the authorisation signed by that representative and by the Belgian provider's responsible person"
    ),
}


def check_documents(provided: Iterable[ForeignDocument]) -> None:
    """Each required document is there; a missing one is named (R-FOR-2)."""
    missing = _missing(ForeignDocument, provided)
    if missing:
        raise RuleViolation(
            ErrorCode.DOCUMENT_MISSING,
            "api.identification.documents_missing",
            ("documents", missing[0].value),
            rules=("R-FOR-2",),
            missing=missing,
        )


E = TypeVar("E", bound=enum.Enum)


def _missing(required: type[E], given: Iterable[E]) -> list[E]:
    """The members of `required`, in their order, that `given` lacks."""
    have = set(given)
    return [item for item in required if item not in have]
