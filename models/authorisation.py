"""Authorisations: when a PDF may be requested, which uploaded copy counts, the officer's review.

RULES.md §8-§11: R-SIGN-5, R-SIGN-6, R-SIGN-9, R-PDF-2, R-PDF-5, R-PDF-6, R-PAP-1..8, R-ENT-11.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from models.errors import ErrorCode, RuleViolation
from models.signing import Party, SigningMethod
from models.status import FINALISED, MandateStatus

S = MandateStatus

VERSIONED = FINALISED | {S.CLOSED}
"""The statuses whose authorisation may get a new version (R-PDF-8): the mandate took effect. CLOSED is one:
a late closure ends the mandate at once, and the version that shows the closure is asked in the same request."""


class Decision(enum.Enum):
    ACCEPT = "ACCEPT"
    REJECT = "REJECT"
    REFER_TO_INSPECTION = "REFER_TO_INSPECTION"


class Revocation(enum.Enum):
    """What the revocation check of an eID signer's certificate found (its CRL or OCSP responder)."""

    GOOD = "GOOD"  # checked against the CRL or OCSP its chain declares: not revoked
    REVOKED = "REVOKED"
    UNKNOWN = "UNKNOWN"  # hard-fail: the CRL or OCSP responder gave no usable answer, so not trusted
    NOT_CHECKED = "NOT_CHECKED"  # soft-fail: the same, but trusted all the same
    NOT_DECLARED = "NOT_DECLARED"  # the chain declares no CRL nor OCSP responder: nothing to check


# An accepted upload records the least assurance among its signatures.
_ACCEPTED_REVOCATION_ORDER = (Revocation.NOT_CHECKED, Revocation.NOT_DECLARED, Revocation.GOOD)


def upload_revocation(answers: list[Revocation | None]) -> Revocation | None:
    """The revocation answer an accepted eID upload records: the weakest of its signatures' (R-PDF-6)."""
    for answer in _ACCEPTED_REVOCATION_ORDER:
        if answer in answers:
            return answer
    return None


INSPECTION_WORKING_DAYS = 10  # "le résultat de cette enquête sera connu dans les 10 jours ouvrables" (R-PAP-7)


def paper_allowed(tolerance_open: bool, principal_known_in_cbe: bool) -> bool:
    """Paper while the transitional tolerance is open, and always for a principal unknown in the CBE (R-SIGN-9,
    R-WIDE-4)."""
    return tolerance_open or not principal_known_in_cbe


def check_request(
    method: SigningMethod, status: MandateStatus, *, paper: bool, principal_known_in_cbe: bool, replaces_other: bool
) -> None:
    """May an authorisation PDF be issued now for this method?"""
    if method is SigningMethod.AUTHENTICATION:
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.authorisation.authentication_no_document", ("method",))
    if method is SigningMethod.EID:
        if not principal_known_in_cbe:
            raise RuleViolation(
                ErrorCode.EID_NOT_AVAILABLE,
                "api.authorisation.eid_unavailable",
                ("method",),
                rules=("R-SIGN-9", "R-ENT-11"),
            )
        if status not in (S.TO_BE_FINALISED, S.PENDING, *VERSIONED):  # a new version of a finalised one (R-PDF-8)
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.authorisation.no_more_signatures", status=status)
        return
    if not paper:
        raise RuleViolation(
            ErrorCode.PAPER_NOT_ALLOWED, "api.authorisation.paper_closed_cbe", ("method",), rules=("R-SIGN-9",)
        )
    check_paper_status(status, replaces_other)


def check_paper_status(status: MandateStatus, replaces_other: bool) -> None:
    """Paper is all-paper, before anyone signed (R-SIGN-5); after a rejection only as a correction,
    never when the mandate was a change of provider (R-PAP-3, R-PAP-5); on a mandate that took effect as a
    new version of its authorisation after an action (R-PDF-8)."""
    if status is S.TO_BE_FINALISED or status in VERSIONED:
        return
    if status is S.REJECTED and not replaces_other:
        return
    if status is S.REJECTED:
        raise RuleViolation(
            ErrorCode.INVALID_TRANSITION, "api.authorisation.refused_change_of_provider", rules=("R-PAP-5",)
        )
    raise RuleViolation(
        ErrorCode.INVALID_TRANSITION, "api.authorisation.handwritten_first", rules=("R-SIGN-5",), status=status
    )


@dataclass(frozen=True)
class IssuedCopy:
    """What the registry recorded when it issued the PDF an upload was sealed as."""

    mandate_id: int
    mandate_revision: int
    template_version: str
    method: SigningMethod


def check_issued_copy(copy: IssuedCopy | None, mandate_id: int, revision: int, current_template: str) -> None:
    """The upload must be the PDF issued for this mandate as it stands now, on the current template (R-PDF-2,
    R-PDF-5)."""
    if copy is None:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_NOT_FOR_THIS_MANDATE, "api.authorisation.not_issued_here", ("file",)
        )
    if copy.mandate_id != mandate_id:
        raise RuleViolation(ErrorCode.AUTHORISATION_NOT_FOR_THIS_MANDATE, "api.authorisation.other_mandate", ("file",))
    if copy.template_version != current_template:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_OUTDATED_TEMPLATE,
            "api.authorisation.outdated_template",
            ("file",),
            version=copy.template_version,
            current=current_template,
        )
    if copy.mandate_revision != revision:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_NOT_FOR_THIS_MANDATE, "api.authorisation.mandate_changed", ("file",)
        )


def parties_to_sign(found: list[Party], already: set[Party], encoder: Party) -> list[Party]:
    """The parties whose eID signatures an upload adds, encoder first (R-SIGN-6, R-SIGN-7).

    A PDF bearing only the counterparty's signature, while the encoder has not signed, is refused.
    """
    new = [party for party in (encoder, encoder.other) if party in found and party not in already]
    if not new:
        raise RuleViolation(ErrorCode.AUTHORISATION_SIGNATURE_INVALID, "api.authorisation.no_new_signature", ("file",))
    if encoder not in already and encoder not in new:
        raise RuleViolation(
            ErrorCode.INVALID_TRANSITION,
            "api.authorisation.encoder_signs_first",
            ("file",),
            rules=("R-SIGN-6",),
            party=encoder,
        )
    return new


def parse_decision(text: str, reason: str | None) -> Decision:
    """ACCEPT, REJECT (with a reason) or REFER_TO_INSPECTION (R-PAP-1, R-PAP-3)."""
    try:
        decision = Decision((text or "").strip().upper())
    except ValueError:
        raise RuleViolation(
            ErrorCode.REVIEW_DECISION_INVALID, "api.authorisation.decision_invalid", ("decision",)
        ) from None
    if decision is Decision.REJECT and not (reason or "").strip():
        raise RuleViolation(
            ErrorCode.REASON_REQUIRED, "api.authorisation.refusal_reason", ("reason",), rules=("R-PAP-3",)
        )
    return decision
