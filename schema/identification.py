"""Identification requests and foreign entities (API.md "NSSO officer operations" and "Enterprise-side
requests"; RULES.md §20, §21, §22): requestProviderIdentification, decideProviderIdentification,
submitEmployerIdentification, registerForeignEntity, and the officers' lists of requests.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from starlette.datastructures import UploadFile
from strawberry.types import Info

from models import identification as rules
from models.quarter import Quarter
from models.tables import EmployerIdentificationRequest as EmployerRequestRow
from models.tables import ProviderIdentificationRequest as ProviderRequestRow
from resolvers import identification
from resolvers.visibility import shown_niss
from schema import types
from schema.connections import connection
from schema.enums import described, sentences
from schema.pagination import After, First
from schema.payloads import attempt
from schema.permissions import CanManage, IsOfficer

ProviderDeclaration = rules.Declaration
described(
    rules.Declaration, name="ProviderDeclaration", description="The conditions of registration as a service provider (R-SPID-2).", values=sentences(rules.DECLARATION_TEXT)
)
ProviderRequestStatus = rules.ProviderRequestStatus
described(
    rules.ProviderRequestStatus,
    name="ProviderRequestStatus",
    description="Where a service-provider identification request stands (R-SPID-2).",
    values={
        rules.ProviderRequestStatus.SUBMITTED: "Filed, awaiting an NSSO officer's decision.",
        rules.ProviderRequestStatus.APPROVED: "Approved: the company is a SERVICE_PROVIDER and may be a mandatary (R-ENT-12).",
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
IdentificationStatus = rules.IdentificationStatus
described(
    rules.IdentificationStatus,
    name="IdentificationStatus",
    description="Where an employer identification request (WIDE) stands (R-WIDE-1..3).",
    values={
        rules.IdentificationStatus.SUBMITTED: "Filed, awaiting the NSSO's identification.",
        rules.IdentificationStatus.BLOCKED: "The linked paper authorisation was refused: no NSSO number until a replacement is accepted (R-WIDE-3, R-PAP-4).",
        rules.IdentificationStatus.DONE: "The definitive NSSO number was assigned (R-WIDE-2, R-WIDE-6).",
    },
)
ForeignDocumentKind = rules.ForeignDocument
described(
    rules.ForeignDocument, name="ForeignDocumentKind", description="The documents a foreign entity's registration requires (R-FOR-2).", values=sentences(rules.DOCUMENT_TEXT)
)


@strawberry.type(description="A company's request to be registered as a non-approved service provider (R-SPID-1, R-SPID-2).")
class ProviderIdentificationRequest(types.FromRow, types.Node):
    row: strawberry.Private[ProviderRequestRow]

    @strawberry.field(description="The company asking to be registered.")
    async def enterprise(self, info: Info) -> types.Enterprise:
        return types.Enterprise.of(await info.context.loaders.enterprise.load(self.row.enterprise_id))

    @strawberry.field(description="The CBE representative who filed it; null unless the viewer acts for the filing company, is an NSSO officer or holds the scope personal-data:read.")
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


@strawberry.type(description="An employer identification request (WIDE): by a provider under its mandate, or by the employer itself (R-WIDE-1..3).")
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

    @strawberry.field(description="The mandate it is filed under: validated, or with its handwritten scan awaiting the NSSO (R-WIDE-2).")
    async def mandate(self, info: Info) -> types.Mandate | None:
        if self.row.mandate_id is None:
            return None
        return types.Mandate.of(await info.context.loaders.mandate.load(self.row.mandate_id))

    @strawberry.field(description="BLOCKED while the linked authorisation is refused: no NSSO number meanwhile (R-WIDE-3).")
    def status(self) -> IdentificationStatus:
        return self.row.status

    @strawberry.field(description="When it was filed.")
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field(description="The officer's reason for refusing the linked authorisation; null unless BLOCKED (R-WIDE-3).")
    def blocked_reason(self) -> str | None:
        return self.row.blocked_reason

    @strawberry.field(description="When it was blocked; null unless BLOCKED.")
    def blocked_at(self) -> dt.datetime | None:
        return self.row.blocked_at

    @strawberry.field(description="When the NSSO number was assigned; null until DONE.")
    def done_at(self) -> dt.datetime | None:
        return self.row.done_at


@strawberry.type(description="A service-provider request in a page, with its cursor.")
class ProviderIdentificationRequestEdge:
    cursor: str = strawberry.field(description="Opaque; pass it as `after` to page from here.")
    node: ProviderIdentificationRequest = strawberry.field(description="The request.")


@strawberry.type(description="A page of service-provider requests (Relay connection).")
class ProviderIdentificationRequestConnection:
    edges: list[ProviderIdentificationRequestEdge] = strawberry.field(description="The page's requests, oldest first.")
    page_info: types.PageInfo = strawberry.field(description=types.PAGE_INFO)
    total_count: int = strawberry.field(description="How many requests match over all pages.")


@strawberry.type(description="An employer identification request in a page, with its cursor.")
class EmployerIdentificationRequestEdge:
    cursor: str = strawberry.field(description="Opaque; pass it as `after` to page from here.")
    node: EmployerIdentificationRequest = strawberry.field(description="The request.")


@strawberry.type(description="A page of employer identification requests (Relay connection).")
class EmployerIdentificationRequestConnection:
    edges: list[EmployerIdentificationRequestEdge] = strawberry.field(description="The page's requests, oldest first.")
    page_info: types.PageInfo = strawberry.field(description=types.PAGE_INFO)
    total_count: int = strawberry.field(description="How many requests match over all pages.")


@strawberry.input(description="Filed by a CBE representative of the viewer's company, declaring every condition (R-SPID-1, R-SPID-2).")
class RequestProviderIdentificationInput:
    declarations: list[ProviderDeclaration] = strawberry.field(description="Every condition the company declares it meets; all seven are required (CONDITION_NOT_DECLARED).")


@strawberry.input(description="APPROVE (the company becomes a SERVICE_PROVIDER) or REFUSE with a reason (R-SPID-2).")
class DecideProviderIdentificationInput:
    request_id: strawberry.ID = strawberry.field(description="The global ID of the SUBMITTED request.")
    decision: ProviderDecision = strawberry.field(description="APPROVE or REFUSE.")
    reason: str | None = strawberry.field(default=None, description="REFUSE: why, as told to the company (required).")


@strawberry.input(description="For the principal (CBE or NSSO number); a provider may name the supporting mandate, else its own is found (R-WIDE-1).")
class SubmitEmployerIdentificationInput:
    principal_number: str = strawberry.field(description="The CBE or NSSO number of the company to identify; the viewer's own enterprise when it files for itself.")
    mandate_id: strawberry.ID | None = strawberry.field(default=None, description="A provider's supporting mandate holding Dimona (global ID); omitted: the registry finds it (R-WIDE-1, R-WIDE-2).")


@strawberry.input(description="The foreign entity's legal representative; a bis number is a NISS (R-ENT-6, R-FOR-3).")
class ForeignRepresentativeInput:
    niss: str = strawberry.field(description="The representative's NISS or bis number, 11 digits.")
    name: str = strawberry.field(description="The representative's name.")
    function_code: str = strawberry.field(description="The CBE function code the representative holds.")


@strawberry.input(description="One document of a foreign entity's registration (R-FOR-2).")
class ForeignDocumentInput:
    kind: ForeignDocumentKind = strawberry.field(description="Which required document this is.")
    file: UploadFile = strawberry.field(description="The document (multipart upload), at most MANDATES_MAX_UPLOAD_BYTES.")


@strawberry.input(description="The officer's registration of a foreign entity unknown in the CBE with its mandate (R-FOR-2, R-FOR-3).")
class RegisterForeignEntityInput:
    enterprise_number: str = strawberry.field(description="The number the entity is registered under.")
    name: str = strawberry.field(description="The entity's name.")
    address: str = strawberry.field(description="Its current address, as the company documents show it.")
    legal_form: str = strawberry.field(description="The code of its legal form in the reference data.")
    active_from: dt.date = strawberry.field(description="The first day of its activity.")
    representative: ForeignRepresentativeInput = strawberry.field(description="Its legal representative, who signed the authorisation.")
    mandatary_number: str = strawberry.field(description="CBE or SSA number of the Belgian provider.")
    mandatary_signer_niss: str = strawberry.field(description="The provider's responsible person who signed the authorisation.")
    groups: list[str] = strawberry.field(description="Codes of the mandate's application groups (R-FOR-1).")
    start_quarter: Quarter = strawberry.field(description="The mandate's start quarter.")
    documents: list[ForeignDocumentInput] = strawberry.field(description="The required documents, one of each kind (R-FOR-2).")


@strawberry.type(description="The outcome of a mutation on a service-provider request.")
class ProviderIdentificationPayload:
    request: ProviderIdentificationRequest | None = strawberry.field(description="The request after the change; null when refused.")
    user_errors: list[types.UserError] = strawberry.field(description=types.USER_ERRORS)


@strawberry.type(description="The outcome of submitEmployerIdentification.")
class EmployerIdentificationPayload:
    request: EmployerIdentificationRequest | None = strawberry.field(description="The request filed (or an open one filed again); null when refused.")
    user_errors: list[types.UserError] = strawberry.field(description=types.USER_ERRORS)


@strawberry.type(description="The outcome of registerForeignEntity.")
class RegisterForeignEntityPayload:
    enterprise: types.Enterprise | None = strawberry.field(description="The registered entity; null when refused.")
    mandate: types.Mandate | None = strawberry.field(description="Its mandate, ACTIVE at once; null when refused.")
    user_errors: list[types.UserError] = strawberry.field(description=types.USER_ERRORS)


def _provider_payload(row, errors) -> ProviderIdentificationPayload:
    return ProviderIdentificationPayload(request=ProviderIdentificationRequest.of(row) if row else None, user_errors=errors)


def _employer_payload(row, errors) -> EmployerIdentificationPayload:
    return EmployerIdentificationPayload(request=EmployerIdentificationRequest.of(row) if row else None, user_errors=errors)


@strawberry.type
class IdentificationQueries:
    @strawberry.field(permission_classes=[IsOfficer], description="Officers: service-provider requests, oldest first; by default those awaiting a decision (R-SPID-2).")
    async def provider_identification_requests(
        self,
        info: Info,
        statuses: Annotated[list[ProviderRequestStatus] | None, strawberry.argument(description="Requests in any of these statuses; by default SUBMITTED.")] = None,
        first: First = None,
        after: After = None,
    ) -> ProviderIdentificationRequestConnection:
        query = identification.provider_requests(list(statuses or [rules.ProviderRequestStatus.SUBMITTED]))
        return await connection(
            info, query, ProviderIdentificationRequestConnection, ProviderIdentificationRequestEdge, ProviderIdentificationRequest, first, after
        )

    @strawberry.field(permission_classes=[IsOfficer], description="Officers: employer identification requests, oldest first; by default the open ones, SUBMITTED and BLOCKED (R-WIDE-1..3).")
    async def employer_identification_requests(
        self,
        info: Info,
        statuses: Annotated[list[IdentificationStatus] | None, strawberry.argument(description="Requests in any of these statuses; by default SUBMITTED and BLOCKED.")] = None,
        first: First = None,
        after: After = None,
    ) -> EmployerIdentificationRequestConnection:
        query = identification.employer_requests(list(statuses or rules.OPEN))
        return await connection(
            info, query, EmployerIdentificationRequestConnection, EmployerIdentificationRequestEdge, EmployerIdentificationRequest, first, after
        )


@strawberry.type
class IdentificationMutations:
    @strawberry.mutation(permission_classes=[CanManage], description="« Identification »: a CBE representative asks to register the company as a service provider (R-SPID-1, R-SPID-2, R-USR-5).")
    async def request_provider_identification(self, info: Info, input: Annotated[RequestProviderIdentificationInput, strawberry.argument(description="The declared conditions.")]) -> ProviderIdentificationPayload:
        return _provider_payload(*await attempt(lambda: identification.request_provider_identification(info.context.use_case(), list(input.declarations))))

    @strawberry.mutation(permission_classes=[IsOfficer], description="NSSO officer: approve or refuse a service-provider request (R-SPID-2).")
    async def decide_provider_identification(self, info: Info, input: Annotated[DecideProviderIdentificationInput, strawberry.argument(description="The request and the decision.")]) -> ProviderIdentificationPayload:
        return _provider_payload(
            *await attempt(
                lambda: identification.decide_provider_identification(info.context.use_case(), input.request_id, input.decision, input.reason)
            )
        )

    @strawberry.mutation(permission_classes=[CanManage], description="An employer identification request (WIDE), by a provider under its validated mandate or by the employer itself (R-WIDE-1, R-WIDE-2).")
    async def submit_employer_identification(self, info: Info, input: Annotated[SubmitEmployerIdentificationInput, strawberry.argument(description="The company and, for a provider, its mandate.")]) -> EmployerIdentificationPayload:
        context = info.context
        return _employer_payload(
            *await attempt(
                lambda: identification.submit_employer_identification(
                    context.use_case(), input.principal_number, input.mandate_id, context.paperwork.paper_tolerance
                )
            )
        )

    @strawberry.mutation(permission_classes=[IsOfficer], description="NSSO officer: register a foreign entity unknown in the CBE and enter its mandate, ACTIVE at once (R-FOR-2, R-FOR-3).")
    async def register_foreign_entity(self, info: Info, input: Annotated[RegisterForeignEntityInput, strawberry.argument(description="The entity, its representative, its mandate and the documents.")]) -> RegisterForeignEntityPayload:
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
