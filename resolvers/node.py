"""`node(id:)`: any persisted object by its global ID, if the actor may see it (API.md)."""

from __future__ import annotations

from tortoise.expressions import Subquery
from tortoise.models import Model

from models.tables import (
    Authorisation,
    Branch,
    Delegation,
    EmployerIdentificationRequest,
    Enterprise,
    Notification,
    ProviderIdentificationRequest,
)
from resolvers.context import UseCase
from resolvers.ids import parse_id
from resolvers.lookup import visible_to


async def find_row(uc: UseCase, global_id: str) -> tuple[str, Model] | None:
    """The type name and row of a global ID; None when malformed, unknown or not visible to the actor."""
    parsed = parse_id(global_id)
    if parsed is None:
        return None
    kind, key = parsed
    if kind == "Mandate":
        row = await (await visible_to(uc.actor)).get_or_none(id=key)
    elif kind == "Enterprise":
        row = await Enterprise.get_or_none(id=key)
    elif kind == "Branch":
        row = await Branch.get_or_none(id=key)
    elif kind == "Authorisation":
        row = await Authorisation.get_or_none(id=key, mandate_id__in=Subquery((await visible_to(uc.actor)).values("id")))
    elif kind == "Delegation":
        row = await Delegation.get_or_none(id=key, mandate_id__in=Subquery((await visible_to(uc.actor)).values("id")))
    elif kind == "Notification":
        row = await Notification.get_or_none(id=key).prefetch_related("recipient")
        if row and not (uc.actor.is_officer or row.recipient.enterprise_number == uc.actor.enterprise_number):
            row = None
    elif kind == "ProviderIdentificationRequest":
        row = await ProviderIdentificationRequest.get_or_none(id=key).prefetch_related("enterprise")
        if row and not (uc.actor.is_officer or row.enterprise.enterprise_number == uc.actor.enterprise_number):
            row = None
    elif kind == "EmployerIdentificationRequest":
        row = await EmployerIdentificationRequest.get_or_none(id=key).prefetch_related("principal", "provider")
        parties = {row.principal.enterprise_number, row.provider.enterprise_number if row.provider else None} if row else set()
        if row and not (uc.actor.is_officer or uc.actor.enterprise_number in parties):
            row = None
    else:
        row = None
    return (kind, row) if row else None
