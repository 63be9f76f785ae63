"""The mandate status machine (RULES.md §6: R-LIFE-1..9, R-EXP-2, R-ANN-2, R-WIDE-6).

Every status change in the registry goes through `next_status`: a transition not listed in
`TRANSITIONS` is refused with INVALID_TRANSITION, whatever the caller.
"""

from __future__ import annotations

import datetime as dt
import enum

from models.errors import ErrorCode, RuleViolation


class MandateStatus(enum.Enum):
    TO_BE_FINALISED = "TO_BE_FINALISED"
    PENDING = "PENDING"
    TO_BE_VALIDATED = "TO_BE_VALIDATED"
    ACTIVE = "ACTIVE"
    IDENTIFICATION = "IDENTIFICATION"
    REJECTED = "REJECTED"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


class Event(enum.Enum):
    ENCODER_SIGNED = "ENCODER_SIGNED"  # first signature: authentication or the encoder's eID (R-LIFE-3)
    BOTH_SIGNED = "BOTH_SIGNED"  # second signature, or a PDF eID-signed by both (R-LIFE-5, R-SIGN-7)
    HANDWRITTEN_UPLOADED = "HANDWRITTEN_UPLOADED"  # scan submitted to the NSSO (R-LIFE-4, R-PAP-3)
    OFFICER_ACCEPTED = "OFFICER_ACCEPTED"  # R-PAP-2
    OFFICER_REFERRED = "OFFICER_REFERRED"  # to inspection, stays to be validated (R-PAP-6)
    OFFICER_REJECTED = "OFFICER_REJECTED"  # R-PAP-3, R-PAP-5
    EMPLOYER_IDENTIFIED = "EMPLOYER_IDENTIFIED"  # NSSO number assigned (R-WIDE-6)
    FINALISATION_LAPSED = "FINALISATION_LAPSED"  # 60 days (R-EXP-2)
    LAST_END_PASSED = "LAST_END_PASSED"  # every group's end date has passed (R-LIFE-7)
    ANNULLED = "ANNULLED"  # officer annulment (R-ANN-1, R-ANN-2)


S = MandateStatus
FINALISED = frozenset({S.ACTIVE, S.IDENTIFICATION})

TRANSITIONS: dict[tuple[MandateStatus, Event], frozenset[MandateStatus]] = {
    (S.TO_BE_FINALISED, Event.ENCODER_SIGNED): frozenset({S.PENDING}),
    (S.TO_BE_FINALISED, Event.BOTH_SIGNED): FINALISED,
    (S.TO_BE_FINALISED, Event.HANDWRITTEN_UPLOADED): frozenset({S.TO_BE_VALIDATED}),
    (S.PENDING, Event.BOTH_SIGNED): FINALISED,
    (S.TO_BE_VALIDATED, Event.OFFICER_ACCEPTED): FINALISED,
    (S.TO_BE_VALIDATED, Event.OFFICER_REFERRED): frozenset({S.TO_BE_VALIDATED}),
    (S.TO_BE_VALIDATED, Event.OFFICER_REJECTED): frozenset({S.REJECTED}),
    (S.REJECTED, Event.HANDWRITTEN_UPLOADED): frozenset({S.TO_BE_VALIDATED}),
    (S.IDENTIFICATION, Event.EMPLOYER_IDENTIFIED): frozenset({S.ACTIVE}),
    (S.TO_BE_FINALISED, Event.FINALISATION_LAPSED): frozenset({S.CANCELLED}),
    (S.PENDING, Event.FINALISATION_LAPSED): frozenset({S.CANCELLED}),
    (S.ACTIVE, Event.LAST_END_PASSED): frozenset({S.CLOSED}),
    (S.IDENTIFICATION, Event.LAST_END_PASSED): frozenset({S.CLOSED}),  # closed while awaiting it (R-WIDE-6)
    **{(status, Event.ANNULLED): frozenset({S.CANCELLED}) for status in S if status is not S.CANCELLED},
}

EFFECTIVE = FINALISED  # the mandate has effect (competence, replacement): R-LIFE-5
IN_FLIGHT = frozenset({S.TO_BE_FINALISED, S.PENDING, S.TO_BE_VALIDATED})
HOLDS_PLACE = EFFECTIVE | IN_FLIGHT  # counted for uniqueness, places and maxima (R-UNQ-12, R-EXP-4)
ENDED = frozenset({S.CLOSED, S.CANCELLED, S.REJECTED})  # no branch change any more (R-LIFE-9, R-SSA-4)
AWAITING_SIGNATURE = frozenset({S.TO_BE_FINALISED, S.PENDING})  # swept after 60 days (R-EXP-2)
FINALISATION_DAYS = 60


def next_status(current: MandateStatus, event: Event, *, awaits_identification: bool = False) -> MandateStatus:
    """The status after `event`, or INVALID_TRANSITION.

    A finalised mandate is IDENTIFICATION while its principal still lacks an NSSO number and it
    holds an employer-only group (R-WIDE-6), ACTIVE otherwise.
    """
    targets = TRANSITIONS.get((current, event))
    if not targets:
        raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.status.not_allowed", status=current)
    if targets == FINALISED:
        return S.IDENTIFICATION if awaits_identification else S.ACTIVE
    (target,) = targets
    return target


def finalise_before(created_on: dt.date) -> dt.date:
    """The last day for both signatures: creation + 60 days, inclusive (R-EXP-1)."""
    return created_on + dt.timedelta(days=FINALISATION_DAYS)


def is_lapsed(status: MandateStatus, deadline: dt.date | None, today: dt.date) -> bool:
    """Not finalised in time: treated as cancelled from the day after the deadline, even before the sweep (R-EXP-2)."""
    return status in AWAITING_SIGNATURE and deadline is not None and today > deadline


def status_on(
    status: MandateStatus, deadline: dt.date | None, last_day: dt.date | None, today: dt.date
) -> MandateStatus:
    """The status as of `today`, before the sweep has persisted it.

    `last_day`: the last day of the latest group end, None while a group is open-ended (R-LIFE-7). A mandate
    closed while IDENTIFICATION (guidelines §4.1) ends the same way.
    """
    if is_lapsed(status, deadline, today):
        return S.CANCELLED
    if status in FINALISED and last_day is not None and today > last_day:
        return S.CLOSED
    return status
