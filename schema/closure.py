"""Closing a mandate, and the actions the integrations report for the late-closure check (API.md; RULES.md §14, §24)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.types import Info

from models.quarter import Quarter
from resolvers import actions, close, late_closures
from schema import enums, types
from schema.inputs import NewAuthorisationInput, new_version
from schema.payloads import attempt, mandate_payload
from schema.permissions import CanManageOrIsOfficer, IsIntegration, IsOfficer


@strawberry.input(
    description=(
        "An end quarter for some or all open groups; a late closure may need a reason (R-CLO-3..10, R-MOD-2, R-MOD-3)."
    )
)
class CloseMandateInput:
    mandate_id: strawberry.ID = strawberry.field(description="The global ID of the ACTIVE mandate.")
    end_quarter: Quarter = strawberry.field(
        description=(
            "The groups end on this quarter's last day (R-CAL-3); not before their start (R-CAL-7); before the current "
            "quarter it is a late closure (R-CLO-4..11)."
        )
    )
    groups: list[str] | None = strawberry.field(
        default=None, description="The ticked groups; by default every group without an end."
    )
    reason: enums.ClosureReason | None = strawberry.field(
        default=None, description="The mandatary's reason for a late closure (R-CLO-9)."
    )
    reason_text: str | None = strawberry.field(
        default=None,
        description=(
            "The principal's reason, the text of OTHER, or the officer's justification (R-CLO-5, R-CLO-6, R-CLO-10)."
        ),
    )
    new_authorisation: NewAuthorisationInput | None = strawberry.field(
        default=None,
        description=(
            "A mandate manager also asks for the new version of the authorisation showing the closure, issued in the "
            "same transaction: refused, it leaves the mandate unclosed; issued, it is the last of the payload "
            "mandate's authorisations, to be signed and uploaded (R-PDF-8)."
        ),
    )


@strawberry.input(description="The officer's assessment of a late closure's reason (R-CLO-5, R-CLO-6).")
class AssessLateClosureInput:
    mandate_id: strawberry.ID = strawberry.field(description="The global ID of the mandate closed late.")
    assessment: enums.LateClosureAssessment = strawberry.field(description="Accept the reason, or reverse the closure.")
    reason: str | None = strawberry.field(
        default=None, description="Why: required to reverse; both parties read it in their notification."
    )


@strawberry.input(
    description="A Dimona, DmfA, provisions, WIDE or DRS action a mandatary performed for a principal (R-CLO-12)."
)
class RecordActionInput:
    principal_number: str = strawberry.field(description="The principal's CBE or NSSO number.")
    mandatary_number: str = strawberry.field(description="The CBE or SSA number of the mandatary that acted.")
    group: str = strawberry.field(description="The application group code the action belongs to, e.g. DIMONA.")
    kind: str = strawberry.field(description="DIMONA, WIDE, DMFA, PROVISIONS or DRS.")
    performed_on: dt.date = strawberry.field(
        description="The day the action was done; DIMONA and WIDE count by this day (R-CLO-12)."
    )
    quarter: Quarter | None = strawberry.field(
        default=None, description="DMFA and PROVISIONS: the quarter the declaration or payment concerns."
    )
    risk_date: dt.date | None = strawberry.field(
        default=None, description="DRS: the day of the social risk; it counts for that day's quarter."
    )


@strawberry.type(description="The outcome of recordAction.")
class ActionPayload:
    ok: bool = strawberry.field(description="True when the action was recorded.")
    user_errors: list[types.UserError] = strawberry.field(description=types.USER_ERRORS)


@strawberry.type
class ClosureMutations:
    @strawberry.mutation(
        permission_classes=[CanManageOrIsOfficer],
        description=(
            "End some or all open groups: a party's signatory within the windows of §14, or an NSSO officer "
            "(R-CLO-1..15, R-MOD-1..5)."
        ),
    )
    async def close_mandate(
        self,
        info: Info,
        input: Annotated[
            CloseMandateInput,
            strawberry.argument(description="The mandate, its end quarter, the groups and the reason."),
        ],
    ) -> types.MandatePayload:
        return mandate_payload(
            *await attempt(
                lambda: close.close_mandate(
                    info.context.use_case(),
                    input.mandate_id,
                    input.end_quarter,
                    list(input.groups) if input.groups is not None else None,
                    input.reason,
                    input.reason_text,
                    new_version(input.new_authorisation, info.context.paperwork),
                )
            )
        )

    @strawberry.mutation(
        permission_classes=[IsOfficer],
        description=(
            "NSSO officer: accept the reason of a late closure, or reverse the closure; both parties are notified "
            "(R-CLO-5, R-CLO-6)."
        ),
    )
    async def assess_late_closure(
        self,
        info: Info,
        input: Annotated[
            AssessLateClosureInput, strawberry.argument(description="The mandate, the assessment and its reason.")
        ],
    ) -> types.MandatePayload:
        return mandate_payload(
            *await attempt(
                lambda: late_closures.assess_late_closure(
                    info.context.use_case(), input.mandate_id, input.assessment, input.reason
                )
            )
        )

    @strawberry.mutation(
        permission_classes=[IsIntegration],
        description="Integrations report an action of a mandatary (R-CLO-11, R-CLO-12).",
    )
    async def record_action(
        self,
        info: Info,
        input: Annotated[RecordActionInput, strawberry.argument(description="The action the integration saw.")],
    ) -> ActionPayload:
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
