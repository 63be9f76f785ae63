"""The home dashboard: To be finalised, Pending and Rejected for the viewer's enterprise (R-DASH-1..5)."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.expressions import Q

from models.dashboard import BLOCKS, BlockColour, block_colour
from models.status import MandateStatus
from models.tables import Mandate
from resolvers.columns import values_of
from resolvers.context import UseCase
from resolvers.statuses import status_is
from resolvers.visibility import party_sides


@dataclass(frozen=True)
class Block:
    status: MandateStatus
    count: int
    colour: BlockColour
    mandate_id: int | None  # the one mandate, when the block holds exactly one (R-DASH-4)


async def dashboard(uc: UseCase) -> dict[MandateStatus, Block]:
    """Counts are of mandates, not groups; a rejection counts until the viewer's side consulted it."""
    today = uc.clock.today()
    if uc.actor.is_officer:
        sides = [Q()]
    else:
        sides = list(await party_sides(uc.actor))
    blocks = {}
    for status in BLOCKS:
        condition = status_is(status, today)
        if status is MandateStatus.REJECTED and not uc.actor.is_officer:
            principal_side, mandatary_side = sides
            unconsulted = (principal_side & Q(rejection_consulted_by_principal_at__isnull=True)) | (
                mandatary_side & Q(rejection_consulted_by_mandatary_at__isnull=True)
            )
            query = Mandate.filter(condition & unconsulted)
        else:
            visible = sides[0] if len(sides) == 1 else sides[0] | sides[1]
            query = Mandate.filter(condition & visible)
        ids = await values_of(query.order_by("-created_at").limit(2), "id")
        count = len(ids) if len(ids) < 2 else await query.count()
        blocks[status] = Block(status, count, block_colour(status, count), ids[0] if count == 1 else None)
    return blocks
