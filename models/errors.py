"""Error codes: one per rule that can refuse an action (API.md `ErrorCode`, RULES.md appendix B)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


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
    AUTHORISATION_SIGNER_REVOKED = "AUTHORISATION_SIGNER_REVOKED"
    AUTHORISATION_REVOCATION_UNKNOWN = "AUTHORISATION_REVOCATION_UNKNOWN"
    AUTHORISATION_NOT_FOR_THIS_MANDATE = "AUTHORISATION_NOT_FOR_THIS_MANDATE"
    AUTHORISATION_OUTDATED_TEMPLATE = "AUTHORISATION_OUTDATED_TEMPLATE"
    AUTHORISATION_TOO_LARGE = "AUTHORISATION_TOO_LARGE"
    AUTHORISATION_NOT_PDF = "AUTHORISATION_NOT_PDF"
    AUTHORISATION_NOT_REQUESTED = "AUTHORISATION_NOT_REQUESTED"
    EID_NOT_AVAILABLE = "EID_NOT_AVAILABLE"
    REVIEW_DECISION_INVALID = "REVIEW_DECISION_INVALID"
    # Closure, delegation, actions (R-CLO-*, R-DEL-*).
    CLOSURE_QUARTER_NOT_ALLOWED = "CLOSURE_QUARTER_NOT_ALLOWED"
    REASON_REQUIRED = "REASON_REQUIRED"
    ACTIONS_IN_PERIOD = "ACTIONS_IN_PERIOD"
    GROUP_NOT_IN_MANDATE = "GROUP_NOT_IN_MANDATE"  # R-MOD-3: a ticked group the mandate does not hold
    DELEGATION_NOT_ALLOWED = "DELEGATION_NOT_ALLOWED"
    # Reference data files (R-ENT-6).
    INVALID_REFERENCE_DATA = "INVALID_REFERENCE_DATA"
    # The employer's own events (R-EMP-1, R-EMP-5, R-WIDE-6) and the bulk branch file (R-SSA-3).
    NOT_AN_EMPLOYER = "NOT_AN_EMPLOYER"
    ALREADY_AN_EMPLOYER = "ALREADY_AN_EMPLOYER"
    BANKRUPTCY_NOT_RECORDED = "BANKRUPTCY_NOT_RECORDED"
    BRANCH_FILE_REFUSED = "BRANCH_FILE_REFUSED"
    # Delegations (R-DEL-1).
    DELEGATE_NOT_MANDATED = "DELEGATE_NOT_MANDATED"
    DELEGATION_PERIOD_NOT_ALLOWED = "DELEGATION_PERIOD_NOT_ALLOWED"
    # Identification requests and foreign entities (R-SPID-1..3, R-WIDE-1..3, R-FOR-2).
    NOT_REGISTERED_IN_CBE = "NOT_REGISTERED_IN_CBE"
    ALREADY_A_SERVICE_PROVIDER = "ALREADY_A_SERVICE_PROVIDER"
    CONDITION_NOT_DECLARED = "CONDITION_NOT_DECLARED"
    DUPLICATE_REQUEST = "DUPLICATE_REQUEST"
    VALIDATED_MANDATE_REQUIRED = "VALIDATED_MANDATE_REQUIRED"
    IDENTIFICATION_BLOCKED = "IDENTIFICATION_BLOCKED"
    DOCUMENT_MISSING = "DOCUMENT_MISSING"


@dataclass(frozen=True)
class Words:
    """A phrase of the message catalogue given as a value of another message (e.g. the column a refusal
    names), written in the reader's language with it."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


class RuleViolation(Exception):
    """A broken business rule: reaches clients as a `UserError` (code, field path, message, rule IDs).

    It carries no sentence: `key` names a message of the catalogue (config/locale/*.po) and `params` its
    values, rendered at the edge in the reader's language (config/messages.py). A parameter that is an
    enum member, a list of them or another RuleViolation is rendered as words too, never as its code.
    `rules` are the IDs of RULES.md the refusal applies, for integrators (`userErrors.rules`), never
    written in the message itself.
    """

    def __init__(
        self,
        code: ErrorCode,
        key: str,
        field: tuple[str, ...] | None = None,
        *,
        rules: tuple[str, ...] = (),
        **params: object,
    ):
        super().__init__(key)
        self.code = code
        self.key = key
        self.field = field
        self.rules = rules
        self.params = params

    def __repr__(self) -> str:
        return f"RuleViolation({self.code.value}, {self.key!r}, field={self.field}, rules={self.rules})"
