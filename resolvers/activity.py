"""The parties' activity against the mandate period, checked by every action on a mandate (R-ENT-8).

The Mahis description: "Any action on a mandate involves checking the mandate period against the
activity period of the principal and mandatary." Creation checks the new mandate (resolvers/create.py);
signing, uploading, the officer's acceptance, delegating (the delegate too) and branch changes check
the mandate as it stands; a closure checks only the end it sets, since it only shortens the mandate.
"""

from __future__ import annotations

import datetime as dt

from models import creation
from models.errors import ErrorCode, RuleViolation
from models.quarter import Quarter, quarter_or_none
from models.tables import Enterprise, Mandate

MANDATE_FIELD = ("mandateId",)


def activity_of(enterprise: Enterprise) -> creation.ActivityPeriod:
    return creation.ActivityPeriod(enterprise.active_from, enterprise.active_until)


def check_mandate_activity(mandate: Mandate, today: dt.date) -> None:
    """ENTERPRISE_INACTIVE or PERIOD_OUTSIDE_ACTIVITY unless both parties are active and the mandate's
    period lies within both activity periods. `mandate.principal` and `mandate.mandatary` must be fetched."""
    creation.check_parties(
        activity_of(mandate.principal),
        activity_of(mandate.mandatary),
        Quarter(mandate.start_quarter),
        quarter_or_none(mandate.end_quarter),
        today,
        MANDATE_FIELD,
    )


def check_closure_activity(mandate: Mandate, end: Quarter) -> None:
    """The end a closure sets lies within both activity periods (`creation.check_end_within`)."""
    creation.check_end_within(activity_of(mandate.principal), activity_of(mandate.mandatary), end)


def check_delegate_activity(delegate: Enterprise, start: Quarter, end: Quarter, today: dt.date) -> None:
    """The delegate is active and the delegated period lies within its activity (R-ENT-8, R-DEL-1)."""
    period = activity_of(delegate)
    if not period.is_active(today):
        raise RuleViolation(ErrorCode.ENTERPRISE_INACTIVE, "api.delegation.delegate_inactive", ("delegateNumber",))
    if not period.covers(start, end):
        raise RuleViolation(
            ErrorCode.PERIOD_OUTSIDE_ACTIVITY,
            "api.delegation.delegate_outside_activity",
            ("fromQuarter",),
            start=start,
            end=end,
        )
