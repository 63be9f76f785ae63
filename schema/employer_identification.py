"""Employer identification requests, WIDE (API.md "Enterprise-side requests" and "NSSO officer
operations"; RULES.md §21): submitEmployerIdentification and the officers' list.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from models import identification as rules
from models.tables import EmployerIdentificationRequest as EmployerRequestRow
from resolvers import employer_identification
from schema import types
from schema.connections import Connection, page_of
from schema.enums import described
from schema.pagination import After, First
from schema.payloads import attempt
from schema.permissions import CanManage, IsOfficer

IdentificationStatus = rules.IdentificationStatus
described(
    rules.IdentificationStatus,
    name="IdentificationStatus",
    description="Where an employer identification request (WIDE) stands (R-WIDE-1..3).",
    values={
        rules.IdentificationStatus.SUBMITTED: "Filed, awaiting the NSSO's identification.",
        rules.IdentificationStatus.BLOCKED: (
            "The linked paper authorisation was refused: no NSSO number until a replacement is accepted (R-WIDE-3, "
            "R-PAP-4)."
        ),
        rules.IdentificationStatus.DONE: "The definitive NSSO number was assigned (R-WIDE-2, R-WIDE-6).",
    },
)


@strawberry.type(
    description=(
        "An employer identification request (WIDE): by a provider under its mandate, or by the employer itself "
        "(R-WIDE-1..3)."
    )
)
class EmployerIdentificationRequest(types.FromRow, types.Node):
    row: strawberry.Private[EmployerRequestRow]

    @strawberry.field(description="The company to identify as an NSSO employer.")
    async def principal(self, info: Info) -> types.Enterprise:
        return types.Enterprise.of(await info.context.loaders.enterprise.load(self.row.principal_id))

    @strawberry.field(description="The filing provider; null when the employer filed its own request.")
    async def provider(self, info: Info) -> types.Enterprise | None:
        if self.row.provider_id is None:
            return None
        return types.Enterprise.of(await info.context.loaders.enterprise.load(self.row.provider_id))

    @strawberry.field(
        description=(
            "The mandate it is filed under: validated, or with its handwritten scan awaiting the NSSO (R-WIDE-2)."
        )
    )
    async def mandate(self, info: Info) -> types.Mandate | None:
        if self.row.mandate_id is None:
            return None
        return types.Mandate.of(await info.context.loaders.mandate.load(self.row.mandate_id))

    @strawberry.field(
        description="BLOCKED while the linked authorisation is refused: no NSSO number meanwhile (R-WIDE-3)."
    )
    def status(self) -> IdentificationStatus:
        return self.row.status

    @strawberry.field(description="When it was filed.")
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field(
        description="The officer's reason for refusing the linked authorisation; null unless BLOCKED (R-WIDE-3)."
    )
    def blocked_reason(self) -> str | None:
        return self.row.blocked_reason

    @strawberry.field(description="When it was blocked; null unless BLOCKED.")
    def blocked_at(self) -> dt.datetime | None:
        return self.row.blocked_at

    @strawberry.field(description="When the NSSO number was assigned; null until DONE.")
    def done_at(self) -> dt.datetime | None:
        return self.row.done_at


@strawberry.input(
    description=(
        "For the principal (CBE or NSSO number); a provider may name the supporting mandate, else its own is found "
        "(R-WIDE-1)."
    )
)
class SubmitEmployerIdentificationInput:
    principal_number: str = strawberry.field(
        description=(
            "The CBE or NSSO number of the company to identify; the viewer's own enterprise when it files for itself."
        )
    )
    mandate_id: strawberry.ID | None = strawberry.field(
        default=None,
        description=(
            "A provider's supporting mandate holding Dimona (global ID); omitted: the registry finds it (R-WIDE-1, "
            "R-WIDE-2)."
        ),
    )


@strawberry.type(description="The outcome of submitEmployerIdentification.")
class EmployerIdentificationPayload:
    request: EmployerIdentificationRequest | None = strawberry.field(
        description="The request filed (or an open one filed again); null when refused."
    )
    user_errors: list[types.UserError] = strawberry.field(description=types.USER_ERRORS)


def _employer_payload(row, errors) -> EmployerIdentificationPayload:
    return EmployerIdentificationPayload(
        request=EmployerIdentificationRequest.of(row) if row else None, user_errors=errors
    )


@strawberry.type
class EmployerIdentificationQueries:
    @strawberry.field(
        permission_classes=[IsOfficer],
        description=(
            "Officers: employer identification requests, oldest first; by default the open ones, SUBMITTED and BLOCKED "
            "(R-WIDE-1..3)."
        ),
    )
    async def employer_identification_requests(
        self,
        info: Info,
        statuses: Annotated[
            list[IdentificationStatus] | None,
            strawberry.argument(description="Requests in any of these statuses; by default SUBMITTED and BLOCKED."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[EmployerIdentificationRequest]:
        query = employer_identification.employer_requests(list(statuses or rules.OPEN))
        return await page_of(info, query, EmployerIdentificationRequest, first, after)


@strawberry.type
class EmployerIdentificationMutations:
    @strawberry.mutation(
        permission_classes=[CanManage],
        description=(
            "An employer identification request (WIDE), by a provider under its validated mandate or by the employer "
            "itself (R-WIDE-1, R-WIDE-2)."
        ),
    )
    async def submit_employer_identification(
        self,
        info: Info,
        input: Annotated[
            SubmitEmployerIdentificationInput,
            strawberry.argument(description="The company and, for a provider, its mandate."),
        ],
    ) -> EmployerIdentificationPayload:
        context = info.context
        return _employer_payload(
            *await attempt(
                lambda: employer_identification.submit_employer_identification(
                    context.use_case(), input.principal_number, input.mandate_id, context.paperwork.paper_tolerance
                )
            )
        )
