"""The domain's enums, exposed under the names of API.md."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import TypeVar

import strawberry
from strawberry.types.enum import has_enum_definition

from models import authorisation, closure, dashboard, delivery, enterprise_history, errors, places, signing, status

E = TypeVar("E", bound=enum.Enum)


def described(cls: type[E], *, name: str | None = None, description: str, values: Mapping[E, str]) -> type[E]:
    """`strawberry.enum` with a description on the type and on each value.

    The domain's enums (models/) import no framework, so `strawberry.enum_value(description=...)` cannot
    sit in their classes; the words for integrators are given here, by member, and set on the same
    `EnumValue` records of the enum's definition that `enum_value` would fill, before any schema is
    built. A member left out stays undescribed (tests/config/test_descriptions.py names it).
    """
    annotated = strawberry.enum(cls, name=name, description=description)
    if not has_enum_definition(annotated):
        raise TypeError(f"strawberry.enum left {cls.__name__} without a definition")
    definition = annotated.__strawberry_definition__
    words = {member.name: text for member, text in values.items()}
    definition.values = [dataclasses.replace(value, description=words.get(value.name)) for value in definition.values]
    return cls


def sentences(phrases: Mapping[E, str]) -> dict[E, str]:
    """The phrases models/ keeps for its messages (lower case, no full stop), as descriptions."""
    return {member: phrase[0].upper() + phrase[1:] + "." for member, phrase in phrases.items()}


class EnterpriseKind(enum.Enum):
    EMPLOYER = "EMPLOYER"
    COMPANY_WITHOUT_STAFF = "COMPANY_WITHOUT_STAFF"
    SERVICE_PROVIDER = "SERVICE_PROVIDER"
    SOCIAL_SECRETARIAT = "SOCIAL_SECRETARIAT"
    NSSO = "NSSO"


class MandateOrderField(enum.Enum):
    CREATED_AT = "CREATED_AT"
    REFERENCE = "REFERENCE"
    PRINCIPAL_NAME = "PRINCIPAL_NAME"
    MANDATARY_NAME = "MANDATARY_NAME"
    STATUS = "STATUS"
    START_QUARTER = "START_QUARTER"
    END_QUARTER = "END_QUARTER"


class OrderDirection(enum.Enum):
    ASC = "ASC"
    DESC = "DESC"


class Language(enum.Enum):
    """The four languages of the registry's words (config/messages.LANGUAGES); the value is the code."""

    EN = "en"
    FR = "fr"
    NL = "nl"
    DE = "de"


MandateStatus = status.MandateStatus
described(
    status.MandateStatus,
    name="MandateStatus",
    description="Where a mandate (or a delegation) stands in its lifecycle, as of today (R-LIFE-1..10).",
    values={
        status.MandateStatus.TO_BE_FINALISED: (
            "Registered, no signature yet: the encoder signs in-app or uploads the authorisation within 60 days of "
            "creation (R-LIFE-2, R-EXP-1)."
        ),
        status.MandateStatus.PENDING: (
            "The encoder has signed; the counterparty's signature at the same or a higher level is awaited (R-LIFE-3, "
            "R-SIGN-4)."
        ),
        status.MandateStatus.TO_BE_VALIDATED: (
            "A handwritten authorisation was uploaded and awaits an NSSO officer's review, possibly referred to "
            "Inspection (R-LIFE-4, R-PAP-1, R-PAP-6)."
        ),
        status.MandateStatus.ACTIVE: (
            "Signed by both parties (or accepted by an officer): in force for its groups' periods (R-LIFE-5)."
        ),
        status.MandateStatus.IDENTIFICATION: (
            "Fully signed, for a company awaiting its NSSO employer number; becomes ACTIVE once the number is assigned "
            "(R-WIDE-6)."
        ),
        status.MandateStatus.REJECTED: (
            "An officer refused the handwritten authorisation; a corrected scan may be uploaded unless the mandate was "
            "a change of mandatary (R-LIFE-6, R-PAP-3, R-PAP-5)."
        ),
        status.MandateStatus.CLOSED: "Every group's end quarter has passed (R-LIFE-7); terminal.",
        status.MandateStatus.CANCELLED: (
            "Not finalised within 60 days (R-EXP-2), or annulled by an officer (R-ANN-1); for a delegation, ended or "
            "its main mandate ended (R-DEL-5). Terminal."
        ),
    },
)
SigningMethod = signing.SigningMethod
described(
    signing.SigningMethod,
    name="SigningMethod",
    description=(
        "How a party signs a mandate (R-SIGN-1); levels AUTHENTICATION < EID, HANDWRITTEN outside the scale (R-SIGN-4, "
        "R-SIGN-5)."
    ),
    values={
        signing.SigningMethod.AUTHENTICATION: (
            "In-app « accept and sign » by an authorised signatory (signMandate); level 1 (R-SIGN-2, R-SIGN-3)."
        ),
        signing.SigningMethod.EID: (
            "An eID (or itsme) electronic signature on the issued authorisation PDF, then uploaded; level 2 (R-SIGN-4, "
            "R-PDF-6)."
        ),
        signing.SigningMethod.HANDWRITTEN: (
            "Both parties sign the printed authorisation by hand and upload its scan for an officer's review; only "
            "while paper is allowed (R-SIGN-5, R-SIGN-9, R-SIGN-10)."
        ),
    },
)
Party = signing.Party
described(
    signing.Party,
    name="Party",
    description="A side of a mandate.",
    values={
        signing.Party.PRINCIPAL: "The employer or company without staff that gives the mandate (R-ENT-1).",
        signing.Party.MANDATARY: "The service provider or approved social secretariat that receives it (R-ENT-2).",
    },
)
GroupRole = places.GroupRole
described(
    places.GroupRole,
    name="GroupRole",
    description=(
        "The place a mandatary holds for a group, derived per quarter and never printed on the authorisation (R-UNQ-5, "
        "R-PDF-7)."
    ),
    values={
        places.GroupRole.SOLE: (
            "A group without master and secondary places: single-mandatary groups, DmfA and the DRS groups (R-CLU-4)."
        ),
        places.GroupRole.MASTER: (
            "Dimona or Flexi held in the same mandate as the DmfA for that quarter: the DmfA mandatary's place "
            "(R-UNQ-5, R-UNQ-8)."
        ),
        places.GroupRole.SECONDARY: (
            "Dimona or Flexi held without DmfA: the one other place beside the master (R-UNQ-5, R-UNQ-6)."
        ),
    },
)
BlockColour = dashboard.BlockColour
described(
    dashboard.BlockColour,
    name="BlockColour",
    description="The colour of a dashboard block (R-DASH-2, R-DASH-3).",
    values={
        dashboard.BlockColour.WHITE: "The block holds no mandate.",
        dashboard.BlockColour.GREY: "To be finalised or Pending holds mandates (R-DASH-2).",
        dashboard.BlockColour.RED: "Rejected holds mandates not yet consulted (R-DASH-3, R-DASH-5).",
    },
)
ClosureReason = closure.ClosureReason
described(
    closure.ClosureReason,
    name="ClosureReason",
    description=(
        "The mandatary's reason code for a late closure; stored and reportable for NSSO Inspection (R-CLO-7..9)."
    ),
    values={
        closure.ClosureReason.SILENT_EMPLOYER: (
            "Silent employer (« employeur silencieux »): the employer no longer responds to its provider."
        ),
        closure.ClosureReason.DEBTOR_EMPLOYER: (
            "Debtor employer (« employeur débiteur »): the employer does not pay what it owes."
        ),
        closure.ClosureReason.LATE_NOTICE_BY_EMPLOYER: (
            "The employer told its provider of the end of the mandate too late (« communication tardive de la "
            "désaffiliation »)."
        ),
        closure.ClosureReason.OTHER: "Another reason, stated in `reasonText` (mandatory then).",
    },
)
LateClosureAssessment = closure.Assessment
described(
    closure.Assessment,
    name="LateClosureAssessment",
    description="The officer's appraisal of the reason given for a late closure (R-CLO-5, R-CLO-6).",
    values={
        closure.Assessment.ACCEPT: "The reason is accepted: the closure stands.",
        closure.Assessment.REVERSE: "The reason is not accepted: the groups closed with it are open again.",
    },
)
Revocation = authorisation.Revocation
described(
    authorisation.Revocation,
    name="RevocationCheck",
    description=(
        "What the revocation check of an accepted eID upload's signer certificates found: against the CRLs and OCSP "
        "responders their certificates declare; the weakest answer among the signatures (README, Revocation)."
    ),
    values={
        authorisation.Revocation.GOOD: "Checked: no certificate is revoked.",
        authorisation.Revocation.REVOKED: "A certificate is revoked (never on an accepted upload: it is refused).",
        authorisation.Revocation.UNKNOWN: (
            "No usable answer in hard-fail mode (never on an accepted upload: it is refused)."
        ),
        authorisation.Revocation.NOT_CHECKED: (
            "Not checked: the revocation service did not answer and the registry accepted the upload in soft-fail mode."
        ),
        authorisation.Revocation.NOT_DECLARED: "The certificates name no revocation service: nothing to check.",
    },
)
ErrorCode = errors.ErrorCode
described(
    errors.ErrorCode,
    name="ErrorCode",
    description=(
        "Why a request was refused: the rule broken, in `UserError.code` or a top-level error's `extensions.code` "
        "(README, Errors)."
    ),
    values={
        errors.ErrorCode.INVALID_INPUT: (
            "A value of the request is not acceptable (a cursor, a page size, both or neither party named)."
        ),
        errors.ErrorCode.INVALID_ENTERPRISE_NUMBER: (
            "Not a CBE enterprise number: 10 digits with a modulo-97 check (R-ENT-7)."
        ),
        errors.ErrorCode.INVALID_NISS: "Not a NISS: 11 digits with a modulo-97 check (R-ENT-6, R-ENT-7).",
        errors.ErrorCode.INVALID_QUARTER: 'Not a quarter "N/YYYY" with N from 1 to 4 (R-CAL-1).',
        errors.ErrorCode.INVALID_ID: "Not the global ID of the expected type.",
        errors.ErrorCode.NOT_FOUND: "No such mandate (or object) visible to the viewer (R-SRCH-1).",
        errors.ErrorCode.ENTERPRISE_NOT_FOUND: (
            "No enterprise under that number, or one unknown in the CBE where the procedure needs it (R-ENT-4, "
            "R-ENT-5, R-FOR-1, R-WIDE-5)."
        ),
        errors.ErrorCode.ENTERPRISE_INACTIVE: "The enterprise's activity has ended (R-ENT-8).",
        errors.ErrorCode.NOT_A_SERVICE_PROVIDER: (
            "The mandatary is neither a registered service provider nor an approved social secretariat (R-ENT-12)."
        ),
        errors.ErrorCode.SAME_PARTY: "An enterprise cannot mandate itself.",
        errors.ErrorCode.INVALID_BRANCH: "Not a branch of that social secretariat (R-ENT-3, R-SSA-2).",
        errors.ErrorCode.GROUPS_REQUIRED: "No application group was named (R-CRE-3).",
        errors.ErrorCode.UNKNOWN_GROUP: "An application group that is not in the catalogue (R-CLU-1).",
        errors.ErrorCode.PERIOD_OUTSIDE_ACTIVITY: "The mandate period leaves an activity period of a party (R-ENT-8).",
        errors.ErrorCode.START_TOO_FAR_AHEAD: "The start quarter is more than a year ahead, after T+4 (R-CRE-4).",
        errors.ErrorCode.RETROACTIVE_START_NOT_ALLOWED: (
            "Another mandatary holds the place: no start before the current quarter, and the current one only in its "
            "first month (R-CHG-4, R-CHG-5)."
        ),
        errors.ErrorCode.SINGLE_MANDATARY_TAKEN: (
            "The place is held or reserved by another mandatary (R-UNQ-1, R-EXP-4, R-CHG-3)."
        ),
        errors.ErrorCode.GROUP_REQUIRES_OTHERS: (
            "A group without the groups it requires: DmfA without Dimona and Flexi At Work (R-UNQ-4)."
        ),
        errors.ErrorCode.MAX_MANDATARIES_REACHED: (
            "The group's maximum of mandataries (DRS) is reached; the message names it (R-UNQ-11)."
        ),
        errors.ErrorCode.DUPLICATE_MANDATE: (
            "The mandatary already holds that group for that principal in an overlapping period (R-UNQ-13)."
        ),
        errors.ErrorCode.NOT_ALLOWED_TO_SIGN: (
            "The person is neither a representative allowed by the matrix nor a holder of the signing competence "
            "(R-USR-3, R-USR-4, R-SIGN-11)."
        ),
        errors.ErrorCode.SIGNING_LEVEL_TOO_LOW: "The second signature is below the first one's level (R-SIGN-4).",
        errors.ErrorCode.INVALID_TRANSITION: (
            "The mandate's status does not allow the action (R-LIFE-9, R-SIGN-5, R-SIGN-6, R-SIGN-13, R-PAP-5)."
        ),
        errors.ErrorCode.PAPER_NOT_ALLOWED: "Paper is closed for a principal known in the CBE (R-SIGN-9, R-WIDE-4).",
        errors.ErrorCode.AUTHORISATION_SIGNATURE_INVALID: (
            "A signature is broken, was changed after signing, or is not from an eID authority (R-PDF-6)."
        ),
        errors.ErrorCode.AUTHORISATION_SIGNER_REVOKED: (
            "The signer's certificate is revoked, as its authority's CRL or OCSP responder says (R-PDF-6)."
        ),
        errors.ErrorCode.AUTHORISATION_REVOCATION_UNKNOWN: (
            "Whether the signer's certificate is revoked cannot be established now (its authority's CRL or OCSP "
            "responder does not answer) and the registry refuses then (MANDATES_EID_REVOCATION hard-fail); nothing "
            "was saved, upload again later (R-PDF-6)."
        ),
        errors.ErrorCode.AUTHORISATION_NOT_FOR_THIS_MANDATE: (
            "Not the PDF issued for this mandate as it stands now (R-PDF-5)."
        ),
        errors.ErrorCode.AUTHORISATION_OUTDATED_TEMPLATE: (
            "The PDF was issued on an earlier template version (R-PDF-2)."
        ),
        errors.ErrorCode.AUTHORISATION_TOO_LARGE: (
            "The upload exceeds MANDATES_MAX_UPLOAD_BYTES (a top-level error, HTTP 413)."
        ),
        errors.ErrorCode.AUTHORISATION_NOT_PDF: "The uploaded file is not a PDF (R-PDF-6).",
        errors.ErrorCode.AUTHORISATION_NOT_REQUESTED: (
            "A scan uploaded before its model was issued by requestAuthorisation (R-PDF-2)."
        ),
        errors.ErrorCode.EID_NOT_AVAILABLE: "A principal unknown in the CBE signs on paper only (R-SIGN-9, R-ENT-11).",
        errors.ErrorCode.REVIEW_DECISION_INVALID: (
            "The decision is not ACCEPT, REJECT or REFER_TO_INSPECTION (R-PAP-1)."
        ),
        errors.ErrorCode.CLOSURE_QUARTER_NOT_ALLOWED: (
            "The end quarter is outside the window for who asks, the month of the quarter and the reason (R-CLO-3..10, "
            "R-CAL-7)."
        ),
        errors.ErrorCode.REASON_REQUIRED: "A refusal or a late closure must state its reason (R-PAP-3, R-CLO-5..9).",
        errors.ErrorCode.ACTIONS_IN_PERIOD: (
            "The mandatary acted for the principal in the period a late closure or an annulment would release "
            "(R-CLO-11, R-CLO-12, R-ANN-2)."
        ),
        errors.ErrorCode.GROUP_NOT_IN_MANDATE: "A ticked group the mandate does not hold (R-MOD-3).",
        errors.ErrorCode.DELEGATION_NOT_ALLOWED: (
            "The group may not be delegated, or the main group is not in force (R-DEL-4, R-CLU-7)."
        ),
        errors.ErrorCode.INVALID_REFERENCE_DATA: (
            "A reference data file refused whole; the message names the line (R-ENT-6)."
        ),
        errors.ErrorCode.NOT_AN_EMPLOYER: "An employer deletion for an enterprise that is not an employer (R-EMP-1).",
        errors.ErrorCode.ALREADY_AN_EMPLOYER: (
            "An NSSO number for an enterprise that already is an employer (R-WIDE-6)."
        ),
        errors.ErrorCode.BANKRUPTCY_NOT_RECORDED: "A curator's answer without a recorded bankruptcy (R-EMP-5).",
        errors.ErrorCode.BRANCH_FILE_REFUSED: (
            "A bulk branch file with a bad line: nothing applied, every refused line reported (R-SSA-3)."
        ),
        errors.ErrorCode.DELEGATE_NOT_MANDATED: (
            "The delegate did not hold the group for every quarter of the delegated period (R-DEL-1)."
        ),
        errors.ErrorCode.DELEGATION_PERIOD_NOT_ALLOWED: (
            "The period does not end before the main group's start, or overlaps another delegation (R-DEL-1)."
        ),
        errors.ErrorCode.NOT_REGISTERED_IN_CBE: (
            "A company unknown in the CBE asks to be registered as a service provider (R-SPID-1)."
        ),
        errors.ErrorCode.ALREADY_A_SERVICE_PROVIDER: (
            "A service provider, or an approved social secretariat (entered by the NSSO), asks to be registered as a "
            "provider (R-SPID-2, R-SPID-3)."
        ),
        errors.ErrorCode.CONDITION_NOT_DECLARED: (
            "A provider request without every condition declared; the first missing one is the field (R-SPID-2)."
        ),
        errors.ErrorCode.DUPLICATE_REQUEST: (
            "The same filer's request is already awaiting the NSSO (R-SPID-2, R-WIDE-1)."
        ),
        errors.ErrorCode.VALIDATED_MANDATE_REQUIRED: (
            "A provider's employer identification request without a validated mandate (or a scan awaiting review) "
            "holding Dimona (R-WIDE-1)."
        ),
        errors.ErrorCode.IDENTIFICATION_BLOCKED: (
            "The linked authorisation was refused: the identification request is blocked and no NSSO number is "
            "assigned meanwhile (R-WIDE-3)."
        ),
        errors.ErrorCode.DOCUMENT_MISSING: (
            "A foreign entity's registration lacks a required document; the message names each one (R-FOR-2)."
        ),
    },
)
described(
    EnterpriseKind,
    description="What an enterprise is to the registry; an enterprise may have several kinds (R-ENT-1, R-ENT-2).",
    values={
        EnterpriseKind.EMPLOYER: (
            "An NSSO employer: it has an NSSO number whose employer identification was not deleted before today "
            "(R-ENT-1, R-EMP-1)."
        ),
        EnterpriseKind.COMPANY_WITHOUT_STAFF: "A principal without an NSSO employer number (R-ENT-1).",
        EnterpriseKind.SERVICE_PROVIDER: "A non-approved service provider registered by the NSSO (R-ENT-2, R-SPID-2).",
        EnterpriseKind.SOCIAL_SECRETARIAT: (
            "An approved social secretariat (SSA), with an SSA number and branches (R-ENT-2, R-SPID-3)."
        ),
        EnterpriseKind.NSSO: (
            "The NSSO itself, in API.md's contract; no enterprise of the registry has this kind today, since officers "
            "act for the NSSO without an enterprise (R-USR-6)."
        ),
    },
)
described(
    MandateOrderField,
    description=(
        "The column a list of mandates is sorted on; ties are broken by an internal key, so pages never overlap "
        "(R-SRCH-7, R-SRCH-8)."
    ),
    values={
        MandateOrderField.CREATED_AT: "The creation time (the default, newest first, R-SRCH-7).",
        MandateOrderField.REFERENCE: (
            "The reference by series, then by number as a number: M2026-9 before M2026-10 (R-SRCH-8)."
        ),
        MandateOrderField.PRINCIPAL_NAME: "The principal's name, alphabetically.",
        MandateOrderField.MANDATARY_NAME: "The mandatary's name, alphabetically.",
        MandateOrderField.STATUS: (
            "The status shown today, alphabetically by its code (a lapsed mandate sorts as CANCELLED, an ended one as "
            "CLOSED)."
        ),
        MandateOrderField.START_QUARTER: "The start quarter, chronologically.",
        MandateOrderField.END_QUARTER: (
            "The end quarter, chronologically; open-ended mandates after every end (first when descending)."
        ),
    },
)
described(
    OrderDirection,
    description="The direction of a sort.",
    values={
        OrderDirection.ASC: "Ascending: A to Z, oldest or earliest first.",
        OrderDirection.DESC: "Descending: Z to A, newest or latest first.",
    },
)
described(
    Language,
    description="A language of the registry's documents and messages.",
    values={
        Language.EN: "English.",
        Language.FR: "French (français).",
        Language.NL: "Dutch (Nederlands).",
        Language.DE: "German (Deutsch).",
    },
)
DeliveryState = delivery.DeliveryState
described(
    DeliveryState,
    description="Where a notification's delivery stands (README, Delivery).",
    values={
        DeliveryState.PENDING: "Waiting for its first try, or for the next one after a failure.",
        DeliveryState.SENT: "Accepted by the receiver (a letter: put in the day's print file).",
        DeliveryState.DEAD: (
            "A dead letter: every try failed, or a failure no retry can mend; not tried again unless an NSSO officer "
            "sends it back for a new round (decideDeadLetter)."
        ),
        DeliveryState.HANDLED: "A dead letter an NSSO officer handled another way (e.g. sent by registered post).",
    },
)
DeliveryDecision = delivery.DeliveryDecision
described(
    DeliveryDecision,
    description="An NSSO officer's decision on a notification that could not be delivered (a dead letter).",
    values={
        DeliveryDecision.RETRY: "Try it again: a new round of tries from now, under its same idempotency key.",
        DeliveryDecision.HANDLED: (
            "Handled another way, e.g. sent by registered post to a recipient with no usable channel; needs a reason."
        ),
    },
)
EnterpriseEventKind = enterprise_history.EnterpriseEventKind
described(
    EnterpriseEventKind,
    description="What an act in an enterprise's history is (issue 14).",
    values={
        EnterpriseEventKind.EMPLOYER_DELETED: "An officer recorded the employer identification's deletion (R-EMP-1).",
        EnterpriseEventKind.BANKRUPTCY_RECORDED: "An officer recorded a bankruptcy and its curator (R-EMP-4).",
        EnterpriseEventKind.CURATOR_ANSWERED: "An officer recorded the curator's answer (R-EMP-5, R-EMP-6).",
        EnterpriseEventKind.NSSO_NUMBER_ASSIGNED: "An officer assigned the NSSO employer number (R-WIDE-6).",
        EnterpriseEventKind.FOREIGN_ENTITY_REGISTERED: (
            "An officer registered the foreign entity after checking its documents (R-FOR-2)."
        ),
        EnterpriseEventKind.PROVIDER_REQUEST_SUBMITTED: "The company asked to be a registered provider (R-SPID-1).",
        EnterpriseEventKind.PROVIDER_REQUEST_APPROVED: "An officer approved that request (R-SPID-2).",
        EnterpriseEventKind.PROVIDER_REQUEST_REFUSED: "An officer refused that request, with a reason (R-SPID-2).",
        EnterpriseEventKind.IDENTIFICATION_REQUESTED: (
            "An identification request (WIDE) was filed for it, by a provider or by itself (R-WIDE-1, R-WIDE-4)."
        ),
        EnterpriseEventKind.IDENTIFICATION_BLOCKED: (
            "The request was blocked: its paper authorisation was refused (R-WIDE-3)."
        ),
        EnterpriseEventKind.IDENTIFICATION_DONE: "The request was concluded by the NSSO number (R-WIDE-6).",
    },
)
