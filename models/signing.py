"""Who signs, in which order, at which level (R-USR-3, R-USR-4, R-SIGN-1..13).

A signature is asked for a party (principal or mandatary). Signing authority comes from the
reference data (representatives with a function allowed by the matrix, competence holders),
never from the token.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from models.errors import ErrorCode, RuleViolation
from models.status import Event, MandateStatus


class Party(enum.Enum):
    PRINCIPAL = "PRINCIPAL"
    MANDATARY = "MANDATARY"

    @property
    def other(self) -> Party:
        return Party.MANDATARY if self is Party.PRINCIPAL else Party.PRINCIPAL


class SigningMethod(enum.Enum):
    AUTHENTICATION = "AUTHENTICATION"
    EID = "EID"
    HANDWRITTEN = "HANDWRITTEN"


# Escalation levels (R-SIGN-4); HANDWRITTEN is all-paper, outside the scale (R-SIGN-5).
LEVELS = {SigningMethod.AUTHENTICATION: 1, SigningMethod.EID: 2}


@dataclass(frozen=True)
class SignatoryRegister:
    """An enterprise's persons, as the reference data knows them (R-USR-3)."""

    representatives: tuple[tuple[str, str], ...]  # (NISS, function code) registered in the CBE
    allowed_functions: frozenset[str]  # the matrix's function codes for the enterprise's legal form
    competence_holders: frozenset[str]  # NISS granted « Mahis : signature d'un mandat »

    def may_sign(self, niss: str) -> bool:
        """(a) a representative with a function the matrix allows, or (b) a competence holder."""
        if niss in self.competence_holders:
            return True
        return any(person == niss and code in self.allowed_functions for person, code in self.representatives)

    def is_representative(self, niss: str) -> bool:
        """A CBE representative whatever the function (R-USR-5, R-SPID-1)."""
        return any(person == niss for person, _ in self.representatives)


def require_signatory(
    register: SignatoryRegister, niss: str, party: Party, field: tuple[str, ...] | None = None
) -> None:
    if not register.may_sign(niss):
        raise RuleViolation(ErrorCode.NOT_ALLOWED_TO_SIGN, "api.signing.not_allowed", field, party=party)


def signing_event(
    status: MandateStatus,
    encoder: Party,
    party: Party,
    method: SigningMethod,
    signed: Iterable[tuple[Party, SigningMethod]],
) -> Event:
    """The event a new signature by `party` makes, or why it is refused.

    The encoder signs first (R-SIGN-6); each party signs once, only while the mandate awaits
    signatures (R-SIGN-13, R-LIFE-9); the second level is at least the first (R-SIGN-4).
    """
    if method is SigningMethod.HANDWRITTEN:
        raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.signing.handwritten_is_uploaded")
    if status not in (MandateStatus.TO_BE_FINALISED, MandateStatus.PENDING):
        raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.signing.status", status=status)
    earlier = dict(signed)
    if party in earlier:
        raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.signing.already_signed", party=party)
    if not earlier:
        if party is not encoder:
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.signing.encoder_first", encoder=encoder, party=party)
        return Event.ENCODER_SIGNED
    first = earlier[encoder]
    if first is SigningMethod.HANDWRITTEN or LEVELS[method] < LEVELS[first]:
        raise RuleViolation(ErrorCode.SIGNING_LEVEL_TOO_LOW, "api.signing.level_too_low", method=first)
    return Event.BOTH_SIGNED
