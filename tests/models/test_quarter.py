"""The quarter calendar: R-CAL-1..6 (models/quarter.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.catalogue import load_holidays
from models.errors import ErrorCode, RuleViolation
from models.quarter import MAX_YEAR, MIN_YEAR, Quarter, add_working_days, month_of_quarter, overlaps

HOLIDAYS = load_holidays(Path(__file__).resolve().parents[2] / "config" / "reference" / "holidays.json")
Q = Quarter.parse

quarters = st.builds(Quarter.of, st.integers(1, 4), st.integers(MIN_YEAR + 10, MAX_YEAR - 10))


# R-CAL-1 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "year"),
    [
        ("1/2022", 1, 2022),
        ("4/2023", 4, 2023),
        (" 4/2023 ", 4, 2023),  # surrounding blanks are tolerated
        ("2/1900", 2, 1900),
        ("3/2999", 3, 2999),
    ],
)
def test_r_cal_1_parse_accepts_term_slash_year(text, number, year):
    quarter = Quarter.parse(text)
    assert (quarter.number, quarter.year) == (number, year)
    assert quarter == Quarter.of(number, year)


@pytest.mark.parametrize(
    "text",
    [
        "5/2022",
        "0/2022",
        "1-2022",
        "1/22",
        "01/2022",
        "1/20222",
        "1 / 2022",
        "Q1/2022",
        "2022/1",
        "1/2022x",
        "",
        "   ",
        "1/1899",
        "1/3000",
        "1/٢٠٢٤",  # Arabic-Indic digits are not "YYYY"
        None,
        12022,
        1.2022,
        ("1", "2022"),
    ],
)
def test_r_cal_1_parse_refuses_anything_else_with_invalid_quarter(text):
    with pytest.raises(RuleViolation) as caught:
        Quarter.parse(text, ("startQuarter",))
    assert caught.value.code is ErrorCode.INVALID_QUARTER
    assert caught.value.field == ("startQuarter",)


@pytest.mark.parametrize(("number", "year"), [(0, 2024), (5, 2024), (1, 1899), (1, 3000)])
def test_r_cal_1_of_refuses_out_of_range_values(number, year):
    with pytest.raises(ValueError):
        Quarter.of(number, year)


@given(quarters)
def test_r_cal_1_str_and_parse_round_trip(quarter):
    """R-CAL-1: str() writes `q/YYYY`, which parses back to the same quarter."""
    text = str(quarter)
    assert text == f"{quarter.number}/{quarter.year}"
    assert Quarter.parse(text) == quarter


# R-CAL-2, R-CAL-3 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("1/2024", dt.date(2024, 1, 1)),
        ("2/2024", dt.date(2024, 4, 1)),
        ("3/2024", dt.date(2024, 7, 1)),
        ("4/2024", dt.date(2024, 10, 1)),
    ],
)
def test_r_cal_2_start_quarter_begins_on_its_first_day(text, first):
    assert Q(text).first_day == first


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("1/2024", dt.date(2024, 3, 31)),
        ("1/2023", dt.date(2023, 3, 31)),
        ("2/2024", dt.date(2024, 6, 30)),
        ("3/2024", dt.date(2024, 9, 30)),
        ("4/2024", dt.date(2024, 12, 31)),
        ("4/2999", dt.date(2999, 12, 31)),
    ],
)
def test_r_cal_3_end_quarter_is_valid_up_to_its_last_day(text, last):
    assert Q(text).last_day == last


@given(quarters)
def test_r_cal_2_r_cal_3_quarters_tile_the_calendar(quarter):
    """R-CAL-2, R-CAL-3: the day after a quarter's last day is the next quarter's first day, and both
    ends of a quarter belong to it."""
    assert quarter.last_day + dt.timedelta(days=1) == (quarter + 1).first_day
    assert Quarter.containing(quarter.first_day) == quarter
    assert Quarter.containing(quarter.last_day) == quarter
    assert quarter.first_day.day == 1


# R-CAL-4 ---------------------------------------------------------------------------------------


def test_r_cal_4_quarter_arithmetic_crosses_years():
    t = Quarter.containing(dt.date(2024, 1, 10))
    assert t == Q("1/2024")
    assert t - 2 == Q("3/2023")
    assert t + 4 == Q("1/2025")
    assert Q("4/2023") + 1 == Q("1/2024")
    assert Q("1/2025") - Q("3/2023") == 6


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2024, 1, 1), "1/2024"),
        (dt.date(2024, 3, 31), "1/2024"),
        (dt.date(2024, 4, 1), "2/2024"),
        (dt.date(2024, 6, 30), "2/2024"),
        (dt.date(2024, 7, 1), "3/2024"),
        (dt.date(2024, 9, 30), "3/2024"),
        (dt.date(2024, 10, 1), "4/2024"),
        (dt.date(2024, 12, 31), "4/2024"),
    ],
)
def test_r_cal_4_containing_quarter_of_a_reference_date(day, text):
    assert Quarter.containing(day) == Q(text)


@given(quarters, st.integers(-400, 400))
def test_r_cal_4_adding_then_subtracting_quarters_round_trips(quarter, n):
    assert (quarter + n) - n == quarter
    assert (quarter + n) - quarter == n
    assert (quarter + n > quarter) == (n > 0)


@given(quarters, quarters)
def test_r_cal_4_quarters_order_like_the_calendar(a, b):
    assert (a < b) == (a.first_day < b.first_day)
    assert (a == b) == ((a.year, a.number) == (b.year, b.number))


# R-CAL-5 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "month"),
    [
        (dt.date(2024, 5, 31), 2),
        (dt.date(2024, 7, 1), 1),
        (dt.date(2024, 12, 31), 3),
        (dt.date(2024, 1, 31), 1),
        (dt.date(2024, 2, 1), 2),
        (dt.date(2024, 3, 1), 3),
        (dt.date(2024, 4, 30), 1),
        (dt.date(2024, 9, 15), 3),
        (dt.date(2024, 10, 1), 1),
        (dt.date(2024, 11, 30), 2),
    ],
)
def test_r_cal_5_month_of_quarter(day, month):
    assert month_of_quarter(day) == month


# R-CAL-6 ---------------------------------------------------------------------------------------


def test_r_cal_6_referral_due_date_skips_weekends_and_belgian_holidays():
    """Friday 2024-05-03 + 10 working days, Ascension (05-09) and Whit Monday (05-20) excluded."""
    assert dt.date(2024, 5, 9) in HOLIDAYS and dt.date(2024, 5, 20) in HOLIDAYS
    assert add_working_days(dt.date(2024, 5, 3), 10, HOLIDAYS) == dt.date(2024, 5, 21)


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (dt.date(2024, 5, 3), 10, dt.date(2024, 5, 17)),  # Monday-Friday only
        (dt.date(2024, 5, 3), 1, dt.date(2024, 5, 6)),  # Friday -> Monday
        (dt.date(2024, 5, 4), 1, dt.date(2024, 5, 6)),  # Saturday -> Monday
        (dt.date(2024, 5, 6), 0, dt.date(2024, 5, 6)),
    ],
)
def test_r_cal_6_working_days_without_holidays(day, count, expected):
    assert add_working_days(day, count, frozenset()) == expected


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (dt.date(2024, 12, 24), 1, dt.date(2024, 12, 26)),  # Christmas
        (dt.date(2024, 12, 31), 1, dt.date(2025, 1, 2)),  # New Year
        (dt.date(2024, 3, 29), 1, dt.date(2024, 4, 2)),  # Easter Monday 2024-04-01
        (dt.date(2024, 7, 19), 1, dt.date(2024, 7, 22)),  # National Day on a Sunday: no effect
    ],
)
def test_r_cal_6_working_days_with_the_holidays_file(day, count, expected):
    assert add_working_days(day, count, HOLIDAYS) == expected


@given(st.dates(dt.date(2020, 1, 1), dt.date(2035, 6, 30)), st.integers(1, 30))
def test_r_cal_6_due_date_is_a_working_day_after_exactly_count_working_days(day, count):
    due = add_working_days(day, count, HOLIDAYS)
    assert due.weekday() < 5 and due not in HOLIDAYS
    between = [day + dt.timedelta(days=i) for i in range(1, (due - day).days + 1)]
    assert sum(1 for d in between if d.weekday() < 5 and d not in HOLIDAYS) == count


# Overlap of quarter ranges (used by R-UNQ-12, R-SRCH-3) ----------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("1/2024", "2/2024"), ("2/2024", "3/2024"), True),
        (("1/2024", "2/2024"), ("3/2024", "4/2024"), False),
        (("1/2024", None), ("1/2030", None), True),
        (("3/2024", None), ("1/2024", "2/2024"), False),
        (("3/2024", None), ("1/2024", "3/2024"), True),
        (("1/2024", "1/2024"), ("1/2024", "1/2024"), True),
        (("1/2020", "4/2023"), ("1/2024", None), False),
    ],
)
def test_r_cal_4_overlaps_of_quarter_ranges(a, b, expected):
    """R-CAL-4 (quarter ranges), used by R-UNQ-12 and R-SRCH-3."""

    def span(pair):
        return Q(pair[0]), (Q(pair[1]) if pair[1] else None)

    assert overlaps(*span(a), *span(b)) is expected
    assert overlaps(*span(b), *span(a)) is expected


@given(quarters, st.one_of(st.none(), st.integers(0, 20)), quarters, st.one_of(st.none(), st.integers(0, 20)))
def test_r_cal_4_overlaps_matches_a_shared_quarter(s1, len1, s2, len2):
    """R-CAL-4: two ranges overlap exactly when some quarter lies in both (open ends bounded for the check)."""
    e1 = None if len1 is None else s1 + len1
    e2 = None if len2 is None else s2 + len2
    horizon = max(s1, s2) + 25

    def quarters_of(s, e):
        return {s + i for i in range(((e or horizon) - s) + 1)}

    assert overlaps(s1, e1, s2, e2) == bool(quarters_of(s1, e1) & quarters_of(s2, e2))
