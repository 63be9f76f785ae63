"""Registration as a service provider (API.md "Enterprise-side requests" and "NSSO officer operations";
RULES.md §20): requestProviderIdentification, decideProviderIdentification and the officers' list.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from models import identification as rules
from models.tables import ProviderIdentificationRequest as ProviderRequestRow
from resolvers import provider_registration
from resolvers.visibility import shown_niss
from schema import types
from schema.connections import Connection, page_of
from schema.enums import described, sentences
from schema.pagination import After, First
from schema.payloads import attempt
from schema.permissions import CanManage, IsOfficer

ProviderDeclaration = rules.Declaration
described(
    rules.Declaration,
    name="ProviderDeclaration",
    description="The conditions of registration as a service provider (R-SPID-2).",
    values=sentences(rules.DECLARATION_TEXT),
)
ProviderRequestStatus = rules.ProviderRequestStatus
described(
    rules.ProviderRequestStatus,
    name="ProviderRequestStatus",
    description="Where a service-provider identification request stands (R-SPID-2).",
    values={
        rules.ProviderRequestStatus.SUBMITTED: "Filed, awaiting an NSSO officer's decision.",
        rules.ProviderRequestStatus.APPROVED: (
            "Approved: the company is a SERVICE_PROVIDER and may be a mandatary (R-ENT-12)."
        ),
        rules.ProviderRequestStatus.REFUSED: "Refused by an officer, with a reason.",
    },
)
ProviderDecision = rules.ProviderDecision
described(
    rules.ProviderDecision,
    name="ProviderDecision",
    description="An NSSO officer's decision on a service-provider identification request (R-SPID-2).",
    values={
        rules.ProviderDecision.APPROVE: "Register the company as a service provider.",
        rules.ProviderDecision.REFUSE: "Refuse the request; a reason is required.",
    },
)


@strawberry.type(
    description="A company's request to be registered as a non-approved service provider (R-SPID-1, R-SPID-2)."
)
class ProviderIdentificationRequest(types.FromRow, types.Node):
    row: strawberry.Private[ProviderRequestRow]

    @strawberry.field(description="The company asking to be registered.")
    async def enterprise(self, info: Info) -> types.Enterprise:
        return types.Enterprise.of(await info.context.loaders.enterprise.load(self.row.enterprise_id))

    @strawberry.field(
        description=(
            "The CBE representative who filed it; null unless the viewer acts for the filing company, is an NSSO "
            "officer or holds the scope personal-data:read."
        )
    )
    async def applicant_niss(self, info: Info) -> str | None:
        company = await info.context.loaders.enterprise.load(self.row.enterprise_id)
        return shown_niss(info.context.actor, self.row.applicant_niss, company.enterprise_number)

    @strawberry.field(description="The applicant's name, from the token; null when it gave none.")
    def applicant_name(self) -> str | None:
        return self.row.applicant_name

    @strawberry.field(description="The conditions the applicant declared; the NSSO assesses them.")
    def declarations(self) -> list[ProviderDeclaration]:
        return [rules.Declaration(value) for value in self.row.declarations]

    @strawberry.field(description="Awaiting, approved or refused.")
    def status(self) -> ProviderRequestStatus:
        return self.row.status

    @strawberry.field(description="The officer's reason of refusal.")
    def reason(self) -> str | None:
        return self.row.reason

    @strawberry.field(description="When it was filed.")
    def submitted_at(self) -> dt.datetime:
        return self.row.submitted_at

    @strawberry.field(description="When an officer decided; null while awaiting.")
    def decided_at(self) -> dt.datetime | None:
        return self.row.decided_at


@strawberry.input(
    description="Filed by a CBE representative of the viewer's company, declaring every condition (R-SPID-1, R-SPID-2)."
)
class RequestProviderIdentificationInput:
    declarations: list[ProviderDeclaration] = strawberry.field(
        description="Every condition the company declares it meets; all seven are required (CONDITION_NOT_DECLARED)."
    )


@strawberry.input(description="APPROVE (the company becomes a SERVICE_PROVIDER) or REFUSE with a reason (R-SPID-2).")
class DecideProviderIdentificationInput:
    request_id: strawberry.ID = strawberry.field(description="The global ID of the SUBMITTED request.")
    decision: ProviderDecision = strawberry.field(description="APPROVE or REFUSE.")
    reason: str | None = strawberry.field(default=None, description="REFUSE: why, as told to the company (required).")


@strawberry.type(description="The outcome of a mutation on a service-provider request.")
class ProviderIdentificationPayload:
    request: ProviderIdentificationRequest | None = strawberry.field(
        description="The request after the change; null when refused."
    )
    user_errors: list[types.UserError] = strawberry.field(description=types.USER_ERRORS)


def _provider_payload(row, errors) -> ProviderIdentificationPayload:
    return ProviderIdentificationPayload(
        request=ProviderIdentificationRequest.of(row) if row else None, user_errors=errors
    )


@strawberry.type
class ProviderRegistrationQueries:
    @strawberry.field(
        permission_classes=[IsOfficer],
        description=(
            "Officers: service-provider requests, oldest first; by default those awaiting a decision (R-SPID-2)."
        ),
    )
    async def provider_identification_requests(
        self,
        info: Info,
        statuses: Annotated[
            list[ProviderRequestStatus] | None,
            strawberry.argument(description="Requests in any of these statuses; by default SUBMITTED."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[ProviderIdentificationRequest]:
        query = provider_registration.provider_requests(list(statuses or [rules.ProviderRequestStatus.SUBMITTED]))
        return await page_of(info, query, ProviderIdentificationRequest, first, after)


@strawberry.type
class ProviderRegistrationMutations:
    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "« Identification »: a CBE representative asks to register the company as a service provider (R-SPID-1, "
            "R-SPID-2, R-USR-5)."
        ),
    )
    async def request_provider_identification(
        self,
        info: Info,
        input: Annotated[
            RequestProviderIdentificationInput, strawberry.argument(description="The declared conditions.")
        ],
    ) -> ProviderIdentificationPayload:
        return _provider_payload(
            *await attempt(
                lambda: provider_registration.request_provider_identification(
                    info.context.use_case(), list(input.declarations)
                )
            )
        )

    @strawberry.mutation(
        permission_classes=[IsOfficer],
        description="NSSO officer: approve or refuse a service-provider request (R-SPID-2).",
    )
    async def decide_provider_identification(
        self,
        info: Info,
        input: Annotated[
            DecideProviderIdentificationInput, strawberry.argument(description="The request and the decision.")
        ],
    ) -> ProviderIdentificationPayload:
        return _provider_payload(
            *await attempt(
                lambda: provider_registration.decide_provider_identification(
                    info.context.use_case(), input.request_id, input.decision, input.reason
                )
            )
        )
