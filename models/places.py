"""Places in a group: uniqueness, master and secondary, maxima, change of provider.

RULES.md §12 and §13: R-UNQ-1..13, R-CHG-1..5, R-CHG-7, R-EXP-4, R-CLU-4, R-CLU-5.

A principal's group offers places: one for a single-mandatary group, a master and a secondary
place for Dimona and Flexi At Work, up to a maximum for DRS groups. A new mandate either finds its
place free, or replaces the mandatary holding it (closing that group at the end of the quarter
before the new start), or is refused.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from models.catalogue import ApplicationGroup, Catalogue, RoleScheme
from models.errors import ErrorCode, RuleViolation
from models.quarter import Quarter, month_of_quarter, overlaps


class GroupRole(enum.Enum):
    SOLE = "SOLE"
    MASTER = "MASTER"
    SECONDARY = "SECONDARY"


Span = tuple[Quarter, Quarter | None]  # [start, end], None = open-ended


@dataclass(frozen=True)
class Holding:
    """A group of one of the principal's mandates that holds a place (R-UNQ-12).

    `master_span`: the span of the group of the same mandate that requires this one (DmfA for Dimona
    and Flexi); while it runs, this group holds the master place (R-UNQ-5).
    """

    mandate_id: int
    mandatary_id: int
    group: str
    start: Quarter
    end: Quarter | None
    effective: bool  # ACTIVE or IDENTIFICATION; otherwise in flight, reserving its place (R-EXP-4)
    master_span: Span | None = None


@dataclass(frozen=True)
class Replacement:
    """A group of another mandate to close when the new mandate becomes effective (R-CHG-3)."""

    mandate_id: int
    group: str
    end: Quarter


def role_spans(
    scheme: RoleScheme, start: Quarter, end: Quarter | None, master_span: Span | None
) -> list[tuple[GroupRole, Quarter, Quarter | None]]:
    """The roles a group holds over its span: derived, never stored (R-UNQ-5, R-UNQ-7, R-PDF-7)."""
    if scheme is RoleScheme.SOLE:
        return [(GroupRole.SOLE, start, end)]
    if master_span is None or not overlaps(start, end, *master_span):
        return [(GroupRole.SECONDARY, start, end)]
    master_start, master_end = master_span
    spans: list[tuple[GroupRole, Quarter, Quarter | None]] = []
    if start < master_start:
        spans.append((GroupRole.SECONDARY, start, master_start - 1))
    spans.append((GroupRole.MASTER, max(start, master_start), _earliest(end, master_end)))
    if master_end is not None and (end is None or end > master_end):
        spans.append((GroupRole.SECONDARY, master_end + 1, end))
    return spans


def role_on(
    scheme: RoleScheme, start: Quarter, end: Quarter | None, master_span: Span | None, quarter: Quarter
) -> GroupRole:
    """The role in `quarter` (before the start: the first role it will hold)."""
    spans = role_spans(scheme, start, end, master_span)
    for role, span_start, span_end in spans:
        if span_start <= quarter and (span_end is None or quarter <= span_end):
            return role
    return spans[0][0] if quarter < start else spans[-1][0]


def roles_in(catalogue: Catalogue, spans: dict[str, Span], quarter: Quarter) -> dict[str, GroupRole]:
    """The role each group of one mandate holds in `quarter` (its spans by group code): master while
    the group that requires it (DmfA) runs, secondary otherwise, sole for single groups (R-UNQ-5, R-UNQ-7)."""
    roles = {}
    for code, (start, end) in spans.items():
        master = next((spans[other] for other in spans if code in catalogue[other].requires), None)
        roles[code] = role_on(catalogue[code].roles, start, end, master, quarter)
    return roles


def _earliest(a: Quarter | None, b: Quarter | None) -> Quarter | None:
    if a is None:
        return b
    return a if b is None else min(a, b)


def new_role(group: ApplicationGroup, codes: set[str], catalogue_requires: dict[str, tuple[str, ...]]) -> GroupRole:
    """The place a new group takes: master when the mandate holds a group requiring it (DmfA)."""
    if group.roles is RoleScheme.SOLE:
        return GroupRole.SOLE
    masters = any(group.code in catalogue_requires.get(code, ()) for code in codes)
    return GroupRole.MASTER if masters else GroupRole.SECONDARY


def plan_places(
    groups: list[ApplicationGroup],
    mandatary_id: int,
    start: Quarter,
    holdings: list[Holding],
    window_day: dt.date,
) -> list[Replacement]:
    """Check that each new group finds a place from `start` on; return the groups it replaces.

    `holdings`: the principal's groups that hold a place, the new mandate's own excluded.
    `window_day`: the day the change-of-provider windows are judged on, the creation day (R-CHG-7).
    """
    codes = {group.code for group in groups}
    requires = {group.code: group.requires for group in groups}
    replacements: list[Replacement] = []
    for group in groups:
        role = new_role(group, codes, requires)
        same_group = [h for h in holdings if h.group == group.code and overlaps(h.start, h.end, start, None)]
        own = [h for h in same_group if h.mandatary_id == mandatary_id]
        others = [h for h in same_group if h.mandatary_id != mandatary_id]
        replacements += _own_groups(group, role, own, start)
        if group.max_mandataries is None:
            continue
        if group.replaced_on_change:
            replacements += _replace(group, role, others, start, window_day)
        else:
            _within_maximum(group, group.max_mandataries, others, start)
    return replacements


def _own_groups(group: ApplicationGroup, role: GroupRole, own: list[Holding], start: Quarter) -> list[Replacement]:
    """No mandatary holds the same group twice at once (R-UNQ-13), except the DmfA take-over:
    a mandatary taking the master place ends its own secondary group (R-UNQ-10)."""
    replaced = []
    for holding in own:
        spans = role_spans(group.roles, holding.start, holding.end, holding.master_span)
        secondary_only = all(r is GroupRole.SECONDARY for r, s, e in spans if overlaps(s, e, start, None))
        if role is GroupRole.MASTER and secondary_only and holding.effective and holding.start < start:
            replaced.append(Replacement(holding.mandate_id, group.code, start - 1))
            continue
        raise RuleViolation(
            ErrorCode.DUPLICATE_MANDATE, "api.places.duplicate", ("groups",), group=group.name, start=holding.start
        )
    return replaced


def _replace(
    group: ApplicationGroup, role: GroupRole, others: list[Holding], start: Quarter, window_day: dt.date
) -> list[Replacement]:
    """One mandatary per place; a valid change of provider replaces the holder (R-UNQ-1, R-CHG-2..5)."""
    today = Quarter.containing(window_day)
    replaced = []
    for holding in others:
        spans = role_spans(group.roles, holding.start, holding.end, holding.master_span)
        in_place = [s for r, s, e in spans if r is role and overlaps(s, e, start, None)]
        if not in_place:
            continue
        if not holding.effective:
            raise RuleViolation(
                ErrorCode.SINGLE_MANDATARY_TAKEN,
                "api.places.reserved",
                ("groups",),
                rules=("R-EXP-4",),
                group=group.name,
                role=role,
            )
        if start < today or (start == today and month_of_quarter(window_day) > 1):
            raise RuleViolation(
                ErrorCode.RETROACTIVE_START_NOT_ALLOWED,
                "api.places.retroactive",
                ("startQuarter",),
                rules=("R-CHG-4", "R-CHG-5"),
                group=group.name,
                role=role,
            )
        # The holder takes this place only from `in_place[0]` (e.g. a master Dimona turning secondary
        # when its DmfA ends, R-UNQ-7): ending its group at S-1 would cut a master (R-UNQ-6, R-UNQ-9).
        if in_place[0] >= start:
            raise RuleViolation(
                ErrorCode.SINGLE_MANDATARY_TAKEN,
                "api.places.taken",
                ("groups",),
                group=group.name,
                role=role,
                start=in_place[0],
            )
        replaced.append(Replacement(holding.mandate_id, group.code, start - 1))
    return replaced


def _within_maximum(group: ApplicationGroup, maximum: int, others: list[Holding], start: Quarter) -> None:
    """DRS groups: a full maximum refuses the new mandate, never replacing one (R-UNQ-11)."""
    moments = {start} | {h.start for h in others if h.start > start}
    for quarter in moments:
        holders = {h.mandatary_id for h in others if overlaps(h.start, h.end, quarter, quarter)}
        if len(holders) >= maximum:
            raise RuleViolation(
                ErrorCode.MAX_MANDATARIES_REACHED,
                "api.places.maximum",
                ("groups",),
                maximum=maximum,
                group=group.name,
                quarter=quarter,
            )
