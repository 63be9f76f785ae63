"""Closing a mandate: which end quarter who may choose, when, and with which reason.

RULES.md §14 (R-CLO-3..11), R-CAL-7, R-UNQ-7, R-UNQ-9. The window table, with T the quarter of the
reference date and m its month in that quarter:

| asks      | m     | E allowed      | reason                            |
|-----------|-------|----------------|-----------------------------------|
| either    | any   | T .. T+4       | none (R-CLO-3)                    |
| principal | 1     | T-1            | none (R-CLO-4)                    |
| principal | 1     | T-2            | free text (R-CLO-5)               |
| principal | 2, 3  | T-1            | free text (R-CLO-6)               |
| mandatary | 1     | T-1            | none (R-CLO-7)                    |
| mandatary | 1     | T-2            | a code, OTHER with text (R-CLO-7) |
| mandatary | 2, 3  | T-1            | a code, OTHER with text (R-CLO-8) |
| officer   | any   | any E >= S     | a justification outside T..T+4 (R-CLO-10) |

Every E < T is a late closure: the action check of R-CLO-11 runs, whoever asks.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from models.catalogue import ApplicationGroup, RoleScheme
from models.errors import ErrorCode, RuleViolation
from models.places import GroupRole, Holding, Span, role_spans
from models.quarter import Quarter, month_of_quarter, overlaps

AHEAD = 4  # either party may end the mandate in advance up to T+4 (R-CLO-3)


class ClosureReason(enum.Enum):
    """The mandatary's four reasons for a late closure (R-CLO-9)."""

    SILENT_EMPLOYER = "SILENT_EMPLOYER"
    DEBTOR_EMPLOYER = "DEBTOR_EMPLOYER"
    LATE_NOTICE_BY_EMPLOYER = "LATE_NOTICE_BY_EMPLOYER"
    OTHER = "OTHER"


class Requester(enum.Enum):
    PRINCIPAL = "PRINCIPAL"
    MANDATARY = "MANDATARY"
    OFFICER = "OFFICER"  # the Identification department, ex officio or by derogation (R-CLO-1, R-CLO-10)


class Assessment(enum.Enum):
    """The officer's appraisal of a late closure's reason (R-CLO-5, R-CLO-6)."""

    ACCEPT = "ACCEPT"  # the closure stands
    REVERSE = "REVERSE"  # the groups it closed are open again; the officer says why


def assessment_reason(assessment: Assessment, reason: str | None) -> str | None:
    """A reversal states its reason, which both parties read (R-CLO-5); an acceptance may add one."""
    text = (reason or "").strip() or None
    if assessment is Assessment.REVERSE and text is None:
        raise RuleViolation(ErrorCode.REASON_REQUIRED, "api.late_closure.reason", ("reason",), rules=("R-CLO-5",))
    return text


class Need(enum.Enum):
    """What a party must give for an end quarter inside its window."""

    NOTHING = "NOTHING"
    TEXT = "TEXT"  # the principal's free text (R-CLO-5, R-CLO-6); the officer's justification (R-CLO-10)
    CODE = "CODE"  # one of the mandatary's codes (R-CLO-7..9)


@dataclass(frozen=True)
class Closure:
    """An accepted end quarter, and what to store with it."""

    end: Quarter
    late: bool  # E < T: the actions of the released period must be checked (R-CLO-11)
    reason: ClosureReason | None
    text: str | None


def need(requester: Requester, offset: int, month: int) -> Need | None:
    """What closing at E = T + `offset` during month `month` of T requires; None when refused in-app."""
    if 0 <= offset <= AHEAD:
        return Need.NOTHING
    if requester is Requester.OFFICER:
        return Need.TEXT
    reasoned = Need.TEXT if requester is Requester.PRINCIPAL else Need.CODE
    if offset == -1:
        return Need.NOTHING if month == 1 else reasoned
    if offset == -2 and month == 1:
        return reasoned
    return None


def check_closure(
    requester: Requester,
    today: dt.date,
    start: Quarter,
    end: Quarter,
    reason: ClosureReason | None,
    reason_text: str | None,
) -> Closure:
    """The closure at `end` of groups starting at `start`, asked by `requester` on `today`, or why not.

    The end is never before the start: that would void the group, an annulment (R-CAL-7).
    """
    text = (reason_text or "").strip() or None
    if end < start:
        raise RuleViolation(
            ErrorCode.CLOSURE_QUARTER_NOT_ALLOWED,
            "api.closure.end_before_start",
            ("endQuarter",),
            rules=("R-CAL-7",),
            end=end,
            start=start,
        )
    current = Quarter.containing(today)
    required = need(requester, end - current, month_of_quarter(today))
    if required is None:
        raise RuleViolation(
            ErrorCode.CLOSURE_QUARTER_NOT_ALLOWED,
            "api.closure.quarter_not_allowed",
            ("endQuarter",),
            rules=("R-CLO-10",),
            current=current,
            party=requester,
            end=end,
        )
    if reason is ClosureReason.OTHER and text is None:
        raise RuleViolation(
            ErrorCode.REASON_REQUIRED, "api.closure.other_explained", ("reasonText",), rules=("R-CLO-9",)
        )
    if required is Need.CODE and reason is None:
        raise RuleViolation(
            ErrorCode.REASON_REQUIRED,
            "api.closure.reason_code_needed",
            ("reason",),
            rules=("R-CLO-7", "R-CLO-8"),
            end=end,
            reasons=list(ClosureReason),
        )
    if required is Need.TEXT and text is None:
        if requester is Requester.OFFICER:
            raise RuleViolation(
                ErrorCode.REASON_REQUIRED, "api.closure.derogation_text", ("reasonText",), rules=("R-CLO-10",), end=end
            )
        raise RuleViolation(
            ErrorCode.REASON_REQUIRED, "api.closure.late_text", ("reasonText",), rules=("R-CLO-5", "R-CLO-6"), end=end
        )
    return Closure(end=end, late=end < current, reason=reason, text=text)


def check_masters_kept(ends: dict[str, Quarter | None], requires: dict[str, tuple[str, ...]]) -> None:
    """A master Dimona or Flexi does not end before the DmfA of the same mandate (R-UNQ-9).

    `ends`: every group of the mandate with its end after the closure (None = open);
    `requires`: each group's companions (DMFA -> DIMONA, FLEXI).
    """
    for code, end in ends.items():
        for companion in requires.get(code, ()):
            if companion not in ends:
                continue
            kept = ends[companion]
            if kept is not None and (end is None or kept < end):
                raise RuleViolation(
                    ErrorCode.GROUP_REQUIRES_OTHERS,
                    "api.closure.master_ends_first",
                    ("groups",),
                    rules=("R-UNQ-9",),
                    companion=companion,
                    group=code,
                )


def newly_secondary(group_end: Quarter | None, master_old: Span, master_new: Span) -> Span | None:
    """The quarters in which a Dimona or Flexi turns secondary because its DmfA now ends earlier (R-UNQ-7)."""
    old_end, new_end = master_old[1], master_new[1]
    if new_end is None or (old_end is not None and new_end >= old_end):
        return None
    first = new_end + 1
    last = group_end if old_end is None else (old_end if group_end is None else min(group_end, old_end))
    return (first, last) if last is None or first <= last else None


def check_secondary_free(group: ApplicationGroup, span: Span, others: list[Holding]) -> None:
    """The DmfA mandatary keeps its Dimona (Flexi) as secondary only where no other mandatary holds
    the secondary place (R-UNQ-7); `others`: the principal's other mandates' holdings, in flight included."""
    if group.roles is not RoleScheme.MASTER_SECONDARY:
        return
    for holding in others:
        if holding.group != group.code:
            continue
        for role, start, end in role_spans(group.roles, holding.start, holding.end, holding.master_span):
            if role is GroupRole.SECONDARY and overlaps(start, end, *span):
                raise RuleViolation(
                    ErrorCode.SINGLE_MANDATARY_TAKEN,
                    "api.closure.secondary_taken",
                    ("groups",),
                    rules=("R-UNQ-7",),
                    group=group.name,
                    start=span[0],
                )
