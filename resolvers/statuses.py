"""Statuses as of today in SQL: a lapsed mandate reads as CANCELLED and an ended one as CLOSED
before the sweep persists them (R-EXP-2, R-LIFE-7)."""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import Q

from models.quarter import Quarter
from models.status import AWAITING_SIGNATURE, MandateStatus, status_on
from models.tables import Mandate

S = MandateStatus


def status_is(status: MandateStatus, today: dt.date, prefix: str = "") -> Q:
    """A filter matching the mandates whose status as of `today` is `status`."""
    current = Quarter.containing(today).index
    stored = {f"{prefix}status": status.value}
    lapsed = Q(**{f"{prefix}status__in": [s.value for s in AWAITING_SIGNATURE], f"{prefix}finalise_before__lt": today})
    # `end_quarter IS NOT NULL` keeps ~ended true for open-ended mandates (NOT (x AND NULL) is NULL in SQL).
    ended = Q(**{f"{prefix}status": S.ACTIVE.value, f"{prefix}end_quarter__isnull": False, f"{prefix}end_quarter__lt": current})
    if status in AWAITING_SIGNATURE:
        return Q(**stored) & ~lapsed
    if status is S.CANCELLED:
        return Q(**stored) | lapsed
    if status is S.ACTIVE:
        return Q(**stored) & ~ended
    if status is S.CLOSED:
        return Q(**stored) | ended
    return Q(**stored)


def any_status(statuses: list[MandateStatus], today: dt.date) -> Q:
    condition = status_is(statuses[0], today)
    for status in statuses[1:]:
        condition |= status_is(status, today)
    return condition


def current_status(mandate: Mandate, today: dt.date) -> MandateStatus:
    """One mandate's status as of `today` (the same reading as `status_is`)."""
    end = None if mandate.end_quarter is None else Quarter(mandate.end_quarter).last_day
    return status_on(MandateStatus(mandate.status), mandate.finalise_before, end, today)
