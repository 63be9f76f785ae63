"""The officers' assessment of late closures given with a reason (R-CLO-5, R-CLO-6, R-CLO-9).

A late closure applies at once (resolvers/close.py) and its mandate is listed, oldest first, until an
officer assesses the reason: ACCEPT leaves the closure as it is; REVERSE opens again the groups that
were closed with a reason, as if the closure had not been made. Both parties are notified of either.

A reversal is refused when, since the closure, another mandate of the principal holds one of those
groups after the closure's end (SINGLE_MANDATARY_TAKEN): the officer then settles it with the parties.
[interpretation] Conservative: any other mandate holding the group counts, whatever the group's maximum.
"""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.closure import Assessment, assessment_reason
from models.errors import ErrorCode, RuleViolation, Words
from models.status import HOLDS_PLACE
from models.tables import Mandate, MandateGroup
from resolvers.columns import values_of
from resolvers.context import UseCase
from resolvers.journal import joined, record
from resolvers.lookup import find_mandate
from resolvers.places import refresh_end_quarter
from resolvers.statuses import any_status

MANDATE_FIELD = ("mandateId",)


def late_closure_queue(uc: UseCase) -> QuerySet[Mandate]:
    """The mandates whose late closure awaits an assessment, oldest closure first (officers only)."""
    uc.actor.require_officer()
    return Mandate.filter(late_closure_since__isnull=False).order_by("late_closure_since", "id")


async def assess_late_closure(uc: UseCase, mandate_id: str, assessment: Assessment, reason: str | None) -> Mandate:
    uc.actor.require_officer()
    text = assessment_reason(assessment, reason)
    today, now = uc.clock.today(), uc.clock.now()
    async with in_transaction():
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)  # locks the principal's places too
        if mandate.late_closure_since is None:
            raise RuleViolation(
                ErrorCode.INVALID_TRANSITION, "api.late_closure.none", MANDATE_FIELD, rules=("R-CLO-6",)
            )
        if assessment is Assessment.REVERSE:
            closed = await MandateGroup.filter(mandate_id=mandate.id, end_quarter__isnull=False).filter(
                Q(closure_reason__isnull=False) | Q(closure_text__isnull=False)
            )
            await _check_places_free(mandate, closed, today)
            await MandateGroup.filter(id__in=[row.id for row in closed]).update(
                end_quarter=None, closure_reason=None, closure_text=None
            )
            await refresh_end_quarter(mandate)
            codes = ", ".join(row.group_code for row in closed)
            reversed_ = Words("notice.detail.late_closure_reversed", {"groups": codes})
            action, detail = (
                "LATE_CLOSURE_REVERSED",
                joined(reversed_, Words("notice.detail.closure_reason", {"reason": text})),
            )
        else:
            given = Words("notice.detail.closure_reason", {"reason": text}) if text else None
            action, detail = "LATE_CLOSURE_ACCEPTED", joined(Words("notice.detail.late_closure_accepted"), given)
        mandate.late_closure_since = None
        await mandate.save(update_fields=["late_closure_since"])
        await record(mandate, uc.actor, action, now, detail=detail)
    return mandate


async def _check_places_free(mandate: Mandate, closed: list[MandateGroup], today: dt.date) -> None:
    """No other mandate of the principal holds a reopened group after the closure's end."""
    holding = any_status(sorted(HOLDS_PLACE, key=lambda status: status.value), today)
    for row in closed:
        others = (
            MandateGroup.filter(principal_id=mandate.principal_id, group_code=row.group_code)
            .exclude(mandate_id=mandate.id)
            .filter(Q(end_quarter__isnull=True) | Q(end_quarter__gt=row.end_quarter))
        )
        holders = await values_of(others, "mandate_id")
        if holders and await Mandate.filter(holding, id__in=holders).exists():
            raise RuleViolation(
                ErrorCode.SINGLE_MANDATARY_TAKEN,
                "api.late_closure.group_taken",
                MANDATE_FIELD,
                rules=("R-CLO-5",),
                group=row.group_code,
            )
