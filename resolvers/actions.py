"""Actions reported by the integrations (Dimona, DmfA, WIDE, DRS), and the look-up the closures need.

`recordAction` (scope integration:actions) keeps what a mandatary did for a principal; a late
closure or an annulment refuses to release a period in which it acted (R-CLO-11, R-CLO-12, R-ANN-2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from models.actions import Action, ActionKind, parse_action, require_no_actions
from models.errors import ErrorCode, RuleViolation
from models.quarter import Quarter
from models.tables import Action as ActionRow
from resolvers.access import Forbidden
from resolvers.context import UseCase
from resolvers.lookup import find_enterprise


@dataclass(frozen=True)
class ReportedAction:
    principal_number: str
    mandatary_number: str
    group: str
    kind: str
    performed_on: dt.date
    quarter: Quarter | None = None
    risk_date: dt.date | None = None


async def record_action(uc: UseCase, reported: ReportedAction) -> ActionRow:
    if not uc.actor.is_integration:
        raise Forbidden("api.forbidden.integration")
    uc.catalogue.resolve([reported.group], ("group",))
    action = parse_action(reported.kind, reported.group, reported.performed_on, reported.quarter, reported.risk_date)
    async with in_transaction():
        principal = await find_enterprise(reported.principal_number, ("principalNumber",), by=("nsso_number",))
        mandatary = await find_enterprise(reported.mandatary_number, ("mandataryNumber",), by=("ssa_number",))
        if principal.id == mandatary.id:
            raise RuleViolation(ErrorCode.SAME_PARTY, "api.actions.own_declarations", ("mandataryNumber",))
        return await ActionRow.create(
            principal=principal,
            mandatary=mandatary,
            group_code=action.group,
            kind=action.kind.value,
            performed_on=action.performed_on,
            quarter=action.quarter.index if action.quarter else None,
            risk_date=action.risk_date,
            recorded_at=uc.clock.now(),
        )


async def check_no_actions(
    principal_id: int, mandatary_id: int, groups: set[str], first_day: dt.date, last_day: dt.date
) -> None:
    """ACTIONS_IN_PERIOD when the mandatary acted in any of `groups` between the two days (R-CLO-11)."""
    rows = await ActionRow.filter(principal_id=principal_id, mandatary_id=mandatary_id, group_code__in=sorted(groups))
    actions = [
        Action(
            ActionKind(row.kind),
            row.group_code,
            row.performed_on,
            Quarter(row.quarter) if row.quarter is not None else None,
            row.risk_date,
        )
        for row in rows
    ]
    require_no_actions(actions, groups, first_day, last_day)
