"""Statuses as of today in SQL: a lapsed mandate reads as CANCELLED and an ended one as CLOSED
before the sweep persists them (R-EXP-2, R-LIFE-7)."""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import Q

from models.quarter import Quarter
from models.status import AWAITING_SIGNATURE, FINALISED, MandateStatus, status_on
from models.tables import Mandate

S = MandateStatus


def lapsed_condition(today: dt.date) -> Q:
    """Awaiting signatures past the 60-day limit: shown CANCELLED (R-EXP-2)."""
    return Q(status__in=[s.value for s in AWAITING_SIGNATURE], finalise_before__lt=today)


def ended_condition(today: dt.date) -> Q:
    """ACTIVE (or IDENTIFICATION) with every group's end passed: shown CLOSED (R-LIFE-7).

    `end_quarter IS NOT NULL` keeps ~ended true for open-ended mandates (NOT (x AND NULL) is NULL in SQL).
    """
    return Q(
        status__in=[s.value for s in FINALISED],
        end_quarter__isnull=False,
        end_quarter__lt=Quarter.containing(today).index,
    )


def status_is(status: MandateStatus, today: dt.date) -> Q:
    """A filter matching the mandates whose status as of `today` is `status`."""
    stored = {"status": status.value}
    lapsed, ended = lapsed_condition(today), ended_condition(today)
    if status in AWAITING_SIGNATURE:
        return Q(**stored) & ~lapsed
    if status is S.CANCELLED:
        return Q(**stored) | lapsed
    if status in FINALISED:
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
