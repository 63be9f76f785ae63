"""`node(id:)`: any persisted object by its global ID, if the actor may see it (API.md)."""

from __future__ import annotations

import base64
import binascii

from tortoise.models import Model

from models.tables import Branch, Delegation, Enterprise, Notification
from resolvers.context import UseCase
from resolvers.lookup import visible_to


def split_id(global_id: str) -> tuple[str, int] | None:
    try:
        kind, _, key = base64.b64decode(global_id, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return (kind, int(key)) if key.isdigit() and len(key) < 12 else None


async def find_row(uc: UseCase, global_id: str) -> tuple[str, Model] | None:
    """The type name and row of a global ID; None when malformed, unknown or not visible to the actor."""
    parsed = split_id(global_id)
    if parsed is None:
        return None
    kind, key = parsed
    if kind == "Mandate":
        row = await visible_to(uc.actor).get_or_none(id=key)
    elif kind == "Enterprise":
        row = await Enterprise.get_or_none(id=key)
    elif kind == "Branch":
        row = await Branch.get_or_none(id=key)
    elif kind == "Delegation":
        row = await Delegation.get_or_none(id=key, mandate_id__in=visible_to(uc.actor).values("id"))
    elif kind == "Notification":
        row = await Notification.get_or_none(id=key).prefetch_related("recipient")
        if row and not (uc.actor.is_officer or row.recipient.enterprise_number == uc.actor.enterprise_number):
            row = None
    else:
        row = None
    return (kind, row) if row else None
