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


class Decision(enum.Enum):
    ACCEPT = "ACCEPT"
    REJECT = "REJECT"
    REFER_TO_INSPECTION = "REFER_TO_INSPECTION"


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
        raise RuleViolation(ErrorCode.INVALID_INPUT, "Authentication needs no document: use signMandate.", ("method",))
    if method is SigningMethod.EID:
        if not principal_known_in_cbe:
            raise RuleViolation(
                ErrorCode.EID_NOT_AVAILABLE,
                "The principal is unknown in the CBE: its authorisation is signed by hand (R-SIGN-9, R-ENT-11).",
                ("method",),
            )
        if status not in (S.TO_BE_FINALISED, S.PENDING, *FINALISED):  # a new version of a finalised one (R-PDF-8)
            raise RuleViolation(
                ErrorCode.INVALID_TRANSITION, f"A mandate in status {status.value} takes no more signatures."
            )
        return
    if not paper:
        raise RuleViolation(
            ErrorCode.PAPER_NOT_ALLOWED,
            (
                "Paper authorisations are no longer accepted for an enterprise known in the CBE: sign electronically "
                "(R-SIGN-9)."
            ),
            ("method",),
        )
    check_paper_status(status, replaces_other)


def check_paper_status(status: MandateStatus, replaces_other: bool) -> None:
    """Paper is all-paper, before anyone signed (R-SIGN-5); after a rejection only as a correction,
    never when the mandate was a change of provider (R-PAP-3, R-PAP-5)."""
    if status is S.TO_BE_FINALISED:
        return
    if status is S.REJECTED and not replaces_other:
        return
    if status is S.REJECTED:
        raise RuleViolation(
            ErrorCode.INVALID_TRANSITION,
            (
                "The refused authorisation concerned a change of provider: the refusal counts as a cancellation; "
                "introduce a new mandate (R-PAP-5)."
            ),
        )
    raise RuleViolation(
        ErrorCode.INVALID_TRANSITION,
        (
            f"A handwritten authorisation is signed by both parties on paper, before any other signature; not in "
            f"status {status.value} (R-SIGN-5)."
        ),
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
            ErrorCode.AUTHORISATION_NOT_FOR_THIS_MANDATE,
            "This PDF was not issued by the registry (its seal is missing, broken or foreign).",
            ("file",),
        )
    if copy.mandate_id != mandate_id:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_NOT_FOR_THIS_MANDATE, "This PDF was issued for another mandate.", ("file",)
        )
    if copy.template_version != current_template:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_OUTDATED_TEMPLATE,
            (
                f"This PDF uses template version {copy.template_version}; only version {current_template} is accepted: "
                f"request a new one."
            ),
            ("file",),
        )
    if copy.mandate_revision != revision:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_NOT_FOR_THIS_MANDATE,
            "This PDF was issued before the mandate changed: request a new one.",
            ("file",),
        )


def parties_to_sign(found: list[Party], already: set[Party], encoder: Party) -> list[Party]:
    """The parties whose eID signatures an upload adds, encoder first (R-SIGN-6, R-SIGN-7).

    A PDF bearing only the counterparty's signature, while the encoder has not signed, is refused.
    """
    new = [party for party in (encoder, encoder.other) if party in found and party not in already]
    if not new:
        raise RuleViolation(
            ErrorCode.AUTHORISATION_SIGNATURE_INVALID, "The PDF carries no new signature of a party.", ("file",)
        )
    if encoder not in already and encoder not in new:
        raise RuleViolation(
            ErrorCode.INVALID_TRANSITION,
            f"The {encoder.value.lower()}, who encoded the mandate, signs first (R-SIGN-6).",
            ("file",),
        )
    return new


def parse_decision(text: str, reason: str | None) -> Decision:
    """ACCEPT, REJECT (with a reason) or REFER_TO_INSPECTION (R-PAP-1, R-PAP-3)."""
    try:
        decision = Decision((text or "").strip().upper())
    except ValueError:
        raise RuleViolation(
            ErrorCode.REVIEW_DECISION_INVALID, "The decision is ACCEPT, REJECT or REFER_TO_INSPECTION.", ("decision",)
        ) from None
    if decision is Decision.REJECT and not (reason or "").strip():
        raise RuleViolation(ErrorCode.REASON_REQUIRED, "A refusal states its reason (R-PAP-3).", ("reason",))
    return decision
