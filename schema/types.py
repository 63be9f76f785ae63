"""Object types of API.md, built from table rows; nested rows come through the request's DataLoaders."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from models import places
from models.catalogue import ApplicationGroup as GroupValue
from models.employer import is_employer
from models.identifiers import format_enterprise_number
from models.signing import Party

from models.status import AWAITING_SIGNATURE
from models.tables import Authorisation as AuthorisationRow
from models.tables import Branch as BranchRow
from models.tables import Delegation as DelegationRow
from models.tables import Enterprise as EnterpriseRow
from models.tables import Mandate as MandateRow
from models.tables import MandateEvent as EventRow
from models.tables import Notification as NotificationRow
from resolvers.access import Actor
from resolvers.delegations import delegation_status
from resolvers.ids import encode_id
from resolvers.links import signed_path
from resolvers.statuses import current_status
from resolvers.visibility import may_see_niss, notified_mandate_visible, shown_niss
from schema import enums
from models.quarter import Quarter, quarter_or_none


@strawberry.interface(description="Every persisted object; `node(id:)` resolves any of them. IDs are opaque: they show no order or count, and a changed one names nothing.")
class Node:
    id: strawberry.ID


class FromRow:
    """A node type backed by one table row: its global ID is the type's name and the row's key."""

    @classmethod
    def of(cls, row):
        return cls(id=strawberry.ID(encode_id(cls.__name__, row.id)), row=row)


@strawberry.type
class UserError:
    field: list[str] | None
    message: str
    code: enums.ErrorCode


@strawberry.type
class LegalForm:
    code: str
    name: str


@strawberry.type
class FunctionCode:
    code: str
    name: str


@strawberry.type
class RepresentativesMatrix:
    legal_form: LegalForm
    functions: list[FunctionCode]


@strawberry.type
class Representative:
    niss: str | None = strawberry.field(description="The person's NISS; null unless the viewer acts for this enterprise, is an NSSO officer or holds the scope personal-data:read (README, Personal data).")
    name: str
    function_code: str
    function_name: str
    can_sign: bool


@strawberry.type
class Branch(Node):
    code: str
    name: str

    @classmethod
    def of(cls, row: BranchRow) -> Branch:
        return cls(id=strawberry.ID(encode_id("Branch", row.id)), code=row.code, name=row.name)


@strawberry.type
class ApplicationGroup:
    code: str
    name: str
    name_fr: str
    category: str
    max_mandataries: int | None
    requires: list[str]
    employer_only: bool
    delegable: bool
    applications: list[str]

    @classmethod
    def of(cls, group: GroupValue) -> ApplicationGroup:
        return cls(
            code=group.code,
            name=group.name,
            name_fr=group.name_fr,
            category=group.category_name,
            max_mandataries=group.max_mandataries,
            requires=list(group.requires),
            employer_only=group.employer_only,
            delegable=group.delegable,
            applications=list(group.applications),
        )


@strawberry.type
class Enterprise(FromRow, Node):
    row: strawberry.Private[EnterpriseRow]

    @strawberry.field(description="CBE number, 0123.456.789")
    def enterprise_number(self) -> str:
        return format_enterprise_number(self.row.enterprise_number)

    @strawberry.field
    def nsso_number(self) -> str | None:
        return self.row.nsso_number

    @strawberry.field
    def ssa_number(self) -> str | None:
        return self.row.ssa_number

    @strawberry.field
    def name(self) -> str:
        return self.row.name

    @strawberry.field(description="The address plate printed on authorisations (R-PDF-3).")
    def address(self) -> str:
        return self.row.address

    @strawberry.field(description="EMPLOYER with an NSSO number not deleted before today (R-ENT-1, R-EMP-1), else COMPANY_WITHOUT_STAFF; provider kinds.")
    def kinds(self, info: Info) -> list[enums.EnterpriseKind]:
        employer = is_employer(self.row.nsso_number, self.row.deleted_on, info.context.clock.today())
        kinds = [enums.EnterpriseKind.EMPLOYER if employer else enums.EnterpriseKind.COMPANY_WITHOUT_STAFF]
        if self.row.is_service_provider:
            kinds.append(enums.EnterpriseKind.SERVICE_PROVIDER)
        if self.row.is_social_secretariat:
            kinds.append(enums.EnterpriseKind.SOCIAL_SECRETARIAT)
        return kinds

    @strawberry.field
    async def legal_form(self, info: Info) -> LegalForm | None:
        if self.row.legal_form_id is None:
            return None
        form = await info.context.loaders.legal_form.load(self.row.legal_form_id)
        return LegalForm(code=form.code, name=form.name)

    @strawberry.field
    def active_from(self) -> dt.date:
        return self.row.active_from

    @strawberry.field(description="The employer identification was deleted on this day: an employer until then (R-EMP-1).")
    def deleted_on(self) -> dt.date | None:
        return self.row.deleted_on

    @strawberry.field
    def active_until(self) -> dt.date | None:
        return self.row.active_until

    @strawberry.field
    def known_in_cbe(self) -> bool:
        return self.row.known_in_cbe

    @strawberry.field
    async def branches(self, info: Info) -> list[Branch]:
        return [Branch.of(row) for row in await info.context.loaders.branches.load(self.row.id)]

    @strawberry.field(description="CBE representatives; canSign: the matrix allows the function for this legal form (R-ENT-9).")
    async def representatives(self, info: Info) -> list[Representative]:
        rows = await info.context.loaders.representatives.load(self.row.id)
        shown = may_see_niss(info.context.actor, self.row.enterprise_number)
        allowed = await info.context.loaders.allowed_functions.load(self.row.legal_form_id) if self.row.legal_form_id else set()
        functions = await info.context.loaders.function_code.load_many([row.function_code_id for row in rows])
        return [
            Representative(
                niss=row.niss if shown else None,
                name=row.name,
                function_code=row.function_code_id,
                function_name=function.name,
                can_sign=row.function_code_id in allowed,
            )
            for row, function in zip(rows, functions)
        ]


@strawberry.type
class MandateGroup:
    group: ApplicationGroup
    role: enums.GroupRole
    start_quarter: Quarter
    end_quarter: Quarter | None
    closure_reason: enums.ClosureReason | None
    closure_text: str | None


@strawberry.type
class Signature:
    party: enums.Party
    method: enums.SigningMethod
    signer_niss: str | None = strawberry.field(description="The signer's NISS; null unless the viewer acts for the party signed for, is an NSSO officer or holds the scope personal-data:read.")
    signer_name: str | None
    signed_at: dt.datetime


@strawberry.type
class Authorisation(FromRow, Node):
    row: strawberry.Private[AuthorisationRow]

    @strawberry.field
    def method(self) -> enums.SigningMethod:
        return self.row.method

    @strawberry.field
    def template_version(self) -> str:
        return self.row.template_version

    @strawberry.field(description="When the PDF was made and sealed with the registry's document timestamp (R-PDF-5).")
    def issued_at(self) -> dt.datetime:
        return self.row.issued_at

    @strawberry.field(description="Short-lived signed link to the issued PDF.")
    def download_url(self, info: Info) -> str:
        return signed_path(info.context.link_secret, self.row.id, "issued", info.context.link_minutes)

    @strawberry.field(description="Short-lived signed link to the uploaded copy, once uploaded (the officer's view of a scan).")
    def uploaded_url(self, info: Info) -> str | None:
        if self.row.uploaded_at is None:
            return None
        return signed_path(info.context.link_secret, self.row.id, "uploaded", info.context.link_minutes)

    @strawberry.field
    def uploaded_at(self) -> dt.datetime | None:
        return self.row.uploaded_at

    @strawberry.field(description="What validation found in the uploaded copy.")
    def verdict(self) -> str | None:
        return self.row.verdict


@strawberry.type
class Rejection:
    reason: str
    rejected_at: dt.datetime
    consulted_by_principal_at: dt.datetime | None
    consulted_by_mandatary_at: dt.datetime | None


@strawberry.type
class MandateEvent:
    at: dt.datetime
    actor_niss: str | None = strawberry.field(description="Who acted; null for the registry's own acts, and unless the viewer acts for the enterprise acted for, is an NSSO officer (an officer's NISS: officers only) or holds the scope personal-data:read.")
    actor_enterprise: str | None
    action: str
    method: enums.SigningMethod | None
    detail: str | None

    @classmethod
    def of(cls, row: EventRow, viewer: Actor | None) -> MandateEvent:
        enterprise = format_enterprise_number(row.actor_enterprise) if row.actor_enterprise else None
        niss = shown_niss(viewer, row.actor_niss, row.actor_enterprise)
        return cls(at=row.at, actor_niss=niss, actor_enterprise=enterprise, action=row.action, method=row.method, detail=row.detail)



@strawberry.type
class Mandate(FromRow, Node):
    row: strawberry.Private[MandateRow]

    @strawberry.field(description='Series and number, e.g. "M2026-17"; sorted by series, then number (R-SRCH-8).')
    def reference(self) -> str:
        return self.row.reference

    @strawberry.field
    async def principal(self, info: Info) -> Enterprise:
        return Enterprise.of(await info.context.loaders.enterprise.load(self.row.principal_id))

    @strawberry.field
    async def mandatary(self, info: Info) -> Enterprise:
        return Enterprise.of(await info.context.loaders.enterprise.load(self.row.mandatary_id))

    @strawberry.field
    async def branch(self, info: Info) -> Branch | None:
        if self.row.branch_id is None:
            return None
        return Branch.of(await info.context.loaders.branch.load(self.row.branch_id))

    @strawberry.field(description="As of today: a lapsed mandate is CANCELLED and an ended one CLOSED even before the sweep.")
    def status(self, info: Info) -> enums.MandateStatus:
        return current_status(self.row, info.context.clock.today())

    @strawberry.field
    def encoder(self) -> enums.Party:
        return self.row.encoder

    @strawberry.field
    def start_quarter(self) -> Quarter:
        return Quarter(self.row.start_quarter)

    @strawberry.field(description="The latest end over its groups, null while one is open-ended.")
    def end_quarter(self) -> Quarter | None:
        return quarter_or_none(self.row.end_quarter)

    @strawberry.field
    async def groups(self, info: Info) -> list[MandateGroup]:
        rows = await info.context.loaders.groups.load(self.row.id)
        catalogue, today = info.context.catalogue, Quarter.containing(info.context.clock.today())
        roles = places.roles_in(catalogue, {row.group_code: (Quarter(row.start_quarter), quarter_or_none(row.end_quarter)) for row in rows}, today)
        return [
            MandateGroup(
                group=ApplicationGroup.of(catalogue.get(row.group_code)),
                role=roles[row.group_code],
                start_quarter=Quarter(row.start_quarter),
                end_quarter=quarter_or_none(row.end_quarter),
                closure_reason=enums.ClosureReason(row.closure_reason) if row.closure_reason else None,
                closure_text=row.closure_text,
            )
            for row in rows
        ]

    @strawberry.field
    async def signatures(self, info: Info) -> list[Signature]:
        principal, mandatary = await info.context.loaders.enterprise.load_many([self.row.principal_id, self.row.mandatary_id])
        owner = {Party.PRINCIPAL: principal.enterprise_number, Party.MANDATARY: mandatary.enterprise_number}
        return [
            Signature(
                party=row.party,
                method=row.method,
                signer_niss=shown_niss(info.context.actor, row.signer_niss, owner[Party(row.party)]),
                signer_name=row.signer_name,
                signed_at=row.signed_at,
            )
            for row in await info.context.loaders.signatures.load(self.row.id)
        ]

    @strawberry.field(description="Every authorisation issued or uploaded for this mandate (R-PDF-8).")
    async def authorisations(self, info: Info) -> list[Authorisation]:
        return [Authorisation.of(row) for row in await info.context.loaders.authorisations.load(self.row.id)]

    @strawberry.field(description="Referred to Inspection: the day its decision is due (R-PAP-7).")
    def inspection_due(self) -> dt.date | None:
        return self.row.inspection_due

    @strawberry.field
    async def delegations(self, info: Info) -> list[Annotated["Delegation", strawberry.lazy("schema.types")]]:
        return [Delegation.of(row) for row in await info.context.loaders.delegations.load(self.row.id)]

    @strawberry.field(description="Every action, who, when, with which signing method (R-LIFE-10).")
    async def history(self, info: Info) -> list[MandateEvent]:
        return [MandateEvent.of(row, info.context.actor) for row in await info.context.loaders.events.load(self.row.id)]

    @strawberry.field
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field(description="Creation + 60 days, while the mandate awaits its signatures (R-EXP-1).")
    def finalise_before(self, info: Info) -> dt.date | None:
        awaiting = current_status(self.row, info.context.clock.today()) in AWAITING_SIGNATURE
        return self.row.finalise_before if awaiting else None

    @strawberry.field
    def rejection(self) -> Rejection | None:
        if self.row.rejected_at is None:
            return None
        return Rejection(
            reason=self.row.rejection_reason or "",
            rejected_at=self.row.rejected_at,
            consulted_by_principal_at=self.row.rejection_consulted_by_principal_at,
            consulted_by_mandatary_at=self.row.rejection_consulted_by_mandatary_at,
        )


@strawberry.type
class Delegation(FromRow, Node):
    row: strawberry.Private[DelegationRow]

    @strawberry.field
    async def mandate(self, info: Info) -> Mandate:
        return Mandate.of(await info.context.loaders.mandate.load(self.row.mandate_id))

    @strawberry.field
    async def delegate(self, info: Info) -> Enterprise:
        return Enterprise.of(await info.context.loaders.enterprise.load(self.row.delegate_id))

    @strawberry.field
    def groups(self, info: Info) -> list[ApplicationGroup]:
        return [ApplicationGroup.of(info.context.catalogue.get(code)) for code in self.row.group_codes]

    @strawberry.field
    def from_quarter(self) -> Quarter:
        return Quarter(self.row.from_quarter)

    @strawberry.field
    def to_quarter(self) -> Quarter:
        return Quarter(self.row.to_quarter)

    @strawberry.field(description="As of today: CANCELLED once ended, once its main groups have ended or the main mandate is cancelled, even before the sweep (R-DEL-5).")
    async def status(self, info: Info) -> enums.MandateStatus:
        main = await info.context.loaders.mandate.load(self.row.mandate_id)
        main_groups = await info.context.loaders.groups.load(self.row.mandate_id)
        return delegation_status(self.row, main, main_groups, info.context.clock.today())


@strawberry.type
class Notification(FromRow, Node):
    row: strawberry.Private[NotificationRow]

    @strawberry.field
    async def recipient(self, info: Info) -> Enterprise:
        return Enterprise.of(await info.context.loaders.enterprise.load(self.row.recipient_id))

    @strawberry.field(description="EBOX, POST or EMAIL (R-NOT-2..4).")
    def channel(self) -> str:
        return self.row.channel

    @strawberry.field
    def subject(self) -> str:
        return self.row.subject

    @strawberry.field
    def body(self) -> str:
        return self.row.body

    @strawberry.field
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field(description="Null when the viewer is no party of it (a delegate is notified of the main mandate).")
    async def mandate(self, info: Info) -> Mandate | None:
        if self.row.mandate_id is None:
            return None
        mandate = await info.context.loaders.mandate.load(self.row.mandate_id)
        return Mandate.of(mandate) if notified_mandate_visible(info.context.actor, self.row, mandate) else None


@strawberry.type
class DashboardBlock:
    status: enums.MandateStatus
    count: int
    colour: enums.BlockColour
    mandate_id: strawberry.ID | None = strawberry.field(description="Set when the block holds exactly one mandate (R-DASH-4).")


@strawberry.type
class Dashboard:
    to_be_finalised: DashboardBlock
    pending: DashboardBlock
    rejected: DashboardBlock


@strawberry.type
class Viewer:
    niss: str
    name: str | None
    enterprise: Enterprise | None
    can_manage: bool
    is_officer: bool
    scopes: list[str]


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class MandateEdge:
    cursor: str
    node: Mandate


@strawberry.type
class MandateConnection:
    edges: list[MandateEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class NotificationEdge:
    cursor: str
    node: Notification


@strawberry.type
class NotificationConnection:
    edges: list[NotificationEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type
class MandatePayload:
    mandate: Mandate | None
    user_errors: list[UserError]


@strawberry.type
class AuthorisationPayload:
    authorisation: Authorisation | None
    user_errors: list[UserError]
