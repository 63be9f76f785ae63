"""Delegations (models/delegation.py): R-DEL-1, R-DEL-4, R-DEL-5, R-CLU-7, on groups of the real catalogue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.catalogue import load_catalogue
from config.messages import render
from models.delegation import Delegated, MainGroup, check_delegation, delegation_status
from models.errors import ErrorCode, RuleViolation
from models.places import Holding
from models.quarter import Quarter
from models.status import MandateStatus

CATALOGUE = load_catalogue(Path(__file__).resolve().parents[2] / "config" / "reference" / "application_groups.json")
A, B, C = 1, 2, 3  # A held the groups before B, the main mandatary; C never held them
TODAY = dt.date(2024, 5, 10)
S = MandateStatus


def q(text: str | None) -> Quarter | None:
    return Quarter.parse(text) if text else None


def main(*codes: str, start="1/2024", end=None, effective=True) -> dict[str, MainGroup]:
    """B's main mandate."""
    return {code: MainGroup(q(start), q(end), effective) for code in codes}


def held(mandatary: int, code: str, start: str, end: str | None, *, effective=True) -> Holding:
    return Holding(mandatary * 10, mandatary, code, q(start), q(end), effective)


# A held DMFA and Publiato 1/2022–4/2023 (replaced by B from 1/2024); B's own groups are in the list too.
HISTORY = [
    held(A, "DMFA", "1/2022", "4/2023"),
    held(A, "WORK_ACCIDENTS_PUBLIATO", "1/2022", "4/2023"),
    held(B, "DMFA", "1/2024", None),
    held(B, "WORK_ACCIDENTS_PUBLIATO", "1/2024", None),
]

# (rule, groups, main groups, holdings, delegate, from, to, existing delegations, expected error code or None)
CASES = [
    ("R-DEL-1 the earlier provider, for its period", ["DMFA"], main("DMFA"), HISTORY, A, "1/2023", "4/2023", [], None),
    ("R-DEL-1 one quarter", ["DMFA"], main("DMFA"), HISTORY, A, "4/2023", "4/2023", [], None),
    (
        "R-DEL-1 never mandated",
        ["DMFA"],
        main("DMFA"),
        HISTORY,
        C,
        "1/2023",
        "4/2023",
        [],
        ErrorCode.DELEGATE_NOT_MANDATED,
    ),
    (
        "R-DEL-1 not the main group's earlier period",
        ["DMFA"],
        main("DMFA"),
        HISTORY,
        A,
        "1/2024",
        "1/2024",
        [],
        ErrorCode.DELEGATION_PERIOD_NOT_ALLOWED,
    ),
    (
        "R-DEL-1 overlapping the main start",
        ["DMFA"],
        main("DMFA"),
        HISTORY,
        A,
        "3/2023",
        "1/2024",
        [],
        ErrorCode.DELEGATION_PERIOD_NOT_ALLOWED,
    ),
    (
        "R-DEL-1 from after to",
        ["DMFA"],
        main("DMFA"),
        HISTORY,
        A,
        "4/2023",
        "1/2023",
        [],
        ErrorCode.DELEGATION_PERIOD_NOT_ALLOWED,
    ),
    (
        "R-DEL-1 a quarter the delegate did not hold",
        ["DMFA"],
        main("DMFA"),
        HISTORY,
        A,
        "4/2021",
        "4/2023",
        [],
        ErrorCode.DELEGATE_NOT_MANDATED,
    ),
    (
        "R-DEL-1 a gap in the delegate's tenure",
        ["DMFA"],
        main("DMFA"),
        [held(A, "DMFA", "1/2022", "1/2023"), held(A, "DMFA", "3/2023", "4/2023")],
        A,
        "1/2023",
        "4/2023",
        [],
        ErrorCode.DELEGATE_NOT_MANDATED,
    ),
    (
        "R-DEL-1 tenure in two mandates back to back",
        ["DMFA"],
        main("DMFA"),
        [held(A, "DMFA", "1/2022", "1/2023"), Holding(99, A, "DMFA", q("2/2023"), q("4/2023"), True)],
        A,
        "1/2023",
        "4/2023",
        [],
        None,
    ),
    (
        "R-DEL-1 (R-LIFE-5) a tenure without effect does not count",
        ["DMFA"],
        main("DMFA"),
        [held(A, "DMFA", "1/2022", "4/2023", effective=False)],
        A,
        "1/2023",
        "4/2023",
        [],
        ErrorCode.DELEGATE_NOT_MANDATED,
    ),
    (
        "R-DEL-1 another group than the delegate held",
        ["DMFA"],
        main("DMFA"),
        [held(A, "DIMONA", "1/2022", "4/2023")],
        A,
        "1/2023",
        "4/2023",
        [],
        ErrorCode.DELEGATE_NOT_MANDATED,
    ),
    (
        "R-DEL-1 only groups of the main mandate",
        ["PMP"],
        main("DMFA"),
        HISTORY,
        A,
        "1/2023",
        "4/2023",
        [],
        ErrorCode.GROUP_NOT_IN_MANDATE,
    ),
    (
        "R-DEL-4 Publiato is not delegable",
        ["WORK_ACCIDENTS_PUBLIATO"],
        main("WORK_ACCIDENTS_PUBLIATO"),
        HISTORY,
        A,
        "1/2023",
        "4/2023",
        [],
        ErrorCode.DELEGATION_NOT_ALLOWED,
    ),
    (
        "R-DEL-5 an ended main group has nothing to delegate",
        ["DMFA"],
        main("DMFA", end="1/2024"),
        HISTORY,
        A,
        "1/2023",
        "4/2023",
        [],
        ErrorCode.DELEGATION_NOT_ALLOWED,
    ),
    (
        "R-DEL-5 a main group ending later still delegates",
        ["DMFA"],
        main("DMFA", end="2/2024"),
        HISTORY,
        A,
        "1/2023",
        "4/2023",
        [],
        None,
    ),
    (
        "R-WIDE-6 a main group not yet activated",
        ["DMFA"],
        main("DMFA", effective=False),
        HISTORY,
        A,
        "1/2023",
        "4/2023",
        [],
        ErrorCode.DELEGATION_NOT_ALLOWED,
    ),
    (
        "R-DEL-1 already delegated to this provider",
        ["DMFA"],
        main("DMFA"),
        HISTORY,
        A,
        "3/2023",
        "4/2023",
        [Delegated(frozenset({"DMFA"}), q("1/2023"), q("3/2023"))],
        ErrorCode.DELEGATION_PERIOD_NOT_ALLOWED,
    ),
    (
        "R-DEL-1 another period of the same group",
        ["DMFA"],
        main("DMFA"),
        HISTORY,
        A,
        "3/2023",
        "4/2023",
        [Delegated(frozenset({"DMFA"}), q("1/2023"), q("2/2023"))],
        None,
    ),
]


@pytest.mark.parametrize(
    ("rule", "codes", "main_groups", "holdings", "delegate", "start", "end", "existing", "expected"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_r_del_1_r_del_4_who_may_receive_which_groups_for_which_period(
    rule, codes, main_groups, holdings, delegate, start, end, existing, expected
):
    requested = [CATALOGUE.get(code) for code in codes]
    if expected is None:
        check_delegation(requested, main_groups, holdings, delegate, q(start), q(end), TODAY, existing)
        return
    with pytest.raises(RuleViolation) as caught:
        check_delegation(requested, main_groups, holdings, delegate, q(start), q(end), TODAY, existing)
    assert caught.value.code is expected, caught.value


def test_r_del_1_the_refusal_names_the_first_quarter_not_held():
    with pytest.raises(RuleViolation) as caught:
        check_delegation([CATALOGUE.get("DMFA")], main("DMFA"), HISTORY, A, q("3/2021"), q("4/2023"), TODAY)
    assert "3/2021" in render("en", caught.value)
    assert caught.value.field == ("delegateNumber",)


def test_r_clu_7_only_publiato_is_restricted():
    assert [g.code for g in CATALOGUE if not g.delegable] == ["WORK_ACCIDENTS_PUBLIATO"]


# (stored status, main mandate cancelled, latest end of the delegated main groups, today, status)
STATUSES = [
    (S.ACTIVE, False, None, TODAY, S.ACTIVE),
    (S.ACTIVE, False, "2/2024", dt.date(2024, 6, 30), S.ACTIVE),  # the main group's last day
    (S.ACTIVE, False, "2/2024", dt.date(2024, 7, 1), S.CANCELLED),  # its end date has passed
    (S.ACTIVE, True, None, TODAY, S.CANCELLED),  # the main mandate annulled: at once
    (S.ACTIVE, True, "4/2024", TODAY, S.CANCELLED),
    (S.CANCELLED, False, None, TODAY, S.CANCELLED),  # ended by the main mandatary
]


@pytest.mark.parametrize(("stored", "cancelled", "end", "today", "expected"), STATUSES)
def test_r_del_5_a_delegation_ends_with_its_main_group_and_at_once_on_cancellation(
    stored, cancelled, end, today, expected
):
    assert delegation_status(stored, cancelled, q(end), today) is expected
