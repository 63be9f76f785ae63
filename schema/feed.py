"""The change feed and its webhooks (README, Change feed): `events(after:)`, `registerWebhook`, `removeWebhook`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from models.errors import ErrorCode, RuleViolation
from models.tables import FeedEvent as FeedEventRow
from models.tables import Webhook as WebhookRow
from resolvers import feed, webhooks
from resolvers.ids import decode_id, encode_id
from schema import types
from schema.payloads import attempt
from schema.permissions import CanRegisterWebhooks, IsAuthenticated

CURSOR = "ChangeEvent"  # the cursors of `events` are opaque IDs of this kind: a position in the feed
DEFAULT_PAGE = 100


@strawberry.type(
    description=(
        "A change to a mandate (its groups included) or a delegation, in the CloudEvents 1.0 JSON format: `data` is "
        "the subject's whole state after the change."
    )
)
class ChangeEvent:
    row: strawberry.Private[FeedEventRow]

    @strawberry.field(description="The CloudEvents `id`: unique, the same in every push of this event.")
    def id(self) -> str:
        return self.row.event_id

    @strawberry.field(description="The CloudEvents `source`: the registry.")
    def source(self) -> str:
        return feed.SOURCE

    @strawberry.field(
        description="The CloudEvents `type`, e.g. be.socialsecurity.mandates.mandate.created (README, Change feed)."
    )
    def type(self) -> str:
        return self.row.type

    @strawberry.field(description="The CloudEvents `time`: when the change was made.")
    def time(self) -> dt.datetime:
        return self.row.time

    @strawberry.field(description="The CloudEvents `subject`: mandates/<reference> or delegations/<global ID>.")
    def subject(self) -> str:
        return self.row.subject

    @strawberry.field(description="The CloudEvents `data`: the mandate or delegation after the change.")
    def data(self) -> JSON:
        return JSON(self.row.data)

    @strawberry.field(description="The whole event as CloudEvents JSON, as webhooks receive it.")
    def cloud_event(self) -> JSON:
        return JSON(feed.as_cloud_event(self.row))


@strawberry.type(description="An event of the feed, with its position.")
class ChangeEventEdge:
    cursor: str = strawberry.field(description="Opaque: the event's position; pass it as `after` to read on.")
    node: ChangeEvent = strawberry.field(description="The event.")


@strawberry.type(description="A page of the change feed, oldest first.")
class ChangeEventConnection:
    edges: list[ChangeEventEdge] = strawberry.field(description="The page's events, oldest first.")
    has_next_page: bool = strawberry.field(description="Whether more events follow already.")
    end_cursor: str | None = strawberry.field(
        description="The last event's position; keep it and ask again with it as `after` (the same when none came)."
    )


@strawberry.type(description="An address that receives the change feed, signed (README, Webhooks).")
class Webhook(types.FromRow, types.Node):
    row: strawberry.Private[WebhookRow]

    @strawberry.field(description="Where the events are posted.")
    def url(self) -> str:
        return self.row.url

    @strawberry.field(description="When it was registered.")
    def created_at(self) -> dt.datetime:
        return self.row.created_at

    @strawberry.field(description="When it was removed; null while it receives events.")
    def removed_at(self) -> dt.datetime | None:
        return self.row.removed_at


@strawberry.input(description="An address to receive the change feed.")
class RegisterWebhookInput:
    url: str = strawberry.field(description="An https:// address (at most 500 characters).")


@strawberry.input(description="A webhook to stop.")
class RemoveWebhookInput:
    webhook_id: strawberry.ID = strawberry.field(description="The global ID of a webhook the viewer registered.")


@strawberry.type(description="The outcome of registerWebhook.")
class RegisterWebhookPayload:
    webhook: Webhook | None = strawberry.field(description="The webhook; null when refused.")
    secret: str | None = strawberry.field(
        description=(
            "The key of the pushes' signatures: shown here only, never again; keep it secret (README, Webhooks)."
        )
    )
    user_errors: list[types.UserError] = strawberry.field(description=types.USER_ERRORS)


@strawberry.type(description="The outcome of removeWebhook.")
class WebhookPayload:
    webhook: Webhook | None = strawberry.field(description="The webhook after the change; null when refused.")
    user_errors: list[types.UserError] = strawberry.field(description=types.USER_ERRORS)


def _position(after: str | None) -> int:
    return 0 if after is None else decode_id(after, CURSOR, ("after",))


@strawberry.type
class FeedQueries:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description=(
            "The change feed after a position, oldest first, as far as the viewer may see: the mandates and "
            "delegations of its enterprise (a delegate its delegations); every event for officers and integrations."
        ),
    )
    async def events(
        self,
        info: Info,
        after: Annotated[
            str | None,
            strawberry.argument(description="A position (`endCursor`, an edge's `cursor`); none: from the start."),
        ] = None,
        first: Annotated[
            int | None, strawberry.argument(description="At most this many events: 1 to 100 (100 when not given).")
        ] = None,
    ) -> ChangeEventConnection:
        size = DEFAULT_PAGE if first is None else first
        if not 1 <= size <= info.context.page_size_max:
            raise RuleViolation(ErrorCode.INVALID_INPUT, "api.feed.page", ("first",), cap=info.context.page_size_max)
        rows = await feed.events_after(info.context.use_case().actor, _position(after), size + 1)
        page = rows[:size]
        edges = [ChangeEventEdge(cursor=encode_id(CURSOR, row.id), node=ChangeEvent(row=row)) for row in page]
        return ChangeEventConnection(
            edges=edges, has_next_page=len(rows) > size, end_cursor=edges[-1].cursor if edges else after
        )


def _webhook(row: Any) -> Webhook | None:
    return Webhook.of(row) if row else None


@strawberry.type
class FeedMutations:
    @strawberry.mutation(
        permission_classes=[CanRegisterWebhooks],
        description=(
            "Register an address to receive the change feed's events the viewer may see, signed with a secret shown "
            "once (README, Webhooks). For officers, integrations and managers of an enterprise."
        ),
    )
    async def register_webhook(
        self,
        info: Info,
        input: Annotated[RegisterWebhookInput, strawberry.argument(description="The address.")],
    ) -> RegisterWebhookPayload:
        registered, errors = await attempt(lambda: webhooks.register_webhook(info.context.use_case(), input.url))
        return RegisterWebhookPayload(
            webhook=_webhook(registered.webhook if registered else None),
            secret=registered.secret if registered else None,
            user_errors=errors,
        )

    @strawberry.mutation(
        permission_classes=[CanRegisterWebhooks],
        description="Stop pushing events to a webhook the viewer registered.",
    )
    async def remove_webhook(
        self,
        info: Info,
        input: Annotated[RemoveWebhookInput, strawberry.argument(description="The webhook.")],
    ) -> WebhookPayload:
        row, errors = await attempt(lambda: webhooks.remove_webhook(info.context.use_case(), input.webhook_id))
        return WebhookPayload(webhook=_webhook(row), user_errors=errors)
