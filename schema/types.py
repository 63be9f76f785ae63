"""Object types of API.md, built from table rows; nested rows come through the request's DataLoaders."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Awaitable, Callable
from typing import Annotated, cast

import strawberry
from strawberry.types import Info

from config.messages import catalogue, read_kept, render, written
from models import places
from models.catalogue import ApplicationGroup as GroupValue
from models.delivery import DeliveryState as DeliveryStateValue
from models.employer import is_employer
from models.errors import RuleViolation
from models.identifiers import format_enterprise_number
from models.quarter import Quarter, quarter_or_none
from models.signing import Party
from models.status import AWAITING_SIGNATURE
from models.tables import Authorisation as AuthorisationRow
from models.tables import Branch as BranchRow
from models.tables import DeadLetterDecision as DeadLetterDecisionRow
from models.tables import Delegation as DelegationRow
from models.tables import Delivery as DeliveryRow
from models.tables import Enterprise as EnterpriseRow
from models.tables import LegalForm as LegalFormRow
from models.tables import Mandate as MandateRow
from models.tables import MandateEvent as EventRow
from models.tables import MandateGroup as MandateGroupRow
from models.tables import Notification as NotificationRow
from resolvers import enterprise_file
from resolvers.access import Actor
from resolvers.dashboard import BOUND
from resolvers.delegations import delegation_status
from resolvers.ids import GlobalId, encode_id
from resolvers.links import signed_path
from resolvers.mandate_pages import Count
from resolvers.statuses import current_status
from resolvers.visibility import may_see_delivery_failure, may_see_niss, notified_mandate_visible, shown_niss
from schema import enums
from schema.loaders import loaded


@strawberry.interface(
    description=(
        "Every persisted object; `node(id:)` resolves any of them. IDs are opaque: they show no order or count, and a "
        "changed one names nothing."
    )
)
class Node:
    id: strawberry.ID = strawberry.field(
        description=(
            "The global ID: opaque, stable, unique across types; give it to `node(id:)` or to a mutation's `...Id`."
        )
    )


class FromRow:
    """A node type backed by one table row: its global ID is the type's name and the row's key, encoded only if
    the query asks for it (resolvers.ids.GlobalId)."""

    @classmethod
    def of(cls, row):
        return cls(id=lazy_id(cls.__name__, row.id), row=row)


def lazy_id(type_name: str, key: int) -> strawberry.ID:
    """The global ID of a row, encoded when the answer is written: graphql-core writes an ID with str()."""
    return cast(strawberry.ID, GlobalId(type_name, key))


@strawberry.type(description="A broken business rule: the mutation wrote nothing (API.md).")
class UserError:
    field: list[str] | None = strawberry.field(
        description=(
            'The path of the input value it concerns, e.g. ["input", "startQuarter"]; null when no single value is at '
            "fault."
        )
    )
    code: enums.ErrorCode = strawberry.field(description="The stable code of the rule broken, for programs.")
    rules: list[str] = strawberry.field(
        description=(
            "The IDs of the rules of the registry's rule book this refusal applies (e.g. R-CLO-4), for integrators; "
            "empty when none applies. Never part of the message."
        )
    )
    violation: strawberry.Private[RuleViolation]

    @strawberry.field(
        description=(
            "What went wrong, in plain words for the person, in the language of the request's Accept-Language "
            "header (English, French, Dutch or German; English by default). No code or rule ID in it."
        )
    )
    def message(self, info: strawberry.Info) -> str:
        return render(info.context.language, self.violation)


# The words of the fields every payload and every connection repeats.
USER_ERRORS = "The broken rule, if any; nothing was written then."
PAGE_INFO = "Whether items precede or follow this page, and the cursors to reach them."
# How a connection counts its items over all pages: once, and only when a field asks (schema.connections).
Counting = Callable[[], Awaitable[Count]]


def counted_total(description: str):
    """A connection's `totalCount`: what its `counting` finds."""

    async def total_count(self) -> int:
        return (await self.counting()).count

    return strawberry.field(resolver=total_count, description=description)


@strawberry.type(
    description="A legal form of the CBE (e.g. 014, public limited company), which decides who may sign (R-ENT-9)."
)
class LegalForm:
    code: str = strawberry.field(description="The CBE code of the legal form, e.g. 014.")
    name: str = strawberry.field(description="Its name.")
    descriptions: LocalisedNames = strawberry.field(
        description="The CBE code table's descriptions in French, Dutch and German (null until a CBE import)."
    )

    @classmethod
    def of(cls, row: LegalFormRow) -> LegalForm:
        return cls(
            code=row.code, name=row.name, descriptions=LocalisedNames(fr=row.name_fr, nl=row.name_nl, de=row.name_de)
        )


@strawberry.type(description="A text in Belgium's three official languages, each null when not given.")
class LocalisedNames:
    fr: str | None = strawberry.field(description="In French.")
    nl: str | None = strawberry.field(description="In Dutch.")
    de: str | None = strawberry.field(description="In German.")


@strawberry.type(description="A function a legal representative holds in the CBE (e.g. 10003, director).")
class FunctionCode:
    code: str = strawberry.field(description="The CBE function code, e.g. 10003.")
    name: str = strawberry.field(description="Its name.")


@strawberry.type(
    description="For one legal form, the functions whose holders may sign and close mandates (R-ENT-9, R-ENT-10)."
)
class RepresentativesMatrix:
    legal_form: LegalForm = strawberry.field(description="The legal form asked for.")
    functions: list[FunctionCode] = strawberry.field(
        description="The function codes allowed to sign, by code; empty when none is."
    )


@strawberry.type(description="A legal representative of the enterprise registered in the CBE (R-ENT-9).")
class Representative:
    niss: str | None = strawberry.field(
        description=(
            "The person's NISS; null unless the viewer acts for this enterprise, is an NSSO officer or holds the scope "
            "personal-data:read (README, Personal data)."
        )
    )
    name: str = strawberry.field(description="The person's name.")
    function_code: str = strawberry.field(description="The CBE function code the person holds.")
    function_name: str = strawberry.field(description="The name of that function.")
    can_sign: bool = strawberry.field(
        description=(
            "The representatives matrix allows this function to sign for the enterprise's legal form (R-ENT-9, "
            "R-USR-3)."
        )
    )


@strawberry.type(
    description="A branch of an approved social secretariat, which manages an employer's file (R-ENT-3, R-SSA-1)."
)
class Branch(Node):
    code: str = strawberry.field(
        description="The branch's code within its SSA, e.g. BRU; what `branchCode` arguments take."
    )
    name: str = strawberry.field(description="The branch's name.")

    @classmethod
    def of(cls, row: BranchRow) -> Branch:
        return cls(id=strawberry.ID(encode_id("Branch", row.id)), code=row.code, name=row.name)


@strawberry.type(
    description=(
        "An application group of the NSSO's catalogue: the applications a mandate covers, and its rules (R-CLU-1..9)."
    )
)
class ApplicationGroup:
    code: str = strawberry.field(
        description="The stable code, e.g. DIMONA, DMFA, FLEXI, DRS_UNEMPLOYMENT; what `groups` arguments take."
    )
    name: str = strawberry.field(
        description="The English name; indicative only, the applications are the content (R-CLU-1)."
    )
    name_fr: str = strawberry.field(description="The French name, as on the authorisation.")
    name_nl: str = strawberry.field(description="The Dutch name, as on the authorisation.")
    name_de: str = strawberry.field(description="The German name, as on the authorisation.")
    category: str = strawberry.field(description="Social security, Social risks or Other (R-CLU-2).")
    max_mandataries: int | None = strawberry.field(
        description=(
            "How many mandataries a principal may have at once: 1 = single mandatary, 2 for Dimona and Flexi (master "
            "and secondary), the DRS maximum; null = no limit (R-CLU-4, R-UNQ-11)."
        )
    )
    requires: list[str] = strawberry.field(
        description="Codes of the groups the same mandate must also hold: DMFA requires DIMONA and FLEXI (R-UNQ-4)."
    )
    employer_only: bool = strawberry.field(
        description="Takes effect only once the principal is an NSSO employer (R-CLU-6, R-WIDE-6)."
    )
    delegable: bool = strawberry.field(description="May be delegated to an earlier provider (R-CLU-7, R-DEL-4).")
    applications: list[str] = strawberry.field(description="The electronic applications the group contains (R-CLU-1).")

    @classmethod
    def of(cls, group: GroupValue) -> ApplicationGroup:
        """The same object for a group of the catalogue at every answer: a page's mandates show a few groups
        many times over, and making one costs a dozen values and two lists (issue 11). Nothing changes it."""
        return _application_group(group)


@functools.lru_cache(maxsize=256)  # the catalogue's groups (a few dozen), of each catalogue loaded
def _application_group(group: GroupValue) -> ApplicationGroup:
    return ApplicationGroup(
        code=group.code,
        name=group.name,
        name_fr=group.name_fr,
        name_nl=group.name_nl,
        name_de=group.name_de,
        category=group.category_name,
        max_mandataries=group.max_mandataries,
        requires=list(group.requires),
        employer_only=group.employer_only,
        delegable=group.delegable,
        applications=list(group.applications),
    )


@strawberry.type(
    description=(
        "An enterprise of the CBE (or a foreign entity registered by the NSSO): a principal, a mandatary, or both."
    )
)
class Enterprise(FromRow, Node):
    row: strawberry.Private[EnterpriseRow]
    # A field read as it is (no resolver method) costs Strawberry no per-answer wrapping (Info, arguments,
    # extensions): 130 mandataries' names cost 0.6 ms of CPU through a method (issue 11).
    name: str = strawberry.field(description="The enterprise's name, from the reference data.")

    @classmethod
    def of(cls, row: EnterpriseRow) -> Enterprise:
        return cls(id=lazy_id(cls.__name__, row.id), row=row, name=row.name)

    @strawberry.field(description="CBE number, 0123.456.789")
    def enterprise_number(self) -> str:
        return format_enterprise_number(self.row.enterprise_number)

    @strawberry.field(
        description=(
            "The NSSO employer number, set once identified as an NSSO employer (R-ENT-1, R-WIDE-6); null otherwise."
        )
    )
    def nsso_number(self) -> str | None:
        return self.row.nsso_number

    @strawberry.field(
        description="The SSA number of an approved social secretariat (R-ENT-4); null for any other enterprise."
    )
    def ssa_number(self) -> str | None:
        return self.row.ssa_number

    @strawberry.field(
        description="Its names in the CBE's open data (type 001) in French, Dutch and German; null where none is given."
    )
    def names(self) -> LocalisedNames:
        return LocalisedNames(fr=self.row.name_fr, nl=self.row.name_nl, de=self.row.name_de)

    @strawberry.field(description="The address plate printed on authorisations (R-PDF-3).")
    def address(self) -> str:
        return self.row.address

    @strawberry.field(
        description=(
            "EMPLOYER with an NSSO number not deleted before today (R-ENT-1, R-EMP-1), else COMPANY_WITHOUT_STAFF; "
            "provider kinds."
        )
    )
    def kinds(self, info: Info) -> list[enums.EnterpriseKind]:
        employer = is_employer(self.row.nsso_number, self.row.deleted_on, info.context.clock.today())
        kinds = [enums.EnterpriseKind.EMPLOYER if employer else enums.EnterpriseKind.COMPANY_WITHOUT_STAFF]
        if self.row.is_service_provider:
            kinds.append(enums.EnterpriseKind.SERVICE_PROVIDER)
        if self.row.is_social_secretariat:
            kinds.append(enums.EnterpriseKind.SOCIAL_SECRETARIAT)
        return kinds

    @strawberry.field(description="Its legal form; null when the reference data gives none.")
    async def legal_form(self, info: Info) -> LegalForm | None:
        if self.row.legal_form_id is None:
            return None
        form = await info.context.loaders.legal_form.load(self.row.legal_form_id)
        return LegalForm.of(form)

    @strawberry.field(description="The first day of its activity period (R-ENT-8).")
    def active_from(self) -> dt.date:
        return self.row.active_from

    @strawberry.field(
        description="The employer identification was deleted on this day: an employer until then (R-EMP-1)."
    )
    def deleted_on(self) -> dt.date | None:
        return self.row.deleted_on

    @strawberry.field(description="The last day of its activity period; null while active (R-ENT-8).")
    def active_until(self) -> dt.date | None:
        return self.row.active_until

    @strawberry.field(
        description=(
            "False for foreign entities and associations not in the CBE: as principals they sign on paper only "
            "(R-ENT-11, R-SIGN-9)."
        )
    )
    def known_in_cbe(self) -> bool:
        return self.row.known_in_cbe

    @strawberry.field(description="A social secretariat's branches, by code; empty for other enterprises (R-ENT-3).")
    async def branches(self, info: Info) -> list[Branch]:
        return [Branch.of(row) for row in await info.context.loaders.branches.load(self.row.id)]

    @strawberry.field(
        description="CBE representatives; canSign: the matrix allows the function for this legal form (R-ENT-9)."
    )
    async def representatives(self, info: Info) -> list[Representative]:
        rows = await info.context.loaders.representatives.load(self.row.id)
        shown = may_see_niss(info.context.actor, self.row.enterprise_number)
        allowed = (
            await info.context.loaders.allowed_functions.load(self.row.legal_form_id)
            if self.row.legal_form_id
            else set()
        )
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

    @strawberry.field(
        description=(
            "The people given the competence to sign mandates for it (R-USR-3 b) and its curators (R-EMP-4), by name; "
            "null unless the viewer is an NSSO officer or acts for this enterprise (personal data)."
        )
    )
    async def competence_holders(self, info: Info) -> list[CompetenceHolder] | None:
        found = await enterprise_file.competence_holders(info.context.actor, self.row)
        return None if found is None else [CompetenceHolder(niss=h.niss, name=h.name, curator=h.curator) for h in found]

    @strawberry.field(
        description=(
            "The NSSO's acts on it and the requests about it (employer deletion, bankruptcy and the curator's answer, "
            "NSSO number, foreign-entity registration, identification requests and decisions), newest first, the "
            "newest 100; null unless the viewer is an NSSO officer or acts for this enterprise. Its mandates' events "
            "are in their own history."
        )
    )
    async def history(self, info: Info) -> list[EnterpriseEvent] | None:
        found = await enterprise_file.history(info.context.actor, self.row)
        if found is None:
            return None
        language = info.context.language
        return [EnterpriseEvent(kind=e.kind, on=e.on, at=e.at, summary=written(language, e.words)) for e in found]


@strawberry.type(
    description=(
        "A person given the competence to sign mandates for the enterprise in access management (R-USR-3 b), or its "
        "curator after a bankruptcy (R-EMP-4)."
    )
)
class CompetenceHolder:
    niss: str = strawberry.field(
        description="The person's NISS (shown only to those who see the competence holders at all)."
    )
    name: str = strawberry.field(description="The person's name.")
    curator: bool = strawberry.field(
        description="The person is the curator of a bankruptcy recorded for the enterprise (R-EMP-4)."
    )


@strawberry.type(
    description=(
        "One act in an enterprise's history: an NSSO officer's act on it or a request about it (R-EMP-1..6, "
        "R-WIDE-1..6, R-FOR-2, R-SPID-1..3)."
    )
)
class EnterpriseEvent:
    kind: enums.EnterpriseEventKind = strawberry.field(description="What happened, for systems: `summary` for people.")
    on: dt.date = strawberry.field(description="The day it happened.")
    at: dt.datetime | None = strawberry.field(
        description="When it happened; null when only its day is recorded (a curator's answer)."
    )
    summary: str = strawberry.field(
        description="What happened, with its particulars, in the request's language (Accept-Language)."
    )


@strawberry.type(description="One application group of a mandate, with its own period (R-LIFE-8).")
class MandateGroup:
    group: ApplicationGroup = strawberry.field(description="The group of the catalogue.")
    role: enums.GroupRole = strawberry.field(description="The place it holds in the current quarter (R-UNQ-5).")
    start_quarter: Quarter = strawberry.field(description="Valid from the first day of this quarter (R-CAL-2).")
    end_quarter: Quarter | None = strawberry.field(
        description="Valid up to the last day of this quarter (R-CAL-3); null while open-ended."
    )
    closure_reason: enums.ClosureReason | None = strawberry.field(
        description="The mandatary's reason code, when its late closure needed one (R-CLO-9); null otherwise."
    )
    closure_text: str | None = strawberry.field(
        description=(
            "The text given with the closure: the principal's reason, the text of OTHER, or the officer's "
            "justification (R-CLO-5, R-CLO-6, R-CLO-10); null when none was needed."
        )
    )


@strawberry.type(description="A party's signature of the mandate: how, by whom, when (R-SIGN-12).")
class Signature:
    party: enums.Party = strawberry.field(description="The side it signs for.")
    method: enums.SigningMethod = strawberry.field(description="How it was signed.")
    signer_niss: str | None = strawberry.field(
        description=(
            "The signer's NISS; null unless the viewer acts for the party signed for, is an NSSO officer or holds the "
            "scope personal-data:read."
        )
    )
    signer_name: str | None = strawberry.field(
        description=(
            "The signer's name when known: from the token (in-app) or the eID certificate; null for a handwritten "
            "signature or when unknown."
        )
    )
    signed_at: dt.datetime = strawberry.field(description="When the signature was recorded.")


@strawberry.type(
    description=(
        "An authorisation PDF issued for a mandate (EID or HANDWRITTEN), and the signed copy uploaded for it "
        "(R-PDF-1..8)."
    )
)
class Authorisation(FromRow, Node):
    row: strawberry.Private[AuthorisationRow]

    @strawberry.field(description="EID or HANDWRITTEN: the method it was issued for.")
    def method(self) -> enums.SigningMethod:
        return self.row.method

    @strawberry.field(
        description=(
            "The version of the template it was made from; an upload issued on an earlier version is refused (R-PDF-2)."
        )
    )
    def template_version(self) -> str:
        return self.row.template_version

    @strawberry.field(description="When the PDF was made and sealed with the registry's document timestamp (R-PDF-5).")
    def issued_at(self) -> dt.datetime:
        return self.row.issued_at

    @strawberry.field(description="Short-lived signed link to the issued PDF.")
    def download_url(self, info: Info) -> str:
        return signed_path(info.context.link_secret, self.row.id, "issued", info.context.link_minutes)

    @strawberry.field(
        description="Short-lived signed link to the uploaded copy, once uploaded (the officer's view of a scan)."
    )
    def uploaded_url(self, info: Info) -> str | None:
        if self.row.uploaded_at is None:
            return None
        return signed_path(info.context.link_secret, self.row.id, "uploaded", info.context.link_minutes)

    @strawberry.field(description="When the signed copy was uploaded; null until then.")
    def uploaded_at(self) -> dt.datetime | None:
        return self.row.uploaded_at

    @strawberry.field(description="What validation found in the uploaded copy, in the request's language.")
    def verdict(self, info: Info) -> str | None:
        return read_kept(info.context.language, self.row.verdict)

    @strawberry.field(
        description=(
            "An accepted eID upload: what the revocation check of its signers' certificates found (CRL, OCSP); null "
            "for a handwritten scan or before upload."
        )
    )
    def revocation(self) -> enums.Revocation | None:
        return enums.Revocation(self.row.revocation) if self.row.revocation is not None else None


@strawberry.type(description="An officer's refusal of the handwritten authorisation (R-PAP-3, R-PAP-5).")
class Rejection:
    reason: str = strawberry.field(description="The officer's reason, as told to the provider.")
    rejected_at: dt.datetime = strawberry.field(description="When it was refused.")
    consulted_by_principal_at: dt.datetime | None = strawberry.field(
        description=(
            "When a user of the principal marked it consulted; null until then, and it counts on that side's dashboard "
            "(R-DASH-5)."
        )
    )
    consulted_by_mandatary_at: dt.datetime | None = strawberry.field(
        description=(
            "When a user of the mandatary marked it consulted; null until then, and it counts on that side's dashboard "
            "(R-DASH-5)."
        )
    )


@strawberry.type(description="One action in a mandate's history (R-LIFE-10).")
class MandateEvent:
    at: dt.datetime = strawberry.field(description="When it happened.")
    actor_niss: str | None = strawberry.field(
        description=(
            "Who acted; null for the registry's own acts, and unless the viewer acts for the enterprise acted for, is "
            "an NSSO officer (an officer's NISS: officers only) or holds the scope personal-data:read."
        )
    )
    actor_enterprise: str | None = strawberry.field(
        description=(
            "The CBE number (0123.456.789) of the enterprise the person acted for; null for officers and for the "
            "registry."
        )
    )
    action: str = strawberry.field(
        description=(
            "What happened, a code such as CREATED, SIGNED, AUTHORISATION_ISSUED, HANDWRITTEN_UPLOADED, ACCEPTED, "
            "REJECTED, CLOSURE, LATE_CLOSURE, REPLACED, ANNULLED, BRANCH_CHANGED."
        )
    )
    method: enums.SigningMethod | None = strawberry.field(
        description="For a signature or an upload: the signing method; null otherwise."
    )
    summary: str | None = strawberry.field(
        description="What happened, in words, in the request's language (Accept-Language): `action` for people."
    )
    detail: str | None = strawberry.field(
        description=(
            "A sentence with the particulars (quarters, reason, groups) in the request's language (Accept-Language); "
            "events written before the registry kept their details as messages show their English sentence; null "
            "when the action says it all."
        )
    )

    @classmethod
    def of(cls, row: EventRow, viewer: Actor | None, language: str) -> MandateEvent:
        enterprise = format_enterprise_number(row.actor_enterprise) if row.actor_enterprise else None
        niss = shown_niss(viewer, row.actor_niss, row.actor_enterprise)
        return cls(
            at=row.at,
            actor_niss=niss,
            actor_enterprise=enterprise,
            action=row.action,
            method=row.method,
            summary=_sentence(catalogue(language).get(f"notice.action.{row.action}")),
            detail=read_kept(language, row.detail),
        )


def _sentence(words: str | None) -> str | None:
    """Words as a table cell starts them: capitalised ("signed" -> "Signed")."""
    return words[:1].upper() + words[1:] if words else words


@strawberry.type(
    description=(
        "A mandate: a principal mandates a service provider or social secretariat for application groups from a start "
        "quarter."
    )
)
class Mandate(FromRow, Node):
    row: strawberry.Private[MandateRow]
    # Read as it is (no resolver method, which costs Strawberry an Info and its extensions' chain on every
    # answer, issue 11). The row's other values stay methods: a plain field comes before every method in
    # the SDL, whose order would change.
    reference: str = strawberry.field(
        description='Series and number, e.g. "M2026-17"; sorted by series, then number (R-SRCH-8).'
    )

    @classmethod
    def of(cls, row: MandateRow) -> Mandate:
        return cls(id=strawberry.ID(encode_id("Mandate", row.id)), row=row, reference=row.reference)

    # principal, mandatary and groups take their rows at once when a page loaded them (schema.prefetch).
    @strawberry.field(
        description="The employer or company without staff that gives the mandate.", graphql_type=Enterprise
    )
    def principal(self, info: Info) -> Enterprise | Awaitable[Enterprise]:
        return _party(info, self.row, "principal")

    @strawberry.field(
        description="The service provider or approved social secretariat that receives it.", graphql_type=Enterprise
    )
    def mandatary(self, info: Info) -> Enterprise | Awaitable[Enterprise]:
        return _party(info, self.row, "mandatary")

    @strawberry.field(
        description=(
            "The SSA branch that manages the file; null for the head office or a mandatary that is not an SSA "
            "(R-ENT-3, R-SSA-2)."
        )
    )
    async def branch(self, info: Info) -> Branch | None:
        if self.row.branch_id is None:
            return None
        return Branch.of(await info.context.loaders.branch.load(self.row.branch_id))

    @strawberry.field(
        description="As of today: a lapsed mandate is CANCELLED and an ended one CLOSED even before the sweep."
    )
    def status(self, info: Info) -> enums.MandateStatus:
        return current_status(self.row, info.context.clock.today())

    @strawberry.field(description="The party that encoded the mandate (R-CRE-1); in-app, it signs first (R-SIGN-6).")
    def encoder(self) -> enums.Party:
        return self.row.encoder

    @strawberry.field(
        description="The start quarter given at creation: every group starts on its first day (R-CAL-2, R-CRE-3)."
    )
    def start_quarter(self) -> Quarter:
        return Quarter(self.row.start_quarter)

    @strawberry.field(description="The latest end over its groups, null while one is open-ended.")
    def end_quarter(self) -> Quarter | None:
        return quarter_or_none(self.row.end_quarter)

    @strawberry.field(
        description="Its application groups, each with its period and role.", graphql_type=list[MandateGroup]
    )
    def groups(self, info: Info) -> list[MandateGroup] | Awaitable[list[MandateGroup]]:
        return loaded(info.context.loaders.groups, self.row.id, lambda rows: _groups(info, rows))

    @strawberry.field(description="The parties' signatures, oldest first; empty until the first one (R-SIGN-12).")
    async def signatures(self, info: Info) -> list[Signature]:
        principal, mandatary = await info.context.loaders.enterprise.load_many(
            [self.row.principal_id, self.row.mandatary_id]
        )
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

    @strawberry.field(
        description="Since when a late closure given with a reason awaits the NSSO's assessment; else null (R-CLO-5)."
    )
    def late_closure_since(self) -> dt.datetime | None:
        return self.row.late_closure_since

    @strawberry.field(description="Referred to Inspection: the day its decision is due (R-PAP-7).")
    def inspection_due(self) -> dt.date | None:
        return self.row.inspection_due

    @strawberry.field(
        description="The delegations the mandatary made of this mandate's groups, in any status (R-DEL-1)."
    )
    async def delegations(self, info: Info) -> list[Annotated[Delegation, strawberry.lazy("schema.types")]]:
        return [Delegation.of(row) for row in await info.context.loaders.delegations.load(self.row.id)]

    @strawberry.field(description="Every action, who, when, with which signing method (R-LIFE-10).")
    async def history(self, info: Info) -> list[MandateEvent]:
        return [
            MandateEvent.of(row, info.context.actor, info.context.language)
            for row in await info.context.loaders.events.load(self.row.id)
        ]

    @strawberry.field(description="When it was registered (createMandate); the default sort, newest first.")
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field(description="Creation + 60 days, while the mandate awaits its signatures (R-EXP-1).")
    def finalise_before(self, info: Info) -> dt.date | None:
        awaiting = current_status(self.row, info.context.clock.today()) in AWAITING_SIGNATURE
        return self.row.finalise_before if awaiting else None

    @strawberry.field(
        description=(
            "The officer's refusal while the mandate is REJECTED; null otherwise (a corrected scan clears it, R-PAP-3)."
        )
    )
    def rejection(self) -> Rejection | None:
        if self.row.rejected_at is None:
            return None
        return Rejection(
            reason=self.row.rejection_reason or "",
            rejected_at=self.row.rejected_at,
            consulted_by_principal_at=self.row.rejection_consulted_by_principal_at,
            consulted_by_mandatary_at=self.row.rejection_consulted_by_mandatary_at,
        )


def _party(info: Info, row: MandateRow, side: str) -> Enterprise | Awaitable[Enterprise]:
    """The mandate's party on `side` (principal or mandatary): the row its statement joined (resolvers.node),
    else through the loader, at once when a page loaded it (schema.prefetch)."""
    joined = row.__dict__.get(f"_{side}")  # where Tortoise keeps a select_related row; its getter would query
    if joined is not None:
        return Enterprise.of(joined)
    return loaded(info.context.loaders.enterprise, getattr(row, f"{side}_id"), Enterprise.of)


def _groups(info: Info, rows: list[MandateGroupRow]) -> list[MandateGroup]:
    """A mandate's groups, each with its role as of today's quarter."""
    catalogue, today = info.context.catalogue, Quarter.containing(info.context.clock.today())
    roles = places.roles_in(
        catalogue,
        {row.group_code: (Quarter(row.start_quarter), quarter_or_none(row.end_quarter)) for row in rows},
        today,
    )
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


@strawberry.type(
    description=(
        "Groups of a main mandate delegated, for a period before their start, to the provider that held them then "
        "(R-DEL-1..7)."
    )
)
class Delegation(FromRow, Node):
    row: strawberry.Private[DelegationRow]

    @strawberry.field(description="The main mandate whose groups are delegated.")
    async def mandate(self, info: Info) -> Mandate:
        return Mandate.of(await info.context.loaders.mandate.load(self.row.mandate_id))

    @strawberry.field(description="The provider the groups are delegated to.")
    async def delegate(self, info: Info) -> Enterprise:
        return Enterprise.of(await info.context.loaders.enterprise.load(self.row.delegate_id))

    @strawberry.field(description="The delegated groups, a subset of the main mandate's.")
    def groups(self, info: Info) -> list[ApplicationGroup]:
        return [ApplicationGroup.of(info.context.catalogue.get(code)) for code in self.row.group_codes]

    @strawberry.field(description="The first quarter of the delegated period.")
    def from_quarter(self) -> Quarter:
        return Quarter(self.row.from_quarter)

    @strawberry.field(description="The last quarter of the delegated period; before the main group's start (R-DEL-1).")
    def to_quarter(self) -> Quarter:
        return Quarter(self.row.to_quarter)

    @strawberry.field(
        description=(
            "As of today: CANCELLED once ended, once its main groups have ended or the main mandate is cancelled, even "
            "before the sweep (R-DEL-5)."
        )
    )
    async def status(self, info: Info) -> enums.MandateStatus:
        return await _delegation_status(info, self.row)


async def _delegation_status(info: Info, row: DelegationRow) -> enums.MandateStatus:
    main = await info.context.loaders.mandate.load(row.mandate_id)
    main_groups = await info.context.loaders.groups.load(row.mandate_id)
    return delegation_status(row, main, main_groups, info.context.clock.today())


@strawberry.type(
    description=(
        "A delegation as its delegate reads it: for whom, from whom, which groups, when. Not a node: the delegate is "
        "no party of the main mandate and does not see it (R-DEL-2, R-COMP-6)."
    )
)
class ReceivedDelegation:
    row: strawberry.Private[DelegationRow]

    @classmethod
    def of(cls, row: DelegationRow) -> ReceivedDelegation:
        return cls(row=row)

    @strawberry.field(description="The principal of the main mandate, for whom the delegate acts (R-COMP-6).")
    async def principal(self, info: Info) -> Enterprise:
        main = await info.context.loaders.mandate.load(self.row.mandate_id)
        return Enterprise.of(await info.context.loaders.enterprise.load(main.principal_id))

    @strawberry.field(description="The main mandatary, which gave the delegation and manages it (R-DEL-2).")
    async def main_mandatary(self, info: Info) -> Enterprise:
        main = await info.context.loaders.mandate.load(self.row.mandate_id)
        return Enterprise.of(await info.context.loaders.enterprise.load(main.mandatary_id))

    @strawberry.field(description="The delegated groups.")
    def groups(self, info: Info) -> list[ApplicationGroup]:
        return [ApplicationGroup.of(info.context.catalogue.get(code)) for code in self.row.group_codes]

    @strawberry.field(description="The first quarter of the delegated period.")
    def from_quarter(self) -> Quarter:
        return Quarter(self.row.from_quarter)

    @strawberry.field(description="The last quarter of the delegated period.")
    def to_quarter(self) -> Quarter:
        return Quarter(self.row.to_quarter)

    @strawberry.field(description="As of today, as `Delegation.status` (R-DEL-5).")
    async def status(self, info: Info) -> enums.MandateStatus:
        return await _delegation_status(info, self.row)


@strawberry.type(description="An NSSO officer's decision on a notification that could not be delivered.")
class DeadLetterDecision:
    row: strawberry.Private[DeadLetterDecisionRow]

    @strawberry.field(description="RETRY (a new round of tries) or HANDLED (settled another way).")
    def decision(self) -> enums.DeliveryDecision:
        return self.row.decision

    @strawberry.field(description="When the officer decided.")
    def decided_at(self) -> dt.datetime:
        return self.row.decided_at

    @strawberry.field(description="The officer's reason; required for HANDLED.")
    def reason(self) -> str | None:
        return self.row.reason

    @strawberry.field(description="How many tries the round that failed had made.")
    def attempts(self) -> int:
        return self.row.attempts

    @strawberry.field(description="Why that round's last try failed (the receiver's answer).")
    def last_error(self) -> str | None:
        return self.row.last_error


@strawberry.type(
    description=(
        "How a notification was sent by its channel, tried again after a failure (README, Delivery). Its recipient "
        "sees where it stands; why a try failed and the officers' decisions are for NSSO officers only."
    )
)
class Delivery:
    row: strawberry.Private[DeliveryRow]

    @strawberry.field(
        description=(
            "PENDING (to be tried), SENT, DEAD (a dead letter: every try failed; the NSSO handles it) or HANDLED "
            "(the NSSO settled it another way)."
        )
    )
    def state(self) -> enums.DeliveryState:
        return self.row.state

    @strawberry.field(description="How many times it was tried in its current round (an officer's retry starts one).")
    def attempts(self) -> int:
        return self.row.attempts

    @strawberry.field(description="When it was last tried; null before its first try.")
    def last_attempt_at(self) -> dt.datetime | None:
        return self.row.last_attempt_at

    @strawberry.field(description="When it will be tried next; null unless PENDING.")
    def next_attempt_at(self) -> dt.datetime | None:
        return self.row.next_attempt_at if self.row.state is DeliveryStateValue.PENDING else None

    @strawberry.field(description="When the receiver accepted it (for a letter: when it went into the print file).")
    def sent_at(self) -> dt.datetime | None:
        return self.row.sent_at

    @strawberry.field(
        description=(
            "Why the last try failed (the receiving system's technical answer), if it did: for NSSO officers only "
            "(null for others)."
        )
    )
    def last_error(self, info: Info) -> str | None:
        return self.row.last_error if may_see_delivery_failure(info.context.actor) else None

    @strawberry.field(
        description=(
            "The NSSO officers' decisions on it as a dead letter, oldest first: for officers only (empty for others)."
        )
    )
    async def decisions(self, info: Info) -> list[DeadLetterDecision]:
        if not may_see_delivery_failure(info.context.actor):
            return []
        rows = await DeadLetterDecisionRow.filter(delivery_id=self.row.id).order_by("id")
        return [DeadLetterDecision(row=row) for row in rows]


@strawberry.type(description="A message the registry sent a party about an action (R-NOT-1..5).")
class Notification(FromRow, Node):
    row: strawberry.Private[NotificationRow]

    @strawberry.field(description="The enterprise it was sent to.")
    async def recipient(self, info: Info) -> Enterprise:
        return Enterprise.of(await info.context.loaders.enterprise.load(self.row.recipient_id))

    @strawberry.field(description="EBOX, POST or EMAIL (R-NOT-2..4).")
    def channel(self) -> str:
        return self.row.channel

    @strawberry.field(description="Its subject line.")
    def subject(self) -> str:
        return self.row.subject

    @strawberry.field(description="Its text, in plain words.")
    def body(self) -> str:
        return self.row.body

    @strawberry.field(description="When it was sent.")
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field(
        description=(
            "How it is delivered by its channel, for whoever sees the notification (its recipient's users, NSSO "
            "officers); null for a notification written before delivery existed. Delivery runs after the action, "
            "never within it (README, Delivery)."
        )
    )
    async def delivery(self, info: Info) -> Delivery | None:
        row = await info.context.loaders.delivery.load(self.row.id)
        return Delivery(row=row) if row else None

    @strawberry.field(
        description=(
            "The mandate it is about; null for a message about no mandate (e.g. an identification request) and when "
            "the viewer is no party of it (a delegate is notified of the main mandate)."
        )
    )
    async def mandate(self, info: Info) -> Mandate | None:
        if self.row.mandate_id is None:
            return None
        mandate = await info.context.loaders.mandate.load(self.row.mandate_id)
        return Mandate.of(mandate) if notified_mandate_visible(info.context.actor, self.row, mandate) else None


@strawberry.type(
    description="A block of the home dashboard: the viewer's enterprise's mandates in one status (R-DASH-1..5)."
)
class DashboardBlock:
    status: enums.MandateStatus = strawberry.field(description="The status the block counts.")
    count: int = strawberry.field(
        description=(
            "How many mandates, as principal or mandatary; a mandate counts once whatever its groups (R-DASH-1). "
            f"Counted up to {BOUND}: a block holding more says {BOUND} and sets `countIsLowerBound`."
        )
    )
    count_is_lower_bound: bool = strawberry.field(
        description=f'True when the block holds more mandates than `count` says: show it as "{BOUND}+".'
    )
    colour: enums.BlockColour = strawberry.field(
        description="White when empty; grey, or red for Rejected, when it holds mandates (R-DASH-2, R-DASH-3)."
    )
    mandate_id: strawberry.ID | None = strawberry.field(
        description="Set when the block holds exactly one mandate (R-DASH-4)."
    )


@strawberry.type(description="The home dashboard of the viewer's enterprise (R-DASH-1).")
class Dashboard:
    to_be_finalised: DashboardBlock = strawberry.field(description="Mandates TO_BE_FINALISED.")
    pending: DashboardBlock = strawberry.field(description="Mandates PENDING.")
    rejected: DashboardBlock = strawberry.field(
        description="Mandates REJECTED and not yet consulted by the viewer's side (R-DASH-5)."
    )


@strawberry.type(description="Whoever the bearer token names: a person acting for one enterprise, or an NSSO officer.")
class Viewer:
    niss: str = strawberry.field(description="The person's NISS, 11 digits (the token's `sub`).")
    name: str | None = strawberry.field(
        description="The person's name (the token's `name`); null when the token gives none."
    )
    enterprise: Enterprise | None = strawberry.field(
        description=(
            "The enterprise the person acts for (the token's `ent`); null for an NSSO officer or an enterprise unknown "
            "to the registry."
        )
    )
    can_manage: bool = strawberry.field(
        description="May create, sign and close mandates (scope mandates:manage); otherwise consult only (R-USR-2)."
    )
    is_officer: bool = strawberry.field(description="Acts for the NSSO (scope nsso:officer, R-USR-6).")
    scopes: list[str] = strawberry.field(
        description="The token's scopes, sorted: mandates:manage, mandates:consult, nsso:officer, integration:actions."
    )


@strawberry.type(description="Where a page of a Relay connection stands in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More items follow this page: ask again with `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="Items precede this page: ask again with `before: startCursor` (where the field takes it)."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first item; null for an empty page."
    )
    end_cursor: str | None = strawberry.field(description="The cursor of the page's last item; null for an empty page.")


@strawberry.type(description="A mandate in a page, with its cursor.")
class MandateEdge:
    cursor: str = strawberry.field(description="Opaque; pass it as `after` or `before` to page from here.")
    node: Mandate = strawberry.field(description="The mandate.")


@strawberry.type(description="A page of mandates (Relay connection).")
class MandateConnection:
    edges: list[MandateEdge] = strawberry.field(description="The page's mandates in order.")
    page_info: PageInfo = strawberry.field(description=PAGE_INFO)
    counting: strawberry.Private[Counting]
    total_count = counted_total(
        "How many mandates match over all pages: exact up to a bound the registry sets (500 by default), the bound "
        "itself beyond it (then `countIsLowerBound` is true). Counted only when asked for: ask once per search, not on "
        "every page."
    )

    @strawberry.field(
        description='True when more mandates match than `totalCount` says: show it as "500+" (the bound and a plus).'
    )
    async def count_is_lower_bound(self) -> bool:
        return (await self.counting()).is_lower_bound


@strawberry.type(description="A notification in a page, with its cursor.")
class NotificationEdge:
    cursor: str = strawberry.field(description="Opaque; pass it as `after` to page from here.")
    node: Notification = strawberry.field(description="The notification.")


@strawberry.type(description="A page of notifications (Relay connection).")
class NotificationConnection:
    edges: list[NotificationEdge] = strawberry.field(description="The page's notifications, in the list's order.")
    page_info: PageInfo = strawberry.field(description=PAGE_INFO)
    counting: strawberry.Private[Counting]
    total_count = counted_total("How many notifications there are over all pages.")


@strawberry.type(description="The outcome of a mutation on a mandate.")
class MandatePayload:
    mandate: Mandate | None = strawberry.field(description="The mandate after the change; null when refused.")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The outcome of requestAuthorisation.")
class AuthorisationPayload:
    authorisation: Authorisation | None = strawberry.field(
        description="The issued authorisation, with its download link; null when refused."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
