"""Mutations of the mandate's creation and validation (API.md): one `input:` argument, a payload with the object and
`userErrors`."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from resolvers import authorisations, branch, consult, create, sign
from resolvers.limits import UPLOAD
from schema import types
from schema.inputs import (
    ChangeBranchInput,
    CreateMandateInput,
    MandateRefInput,
    RequestAuthorisationInput,
    ReviewAuthorisationInput,
    SignMandateInput,
    UploadAuthorisationInput,
    new_version,
)
from schema.payloads import attempt, mandate_payload
from schema.permissions import CanConsult, CanManage, IsOfficer, Limited

MANAGERS: list[type[BasePermission]] = [CanManage]


@strawberry.type
class MandateMutations:
    @strawberry.mutation(
        permission_classes=MANAGERS,
        description='"Data introduction": the mandate is registered TO_BE_FINALISED (R-CRE-1..5).',
    )
    async def create_mandate(
        self,
        info: Info,
        input: Annotated[
            CreateMandateInput, strawberry.argument(description="The other party, the groups and the start quarter.")
        ],
    ) -> types.MandatePayload:
        new = create.NewMandate(
            groups=list(input.groups),
            start_quarter=input.start_quarter,
            principal_number=input.principal_number,
            mandatary_number=input.mandatary_number,
            branch_code=input.branch_code,
        )
        return mandate_payload(*await attempt(lambda: create.create_mandate(info.context.use_case(), new)))

    @strawberry.mutation(
        permission_classes=MANAGERS, description="Validation via authentication, « accepter et signer » (R-SIGN-2..6)."
    )
    async def sign_mandate(
        self,
        info: Info,
        input: Annotated[
            SignMandateInput, strawberry.argument(description="The mandate to sign for the viewer's party.")
        ],
    ) -> types.MandatePayload:
        return mandate_payload(*await attempt(lambda: sign.sign_mandate(info.context.use_case(), input.mandate_id)))

    @strawberry.mutation(
        permission_classes=[CanConsult],
        description=(
            "The rejection stops counting on the viewer's side's dashboard (R-DASH-5); open to the consult role as "
            "well as the manage role."
        ),
    )
    async def mark_rejection_consulted(
        self,
        info: Info,
        input: Annotated[MandateRefInput, strawberry.argument(description="The rejected mandate the viewer has read.")],
    ) -> types.MandatePayload:
        return mandate_payload(
            *await attempt(lambda: consult.mark_rejection_consulted(info.context.use_case(), input.mandate_id))
        )

    @strawberry.mutation(
        permission_classes=MANAGERS,
        description=(
            "Issue the sealed authorisation PDF for EID or HANDWRITTEN signatures (R-PDF-1..5); for an ACTIVE, "
            "IDENTIFICATION or CLOSED mandate, a new version reflecting the mandate after an action (R-PDF-8)."
        ),
    )
    async def request_authorisation(
        self,
        info: Info,
        input: Annotated[
            RequestAuthorisationInput, strawberry.argument(description="The mandate and the signing method.")
        ],
    ) -> types.AuthorisationPayload:
        context = info.context
        row, errors = await attempt(
            lambda: authorisations.request_authorisation(
                context.use_case(),
                context.paperwork,
                input.mandate_id,
                input.method,
                language=input.language.value if input.language else None,
            )
        )
        return types.AuthorisationPayload(
            authorisation=types.Authorisation.of(row) if row else None, user_errors=errors
        )

    @strawberry.mutation(
        permission_classes=MANAGERS,
        extensions=[Limited(UPLOAD)],
        description=(
            "Reload the signed PDF: eID signatures validate at once, a handwritten scan goes to the NSSO; on an "
            "ACTIVE, IDENTIFICATION or CLOSED mandate it is verified and kept as a new version, the status unchanged "
            "(a handwritten one for the NSSO's check, R-PDF-8)."
        ),
    )
    async def upload_authorisation(
        self,
        info: Info,
        input: Annotated[UploadAuthorisationInput, strawberry.argument(description="The mandate and the signed PDF.")],
    ) -> types.MandatePayload:
        context = info.context
        return mandate_payload(
            *await attempt(
                lambda: authorisations.upload_authorisation(
                    context.use_case(), context.paperwork, input.mandate_id, input.file.file
                )
            )
        )

    @strawberry.mutation(
        permission_classes=[IsOfficer],
        description="NSSO officer: ACCEPT, REJECT or REFER_TO_INSPECTION a handwritten authorisation (R-PAP-1..8).",
    )
    async def review_authorisation(
        self,
        info: Info,
        input: Annotated[
            ReviewAuthorisationInput, strawberry.argument(description="The mandate and the officer's decision.")
        ],
    ) -> types.MandatePayload:
        context = info.context
        review = authorisations.Review(
            input.decision, input.reason, input.principal_signer_niss, input.mandatary_signer_niss
        )
        return mandate_payload(
            *await attempt(
                lambda: authorisations.review_authorisation(
                    context.use_case(), context.paperwork, input.mandate_id, review
                )
            )
        )

    @strawberry.mutation(
        permission_classes=MANAGERS,
        description=(
            "The SSA moves the file to another of its branches, or back to its head office (no branch); no new "
            "authorisation is needed (R-SSA-1), but one naming the new branch may be issued in the same request "
            "(R-PDF-8)."
        ),
    )
    async def change_branch(
        self,
        info: Info,
        input: Annotated[ChangeBranchInput, strawberry.argument(description="The mandate and its new branch.")],
    ) -> types.MandatePayload:
        context = info.context
        version = new_version(input.new_authorisation, context.paperwork)
        return mandate_payload(
            *await attempt(
                lambda: branch.change_branch(context.use_case(), input.mandate_id, input.branch_code, version)
            )
        )
