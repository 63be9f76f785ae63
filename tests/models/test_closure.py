"""The closure windows of RULES.md §14 (R-CLO-3..11), R-CAL-7, R-UNQ-7 and R-UNQ-9 (models/closure.py).

The window table is written out below as §14 states it, independently of the code, and checked for
each month of a year (reference day the 15th), each party, each end quarter T-3 .. T+5, with and
without a reason.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.catalogue import load_catalogue
from models.closure import (
    ClosureReason,
    Requester,
    check_closure,
    check_masters_kept,
    check_secondary_free,
    newly_secondary,
)
from models.errors import ErrorCode, RuleViolation
from models.places import Holding
from models.quarter import Quarter

CATALOGUE = load_catalogue(Path(__file__).resolve().parents[2] / "config" / "reference" / "application_groups.json")
P, M, O = Requester.PRINCIPAL, Requester.MANDATARY, Requester.OFFICER
FREE, REASON = "free", "reason"  # allowed without formality / only with a reason; absent = refused in-app
LONG_AGO = Quarter.parse("1/2000")  # a start that never limits the end (R-CAL-7 is tested apart)

# §14: (who, month of the quarter, E - T) -> (what it needs, the rule that says so).
TABLE: dict[tuple[Requester, int, int], tuple[str, str]] = {
    **{(who, m, offset): (FREE, "R-CLO-3") for who in (P, M) for m in (1, 2, 3) for offset in range(5)},
    (P, 1, -1): (FREE, "R-CLO-4"),
    (P, 1, -2): (REASON, "R-CLO-5"),
    (P, 2, -1): (REASON, "R-CLO-6"),
    (P, 3, -1): (REASON, "R-CLO-6"),
    (M, 1, -1): (FREE, "R-CLO-7"),
    (M, 1, -2): (REASON, "R-CLO-7"),
    (M, 2, -1): (REASON, "R-CLO-8"),
    (M, 3, -1): (REASON, "R-CLO-8"),
}
DAYS = [dt.date(2023, month, 15) for month in range(1, 13)]
OFFSETS = range(-3, 6)


def q(text: str | None) -> Quarter | None:
    return Quarter.parse(text) if text else None


def reason_of(who: Requester) -> dict:
    """A party's reason as §14 asks it: the principal's free text, the mandatary's code."""
    return (
        {"reason": None, "reason_text": "Closed its doors in December"}
        if who is P
        else {"reason": ClosureReason.DEBTOR_EMPLOYER, "reason_text": None}
    )


def cases(rule: str | None):
    """(day, who, offset, with_reason, expected) for the table rows of `rule` (None: the cells §14 leaves out)."""
    for day in DAYS:
        month = (day.month - 1) % 3 + 1
        for who in (P, M):
            for offset in OFFSETS:
                need, governing = TABLE.get((who, month, offset), (None, None))
                if governing != rule:
                    continue
                for with_reason in (False, True):
                    if need is None:
                        expected = ErrorCode.CLOSURE_QUARTER_NOT_ALLOWED
                    elif need is REASON and not with_reason:
                        expected = ErrorCode.REASON_REQUIRED
                    else:
                        expected = None
                    yield pytest.param(
                        day,
                        who,
                        offset,
                        with_reason,
                        expected,
                        id=f"{day:%m}-{who.value[0]}-T{offset:+d}-{'r' if with_reason else 'n'}",
                    )


def outcome(who, day, start, end, reason=None, reason_text=None):
    try:
        return check_closure(who, day, start, end, reason, reason_text)
    except RuleViolation as violation:
        return violation.code


def check_cell(day, who, offset, with_reason, expected):
    end = Quarter.containing(day) + offset
    result = outcome(who, day, LONG_AGO, end, **(reason_of(who) if with_reason else {}))
    if expected is None:
        assert not isinstance(result, ErrorCode), result
        assert result.end == end
        assert result.late is (offset < 0)  # R-CLO-11
    else:
        assert result is expected


@pytest.mark.parametrize("day, who, offset, with_reason, expected", list(cases("R-CLO-3")))
def test_r_clo_3_either_party_ends_at_t_to_t_plus_4_without_reason(day, who, offset, with_reason, expected):
    check_cell(day, who, offset, with_reason, expected)


@pytest.mark.parametrize("day, who, offset, with_reason, expected", list(cases("R-CLO-4")))
def test_r_clo_4_principal_month_1_ends_at_t_minus_1_without_formality(day, who, offset, with_reason, expected):
    check_cell(day, who, offset, with_reason, expected)


@pytest.mark.parametrize("day, who, offset, with_reason, expected", list(cases("R-CLO-5")))
def test_r_clo_5_principal_month_1_ends_at_t_minus_2_with_a_reason(day, who, offset, with_reason, expected):
    check_cell(day, who, offset, with_reason, expected)


@pytest.mark.parametrize("day, who, offset, with_reason, expected", list(cases("R-CLO-6")))
def test_r_clo_6_principal_months_2_3_end_at_t_minus_1_with_a_reason(day, who, offset, with_reason, expected):
    check_cell(day, who, offset, with_reason, expected)


@pytest.mark.parametrize("day, who, offset, with_reason, expected", list(cases("R-CLO-7")))
def test_r_clo_7_mandatary_month_1_t_minus_1_free_t_minus_2_with_a_code(day, who, offset, with_reason, expected):
    check_cell(day, who, offset, with_reason, expected)


@pytest.mark.parametrize("day, who, offset, with_reason, expected", list(cases("R-CLO-8")))
def test_r_clo_8_mandatary_months_2_3_end_at_t_minus_1_with_a_code(day, who, offset, with_reason, expected):
    check_cell(day, who, offset, with_reason, expected)


@pytest.mark.parametrize("day, who, offset, with_reason, expected", list(cases(None)))
def test_r_clo_10_anything_else_is_refused_in_app(day, who, offset, with_reason, expected):
    """≤ T-3, T-2 in months 2-3, ≥ T+5: CLOSURE_QUARTER_NOT_ALLOWED whatever the reason."""
    assert expected is ErrorCode.CLOSURE_QUARTER_NOT_ALLOWED
    check_cell(day, who, offset, with_reason, expected)


def test_r_clo_10_the_table_has_every_cell_once():
    """12 months x 2 parties x 9 end quarters x with/without reason, each cell under exactly one rule."""
    rules = ("R-CLO-3", "R-CLO-4", "R-CLO-5", "R-CLO-6", "R-CLO-7", "R-CLO-8", None)
    assert sum(len(list(cases(rule))) for rule in rules) == 12 * 2 * 9 * 2


@pytest.mark.parametrize("day", DAYS, ids=lambda d: f"{d:%m}")
@pytest.mark.parametrize("offset", OFFSETS)
def test_r_clo_10_an_officer_enters_any_end_with_a_justification(day, offset):
    """R-CLO-1, R-CLO-10, R-CLO-11: the officer skips the windows; outside T..T+4 it justifies; E < T stays a late
    closure."""
    end = Quarter.containing(day) + offset
    justified = outcome(O, day, LONG_AGO, end, reason_text="Duly argued request by e-mail of 3 March")
    assert justified.end == end and justified.late is (offset < 0)
    assert justified.text == "Duly argued request by e-mail of 3 March"
    bare = outcome(O, day, LONG_AGO, end)
    if 0 <= offset <= 4:
        assert bare.end == end
    else:
        assert bare is ErrorCode.REASON_REQUIRED


@pytest.mark.parametrize("who", [P, M, O])
def test_r_cal_7_the_end_is_never_before_the_start(who):
    day = dt.date(2024, 5, 10)
    assert outcome(who, day, q("3/2024"), q("2/2024"), reason_text="x") is ErrorCode.CLOSURE_QUARTER_NOT_ALLOWED
    assert outcome(who, day, q("3/2024"), q("3/2024")).end == q("3/2024")


def test_r_clo_9_other_needs_its_text_and_the_reason_is_kept():
    day = dt.date(2024, 5, 10)  # month 2: the mandatary's T-1 needs a code
    assert outcome(M, day, LONG_AGO, q("1/2024"), ClosureReason.OTHER, "  ") is ErrorCode.REASON_REQUIRED
    assert outcome(M, day, LONG_AGO, q("1/2024"), None, "a text is not a code") is ErrorCode.REASON_REQUIRED
    kept = outcome(M, day, LONG_AGO, q("1/2024"), ClosureReason.OTHER, "  Employer moved abroad ")
    assert (kept.reason, kept.text, kept.late) == (ClosureReason.OTHER, "Employer moved abroad", True)
    # OTHER always carries its text, even where no reason is needed.
    assert outcome(M, day, LONG_AGO, q("2/2024"), ClosureReason.OTHER) is ErrorCode.REASON_REQUIRED


def test_r_clo_6_the_principals_reason_is_free_text_not_a_code():
    day = dt.date(2024, 5, 15)
    assert outcome(P, day, LONG_AGO, q("1/2024"), ClosureReason.SILENT_EMPLOYER) is ErrorCode.REASON_REQUIRED
    assert outcome(P, day, LONG_AGO, q("1/2024"), reason_text="Activity stopped").text == "Activity stopped"


def ends(**kwargs):
    return {code: q(end) for code, end in kwargs.items()}


REQUIRES = {group.code: group.requires for group in CATALOGUE}


@pytest.mark.parametrize(
    "after, refused",
    [
        (ends(DMFA=None, DIMONA="2/2024", FLEXI=None), True),  # the master Dimona alone
        (ends(DMFA="3/2024", DIMONA="3/2024", FLEXI="2/2024"), True),  # Flexi before the DmfA
        (ends(DMFA="2/2024", DIMONA="2/2024", FLEXI="2/2024"), False),  # together
        (ends(DMFA="2/2024", DIMONA=None, FLEXI=None), False),  # DmfA alone: R-UNQ-7's case
        (ends(DMFA="2/2024", DIMONA="3/2024", FLEXI="4/2024"), False),
        (ends(DIMONA="2/2024", PMP=None), False),  # no DmfA in the mandate: Dimona is not a master
    ],
)
def test_r_unq_9_a_master_dimona_or_flexi_does_not_end_before_the_dmfa(after, refused):
    if refused:
        with pytest.raises(RuleViolation) as caught:
            check_masters_kept(after, REQUIRES)
        assert caught.value.code is ErrorCode.GROUP_REQUIRES_OTHERS
    else:
        check_masters_kept(after, REQUIRES)


@pytest.mark.parametrize(
    "group_end, master_old, master_new, expected",
    [
        (None, ("1/2023", None), ("1/2023", "2/2024"), ("3/2024", None)),  # DmfA ends, Dimona goes on
        ("4/2024", ("1/2023", None), ("1/2023", "2/2024"), ("3/2024", "4/2024")),
        ("2/2024", ("1/2023", None), ("1/2023", "2/2024"), None),  # ends with it
        (None, ("1/2023", "4/2024"), ("1/2023", "2/2024"), ("3/2024", "4/2024")),  # only the quarters it loses
        (None, ("1/2023", None), ("1/2023", None), None),  # the DmfA is not closed
    ],
)
def test_r_unq_7_the_quarters_a_dimona_turns_secondary(group_end, master_old, master_new, expected):
    span = newly_secondary(q(group_end), (q(master_old[0]), q(master_old[1])), (q(master_new[0]), q(master_new[1])))
    assert span == (None if expected is None else (q(expected[0]), q(expected[1])))


def test_r_unq_7_the_secondary_place_must_be_free():
    dimona = CATALOGUE.get("DIMONA")
    b_secondary = Holding(20, 2, "DIMONA", q("1/2024"), None, True)
    c_master = Holding(30, 3, "DIMONA", q("1/2024"), None, True, master_span=(q("1/2024"), None))
    with pytest.raises(RuleViolation) as caught:
        check_secondary_free(dimona, (q("3/2024"), None), [b_secondary])
    assert caught.value.code is ErrorCode.SINGLE_MANDATARY_TAKEN
    check_secondary_free(dimona, (q("3/2024"), None), [c_master])  # another's master place is another place
    ended = Holding(20, 2, "DIMONA", q("1/2024"), q("2/2024"), True)
    check_secondary_free(dimona, (q("3/2024"), None), [ended])  # the secondary ends before
    in_flight = Holding(40, 4, "DIMONA", q("4/2024"), None, False)
    with pytest.raises(RuleViolation):
        check_secondary_free(dimona, (q("3/2024"), None), [in_flight])  # in flight reserves its place (R-UNQ-12)
