"""Actions a mandatary performed for a principal, and which of them block a late closure (R-CLO-11, R-CLO-12, R-ANN-2).

A Dimona counts on the day it was made, whatever period it concerns; a WIDE identification request
on the day it was introduced; a DmfA or the provisions an SSA collected count for the quarter they
concern (payments for an earlier quarter do not block); a DRS counts for the quarter of its risk date.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from models.errors import ErrorCode, RuleViolation
from models.quarter import Quarter


class ActionKind(enum.Enum):
    DIMONA = "DIMONA"
    WIDE = "WIDE"
    DMFA = "DMFA"
    PROVISIONS = "PROVISIONS"
    DRS = "DRS"


BY_QUARTER = {ActionKind.DMFA, ActionKind.PROVISIONS}


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    group: str
    performed_on: dt.date
    quarter: Quarter | None = None  # DmfA and provisions: the quarter they concern
    risk_date: dt.date | None = None  # DRS: the day of the social risk

    def counts_in(self, first_day: dt.date, last_day: dt.date) -> bool:
        """Whether the action falls in the period [first_day, last_day] the closure would release: a DmfA or
        provisions by its quarter, a DRS by its risk date's quarter (parse_action requires them), others by their
        day."""
        if self.kind in BY_QUARTER and self.quarter is not None:
            quarter = self.quarter
        elif self.kind is ActionKind.DRS and self.risk_date is not None:
            quarter = Quarter.containing(self.risk_date)
        else:
            return first_day <= self.performed_on <= last_day
        return quarter.first_day <= last_day and quarter.last_day >= first_day


def parse_action(
    kind: str, group: str, performed_on: dt.date, quarter: Quarter | None, risk_date: dt.date | None
) -> Action:
    """An action as an integration reports it, with the date its kind is judged by."""
    try:
        action_kind = ActionKind((kind or "").strip().upper())
    except ValueError:
        raise RuleViolation(
            ErrorCode.INVALID_INPUT, "api.action.kind_unknown", ("kind",), kinds=list(ActionKind)
        ) from None
    if action_kind in BY_QUARTER and quarter is None:
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.action.quarter_required", ("quarter",), kind=action_kind)
    if action_kind is ActionKind.DRS and risk_date is None:
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.action.risk_date_required", ("riskDate",))
    return Action(action_kind, group, performed_on, quarter, risk_date)


def blocking(actions: list[Action], groups: set[str], first_day: dt.date, last_day: dt.date) -> list[Action]:
    """The actions, in any group of the mandate, that forbid releasing [first_day, last_day] (R-CLO-11)."""
    return [action for action in actions if action.group in groups and action.counts_in(first_day, last_day)]


def require_no_actions(actions: list[Action], groups: set[str], first_day: dt.date, last_day: dt.date) -> None:
    found = blocking(actions, groups, first_day, last_day)
    if found:
        listed = ", ".join(
            f"{a.kind.value} ({a.group}, {a.risk_date or a.quarter or a.performed_on})" for a in found[:5]
        )
        raise RuleViolation(ErrorCode.ACTIONS_IN_PERIOD, "api.action.in_period", ("endQuarter",), listed=listed)
