"""Identification requests and foreign entities (API.md "NSSO officer operations" and "Enterprise-side
requests"; RULES.md §20, §21, §22): requestProviderIdentification, decideProviderIdentification,
submitEmployerIdentification, registerForeignEntity, and the officers' lists of requests.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from models import identification as rules
from models.quarter import Quarter
from models.tables import EmployerIdentificationRequest as EmployerRequestRow
from models.tables import ProviderIdentificationRequest as ProviderRequestRow
from resolvers import identification
from resolvers.visibility import shown_niss
from schema import types
from schema.connections import connection
from schema.payloads import attempt
from schema.permissions import CanManage, IsOfficer

ProviderDeclaration = strawberry.enum(rules.Declaration, name="ProviderDeclaration", description="The conditions of registration as a service provider (R-SPID-2).")
ProviderRequestStatus = strawberry.enum(rules.ProviderRequestStatus, name="ProviderRequestStatus")
ProviderDecision = strawberry.enum(rules.ProviderDecision, name="ProviderDecision")
IdentificationStatus = strawberry.enum(rules.IdentificationStatus, name="IdentificationStatus")
ForeignDocumentKind = strawberry.enum(rules.ForeignDocument, name="ForeignDocumentKind", description="The documents a foreign entity's registration requires (R-FOR-2).")


@strawberry.type(description="A company's request to be registered as a non-approved service provider (R-SPID-1, R-SPID-2).")
class ProviderIdentificationRequest(types.FromRow, types.Node):
    row: strawberry.Private[ProviderRequestRow]

    @strawberry.field
    async def enterprise(self, info: Info) -> types.Enterprise:
        return types.Enterprise.of(await info.context.loaders.enterprise.load(self.row.enterprise_id))

    @strawberry.field(description="The CBE representative who filed it; null unless the viewer acts for the filing company, is an NSSO officer or holds the scope personal-data:read.")
    async def applicant_niss(self, info: Info) -> str | None:
        company = await info.context.loaders.enterprise.load(self.row.enterprise_id)
        return shown_niss(info.context.actor, self.row.applicant_niss, company.enterprise_number)

    @strawberry.field
    def applicant_name(self) -> str | None:
        return self.row.applicant_name

    @strawberry.field(description="The conditions the applicant declared; the NSSO assesses them.")
    def declarations(self) -> list[ProviderDeclaration]:
        return [rules.Declaration(value) for value in self.row.declarations]

    @strawberry.field
    def status(self) -> ProviderRequestStatus:
        return self.row.status

    @strawberry.field(description="The officer's reason of refusal.")
    def reason(self) -> str | None:
        return self.row.reason

    @strawberry.field
    def submitted_at(self) -> dt.datetime:
        return self.row.submitted_at

    @strawberry.field
    def decided_at(self) -> dt.datetime | None:
        return self.row.decided_at


@strawberry.type(description="An employer identification request (WIDE): by a provider under its mandate, or by the employer itself (R-WIDE-1..3).")
class EmployerIdentificationRequest(types.FromRow, types.Node):
    row: strawberry.Private[EmployerRequestRow]

    @strawberry.field
    async def principal(self, info: Info) -> types.Enterprise:
        return types.Enterprise.of(await info.context.loaders.enterprise.load(self.row.principal_id))

    @strawberry.field(description="The filing provider; null when the employer filed its own request.")
    async def provider(self, info: Info) -> types.Enterprise | None:
        if self.row.provider_id is None:
            return None
        return types.Enterprise.of(await info.context.loaders.enterprise.load(self.row.provider_id))

    @strawberry.field(description="The mandate it is filed under: validated, or with its handwritten scan awaiting the NSSO (R-WIDE-2).")
    async def mandate(self, info: Info) -> types.Mandate | None:
        if self.row.mandate_id is None:
            return None
        return types.Mandate.of(await info.context.loaders.mandate.load(self.row.mandate_id))

    @strawberry.field(description="BLOCKED while the linked authorisation is refused: no NSSO number meanwhile (R-WIDE-3).")
    def status(self) -> IdentificationStatus:
        return self.row.status

    @strawberry.field
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field
    def blocked_reason(self) -> str | None:
        return self.row.blocked_reason

    @strawberry.field
    def blocked_at(self) -> dt.datetime | None:
        return self.row.blocked_at

    @strawberry.field
    def done_at(self) -> dt.datetime | None:
        return self.row.done_at


@strawberry.type
class ProviderIdentificationRequestEdge:
    cursor: str
    node: ProviderIdentificationRequest


@strawberry.type
class ProviderIdentificationRequestConnection:
    edges: list[ProviderIdentificationRequestEdge]
    page_info: types.PageInfo
    total_count: int


@strawberry.type
class EmployerIdentificationRequestEdge:
    cursor: str
    node: EmployerIdentificationRequest


@strawberry.type
class EmployerIdentificationRequestConnection:
    edges: list[EmployerIdentificationRequestEdge]
    page_info: types.PageInfo
    total_count: int


@strawberry.input(description="Filed by a CBE representative of the viewer's company, declaring every condition (R-SPID-1, R-SPID-2).")
class RequestProviderIdentificationInput:
    declarations: list[ProviderDeclaration]


@strawberry.input(description="APPROVE (the company becomes a SERVICE_PROVIDER) or REFUSE with a reason (R-SPID-2).")
class DecideProviderIdentificationInput:
    request_id: strawberry.ID
    decision: ProviderDecision
    reason: str | None = None


@strawberry.input(description="For the principal (CBE or NSSO number); a provider may name the supporting mandate, else its own is found (R-WIDE-1).")
class SubmitEmployerIdentificationInput:
    principal_number: str
    mandate_id: strawberry.ID | None = None


@strawberry.input(description="The foreign entity's legal representative; a bis number is a NISS (R-ENT-6, R-FOR-3).")
class ForeignRepresentativeInput:
    niss: str
    name: str
    function_code: str


@strawberry.input
class ForeignDocumentInput:
    kind: ForeignDocumentKind
    file: Upload


@strawberry.input(description="The officer's registration of a foreign entity unknown in the CBE with its mandate (R-FOR-2, R-FOR-3).")
class RegisterForeignEntityInput:
    enterprise_number: str = strawberry.field(description="The number the entity is registered under.")
    name: str
    address: str = strawberry.field(description="Its current address, as the company documents show it.")
    legal_form: str
    active_from: dt.date
    representative: ForeignRepresentativeInput
    mandatary_number: str = strawberry.field(description="CBE or SSA number of the Belgian provider.")
    mandatary_signer_niss: str = strawberry.field(description="The provider's responsible person who signed the authorisation.")
    groups: list[str]
    start_quarter: Quarter
    documents: list[ForeignDocumentInput]


@strawberry.type
class ProviderIdentificationPayload:
    request: ProviderIdentificationRequest | None
    user_errors: list[types.UserError]


@strawberry.type
class EmployerIdentificationPayload:
    request: EmployerIdentificationRequest | None
    user_errors: list[types.UserError]


@strawberry.type
class RegisterForeignEntityPayload:
    enterprise: types.Enterprise | None
    mandate: types.Mandate | None
    user_errors: list[types.UserError]


def _provider_payload(row, errors) -> ProviderIdentificationPayload:
    return ProviderIdentificationPayload(request=ProviderIdentificationRequest.of(row) if row else None, user_errors=errors)


def _employer_payload(row, errors) -> EmployerIdentificationPayload:
    return EmployerIdentificationPayload(request=EmployerIdentificationRequest.of(row) if row else None, user_errors=errors)


@strawberry.type
class IdentificationQueries:
    @strawberry.field(permission_classes=[IsOfficer], description="Officers: service-provider requests, oldest first; by default those awaiting a decision (R-SPID-2).")
    async def provider_identification_requests(
        self, info: Info, statuses: list[ProviderRequestStatus] | None = None, first: int | None = None, after: str | None = None
    ) -> ProviderIdentificationRequestConnection:
        query = identification.provider_requests(list(statuses or [rules.ProviderRequestStatus.SUBMITTED]))
        return await connection(
            info, query, ProviderIdentificationRequestConnection, ProviderIdentificationRequestEdge, ProviderIdentificationRequest, first, after
        )

    @strawberry.field(permission_classes=[IsOfficer], description="Officers: employer identification requests, oldest first; by default the open ones, SUBMITTED and BLOCKED (R-WIDE-1..3).")
    async def employer_identification_requests(
        self, info: Info, statuses: list[IdentificationStatus] | None = None, first: int | None = None, after: str | None = None
    ) -> EmployerIdentificationRequestConnection:
        query = identification.employer_requests(list(statuses or rules.OPEN))
        return await connection(
            info, query, EmployerIdentificationRequestConnection, EmployerIdentificationRequestEdge, EmployerIdentificationRequest, first, after
        )


@strawberry.type
class IdentificationMutations:
    @strawberry.mutation(permission_classes=[CanManage], description="« Identification »: a CBE representative asks to register the company as a service provider (R-SPID-1, R-SPID-2, R-USR-5).")
    async def request_provider_identification(self, info: Info, input: RequestProviderIdentificationInput) -> ProviderIdentificationPayload:
        return _provider_payload(*await attempt(lambda: identification.request_provider_identification(info.context.use_case(), list(input.declarations))))

    @strawberry.mutation(permission_classes=[IsOfficer], description="NSSO officer: approve or refuse a service-provider request (R-SPID-2).")
    async def decide_provider_identification(self, info: Info, input: DecideProviderIdentificationInput) -> ProviderIdentificationPayload:
        return _provider_payload(
            *await attempt(
                lambda: identification.decide_provider_identification(info.context.use_case(), input.request_id, input.decision, input.reason)
            )
        )

    @strawberry.mutation(permission_classes=[CanManage], description="An employer identification request (WIDE), by a provider under its validated mandate or by the employer itself (R-WIDE-1, R-WIDE-2).")
    async def submit_employer_identification(self, info: Info, input: SubmitEmployerIdentificationInput) -> EmployerIdentificationPayload:
        context = info.context
        return _employer_payload(
            *await attempt(
                lambda: identification.submit_employer_identification(
                    context.use_case(), input.principal_number, input.mandate_id, context.paperwork.paper_tolerance
                )
            )
        )

    @strawberry.mutation(permission_classes=[IsOfficer], description="NSSO officer: register a foreign entity unknown in the CBE and enter its mandate, ACTIVE at once (R-FOR-2, R-FOR-3).")
    async def register_foreign_entity(self, info: Info, input: RegisterForeignEntityInput) -> RegisterForeignEntityPayload:
        context = info.context
        files = [
            identification.ForeignFile(document.kind, getattr(document.file, "filename", None) or "", await document.file.read())
            for document in input.documents
        ]
        person = input.representative
        form = identification.ForeignEntity(
            enterprise_number=input.enterprise_number,
            name=input.name,
            address=input.address,
            legal_form=input.legal_form,
            active_from=input.active_from,
            representative=identification.ForeignRepresentative(person.niss, person.name, person.function_code),
            mandatary_number=input.mandatary_number,
            mandatary_signer_niss=input.mandatary_signer_niss,
            groups=list(input.groups),
            start_quarter=input.start_quarter,
            documents=files,
        )
        outcome, errors = await attempt(lambda: identification.register_foreign_entity(context.use_case(), form, context.paperwork.max_upload_bytes))
        if outcome is None:
            return RegisterForeignEntityPayload(enterprise=None, mandate=None, user_errors=errors)
        return RegisterForeignEntityPayload(enterprise=types.Enterprise.of(outcome.enterprise), mandate=types.Mandate.of(outcome.mandate), user_errors=errors)
