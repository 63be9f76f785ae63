"""Delegations, or sub-mandates: a main mandatary hands some of its groups, for an earlier period, to the
provider that held them then (R-DEL-1..5, R-CLU-7).

The main mandatary alone registers and ends them (R-DEL-2, checked by the use case); a delegation
needs neither the principal's signature nor the delegate's acceptance. It lives as long as the main
groups: CANCELLED once their end date has passed, at once when the main mandate is cancelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from models.catalogue import ApplicationGroup
from models.errors import ErrorCode, RuleViolation
from models.places import Holding
from models.quarter import Quarter, overlaps
from models.status import MandateStatus


@dataclass(frozen=True)
class MainGroup:
    """A group of the main mandate: its span, and whether it has effect now (R-LIFE-5, R-WIDE-6)."""

    start: Quarter
    end: Quarter | None
    effective: bool


@dataclass(frozen=True)
class Delegated:
    """An existing, still active delegation of the same mandate to the same delegate."""

    groups: frozenset[str]
    start: Quarter
    end: Quarter


def check_delegation(
    requested: list[ApplicationGroup],
    main: dict[str, MainGroup],
    holdings: list[Holding],
    delegate_id: int,
    start: Quarter,
    end: Quarter,
    today: dt.date,
    existing: Sequence[Delegated] = (),
) -> None:
    """Refuse a delegation R-DEL-1 or R-DEL-4 does not allow; return quietly otherwise.

    `main`: the main mandate's groups by code. `holdings`: the principal's groups that had effect
    (any mandatary), from which the delegate's own tenure is read.
    """
    for group in requested:
        own = main.get(group.code)
        if own is None:
            raise RuleViolation(
                ErrorCode.GROUP_NOT_IN_MANDATE,
                "api.delegation.group_not_held",
                ("groups",),
                rules=("R-DEL-1",),
                group=group.name,
            )
        if not group.delegable:
            raise RuleViolation(
                ErrorCode.DELEGATION_NOT_ALLOWED,
                "api.delegation.not_delegable",
                ("groups",),
                rules=("R-DEL-4",),
                group=group.name,
            )
        if not own.effective:
            raise RuleViolation(
                ErrorCode.DELEGATION_NOT_ALLOWED,
                "api.delegation.not_activated",
                ("groups",),
                rules=("R-WIDE-6",),
                group=group.name,
            )
        if own.end is not None and today > own.end.last_day:
            raise RuleViolation(
                ErrorCode.DELEGATION_NOT_ALLOWED,
                "api.delegation.group_ended",
                ("groups",),
                rules=("R-DEL-5",),
                group=group.name,
                end=own.end,
            )
    if start > end:
        raise RuleViolation(
            ErrorCode.DELEGATION_PERIOD_NOT_ALLOWED,
            "api.delegation.period_reversed",
            ("toQuarter",),
            start=start,
            end=end,
        )
    for group in requested:
        main_start = main[group.code].start
        if end >= main_start:
            raise RuleViolation(
                ErrorCode.DELEGATION_PERIOD_NOT_ALLOWED,
                "api.delegation.before_main",
                ("toQuarter",),
                rules=("R-DEL-1",),
                group=group.name,
                start=main_start,
                last=main_start - 1,
            )
    for group in requested:
        missing = _quarters_not_held(holdings, delegate_id, group.code, start, end)
        if missing:
            raise RuleViolation(
                ErrorCode.DELEGATE_NOT_MANDATED,
                "api.delegation.delegate_not_mandated",
                ("delegateNumber",),
                rules=("R-DEL-1",),
                group=group.name,
                quarter=missing[0],
            )
    for other in existing:
        shared = other.groups & {group.code for group in requested}
        if shared and overlaps(start, end, other.start, other.end):
            raise RuleViolation(
                ErrorCode.DELEGATION_PERIOD_NOT_ALLOWED,
                "api.delegation.already_delegated",
                ("fromQuarter",),
                groups=", ".join(sorted(shared)),
                start=other.start,
                end=other.end,
            )


def _quarters_not_held(
    holdings: list[Holding], mandatary_id: int, code: str, start: Quarter, end: Quarter
) -> list[Quarter]:
    """The quarters of [start, end] in which the mandatary held no effective group `code`."""
    spans = [(h.start, h.end) for h in holdings if h.mandatary_id == mandatary_id and h.group == code and h.effective]
    quarters = (Quarter(index) for index in range(start.index, end.index + 1))
    return [quarter for quarter in quarters if not any(overlaps(s, e, quarter, quarter) for s, e in spans)]


def delegation_status(
    stored: MandateStatus, main_cancelled: bool, main_end: Quarter | None, today: dt.date
) -> MandateStatus:
    """ACTIVE until the main group's end date has passed, then CANCELLED; CANCELLED at once when ended
    by the main mandatary or when the main mandate is cancelled (R-DEL-5).

    `main_end`: the latest end of the delegated main groups, None while one is open-ended.
    """
    if stored is MandateStatus.CANCELLED or main_cancelled:
        return MandateStatus.CANCELLED
    if main_end is not None and today > main_end.last_day:
        return MandateStatus.CANCELLED
    return MandateStatus.ACTIVE
