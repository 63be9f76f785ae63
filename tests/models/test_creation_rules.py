"""Creation rules besides places: R-CRE-4, R-UNQ-4, R-ENT-8 (models/creation.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.catalogue import load_catalogue
from config.messages import render
from models.creation import MAX_QUARTERS_AHEAD, ActivityPeriod, check_companions, check_parties, check_start
from models.errors import ErrorCode, RuleViolation
from models.quarter import Quarter

CATALOGUE = load_catalogue(Path(__file__).resolve().parents[2] / "config" / "reference" / "application_groups.json")
q = Quarter.parse


def groups(*codes: str):
    return [CATALOGUE.get(code) for code in codes]


# R-CRE-4 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "start", "ok"),
    [
        (dt.date(2024, 2, 10), "1/2025", True),  # T+4
        (dt.date(2024, 2, 10), "2/2025", False),  # T+5
        (dt.date(2024, 2, 10), "1/2024", True),
        (dt.date(2024, 2, 10), "1/2015", True),  # the past is not this rule's business
        (dt.date(2024, 3, 31), "1/2025", True),
        (dt.date(2024, 4, 1), "2/2025", True),
        (dt.date(2024, 12, 31), "4/2025", True),
        (dt.date(2024, 12, 31), "1/2026", False),
    ],
)
def test_r_cre_4_start_not_later_than_one_year_ahead(today, start, ok):
    assert MAX_QUARTERS_AHEAD == 4
    if ok:
        assert check_start(q(start), today) is None
    else:
        with pytest.raises(RuleViolation) as caught:
            check_start(q(start), today)
        assert caught.value.code is ErrorCode.START_TOO_FAR_AHEAD
        assert caught.value.field == ("startQuarter",)
        assert str(Quarter.containing(today) + 4) in render("en", caught.value)


@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)), st.integers(-40, 12))
def test_r_cre_4_start_allowed_exactly_up_to_t_plus_4(today, offset):
    start = Quarter.containing(today) + offset
    if offset <= 4:
        check_start(start, today)
    else:
        with pytest.raises(RuleViolation):
            check_start(start, today)


# R-UNQ-4 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "missing"),
    [
        (("DMFA", "DIMONA", "FLEXI"), None),
        (("DMFA", "DIMONA", "FLEXI", "PMP"), None),
        (("DIMONA",), None),  # Dimona alone is a secondary mandate
        (("FLEXI", "DIMONA"), None),
        (("PMP", "SIGEDIS"), None),
        (("DMFA", "DIMONA"), ["FLEXI"]),  # the R-UNQ-4 example
        (("DMFA", "FLEXI"), ["DIMONA"]),
        (("DMFA",), ["DIMONA", "FLEXI"]),
        (("PMP", "DMFA"), ["DIMONA", "FLEXI"]),
    ],
)
def test_r_unq_4_dmfa_only_with_dimona_and_flexi(codes, missing):
    if missing is None:
        assert check_companions(groups(*codes)) is None
    else:
        with pytest.raises(RuleViolation) as caught:
            check_companions(groups(*codes))
        assert caught.value.code is ErrorCode.GROUP_REQUIRES_OTHERS
        assert caught.value.field == ("groups",)
        assert ", ".join(missing) in render("en", caught.value)


# R-ENT-8 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("active_from", "active_until", "today", "active"),
    [
        (dt.date(2015, 1, 1), None, dt.date(2024, 5, 10), True),
        (dt.date(2015, 1, 1), dt.date(2024, 5, 10), dt.date(2024, 5, 10), True),  # not before the reference date
        (dt.date(2015, 1, 1), dt.date(2024, 5, 9), dt.date(2024, 5, 10), False),
        (dt.date(2015, 1, 1), dt.date(2030, 1, 1), dt.date(2024, 5, 10), True),
    ],
)
def test_r_ent_8_is_active(active_from, active_until, today, active):
    assert ActivityPeriod(active_from, active_until).is_active(today) is active


@pytest.mark.parametrize(
    ("active_from", "active_until", "start", "end", "covered"),
    [
        (dt.date(2024, 2, 15), None, "4/2023", None, False),  # the R-ENT-8 example
        (dt.date(2024, 2, 15), None, "1/2024", None, True),  # mid-quarter start: compared per quarter
        (dt.date(2024, 2, 15), None, "1/2024", "4/2024", True),
        (dt.date(2024, 1, 1), None, "1/2024", None, True),
        (dt.date(2024, 3, 31), None, "1/2024", None, True),
        (dt.date(2024, 4, 1), None, "1/2024", None, False),
        (dt.date(2015, 1, 1), dt.date(2024, 11, 15), "1/2024", "4/2024", True),  # mid-quarter end
        (dt.date(2015, 1, 1), dt.date(2024, 11, 15), "1/2024", "1/2025", False),
        (dt.date(2015, 1, 1), dt.date(2024, 11, 15), "1/2024", None, False),  # open end beyond activeUntil
        (dt.date(2015, 1, 1), dt.date(2024, 12, 31), "4/2024", "4/2024", True),
    ],
)
def test_r_ent_8_activity_period_covers_the_mandate_per_quarter(active_from, active_until, start, end, covered):
    period = ActivityPeriod(active_from, active_until)
    assert period.covers(q(start), q(end) if end else None) is covered


ALWAYS = ActivityPeriod(dt.date(2000, 1, 1), None)
TODAY = dt.date(2024, 5, 10)


@pytest.mark.parametrize(
    ("principal", "mandatary", "start", "end", "error", "field"),
    [
        (ALWAYS, ALWAYS, "1/2018", None, None, None),
        # The mandatary active from 2024-02-15 (R-ENT-8 test): S=4/2023 refused, S=1/2024 accepted.
        (
            ALWAYS,
            ActivityPeriod(dt.date(2024, 2, 15), None),
            "4/2023",
            None,
            ErrorCode.PERIOD_OUTSIDE_ACTIVITY,
            ("startQuarter",),
        ),
        (ALWAYS, ActivityPeriod(dt.date(2024, 2, 15), None), "1/2024", None, None, None),
        (
            ActivityPeriod(dt.date(2024, 2, 15), None),
            ALWAYS,
            "4/2023",
            None,
            ErrorCode.PERIOD_OUTSIDE_ACTIVITY,
            ("startQuarter",),
        ),
        (ActivityPeriod(dt.date(2024, 2, 15), None), ALWAYS, "1/2024", None, None, None),
        # An enterprise that ended before today is inactive, whatever the period.
        (
            ActivityPeriod(dt.date(2000, 1, 1), dt.date(2024, 5, 9)),
            ALWAYS,
            "1/2024",
            "1/2024",
            ErrorCode.ENTERPRISE_INACTIVE,
            ("principalNumber",),
        ),
        (
            ALWAYS,
            ActivityPeriod(dt.date(2000, 1, 1), dt.date(2024, 5, 9)),
            "1/2024",
            "1/2024",
            ErrorCode.ENTERPRISE_INACTIVE,
            ("mandataryNumber",),
        ),
        # Active today but ending this year: an open-ended mandate leaves its activity period.
        (
            ActivityPeriod(dt.date(2000, 1, 1), dt.date(2024, 12, 31)),
            ALWAYS,
            "3/2024",
            None,
            ErrorCode.PERIOD_OUTSIDE_ACTIVITY,
            ("startQuarter",),
        ),
        (ActivityPeriod(dt.date(2000, 1, 1), dt.date(2024, 12, 31)), ALWAYS, "3/2024", "4/2024", None, None),
    ],
)
def test_r_ent_8_check_parties(principal, mandatary, start, end, error, field):
    if error is None:
        assert check_parties(principal, mandatary, q(start), q(end) if end else None, TODAY) is None
    else:
        with pytest.raises(RuleViolation) as caught:
            check_parties(principal, mandatary, q(start), q(end) if end else None, TODAY)
        assert caught.value.code is error
        assert caught.value.field == field


def test_r_ent_8_principal_is_checked_before_the_mandatary():
    ended = ActivityPeriod(dt.date(2000, 1, 1), dt.date(2020, 1, 1))
    with pytest.raises(RuleViolation) as caught:
        check_parties(ended, ended, q("1/2024"), None, TODAY)
    assert caught.value.field == ("principalNumber",)
    assert "(Principal)" in render("en", caught.value)
