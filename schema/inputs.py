"""Input types of API.md."""

from __future__ import annotations

import strawberry
from starlette.datastructures import UploadFile

from models.quarter import Quarter
from resolvers.authorisations import NewVersion, Paperwork
from schema import enums


@strawberry.input(
    description=(
        "Search criteria, combined with AND; a list matches any of its values; no criteria: every mandate the viewer "
        "may see (R-SRCH-1..4)."
    )
)
class MandateFilter:
    mandatary_number: str | None = strawberry.field(
        default=None,
        description=(
            "The mandatary's CBE number (with or without dots) or SSA number; an unknown one matches nothing "
            "(R-SRCH-2)."
        ),
    )
    principal_number: str | None = strawberry.field(
        default=None,
        description="The principal's CBE number (with or without dots) or NSSO number; an unknown one matches nothing.",
    )
    groups: list[str] | None = strawberry.field(
        default=None,
        description=(
            "Application group codes: mandates holding any of them; an unknown code is refused (UNKNOWN_GROUP)."
        ),
    )
    period: Quarter | None = strawberry.field(
        default=None, description="Mandates with a group valid during that quarter."
    )
    statuses: list[enums.MandateStatus] | None = strawberry.field(
        default=None, description="Mandates in any of these statuses, as shown today (a lapsed mandate is CANCELLED)."
    )


@strawberry.input(description="How to sort mandates; the default is CREATED_AT, DESC (R-SRCH-7).")
class MandateOrder:
    field: enums.MandateOrderField = strawberry.field(description="The column to sort on.")
    direction: enums.OrderDirection = strawberry.field(description="Ascending or descending.")


@strawberry.input(description="Either party may encode; the viewer's enterprise is the other side (R-CRE-1).")
class CreateMandateInput:
    groups: list[str] = strawberry.field(
        description="Codes of the application groups, at least one; DMFA needs DIMONA and FLEXI too (R-CRE-3, R-UNQ-4)."
    )
    start_quarter: Quarter = strawberry.field(
        description=(
            "Every group starts on this quarter's first day; at most T+4, before the current quarter only where no "
            "other mandatary holds the place, the current one then only in its first month (R-CRE-4, R-CHG-1..5)."
        )
    )
    principal_number: str | None = strawberry.field(
        default=None, description="CBE or NSSO number; when the viewer acts for the mandatary."
    )
    mandatary_number: str | None = strawberry.field(
        default=None, description="CBE or SSA number; when the viewer acts for the principal."
    )
    branch_code: str | None = strawberry.field(
        default=None, description="The SSA branch that manages the file; omitted for the head office (R-ENT-3)."
    )


@strawberry.input(description="The mandate the viewer's signatory accepts and signs for its party.")
class SignMandateInput:
    mandate_id: strawberry.ID = strawberry.field(description="The global ID of the mandate to sign.")


@strawberry.input(description="A mandate, by its global ID.")
class MandateRefInput:
    mandate_id: strawberry.ID = strawberry.field(description="The global ID of the REJECTED mandate.")


@strawberry.input(description="The mandate and the method its authorisation PDF is for (R-PDF-1).")
class RequestAuthorisationInput:
    mandate_id: strawberry.ID = strawberry.field(description="The global ID of the mandate.")
    method: enums.SigningMethod = strawberry.field(
        description=(
            "EID or HANDWRITTEN (HANDWRITTEN only while paper is allowed for this principal, R-SIGN-9); AUTHENTICATION "
            "needs no PDF."
        )
    )
    language: enums.Language | None = strawberry.field(
        default=None,
        description=(
            "The language of the PDF; by default the principal's language in the reference data, otherwise English."
        ),
    )


@strawberry.input(
    description=(
        "The new version of the authorisation an action (a closure, a branch change) produces, issued in the same "
        "request for the mandate as the action leaves it, to be signed and uploaded with uploadAuthorisation "
        "(R-PDF-8)."
    )
)
class NewAuthorisationInput:
    method: enums.SigningMethod = strawberry.field(
        description=(
            "EID, or HANDWRITTEN while paper is allowed for this principal (R-SIGN-9); AUTHENTICATION needs no PDF."
        )
    )
    language: enums.Language | None = strawberry.field(
        default=None,
        description=(
            "The language of the PDF; by default the principal's language in the reference data, otherwise English."
        ),
    )


def new_version(given: NewAuthorisationInput | None, paperwork: Paperwork) -> NewVersion | None:
    """The use cases' request for a new version, when the mutation asked for one."""
    if given is None:
        return None
    return NewVersion(paperwork, given.method, given.language.value if given.language else None)


@strawberry.input(description="The signed authorisation for a mandate (GraphQL multipart request).")
class UploadAuthorisationInput:
    mandate_id: strawberry.ID = strawberry.field(description="The global ID of the mandate it was issued for.")
    file: UploadFile = strawberry.field(
        description="The PDF: eID-signed, or the scan of the hand-signed paper; at most MANDATES_MAX_UPLOAD_BYTES."
    )


@strawberry.input(
    description="ACCEPT (with the NISS the officer read on the paper), REJECT (with a reason) or REFER_TO_INSPECTION."
)
class ReviewAuthorisationInput:
    mandate_id: strawberry.ID = strawberry.field(description="The global ID of the TO_BE_VALIDATED mandate.")
    decision: str = strawberry.field(
        description=(
            "ACCEPT, REJECT or REFER_TO_INSPECTION (case ignored); anything else is REVIEW_DECISION_INVALID (R-PAP-1)."
        )
    )
    reason: str | None = strawberry.field(
        default=None, description="REJECT: why, as told to the provider (required, R-PAP-3)."
    )
    principal_signer_niss: str | None = strawberry.field(
        default=None,
        description="ACCEPT: the NISS of the principal's signatory as written on the paper (required, R-SIGN-11).",
    )
    mandatary_signer_niss: str | None = strawberry.field(
        default=None,
        description="ACCEPT: the NISS of the mandatary's signatory as written on the paper (required, R-SIGN-11).",
    )


@strawberry.input(description="The SSA's branch that now holds the employer's file (R-SSA-1, R-SSA-2).")
class ChangeBranchInput:
    mandate_id: strawberry.ID = strawberry.field(description="The global ID of the mandate.")
    branch_code: str | None = strawberry.field(
        default=None,
        description=(
            "The code of another branch of the same SSA, or null (or omitted) to move the file back to the head "
            "office (R-ENT-3); the branch (or head office) that manages the file now is refused (INVALID_BRANCH)."
        ),
    )
    new_authorisation: NewAuthorisationInput | None = strawberry.field(
        default=None,
        description=(
            "Also issue the new version of the authorisation naming the new branch (or the head office), in the same "
            "transaction: refused, it leaves the branch unchanged; issued, it is the last of the payload mandate's "
            "authorisations (R-PDF-8)."
        ),
    )
