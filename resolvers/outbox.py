"""The outbox: the messages to send, written in the mutation's transaction, claimed and settled by the
delivery worker (config/delivery.py).

Once across replicas and workers, without a lock of its own: a claim takes due rows in one short
transaction and moves their `next_attempt_at` a lease ahead. On PostgreSQL `FOR UPDATE SKIP LOCKED`
lets concurrent claimers take disjoint rows without waiting for one another; on SQLite the write
transaction begins IMMEDIATE (config/sqlite.py), so claims are serialised across processes. Each row
is then taken with a compare-and-set on its `attempts`, so a row two claimers both read goes to one.
The send happens outside any transaction; the outcome is settled in another. A worker that dies
mid-send leaves the row due again once the lease has passed: it may then be sent twice, which the
receiver recognises by the idempotency key (README, Delivery).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.delivery import DeliveryState, RetryPolicy
from models.tables import Delivery, FeedEvent, Webhook
from resolvers.rows import insert

WEBHOOK = "WEBHOOK"
ERROR_LENGTH = 300


def new_delivery(channel: str, at: dt.datetime, **target: int) -> dict[str, Any]:
    """A row to send at once, with its idempotency key (`notification_id=`, or `event_id=` and `webhook_id=`)."""
    return {
        "channel": channel,
        "idempotency_key": str(uuid.uuid4()),
        "state": DeliveryState.PENDING,
        "next_attempt_at": at,
        "created_at": at,
        **target,
    }


async def enqueue_notifications(notifications: list[tuple[int, str, dt.datetime]]) -> None:
    """Each notification's delivery (its id, channel and time) by its channel, in the caller's transaction (one
    statement)."""
    await insert(Delivery, [new_delivery(channel, at, notification_id=key) for key, channel, at in notifications])


async def enqueue_event(event: FeedEvent, webhooks: list[Webhook]) -> None:
    """The event's push to each webhook that may see it, in the caller's transaction."""
    await insert(
        Delivery, [new_delivery(WEBHOOK, event.time, event_id=event.id, webhook_id=hook.id) for hook in webhooks]
    )


@dataclass(frozen=True)
class Claimed:
    """A row taken by this worker until `until`: `attempt` is the number of this try."""

    id: int
    channel: str
    idempotency_key: str
    attempt: int
    notification_id: int | None
    event_id: int | None
    webhook_id: int | None


async def claim(channels: set[str], now: dt.datetime, lease: dt.timedelta, limit: int) -> list[Claimed]:
    """Take up to `limit` due rows of `channels` for `lease`; each row goes to one claimer."""
    if not channels:
        return []
    taken: list[Claimed] = []
    async with in_transaction():
        rows = (
            await Delivery.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now, channel__in=sorted(channels))
            .order_by("next_attempt_at", "id")
            .limit(limit)
            .select_for_update(skip_locked=True)
        )
        for row in rows:
            moved = await Delivery.filter(id=row.id, attempts=row.attempts, state=DeliveryState.PENDING).update(
                attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=now + lease
            )
            if moved:
                taken.append(
                    Claimed(
                        row.id,
                        row.channel,
                        row.idempotency_key,
                        row.attempts + 1,
                        row.notification_id,
                        row.event_id,
                        row.webhook_id,
                    )
                )
    return taken


async def settle_sent(claimed: Claimed, now: dt.datetime) -> None:
    """The receiver accepted it: SENT, never tried again."""
    await Delivery.filter(id=claimed.id, attempts=claimed.attempt).update(
        state=DeliveryState.SENT, sent_at=now, next_attempt_at=None, last_error=None
    )


async def settle_failed(
    claimed: Claimed, now: dt.datetime, error: str, policy: RetryPolicy, *, permanent: bool = False
) -> DeliveryState:
    """The try failed: due again after the back-off, or a dead letter after the last try (or a permanent failure)."""
    state, next_at = policy.after_failure(claimed.attempt, now, permanent=permanent)
    await Delivery.filter(id=claimed.id, attempts=claimed.attempt).update(
        state=state, next_attempt_at=next_at, last_error=error[:ERROR_LENGTH]
    )
    return state


async def mark_sent(ids: list[int], now: dt.datetime) -> None:
    """Rows sent another way than one by one (the day's letters, in one print file)."""
    await Delivery.filter(id__in=ids, state=DeliveryState.PENDING).update(
        state=DeliveryState.SENT, sent_at=now, next_attempt_at=None, attempts=F("attempts") + 1, last_attempt_at=now
    )
