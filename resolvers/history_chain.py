"""`mandates verify-history`: every mandate's history chain recomputed (hardening 10, models/history_chain.py)."""

from __future__ import annotations

from itertools import groupby

from models.history_chain import Break, EventFacts, first_break
from models.tables import Mandate, MandateEvent
from resolvers.columns import values_of

BATCH = 500  # mandates read at a time: the memory stays flat however long the registry's history


async def verify_history() -> list[Break]:
    """The first broken event of each mandate whose chain does not hold, in the order of the mandates."""
    breaks: list[Break] = []
    after = 0
    while ids := await values_of(Mandate.filter(id__gt=after).order_by("id").limit(BATCH), "id"):
        after = ids[-1]
        rows = await (
            MandateEvent.filter(mandate_id__in=ids)
            .order_by("mandate_id", "id")
            .values(
                "id",
                "mandate__reference",
                "at",
                "actor_niss",
                "actor_enterprise",
                "action",
                "method",
                "detail",
                "previous_hash",
                "chain_hash",
            )
        )
        for reference, events in groupby(rows, key=lambda row: row["mandate__reference"]):
            facts = [
                EventFacts(**{key: value for key, value in row.items() if key != "mandate__reference"})
                for row in events
            ]
            if broken := first_break(reference, facts):
                breaks.append(broken)
    return breaks
