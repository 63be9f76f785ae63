"""The Mutation type (API.md): one `input:` argument, a payload with the object and `userErrors`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from resolvers import consult, create, sign
from schema import types
from schema.inputs import CreateMandateInput, MandateRefInput, SignMandateInput
from schema.payloads import attempt
from schema.permissions import CanManage

MANAGERS = [CanManage]


def _mandate_payload(row, errors) -> types.MandatePayload:
    return types.MandatePayload(mandate=types.Mandate.of(row) if row else None, user_errors=errors)


@strawberry.type
class Mutation:
    @strawberry.mutation(permission_classes=MANAGERS, description='"Data introduction": the mandate is registered TO_BE_FINALISED (R-CRE-1..5).')
    async def create_mandate(self, info: Info, input: CreateMandateInput) -> types.MandatePayload:
        new = create.NewMandate(
            groups=list(input.groups),
            start_quarter=input.start_quarter,
            principal_number=input.principal_number,
            mandatary_number=input.mandatary_number,
            branch_code=input.branch_code,
        )
        return _mandate_payload(*await attempt(lambda: create.create_mandate(info.context.use_case(), new)))

    @strawberry.mutation(permission_classes=MANAGERS, description="Validation via authentication, « accepter et signer » (R-SIGN-2..6).")
    async def sign_mandate(self, info: Info, input: SignMandateInput) -> types.MandatePayload:
        return _mandate_payload(*await attempt(lambda: sign.sign_mandate(info.context.use_case(), input.mandate_id)))

    @strawberry.mutation(permission_classes=MANAGERS, description="The rejection stops counting on the viewer's side's dashboard (R-DASH-5).")
    async def mark_rejection_consulted(self, info: Info, input: MandateRefInput) -> types.MandatePayload:
        return _mandate_payload(*await attempt(lambda: consult.mark_rejection_consulted(info.context.use_case(), input.mandate_id)))
