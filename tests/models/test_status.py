"""The status machine of RULES.md §6: R-LIFE-1..9, R-EXP-1, R-EXP-2, R-WIDE-6, R-ANN-1 (models/status.py)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from models.errors import ErrorCode, RuleViolation
from models.status import (
    AWAITING_SIGNATURE,
    EFFECTIVE,
    IN_FLIGHT,
    TRANSITIONS,
    Event,
    MandateStatus,
    finalise_before,
    is_lapsed,
    next_status,
    status_on,
)

S = MandateStatus
E = Event

# The transition table of RULES.md §6, written out again by hand: (from, event) -> target when the
# principal is an employer, target when the mandate awaits the principal's identification (R-WIDE-6).
ALLOWED = [
    (S.TO_BE_FINALISED, E.ENCODER_SIGNED, S.PENDING, S.PENDING),  # R-LIFE-3
    (S.TO_BE_FINALISED, E.BOTH_SIGNED, S.ACTIVE, S.IDENTIFICATION),  # R-SIGN-7
    (S.TO_BE_FINALISED, E.HANDWRITTEN_UPLOADED, S.TO_BE_VALIDATED, S.TO_BE_VALIDATED),  # R-SIGN-10
    (S.PENDING, E.BOTH_SIGNED, S.ACTIVE, S.IDENTIFICATION),  # R-SIGN-4
    (S.TO_BE_VALIDATED, E.OFFICER_ACCEPTED, S.ACTIVE, S.IDENTIFICATION),  # R-PAP-2
    (S.TO_BE_VALIDATED, E.OFFICER_REFERRED, S.TO_BE_VALIDATED, S.TO_BE_VALIDATED),  # R-PAP-6
    (S.TO_BE_VALIDATED, E.OFFICER_REJECTED, S.REJECTED, S.REJECTED),  # R-PAP-3
    (S.REJECTED, E.HANDWRITTEN_UPLOADED, S.TO_BE_VALIDATED, S.TO_BE_VALIDATED),  # R-PAP-3, R-PAP-4
    (S.IDENTIFICATION, E.EMPLOYER_IDENTIFIED, S.ACTIVE, S.ACTIVE),  # R-WIDE-6
    (S.TO_BE_FINALISED, E.FINALISATION_LAPSED, S.CANCELLED, S.CANCELLED),  # R-EXP-2
    (S.PENDING, E.FINALISATION_LAPSED, S.CANCELLED, S.CANCELLED),  # R-EXP-2
    (S.ACTIVE, E.LAST_END_PASSED, S.CLOSED, S.CLOSED),  # R-LIFE-7
    (S.IDENTIFICATION, E.LAST_END_PASSED, S.CLOSED, S.CLOSED),  # closed while awaiting identification (§4.1)
    *[(status, E.ANNULLED, S.CANCELLED, S.CANCELLED) for status in S if status is not S.CANCELLED],  # R-ANN-1
]
ALLOWED_PAIRS = {(status, event) for status, event, _, _ in ALLOWED}
REFUSED = sorted(set(itertools.product(S, E)) - set(TRANSITIONS), key=lambda pair: (pair[0].value, pair[1].value))


def test_r_life_1_exactly_eight_statuses():
    assert [status.value for status in S] == [
        "TO_BE_FINALISED",
        "PENDING",
        "TO_BE_VALIDATED",
        "ACTIVE",
        "IDENTIFICATION",
        "REJECTED",
        "CLOSED",
        "CANCELLED",
    ]


def test_r_life_1_transition_table_is_the_one_of_rules_section_6():
    """R-LIFE-1: TRANSITIONS holds exactly the (status, event) pairs of RULES.md §6, nothing more."""
    assert set(TRANSITIONS) == ALLOWED_PAIRS
    assert len(REFUSED) == len(S) * len(E) - len(ALLOWED_PAIRS)


@pytest.mark.parametrize(("current", "event", "target", "target_identification"), ALLOWED)
def test_r_life_5_allowed_transitions_of_section_6(current, event, target, target_identification):
    """R-LIFE-3, R-LIFE-5, R-LIFE-7, R-SIGN-4, R-SIGN-7, R-SIGN-10, R-PAP-2, R-PAP-3, R-PAP-6,
    R-EXP-2, R-ANN-1, R-WIDE-6: every allowed move of §6 lands on its target."""
    assert next_status(current, event) is target
    assert next_status(current, event, awaits_identification=True) is target_identification


@pytest.mark.parametrize(("current", "event"), REFUSED)
def test_r_life_9_refused_transitions_raise_invalid_transition(current, event):
    """R-LIFE-9, R-EXP-3, R-SIGN-13: any pair not in the table is refused, whatever the caller."""
    with pytest.raises(RuleViolation) as caught:
        next_status(current, event)
    assert caught.value.code is ErrorCode.INVALID_TRANSITION
    assert caught.value.params["status"] is current


def test_r_life_9_cancelled_is_terminal():
    """R-LIFE-9, R-EXP-3: a cancelled mandate accepts no event at all (not even an annulment)."""
    assert [event for event in E if (S.CANCELLED, event) in TRANSITIONS] == []


def test_r_life_9_closed_accepts_only_annulment():
    """R-LIFE-9, R-ANN-1: CLOSED is terminal for the parties; only the officer's annulment applies."""
    assert [event for event in E if (S.CLOSED, event) in TRANSITIONS] == [E.ANNULLED]
    assert next_status(S.CLOSED, E.ANNULLED) is S.CANCELLED


def test_r_life_9_rejected_accepts_only_a_new_scan_or_annulment():
    """R-LIFE-9, R-PAP-3: a rejected mandate only takes a corrected handwritten authorisation."""
    assert {event for event in E if (S.REJECTED, event) in TRANSITIONS} == {E.HANDWRITTEN_UPLOADED, E.ANNULLED}


@pytest.mark.parametrize(
    ("current", "event"),
    [
        (S.TO_BE_FINALISED, E.BOTH_SIGNED),
        (S.PENDING, E.BOTH_SIGNED),
        (S.TO_BE_VALIDATED, E.OFFICER_ACCEPTED),
    ],
)
def test_r_wide_6_awaits_identification_gives_identification(current, event):
    assert next_status(current, event, awaits_identification=True) is S.IDENTIFICATION
    assert next_status(current, event, awaits_identification=False) is S.ACTIVE


def test_r_wide_6_identification_becomes_active_when_the_employer_is_identified():
    assert next_status(S.IDENTIFICATION, E.EMPLOYER_IDENTIFIED, awaits_identification=True) is S.ACTIVE
    with pytest.raises(RuleViolation):
        next_status(S.ACTIVE, E.EMPLOYER_IDENTIFIED)


def test_r_life_5_effective_and_in_flight_sets():
    """R-LIFE-5, R-UNQ-12, R-EXP-2: effective = ACTIVE/IDENTIFICATION; in flight = the three awaiting ones;
    only the two awaiting signatures are swept."""
    assert EFFECTIVE == {S.ACTIVE, S.IDENTIFICATION}
    assert IN_FLIGHT == {S.TO_BE_FINALISED, S.PENDING, S.TO_BE_VALIDATED}
    assert AWAITING_SIGNATURE == {S.TO_BE_FINALISED, S.PENDING}


# R-EXP-1, R-EXP-2 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("created", "deadline"),
    [
        (dt.date(2024, 1, 1), dt.date(2024, 3, 1)),  # leap year
        (dt.date(2023, 1, 1), dt.date(2023, 3, 2)),
        (dt.date(2024, 11, 15), dt.date(2025, 1, 14)),
    ],
)
def test_r_exp_1_finalise_before_is_creation_plus_60_days(created, deadline):
    assert finalise_before(created) == deadline


@pytest.mark.parametrize(
    ("status", "today", "lapsed"),
    [
        (S.PENDING, dt.date(2024, 3, 1), False),  # day 60: still in time (R-EXP-1)
        (S.PENDING, dt.date(2024, 3, 2), True),
        (S.TO_BE_FINALISED, dt.date(2024, 3, 1), False),
        (S.TO_BE_FINALISED, dt.date(2024, 3, 2), True),
        (S.TO_BE_FINALISED, dt.date(2025, 1, 1), True),
        *[(status, dt.date(2024, 3, 2), False) for status in S if status not in (S.PENDING, S.TO_BE_FINALISED)],
    ],
)
def test_r_exp_2_only_to_be_finalised_and_pending_lapse_after_60_days(status, today, lapsed):
    deadline = finalise_before(dt.date(2024, 1, 1))
    assert is_lapsed(status, deadline, today) is lapsed
    assert (status_on(status, deadline, None, today) is S.CANCELLED) is (lapsed or status is S.CANCELLED)


def test_r_exp_2_no_deadline_never_lapses():
    assert is_lapsed(S.PENDING, None, dt.date(2099, 1, 1)) is False


# R-LIFE-7 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "last_day", "today", "expected"),
    [
        (S.ACTIVE, dt.date(2024, 6, 30), dt.date(2024, 4, 10), S.ACTIVE),
        (S.ACTIVE, dt.date(2024, 6, 30), dt.date(2024, 6, 30), S.ACTIVE),
        (S.ACTIVE, dt.date(2024, 6, 30), dt.date(2024, 7, 1), S.CLOSED),
        (S.ACTIVE, None, dt.date(2099, 1, 1), S.ACTIVE),  # an open group keeps it active
        (S.IDENTIFICATION, dt.date(2024, 6, 30), dt.date(2024, 7, 1), S.CLOSED),  # closed while awaiting (§4.1)
        (S.IDENTIFICATION, None, dt.date(2099, 1, 1), S.IDENTIFICATION),
        (S.CLOSED, dt.date(2024, 6, 30), dt.date(2024, 7, 1), S.CLOSED),
        (S.REJECTED, dt.date(2024, 6, 30), dt.date(2024, 7, 1), S.REJECTED),
    ],
)
def test_r_life_7_active_becomes_closed_after_the_last_end_date(status, last_day, today, expected):
    assert status_on(status, None, last_day, today) is expected
