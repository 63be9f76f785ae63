"""Webhooks: addresses integrations register to receive the change feed, pushed by the outbox and signed
with a secret shown once (models/delivery.py, README "Webhooks").

A webhook receives the events its registrant may see (resolvers/visibility.py): officers and
integrations every event; a manager of an enterprise the events of its mandates and delegations.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from tortoise.transactions import in_transaction

from models.errors import ErrorCode, RuleViolation
from models.tables import Webhook
from resolvers.access import Forbidden
from resolvers.context import UseCase
from resolvers.ids import decode_id, text_length
from resolvers.visibility import NOBODY, own_enterprise_id, sees_every_event, visible_webhooks


@dataclass(frozen=True)
class Registered:
    webhook: Webhook
    secret: str  # shown in this answer only


async def register_webhook(uc: UseCase, url: str) -> Registered:
    """Register `url` (http or https, at most 500 characters); its secret is returned once."""
    sees_all = sees_every_event(uc.actor)
    own = await own_enterprise_id(uc.actor)
    if not sees_all and (not uc.actor.can_manage or own == NOBODY):
        raise Forbidden("api.forbidden.webhooks")
    parts = urlsplit(url.strip())
    if parts.scheme not in {"https", "http"} or not parts.hostname or len(url.strip()) > text_length(Webhook, "url"):
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.webhook.url", ("url",), length=text_length(Webhook, "url"))
    secret = secrets.token_hex(32)
    async with in_transaction():
        webhook = await Webhook.create(
            url=url.strip(),
            secret=secret,
            owner_niss=uc.actor.niss,
            owner_enterprise_id=None if own == NOBODY else own,
            sees_all=sees_all,
            created_at=uc.clock.now(),
        )
    return Registered(webhook, secret)


async def remove_webhook(uc: UseCase, webhook_id: str) -> Webhook:
    """Stop pushing to a webhook; what was queued for it is still tried (it was due before the removal)."""
    key = decode_id(webhook_id, "Webhook", ("webhookId",))
    async with in_transaction():
        webhook = await (await visible_webhooks(uc.actor)).filter(removed_at=None).get_or_none(id=key)
        if webhook is None:
            raise RuleViolation(ErrorCode.NOT_FOUND, "api.webhook.not_found", ("webhookId",))
        webhook.removed_at = uc.clock.now()
        await webhook.save(update_fields=["removed_at"])
    return webhook
