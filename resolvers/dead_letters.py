"""The officers' queue of notifications that could not be delivered (issue 14), and their decisions on it.

A notification whose delivery is a dead letter (models/delivery.py: every try failed, or a refusal no
retry mends) waits here, oldest first, until an officer decides: RETRY sends it back to PENDING for a
new round of tries under its same idempotency key (the receiver still dedupes it, should an earlier try
have arrived after all); HANDLED settles it another way (e.g. sent by registered post, the recipient
having no usable channel), with the officer's reason. Each decision is one transaction, kept in
`dead_letter_decision` with who, when, why and how the failed round had ended.

Only the notifications' deliveries are in the queue: a webhook's dead pushes are its owner's to see.
"""

from __future__ import annotations

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.delivery import DeliveryDecision, DeliveryState, decided_state
from models.errors import ErrorCode, RuleViolation
from models.tables import DeadLetterDecision, Delivery, Notification
from resolvers.context import UseCase
from resolvers.ids import decode_id

NOTIFICATION_FIELD = ("notificationId",)


def dead_letter_queue(uc: UseCase) -> QuerySet[Notification]:
    """The notifications whose delivery is a dead letter, oldest first (officers only)."""
    uc.actor.require_officer()
    dead = Delivery.filter(state=DeliveryState.DEAD, notification_id__isnull=False).values("notification_id")
    return Notification.filter(id__in=Subquery(dead)).order_by("created_at", "id")


async def decide_dead_letter(
    uc: UseCase, notification_id: str, decision: DeliveryDecision, reason: str | None
) -> Notification:
    """RETRY (a new round of tries from now) or HANDLED (with a reason) a dead letter; anything else is refused."""
    uc.actor.require_officer()
    key = decode_id(notification_id, "Notification", NOTIFICATION_FIELD)
    now = uc.clock.now()
    async with in_transaction():
        notification = await Notification.get_or_none(id=key)
        delivery = await Delivery.select_for_update().get_or_none(notification_id=key) if notification else None
        if notification is None or delivery is None:
            raise RuleViolation(ErrorCode.NOT_FOUND, "api.dead_letter.not_found", NOTIFICATION_FIELD)
        state = decided_state(delivery.state, decision, reason)
        await DeadLetterDecision.create(
            delivery_id=delivery.id,
            decision=decision,
            officer_niss=uc.actor.niss,
            decided_at=now,
            reason=(reason or "").strip() or None,
            attempts=delivery.attempts,
            last_error=delivery.last_error,
        )
        if state is DeliveryState.PENDING:
            # Attempts start again at 0: the retry policy counts this round's tries (models/delivery.py).
            changes = {"state": state, "attempts": 0, "next_attempt_at": now}
        else:
            changes = {"state": state, "next_attempt_at": None}
        # Compare-and-set on the state the decision was taken on (SQLite has no row lock: config/sqlite.py
        # serialises writers, this keeps a second officer's decision from applying twice).
        if not await Delivery.filter(id=delivery.id, state=DeliveryState.DEAD).update(**changes):
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.dead_letter.not_dead", NOTIFICATION_FIELD)
    return notification
