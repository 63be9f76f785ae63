"""`node(id:)`: any persisted object by its global ID, if the actor may see it (API.md; resolvers.visibility)."""

from __future__ import annotations

from tortoise.models import Model

from resolvers.context import UseCase
from resolvers.ids import parse_id
from resolvers.visibility import VISIBLE


async def find_row(uc: UseCase, global_id: str) -> tuple[str, Model] | None:
    """The type name and row of a global ID; None when malformed, forged, unknown or not visible to the actor."""
    parsed = parse_id(global_id, VISIBLE)
    if parsed is None:
        return None
    kind, key = parsed
    row = await (await VISIBLE[kind](uc.actor)).get_or_none(id=key)
    return (kind, row) if row else None
