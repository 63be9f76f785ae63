"""Input types of API.md."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from schema import enums
from models.quarter import Quarter


@strawberry.input
class MandateFilter:
    mandatary_number: str | None = None
    principal_number: str | None = None
    groups: list[str] | None = None
    period: Quarter | None = strawberry.field(default=None, description="Mandates with a group valid during that quarter.")
    statuses: list[enums.MandateStatus] | None = None


@strawberry.input
class MandateOrder:
    field: enums.MandateOrderField
    direction: enums.OrderDirection


@strawberry.input(description="Either party may encode; the viewer's enterprise is the other side (R-CRE-1).")
class CreateMandateInput:
    groups: list[str]
    start_quarter: Quarter
    principal_number: str | None = strawberry.field(default=None, description="CBE or NSSO number; when the viewer acts for the mandatary.")
    mandatary_number: str | None = strawberry.field(default=None, description="CBE or SSA number; when the viewer acts for the principal.")
    branch_code: str | None = None


@strawberry.input
class SignMandateInput:
    mandate_id: strawberry.ID


@strawberry.input
class MandateRefInput:
    mandate_id: strawberry.ID


@strawberry.input
class RequestAuthorisationInput:
    mandate_id: strawberry.ID
    method: enums.SigningMethod


@strawberry.input
class UploadAuthorisationInput:
    mandate_id: strawberry.ID
    file: Upload


@strawberry.input(description="ACCEPT (with the NISS the officer read on the paper), REJECT (with a reason) or REFER_TO_INSPECTION.")
class ReviewAuthorisationInput:
    mandate_id: strawberry.ID
    decision: str
    reason: str | None = None
    principal_signer_niss: str | None = None
    mandatary_signer_niss: str | None = None


@strawberry.input
class ChangeBranchInput:
    mandate_id: strawberry.ID
    branch_code: str
