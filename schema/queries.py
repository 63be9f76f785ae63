"""Queries of mandates, enterprises and reference data (API.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from models.errors import ErrorCode, RuleViolation
from models.status import MandateStatus
from models.tables import Enterprise as EnterpriseRow
from models.tables import FunctionCode as FunctionRow
from models.tables import LegalForm as LegalFormRow
from models.tables import Mandate as MandateRow
from models.tables import MatrixEntry
from resolvers import dashboard as dashboard_use_case
from resolvers import late_closures, mandate_pages
from resolvers import search as search_use_case
from resolvers.ids import encode_id, fits
from resolvers.limits import SEARCH
from resolvers.lookup import find_enterprise
from resolvers.node import find_row
from resolvers.visibility import visible_mandates, visible_notifications
from schema import employer_identification, enums, provider_registration, types
from schema.connections import connection, once
from schema.feed import Webhook
from schema.inputs import MandateFilter, MandateOrder
from schema.pagination import After, Before, First, Last
from schema.permissions import IsAuthenticated, IsOfficer, Limited
from schema.prefetch import page_selects, prefetch_page

AUTHENTICATED: list[type[BasePermission]] = [IsAuthenticated]
# The node type of each kind of row `node(id:)` may find, as the function that makes it of the row.
NODE_TYPES: dict[str, Callable[[Any], types.Node]] = {
    "ProviderIdentificationRequest": provider_registration.ProviderIdentificationRequest.of,
    "EmployerIdentificationRequest": employer_identification.EmployerIdentificationRequest.of,
    "Mandate": types.Mandate.of,
    "Authorisation": types.Authorisation.of,
    "Enterprise": types.Enterprise.of,
    "Branch": types.Branch.of,
    "Delegation": types.Delegation.of,
    "Notification": types.Notification.of,
    "Webhook": Webhook.of,
}


async def _mandates(
    info: Info, search: search_use_case.MandateSearch, order: mandate_pages.Order, first, after, last, before
) -> types.MandateConnection:
    """A keyset page of the search (resolvers.mandate_pages); its count only if the query selects it."""
    use_case = info.context.use_case()
    criteria = await search_use_case.resolve(use_case, search)
    today, sides = use_case.clock.today(), await mandate_pages.sides(use_case.actor)
    asked = page_selects(info)
    parties = "principal" in asked or "mandatary" in asked
    page = await mandate_pages.page(
        sides, criteria, today, order, first, after, last, before, info.context.page_size_max, parties
    )
    await prefetch_page(info, page.mandates, asked, page.parties)
    edges = [
        types.MandateEdge(cursor=cursor, node=types.Mandate.of(row))
        for row, cursor in zip(page.mandates, page.cursors, strict=True)
    ]
    page_info = types.PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.has_previous,
        start_cursor=page.cursors[0] if page.cursors else None,
        end_cursor=page.cursors[-1] if page.cursors else None,
    )
    bound = info.context.count_bound
    return types.MandateConnection(
        edges=edges, page_info=page_info, counting=once(lambda: mandate_pages.count(sides, criteria, today, bound))
    )


@strawberry.type
class MandateQueries:
    @strawberry.field(
        permission_classes=AUTHENTICATED,
        description="Any persisted object by its global ID; null when malformed, unknown or not visible to the viewer.",
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID, as any object's `id` gives it.")],
    ) -> types.Node | None:
        found = await find_row(info.context.use_case(), id)
        if found is None:
            return None
        kind, row = found
        return NODE_TYPES[kind](row)

    @strawberry.field(permission_classes=AUTHENTICATED, description="Who the bearer token names, and what they may do.")
    async def viewer(self, info: Info) -> types.Viewer:
        actor = info.context.actor
        enterprise = (
            await EnterpriseRow.get_or_none(enterprise_number=actor.enterprise_number)
            if actor.enterprise_number
            else None
        )
        return types.Viewer(
            niss=actor.niss,
            name=actor.name,
            enterprise=types.Enterprise.of(enterprise) if enterprise else None,
            can_manage=actor.can_manage,
            is_officer=actor.is_officer,
            scopes=sorted(actor.scopes),
        )

    @strawberry.field(
        permission_classes=AUTHENTICATED, description="To be finalised, Pending and Rejected (R-DASH-1..5)."
    )
    async def dashboard(self, info: Info) -> types.Dashboard:
        blocks = await dashboard_use_case.dashboard(info.context.use_case())

        def block(status: MandateStatus) -> types.DashboardBlock:
            b = blocks[status]
            mandate_id = strawberry.ID(encode_id("Mandate", b.mandate_id)) if b.mandate_id else None
            return types.DashboardBlock(
                status=b.status,
                count=b.count,
                count_is_lower_bound=b.count_is_lower_bound,
                colour=b.colour,
                mandate_id=mandate_id,
            )

        return types.Dashboard(
            to_be_finalised=block(MandateStatus.TO_BE_FINALISED),
            pending=block(MandateStatus.PENDING),
            rejected=block(MandateStatus.REJECTED),
        )

    @strawberry.field(
        permission_classes=AUTHENTICATED,
        description="A mandate by its reference; null when there is none the viewer may see (R-SRCH-1).",
    )
    async def mandate(
        self,
        info: Info,
        reference: Annotated[str, strawberry.argument(description='The reference, e.g. "M2026-17" (R-CRE-5).')],
    ) -> types.Mandate | None:
        reference = reference.strip()
        if not fits(MandateRow, "reference", reference):
            return None
        row = await (await visible_mandates(info.context.use_case().actor)).get_or_none(reference=reference)
        return types.Mandate.of(row) if row else None

    @strawberry.field(
        permission_classes=AUTHENTICATED,
        extensions=[Limited(SEARCH)],
        description="Newest first by default (R-SRCH-7); first capped at 100.",
    )
    async def mandates(
        self,
        info: Info,
        filter: Annotated[
            MandateFilter | None,
            strawberry.argument(description="The criteria; none: every mandate the viewer may see (R-SRCH-4)."),
        ] = None,
        order_by: Annotated[
            MandateOrder | None, strawberry.argument(description="The sort; by default CREATED_AT, DESC.")
        ] = strawberry.UNSET,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> types.MandateConnection:
        order = order_by or MandateOrder(field=enums.MandateOrderField.CREATED_AT, direction=enums.OrderDirection.DESC)
        search = search_use_case.MandateSearch(
            mandatary_number=filter.mandatary_number if filter else None,
            principal_number=filter.principal_number if filter else None,
            groups=list(filter.groups or []) if filter else [],
            period=filter.period if filter else None,
            statuses=list(filter.statuses or []) if filter else [],
        )
        sort = mandate_pages.Order(
            search_use_case.OrderField[order.field.value], order.direction is enums.OrderDirection.DESC
        )
        return await _mandates(info, search, sort, first, after, last, before)

    @strawberry.field(
        permission_classes=[IsOfficer],
        description="Officers: handwritten authorisations to review, oldest first (R-PAP-1).",
    )
    async def review_queue(self, info: Info, first: First = None, after: After = None) -> types.MandateConnection:
        search = search_use_case.MandateSearch(statuses=[MandateStatus.TO_BE_VALIDATED])
        oldest_first = mandate_pages.Order(search_use_case.OrderField.CREATED_AT, descending=False)
        return await _mandates(info, search, oldest_first, first, after, None, None)

    @strawberry.field(
        permission_classes=[IsOfficer],
        description=(
            "Officers: the mandates whose late closure, given with a reason, awaits an assessment, oldest first "
            "(R-CLO-5, R-CLO-6)."
        ),
    )
    async def late_closures(self, info: Info, first: First = None, after: After = None) -> types.MandateConnection:
        query = late_closures.late_closure_queue(info.context.use_case())
        return await connection(info, query, types.MandateConnection, types.MandateEdge, types.Mandate, first, after)

    @strawberry.field(
        description="The catalogue of application groups, in its order (R-CLU-1, R-CLU-2); no token needed."
    )
    def application_groups(self, info: Info) -> list[types.ApplicationGroup]:
        return [types.ApplicationGroup.of(group) for group in info.context.catalogue]

    @strawberry.field(description="The function codes allowed to sign for a legal form (R-ENT-10).")
    async def representatives_matrix(
        self,
        legal_form: Annotated[
            str, strawberry.argument(description="A legal form code, e.g. 014; an unknown one gives null.")
        ],
    ) -> types.RepresentativesMatrix | None:
        code = legal_form.strip()
        form = await LegalFormRow.get_or_none(code=code) if fits(LegalFormRow, "code", code) else None
        if form is None:
            return None
        codes = await MatrixEntry.filter(legal_form_id=form.code).values_list("function_code_id", flat=True)
        functions = await FunctionRow.filter(code__in=codes).order_by("code")
        return types.RepresentativesMatrix(
            legal_form=types.LegalForm.of(form),
            functions=[types.FunctionCode(code=f.code, name=f.name) for f in functions],
        )

    @strawberry.field(description="Every legal form of the reference data, by code; no token needed.")
    async def legal_forms(self) -> list[types.LegalForm]:
        return [types.LegalForm.of(f) for f in await LegalFormRow.all().order_by("code")]

    @strawberry.field(permission_classes=AUTHENTICATED, description="By CBE, NSSO or SSA number.")
    async def enterprise(
        self,
        info: Info,
        number: Annotated[
            str,
            strawberry.argument(
                description=(
                    "A CBE number (with or without dots), an NSSO number or an SSA number; null when none matches; a "
                    "malformed CBE number is INVALID_ENTERPRISE_NUMBER."
                )
            ),
        ],
    ) -> types.Enterprise | None:
        try:
            row = await find_enterprise(number, ("number",), by=("nsso_number", "ssa_number"))
        except RuleViolation as violation:
            if violation.code is ErrorCode.ENTERPRISE_NOT_FOUND:
                return None
            raise
        return types.Enterprise.of(row)

    @strawberry.field(
        permission_classes=AUTHENTICATED, description="The viewer's enterprise's notifications, newest first (R-NOT-5)."
    )
    async def notifications(self, info: Info, first: First = None, after: After = None) -> types.NotificationConnection:
        ordered = (await visible_notifications(info.context.use_case().actor)).order_by("-created_at", "-id")
        return await connection(
            info, ordered, types.NotificationConnection, types.NotificationEdge, types.Notification, first, after
        )
