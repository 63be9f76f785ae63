"""Which recorded actions block a late closure (R-CLO-11, R-CLO-12; models/actions.py).

The released period runs from the first day of E+1 to the reference date. A Dimona and a WIDE
request count by the day they were made; a DmfA and SSA provisions by the quarter they concern; a
DRS by the quarter of its risk date.
"""

from __future__ import annotations

import datetime as dt

import pytest

from models.actions import Action, ActionKind, blocking, parse_action, require_no_actions
from models.errors import ErrorCode, RuleViolation
from models.quarter import Quarter

D = dt.date
FIRST, LAST = D(2024, 1, 1), D(2024, 4, 15)  # E = 4/2023, today 2024-04-15


def q(text: str) -> Quarter:
    return Quarter.parse(text)


@pytest.mark.parametrize(
    "action, counts",
    [
        # Dimona: the day it was made, whatever period it concerns.
        (Action(ActionKind.DIMONA, "DIMONA", D(2024, 1, 1)), True),
        (Action(ActionKind.DIMONA, "DIMONA", D(2024, 4, 15)), True),
        (Action(ActionKind.DIMONA, "DIMONA", D(2023, 12, 31)), False),
        (Action(ActionKind.DIMONA, "DIMONA", D(2024, 4, 16)), False),
        # WIDE: the day the request was introduced (the employment start is irrelevant).
        (Action(ActionKind.WIDE, "DIMONA", D(2024, 2, 20)), True),
        (Action(ActionKind.WIDE, "DIMONA", D(2023, 11, 2)), False),
        # DmfA and provisions: the quarter concerned; paying for an earlier quarter does not block.
        (Action(ActionKind.DMFA, "DMFA", D(2024, 2, 1), quarter=q("4/2023")), False),
        (Action(ActionKind.DMFA, "DMFA", D(2024, 4, 10), quarter=q("1/2024")), True),
        (Action(ActionKind.PROVISIONS, "DMFA", D(2024, 4, 5), quarter=q("4/2023")), False),
        (Action(ActionKind.PROVISIONS, "DMFA", D(2024, 1, 5), quarter=q("2/2024")), True),
        (
            Action(ActionKind.DMFA, "DMFA", D(2023, 12, 20), quarter=q("1/2024")),
            True,
        ),  # made before, for a released quarter
        # DRS: the quarter of the risk date, whenever it was sent.
        (Action(ActionKind.DRS, "DRS_UNEMPLOYMENT", D(2024, 5, 20), risk_date=D(2024, 3, 30)), True),
        (Action(ActionKind.DRS, "DRS_UNEMPLOYMENT", D(2024, 2, 1), risk_date=D(2023, 12, 30)), False),
        (
            Action(ActionKind.DRS, "DRS_UNEMPLOYMENT", D(2024, 4, 2), risk_date=D(2024, 6, 20)),
            True,
        ),  # 2/2024 is partly released
        # Without its period (parse_action refuses that; a row read back could lack it): the day it was made.
        (Action(ActionKind.DMFA, "DMFA", D(2024, 2, 1)), True),
        (Action(ActionKind.DRS, "DRS_UNEMPLOYMENT", D(2023, 12, 1)), False),
    ],
)
def test_r_clo_12_what_counts_in_the_released_period(action, counts):
    assert action.counts_in(FIRST, LAST) is counts


def test_r_clo_11_an_action_in_any_group_of_the_mandate_blocks():
    pmp = Action(ActionKind.DIMONA, "PMP", D(2024, 4, 5))
    other = Action(ActionKind.DIMONA, "SIGEDIS", D(2024, 4, 5))
    assert blocking([pmp, other], {"DIMONA", "PMP"}, D(2024, 1, 1), D(2024, 4, 20)) == [pmp]
    with pytest.raises(RuleViolation) as caught:
        require_no_actions([pmp], {"DIMONA", "PMP"}, D(2024, 1, 1), D(2024, 4, 20))
    assert caught.value.code is ErrorCode.ACTIONS_IN_PERIOD
    assert caught.value.field == ("endQuarter",)
    require_no_actions([other], {"DIMONA", "PMP"}, D(2024, 1, 1), D(2024, 4, 20))  # a group of another mandate


@pytest.mark.parametrize(
    "kind, quarter, risk_date, field",
    [
        ("DMFA", None, None, ("quarter",)),
        ("PROVISIONS", None, None, ("quarter",)),
        ("DRS", None, None, ("riskDate",)),
        ("PAYROLL", None, None, ("kind",)),
    ],
)
def test_r_clo_12_a_reported_action_names_the_date_it_is_judged_by(kind, quarter, risk_date, field):
    with pytest.raises(RuleViolation) as caught:
        parse_action(kind, "DMFA", D(2024, 4, 1), quarter, risk_date)
    assert (caught.value.code, caught.value.field) == (ErrorCode.INVALID_INPUT, field)


def test_r_clo_12_a_reported_action_is_read_whatever_the_case_of_its_kind():
    action = parse_action(" dmfa ", "DMFA", D(2024, 4, 1), q("1/2024"), None)
    assert action == Action(ActionKind.DMFA, "DMFA", D(2024, 4, 1), quarter=q("1/2024"))
