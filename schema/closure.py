"""Closing a mandate, and the actions the integrations report for the late-closure check (API.md; RULES.md §14, §24)."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from models.quarter import Quarter
from resolvers import actions, close
from schema import enums, types
from schema.payloads import attempt
from schema.permissions import CanManageOrIsOfficer, IsIntegration


@strawberry.input(description="An end quarter for some or all open groups; a late closure may need a reason (R-CLO-3..10, R-MOD-2, R-MOD-3).")
class CloseMandateInput:
    mandate_id: strawberry.ID
    end_quarter: Quarter
    groups: list[str] | None = strawberry.field(default=None, description="The ticked groups; by default every group without an end.")
    reason: enums.ClosureReason | None = strawberry.field(default=None, description="The mandatary's reason for a late closure (R-CLO-9).")
    reason_text: str | None = strawberry.field(
        default=None, description="The principal's reason, the text of OTHER, or the officer's justification (R-CLO-5, R-CLO-6, R-CLO-10)."
    )


@strawberry.input(description="A Dimona, DmfA, provisions, WIDE or DRS action a mandatary performed for a principal (R-CLO-12).")
class RecordActionInput:
    principal_number: str
    mandatary_number: str
    group: str
    kind: str = strawberry.field(description="DIMONA, WIDE, DMFA, PROVISIONS or DRS.")
    performed_on: dt.date
    quarter: Quarter | None = strawberry.field(default=None, description="DMFA and PROVISIONS: the quarter the declaration or payment concerns.")
    risk_date: dt.date | None = strawberry.field(default=None, description="DRS: the day of the social risk; it counts for that day's quarter.")


@strawberry.type
class ActionPayload:
    ok: bool
    user_errors: list[types.UserError]


@strawberry.type
class ClosureMutations:
    @strawberry.mutation(
        permission_classes=[CanManageOrIsOfficer],
        description="End some or all open groups: a party's signatory within the windows of §14, or an NSSO officer (R-CLO-1..15, R-MOD-1..5).",
    )
    async def close_mandate(self, info: Info, input: CloseMandateInput) -> types.MandatePayload:
        row, errors = await attempt(
            lambda: close.close_mandate(
                info.context.use_case(),
                input.mandate_id,
                input.end_quarter,
                list(input.groups) if input.groups is not None else None,
                input.reason,
                input.reason_text,
            )
        )
        return types.MandatePayload(mandate=types.Mandate.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(permission_classes=[IsIntegration], description="Integrations report an action of a mandatary (R-CLO-11, R-CLO-12).")
    async def record_action(self, info: Info, input: RecordActionInput) -> ActionPayload:
        reported = actions.ReportedAction(
            principal_number=input.principal_number,
            mandatary_number=input.mandatary_number,
            group=input.group,
            kind=input.kind,
            performed_on=input.performed_on,
            quarter=input.quarter,
            risk_date=input.risk_date,
        )
        row, errors = await attempt(lambda: actions.record_action(info.context.use_case(), reported))
        return ActionPayload(ok=row is not None, user_errors=errors)
