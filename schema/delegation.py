"""Delegations and competence (API.md; RULES.md §15, §16)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from models.quarter import Quarter
from resolvers import competence, delegations
from resolvers.limits import COMPETENCE
from schema import enums, types
from schema.connections import Connection, page_of
from schema.pagination import After, First
from schema.payloads import attempt
from schema.permissions import CanManage, IsAuthenticated, Limited


@strawberry.input(
    description=(
        "Groups of the main mandate delegated, for a period before their start, to the provider that held them then "
        "(R-DEL-1)."
    )
)
class CreateDelegationInput:
    mandate_id: strawberry.ID = strawberry.field(
        description="The global ID of the main mandate, ACTIVE or IDENTIFICATION, held by the viewer's enterprise."
    )
    delegate_number: str = strawberry.field(description="CBE or SSA number of the delegate.")
    groups: list[str] = strawberry.field(description="Codes of delegable groups of the main mandate (R-DEL-4).")
    from_quarter: Quarter = strawberry.field(description="The first quarter delegated.")
    to_quarter: Quarter = strawberry.field(
        description=(
            "The last quarter delegated; before the main groups' start, and the delegate held the groups in every "
            "quarter of the period (R-DEL-1)."
        )
    )


@strawberry.input(description="A delegation the viewer's enterprise made, to end now.")
class EndDelegationInput:
    delegation_id: strawberry.ID = strawberry.field(description="The global ID of the delegation.")


@strawberry.type(description="The outcome of a mutation on a delegation.")
class DelegationPayload:
    delegation: types.Delegation | None = strawberry.field(
        description="The delegation after the change; null when refused."
    )
    user_errors: list[types.UserError] = strawberry.field(description=types.USER_ERRORS)


@strawberry.type(description="Who may act for the principal in a group for a day, and why (R-COMP-7).")
class Competence:
    mandatary: types.Enterprise = strawberry.field(
        description="The enterprise that may act: a mandatary, a delegate, or a former mandatary."
    )
    role: enums.GroupRole = strawberry.field(description="The place its group holds on that day (R-UNQ-5).")
    via: str = strawberry.field(description="MANDATE | DELEGATION | TECHNICAL_EXTENSION | PUBLIATO_PERIOD")
    mandate_id: strawberry.Private[int | None]  # None when the viewer may not see the mandate
    delegation_id: strawberry.Private[int | None]
    delegated_from: Quarter | None = strawberry.field(
        description="Via DELEGATION: the first quarter delegated, told to all who may ask (R-COMP-6)."
    )
    delegated_to: Quarter | None = strawberry.field(description="Via DELEGATION: the last quarter delegated.")

    # The rows are read only when the query asks for them, all the answers' at once (the request's loaders).
    @strawberry.field(
        description="The mandate it acts under (for a delegate: the main mandate), when the viewer may see it."
    )
    async def mandate(self, info: Info) -> types.Mandate | None:
        if self.mandate_id is None:
            return None
        return types.Mandate.of(await info.context.loaders.mandate.load(self.mandate_id))

    @strawberry.field(
        description="Via DELEGATION: the delegation, when the viewer may see it (its main mandate's parties, officers)."
    )
    async def delegation(self, info: Info) -> types.Delegation | None:
        if self.delegation_id is None:
            return None
        return types.Delegation.of(await info.context.loaders.delegation.load(self.delegation_id))


def _payload(row, errors) -> DelegationPayload:
    return DelegationPayload(delegation=types.Delegation.of(row) if row else None, user_errors=errors)


@strawberry.type
class DelegationQueries:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        extensions=[Limited(COMPETENCE)],
        description="Who may act for this principal in this group on that day, and why; the principal itself always "
        "may (R-COMP-1..7). "
        "For officers, the integrations, the principal and its mandataries or delegates.",
    )
    async def competent_mandataries(
        self,
        info: Info,
        principal_number: Annotated[str, strawberry.argument(description="The principal's CBE or NSSO number.")],
        group: Annotated[str, strawberry.argument(description="An application group code, e.g. DIMONA.")],
        on: Annotated[
            dt.date,
            strawberry.argument(
                description=(
                    "The day the action concerns: the day a Dimona is made, a risk date, a day of the DmfA quarter "
                    "(R-COMP-2, R-COMP-3)."
                )
            ),
        ],
    ) -> list[Competence]:
        found = await competence.competent_mandataries(info.context.use_case(), principal_number, group, on)
        # One object per enterprise, not per answer: a busy principal's mandataries recur (their global IDs cost).
        mandataries = {
            row.id: types.Enterprise.of(row) for row in {c.mandatary.id: c.mandatary for c in found}.values()
        }
        return [
            Competence(
                mandatary=mandataries[c.mandatary.id],
                role=c.role,
                via=c.via.value,
                mandate_id=c.mandate_id,
                delegation_id=c.delegation_id,
                delegated_from=c.delegated[0] if c.delegated else None,
                delegated_to=c.delegated[1] if c.delegated else None,
            )
            for c in found
        ]

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "The delegations the viewer's enterprise gave as main mandatary, newest first, with their periods and "
            "status; it manages them (R-DEL-2). Empty for a viewer acting for no enterprise."
        ),
    )
    async def delegations_given(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[types.Delegation]:
        query = await delegations.own_delegations(info.context.use_case().actor, given=True)
        return await page_of(info, query, types.Delegation, first, after)

    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "The delegations the viewer's enterprise received as delegate, newest first: for whom, from whom, which "
            "groups and period, and their status, not the main mandate (R-DEL-2, R-COMP-6). Empty for a viewer "
            "acting for no enterprise."
        ),
    )
    async def delegations_received(
        self, info: Info, first: First = None, after: After = None
    ) -> Connection[types.ReceivedDelegation]:
        query = await delegations.own_delegations(info.context.use_case().actor, given=False)
        return await page_of(info, query, types.ReceivedDelegation, first, after)


@strawberry.type
class DelegationMutations:
    @strawberry.mutation(
        permission_classes=[CanManage],
        description="The main mandatary delegates some of its groups for an earlier period (R-DEL-1..4, R-DEL-7).",
    )
    async def create_delegation(
        self,
        info: Info,
        input: Annotated[
            CreateDelegationInput,
            strawberry.argument(description="The main mandate, the delegate, the groups and the period."),
        ],
    ) -> DelegationPayload:
        return _payload(
            *await attempt(
                lambda: delegations.create_delegation(
                    info.context.use_case(),
                    input.mandate_id,
                    input.delegate_number,
                    list(input.groups),
                    input.from_quarter,
                    input.to_quarter,
                )
            )
        )

    @strawberry.mutation(
        permission_classes=[CanManage],
        description="The main mandatary ends a delegation: CANCELLED at once (R-DEL-2, R-DEL-5).",
    )
    async def end_delegation(
        self,
        info: Info,
        input: Annotated[EndDelegationInput, strawberry.argument(description="The delegation to end.")],
    ) -> DelegationPayload:
        return _payload(
            *await attempt(lambda: delegations.end_delegation(info.context.use_case(), input.delegation_id))
        )
