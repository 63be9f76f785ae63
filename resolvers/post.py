"""The day's letters by post (R-NOT-3): the POST deliveries due, taken in one transaction, printed into
one file by the caller, and marked sent in the same transaction once the file is written.

Two print runs at once take disjoint letters (SKIP LOCKED on PostgreSQL; SQLite serialises them).
Should the commit fail after the file was written, the letters stay due and the next run prints them
again under the same file name (the first delivery's number), replacing the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from models.delivery import DeliveryState
from models.tables import Delivery
from resolvers.journal import POST, unaddressed
from resolvers.outbox import mark_sent


@dataclass(frozen=True)
class DueLetter:
    delivery_id: int
    name: str
    address: str
    subject: str
    body: str
    reference: str | None


async def print_letters(
    until: dt.datetime, now: dt.datetime, write: Callable[[list[DueLetter]], Awaitable[None]]
) -> list[DueLetter]:
    """Every letter due before `until`, handed to `write` (which puts them in one file) then marked sent."""
    async with in_transaction():
        rows = (
            await Delivery.filter(state=DeliveryState.PENDING, channel=POST, created_at__lt=until)
            .order_by("id")
            .select_for_update(skip_locked=True)
            .prefetch_related("notification__recipient", "notification__mandate")
        )
        letters = [
            DueLetter(
                row.id,
                notification.recipient.name,
                notification.recipient.address,
                notification.subject,
                unaddressed(notification.recipient, notification.body),
                notification.mandate.reference if notification.mandate else None,
            )
            for row in rows
            if (notification := row.notification) is not None
        ]
        if letters:
            await write(letters)
            await mark_sent([letter.delivery_id for letter in letters], now)
    return letters
