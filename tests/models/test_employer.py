"""The employer's own events and annulment as pure rules: R-EMP-1, R-EMP-2, R-EMP-5, R-EMP-6, R-CLU-6,
R-CAL-7, R-ANN-1, R-ANN-2, R-WIDE-6, R-EMP-3, R-LIFE-9 (models/employer.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.catalogue import load_catalogue
from models.employer import (
    CuratorAnswer,
    GroupSpan,
    annulled_status,
    annulment_period,
    check_deletable,
    check_identifiable,
    closed_by_curator,
    closed_by_deletion,
    closing_end,
    deletion_quarter,
    is_employer,
    require_reason,
)
from models.errors import ErrorCode, RuleViolation
from models.quarter import Quarter
from models.status import MandateStatus

CATALOGUE = load_catalogue(Path(__file__).resolve().parents[2] / "config" / "reference" / "application_groups.json")
q = Quarter.parse
S = MandateStatus


def span(code: str, start: str, end: str | None = None) -> GroupSpan:
    return GroupSpan(code, q(start), q(end) if end else None, CATALOGUE.get(code).employer_only)


@pytest.mark.parametrize(
    ("nsso", "deleted_on", "today", "employer"),
    [
        ("9539339-29", None, dt.date(2024, 5, 10), True),
        (None, None, dt.date(2024, 5, 10), False),  # a company without staff (R-ENT-1)
        ("9539339-29", dt.date(2024, 5, 15), dt.date(2024, 5, 15), True),  # the deletion day itself
        ("9539339-29", dt.date(2024, 5, 15), dt.date(2024, 5, 16), False),  # after it (R-EMP-1)
        ("9539339-29", dt.date(2024, 5, 15), dt.date(2024, 5, 10), True),  # a deletion announced ahead
    ],
)
def test_r_emp_1_the_principal_is_no_employer_after_its_deletion_date(nsso, deleted_on, today, employer):
    assert is_employer(nsso, deleted_on, today) is employer


@pytest.mark.parametrize(
    ("deletion_date", "quarter"),
    [
        (dt.date(2024, 5, 15), "2/2024"),
        (dt.date(2024, 4, 1), "2/2024"),
        (dt.date(2024, 6, 30), "2/2024"),
        (dt.date(2024, 7, 1), "3/2024"),
        (dt.date(2023, 12, 31), "4/2023"),
    ],
)
def test_r_emp_2_deletion_closes_at_the_end_of_the_deletion_quarter(deletion_date, quarter):
    assert deletion_quarter(deletion_date) == q(quarter)


@pytest.mark.parametrize(
    ("spans", "closed"),
    [
        # The seed's test: DMFA, DIMONA, FLEXI end 2/2024; BELPARCEL (not employer-only) goes on.
        (
            [span("DMFA", "1/2023"), span("DIMONA", "1/2023"), span("FLEXI", "1/2023"), span("BELPARCEL", "1/2023")],
            {"DMFA": "2/2024", "DIMONA": "2/2024", "FLEXI": "2/2024"},
        ),
        # Every Social security and Social risks group is employer-only (R-CLU-6), Publiato too.
        (
            [
                span(code, "1/2022")
                for code in (
                    "DRS_UNEMPLOYMENT",
                    "TEMPORARY_UNEMPLOYMENT",
                    "WORK_ACCIDENTS_PUBLIATO",
                    "INTERNATIONAL_SERVICES",
                )
            ],
            {
                "DRS_UNEMPLOYMENT": "2/2024",
                "TEMPORARY_UNEMPLOYMENT": "2/2024",
                "WORK_ACCIDENTS_PUBLIATO": "2/2024",
                "INTERNATIONAL_SERVICES": "2/2024",
            },
        ),
        ([span(code, "1/2022") for code in ("SIGEDIS", "PMP", "WORKS_DECLARATIONS", "WIB_SINGLE_WINDOW")], {}),
        # An earlier end is never extended; a later one is brought forward.
        ([span("DIMONA", "1/2022", "1/2024"), span("FLEXI", "1/2022", "4/2024")], {"FLEXI": "2/2024"}),
        ([span("DIMONA", "1/2022", "2/2024")], {}),
        # A group starting after the deletion quarter ends on its start quarter, never before (R-CAL-7).
        ([span("DIMONA", "3/2024")], {"DIMONA": "3/2024"}),
    ],
)
def test_r_emp_2_deletion_closes_only_the_employer_only_groups(spans, closed):
    ends = closed_by_deletion(spans, dt.date(2024, 5, 15))
    assert {code: str(end) for code, end in ends.items()} == closed


def test_r_comp_5_deletion_keeps_the_end_the_technical_extension_counts_from():
    """The technical extension runs from the new end: the closure sets the end quarter and nothing else."""
    assert closed_by_deletion([span("DRS_UNEMPLOYMENT", "1/2023")], dt.date(2024, 5, 15)) == {
        "DRS_UNEMPLOYMENT": q("2/2024")
    }
    assert CATALOGUE.get("DRS_UNEMPLOYMENT").technical_extension_quarters == 1


@pytest.mark.parametrize(
    ("group", "end", "closing", "new"),
    [
        (span("PMP", "1/2024"), "2/2024", "2/2024", "2/2024"),
        (span("PMP", "1/2024", "3/2024"), "2/2024", "2/2024", "2/2024"),
        (span("PMP", "1/2024", "2/2024"), "2/2024", "2/2024", None),
        (span("PMP", "1/2024", "1/2024"), "2/2024", "2/2024", None),
        (span("PMP", "4/2024"), "2/2024", "2/2024", "4/2024"),
    ],
)
def test_r_cal_7_an_automatic_closure_never_extends_nor_ends_before_the_start(group, end, closing, new):
    result = closing_end(group, q(closing))
    assert (str(result) if result else None) == new


@pytest.mark.parametrize(
    ("answer", "closed"),
    [
        (CuratorAnswer.DELETE, {"DIMONA": "3/2024", "PMP": "3/2024"}),
        (CuratorAnswer.NO_ANSWER, {"DIMONA": "3/2024", "PMP": "3/2024"}),
        (CuratorAnswer.CONTINUE, {}),
    ],
)
def test_r_emp_5_delete_or_no_answer_closes_every_group_at_the_end_of_the_recording_quarter(answer, closed):
    spans = [span("DIMONA", "1/2023"), span("PMP", "1/2023"), span("SIGEDIS", "1/2023", "1/2024")]
    ends = closed_by_curator(answer, spans, dt.date(2024, 8, 20))
    assert {code: str(end) for code, end in ends.items()} == closed


def test_r_emp_6_continue_changes_nothing():
    assert closed_by_curator(CuratorAnswer.CONTINUE, [span("DMFA", "1/2020")], dt.date(2024, 8, 20)) == {}


@pytest.mark.parametrize(
    ("nsso", "deleted_on", "code"),
    [
        ("9539339-29", None, None),
        (None, None, ErrorCode.NOT_AN_EMPLOYER),
        ("9539339-29", dt.date(2024, 5, 15), ErrorCode.NOT_AN_EMPLOYER),
    ],
)
def test_r_emp_1_only_a_current_employer_is_deleted(nsso, deleted_on, code):
    if code is None:
        check_deletable(nsso, deleted_on)
        return
    with pytest.raises(RuleViolation) as refused:
        check_deletable(nsso, deleted_on)
    assert refused.value.code is code and refused.value.field == ("principalNumber",)


@pytest.mark.parametrize(
    ("nsso", "deleted_on", "allowed"),
    [
        (None, None, True),  # a company without staff (R-WIDE-6)
        ("9539339-29", dt.date(2024, 5, 15), True),  # a deleted employer identified again (R-EMP-3)
        ("9539339-29", None, False),
    ],
)
def test_r_wide_6_an_nsso_number_goes_to_a_principal_that_is_no_employer(nsso, deleted_on, allowed):
    if allowed:
        check_identifiable(nsso, deleted_on)
        return
    with pytest.raises(RuleViolation) as refused:
        check_identifiable(nsso, deleted_on)
    assert refused.value.code is ErrorCode.ALREADY_AN_EMPLOYER


@pytest.mark.parametrize("status", [s for s in S if s is not S.CANCELLED])
def test_r_ann_2_every_status_but_cancelled_is_annulled_to_cancelled(status):
    assert annulled_status(status) is S.CANCELLED


def test_r_life_9_a_cancelled_mandate_is_not_annulled_again():
    with pytest.raises(RuleViolation) as refused:
        annulled_status(S.CANCELLED)
    assert refused.value.code is ErrorCode.INVALID_TRANSITION


@pytest.mark.parametrize(
    ("start", "today", "period"),
    [
        ("1/2023", dt.date(2024, 5, 10), (dt.date(2023, 1, 1), dt.date(2024, 5, 10))),
        ("2/2024", dt.date(2024, 5, 10), (dt.date(2024, 4, 1), dt.date(2024, 5, 10))),
    ],
)
def test_r_ann_2_the_action_check_covers_the_whole_validity(start, today, period):
    assert annulment_period(q(start), today) == period


@pytest.mark.parametrize(("reason", "ok"), [("Signed under duress", True), ("", False), ("   ", False), (None, False)])
def test_r_ann_1_annulment_states_its_reason(reason, ok):
    if ok:
        assert require_reason(f"  {reason} ") == reason
        return
    with pytest.raises(RuleViolation) as refused:
        require_reason(reason)
    assert refused.value.code is ErrorCode.REASON_REQUIRED and refused.value.field == ("reason",)
