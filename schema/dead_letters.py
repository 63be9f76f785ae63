"""The officers' queue of notifications that could not be delivered and their decision on each (issue 14;
resolvers/dead_letters.py): undeliveredNotifications and decideDeadLetter."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers import dead_letters
from schema import enums, types
from schema.connections import connection
from schema.pagination import After, First
from schema.payloads import attempt
from schema.permissions import IsOfficer


@strawberry.input(description="An NSSO officer's decision on a notification that could not be delivered.")
class DecideDeadLetterInput:
    notification_id: strawberry.ID = strawberry.field(
        description="The global ID of the notification whose delivery is DEAD."
    )
    decision: enums.DeliveryDecision = strawberry.field(description="Try it again, or record it as handled.")
    reason: str | None = strawberry.field(
        default=None,
        description="How it was handled (e.g. sent by registered post): required for HANDLED, 500 characters at most.",
    )


@strawberry.type(description="The outcome of decideDeadLetter.")
class NotificationPayload:
    notification: types.Notification | None = strawberry.field(
        description="The notification, its delivery as decided; null when refused."
    )
    user_errors: list[types.UserError] = strawberry.field(description=types.USER_ERRORS)


@strawberry.type
class DeadLetterQueries:
    @strawberry.field(
        permission_classes=[IsOfficer],
        description=(
            "Officers: the notifications whose delivery is a dead letter (every try failed, or the receiver refused "
            "it), oldest first, until an officer retries it or records it as handled (decideDeadLetter)."
        ),
    )
    async def undelivered_notifications(
        self, info: Info, first: First = None, after: After = None
    ) -> types.NotificationConnection:
        query = dead_letters.dead_letter_queue(info.context.use_case())
        return await connection(
            info, query, types.NotificationConnection, types.NotificationEdge, types.Notification, first, after
        )


@strawberry.type
class DeadLetterMutations:
    @strawberry.mutation(
        permission_classes=[IsOfficer],
        description=(
            "NSSO officer: send a dead letter back for a new round of tries, or record it as handled another way "
            "with a reason; kept with the officer and the failed round in the delivery's decisions."
        ),
    )
    async def decide_dead_letter(
        self,
        info: Info,
        input: Annotated[
            DecideDeadLetterInput, strawberry.argument(description="The notification, the decision and its reason.")
        ],
    ) -> NotificationPayload:
        row, errors = await attempt(
            lambda: dead_letters.decide_dead_letter(
                info.context.use_case(), input.notification_id, input.decision, input.reason
            )
        )
        return NotificationPayload(notification=types.Notification.of(row) if row else None, user_errors=errors)
