"""Error codes: one per rule that can refuse an action (API.md `ErrorCode`, RULES.md appendix B)."""

from __future__ import annotations

import enum


class ErrorCode(enum.Enum):
    # Input and identifiers (R-ENT-7, R-CAL-1).
    INVALID_INPUT = "INVALID_INPUT"
    INVALID_ENTERPRISE_NUMBER = "INVALID_ENTERPRISE_NUMBER"
    INVALID_NISS = "INVALID_NISS"
    INVALID_QUARTER = "INVALID_QUARTER"
    INVALID_ID = "INVALID_ID"
    NOT_FOUND = "NOT_FOUND"
    # Parties (R-ENT-8, R-ENT-12, R-WIDE-5).
    ENTERPRISE_NOT_FOUND = "ENTERPRISE_NOT_FOUND"
    ENTERPRISE_INACTIVE = "ENTERPRISE_INACTIVE"
    NOT_A_SERVICE_PROVIDER = "NOT_A_SERVICE_PROVIDER"
    SAME_PARTY = "SAME_PARTY"
    INVALID_BRANCH = "INVALID_BRANCH"
    # Creation (R-CRE-*, R-CHG-*, R-UNQ-*).
    GROUPS_REQUIRED = "GROUPS_REQUIRED"
    UNKNOWN_GROUP = "UNKNOWN_GROUP"
    PERIOD_OUTSIDE_ACTIVITY = "PERIOD_OUTSIDE_ACTIVITY"
    START_TOO_FAR_AHEAD = "START_TOO_FAR_AHEAD"
    RETROACTIVE_START_NOT_ALLOWED = "RETROACTIVE_START_NOT_ALLOWED"
    SINGLE_MANDATARY_TAKEN = "SINGLE_MANDATARY_TAKEN"
    GROUP_REQUIRES_OTHERS = "GROUP_REQUIRES_OTHERS"
    MAX_MANDATARIES_REACHED = "MAX_MANDATARIES_REACHED"
    DUPLICATE_MANDATE = "DUPLICATE_MANDATE"
    # Signing (R-SIGN-*, R-USR-*).
    NOT_ALLOWED_TO_SIGN = "NOT_ALLOWED_TO_SIGN"
    SIGNING_LEVEL_TOO_LOW = "SIGNING_LEVEL_TOO_LOW"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    PAPER_NOT_ALLOWED = "PAPER_NOT_ALLOWED"
    # Authorisations (R-PDF-*, R-PAP-*).
    AUTHORISATION_SIGNATURE_INVALID = "AUTHORISATION_SIGNATURE_INVALID"
    AUTHORISATION_NOT_FOR_THIS_MANDATE = "AUTHORISATION_NOT_FOR_THIS_MANDATE"
    AUTHORISATION_OUTDATED_TEMPLATE = "AUTHORISATION_OUTDATED_TEMPLATE"
    AUTHORISATION_TOO_LARGE = "AUTHORISATION_TOO_LARGE"
    # Closure, delegation, actions (R-CLO-*, R-DEL-*).
    CLOSURE_QUARTER_NOT_ALLOWED = "CLOSURE_QUARTER_NOT_ALLOWED"
    REASON_REQUIRED = "REASON_REQUIRED"
    ACTIONS_IN_PERIOD = "ACTIONS_IN_PERIOD"
    DELEGATION_NOT_ALLOWED = "DELEGATION_NOT_ALLOWED"
    # Reference data files (R-ENT-6).
    INVALID_REFERENCE_DATA = "INVALID_REFERENCE_DATA"


class RuleViolation(Exception):
    """A broken business rule: reaches clients as a `UserError` (code, field path, message)."""

    def __init__(self, code: ErrorCode, message: str, field: tuple[str, ...] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"RuleViolation({self.code.value}, {self.message!r}, field={self.field})"
