"""Dashboard block colours: R-DASH-1..3 (models/dashboard.py)."""

from __future__ import annotations

import pytest

from models.dashboard import BLOCKS, BlockColour, block_colour
from models.status import MandateStatus

S = MandateStatus


def test_r_dash_1_three_blocks():
    assert BLOCKS == (S.TO_BE_FINALISED, S.PENDING, S.REJECTED)


@pytest.mark.parametrize(
    ("status", "count", "colour"),
    [
        (S.TO_BE_FINALISED, 0, BlockColour.WHITE),
        (S.TO_BE_FINALISED, 1, BlockColour.GREY),
        (S.TO_BE_FINALISED, 17, BlockColour.GREY),
        (S.PENDING, 0, BlockColour.WHITE),
        (S.PENDING, 1, BlockColour.GREY),
        (S.PENDING, 3, BlockColour.GREY),
    ],
)
def test_r_dash_2_to_be_finalised_and_pending_grey_when_not_empty(status, count, colour):
    assert block_colour(status, count) is colour


@pytest.mark.parametrize(
    ("count", "colour"),
    [(0, BlockColour.WHITE), (1, BlockColour.RED), (2, BlockColour.RED), (250, BlockColour.RED)],
)
def test_r_dash_3_rejected_red_when_not_empty(count, colour):
    assert block_colour(S.REJECTED, count) is colour
