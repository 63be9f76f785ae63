"""The home dashboard's blocks (R-DASH-1..5)."""

from __future__ import annotations

import enum

from models.status import MandateStatus

BLOCKS = (MandateStatus.TO_BE_FINALISED, MandateStatus.PENDING, MandateStatus.REJECTED)


class BlockColour(enum.Enum):
    WHITE = "WHITE"
    GREY = "GREY"
    RED = "RED"


def block_colour(status: MandateStatus, count: int) -> BlockColour:
    """Grey when To be finalised or Pending hold mandates, red for Rejected, white when empty (R-DASH-2, R-DASH-3)."""
    if count == 0:
        return BlockColour.WHITE
    return BlockColour.RED if status is MandateStatus.REJECTED else BlockColour.GREY
