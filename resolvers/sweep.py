"""The periodic sweep: mandates not finalised in 60 days are cancelled, ended ones closed (R-EXP-2, R-LIFE-7).

Run by `mandates sweep` and by the server every MANDATES_SWEEP_INTERVAL_SECONDS. Reads already
show these statuses before the sweep (resolvers.statuses); the sweep persists them and notifies.
Delegations whose main groups have ended are cancelled the same way (R-DEL-5, resolvers.delegations).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from config.clock import Clock
from models.catalogue import Catalogue
from models.errors import Words
from models.status import AWAITING_SIGNATURE, Event, MandateStatus, next_status
from models.tables import Mandate
from resolvers.columns import values_of
from resolvers.delegations import cancel_ended_delegations
from resolvers.journal import record
from resolvers.statuses import current_status, status_is

log = logging.getLogger("mandates.sweep")

WARNING_DAYS = 7


@dataclass(frozen=True)
class SweepReport:
    """What the run changed (rows re-checked under their lock), not what it listed."""

    cancelled: int
    closed: int
    warned: int = 0
    delegations_cancelled: int = 0  # delegations ended with their main groups (R-DEL-5)


async def sweep(clock: Clock, catalogue: Catalogue) -> SweepReport:
    """Persist the statuses the calendar changed, warn before the 60-day limit, cancel the delegations whose
    main groups ended; `catalogue` names the groups in the notifications."""
    today = clock.today()
    warned = await _warn_before_lapse(clock, today)
    counts = {MandateStatus.CANCELLED: 0, MandateStatus.CLOSED: 0}
    for shown, event in (
        (MandateStatus.CANCELLED, Event.FINALISATION_LAPSED),
        (MandateStatus.CLOSED, Event.LAST_END_PASSED),
    ):
        due = await values_of(Mandate.filter(status_is(shown, today)).exclude(status=shown.value), "id")
        for mandate_id in due:
            async with in_transaction():
                mandate = (
                    await Mandate.select_for_update().get(id=mandate_id).prefetch_related("principal", "mandatary")
                )
                if current_status(mandate, today) is not shown or mandate.status is shown:
                    continue  # changed since it was listed (signed, annulled...): nothing to persist
                mandate.status = next_status(mandate.status, event)
                await mandate.save(update_fields=["status"])
                detail = (
                    Words("notice.detail.lapsed", {"date": mandate.finalise_before})
                    if event is Event.FINALISATION_LAPSED
                    else Words("notice.detail.all_ended")
                )
                await record(mandate, None, mandate.status.value, clock.now(), detail=detail)
                log.info(
                    "sweep changed a mandate", extra={"fields": {"mandate": mandate.id, "status": mandate.status.value}}
                )
                counts[shown] += 1  # changed, not merely listed: another sweep may have changed it first
    delegations = await cancel_ended_delegations(clock, catalogue)
    return SweepReport(
        cancelled=counts[MandateStatus.CANCELLED],
        closed=counts[MandateStatus.CLOSED],
        warned=warned,
        delegations_cancelled=delegations,
    )


async def _warn_before_lapse(clock: Clock, today: dt.date) -> int:
    """Both parties are warned once, 7 days before the 60-day limit. Returns how many were warned."""
    due = await values_of(
        Mandate.filter(
            status__in=[s.value for s in AWAITING_SIGNATURE],
            finalise_before__gte=today,
            finalise_before__lte=today + dt.timedelta(days=WARNING_DAYS),
            lapse_warned_at__isnull=True,
        ),
        "id",
    )
    warned = 0
    for mandate_id in due:
        async with in_transaction():
            mandate = await Mandate.select_for_update().get(id=mandate_id).prefetch_related("principal", "mandatary")
            if mandate.status not in AWAITING_SIGNATURE or mandate.lapse_warned_at is not None:
                continue  # signed or warned since it was listed
            mandate.lapse_warned_at = clock.now()
            await mandate.save(update_fields=["lapse_warned_at"])
            detail = Words("notice.detail.lapse_warning", {"date": mandate.finalise_before})
            await record(mandate, None, "LAPSE_WARNING", mandate.lapse_warned_at, detail=detail)
            warned += 1
    return warned
