"""The home dashboard: To be finalised, Pending and Rejected for the viewer's enterprise (R-DASH-1..5).

One statement reads the three blocks, the viewer's enterprise looked up inside it:
each block reads at most BOUND + 1 rows per side through the (party, status) indexes, so the
busiest mandatary's dashboard costs the same as a small one's. The colours only need 0, 1 or more
(R-DASH-2, R-DASH-3) and the link only the one mandate (R-DASH-4); a count beyond BOUND is shown as
"BOUND+" (`count_is_lower_bound`).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q, Subquery

from models.dashboard import BLOCKS, BlockColour, block_colour
from models.status import MandateStatus
from models.tables import Mandate
from resolvers.context import UseCase
from resolvers.statuses import status_is
from resolvers.templates import Constants
from resolvers.visibility import NO_NUMBER, sides_by_number

BOUND = 99  # the most mandates a block counts; beyond it the console shows "99+"


# The statuses and the bound are written into the statement's text, and only the viewer's enterprise and today
# as parameters: asyncpg prepares each statement and PostgreSQL turns to a generic plan after five runs; planned
# without the status and the limit, an officer's blocks are read the long way (at 200 000 mandates, 2.7 ms a
# dashboard instead of 1.6, tests/bench/dashboard.py). The constants come from the code, never from the request.
_CONSTANTS = frozenset({*(status.value for status in MandateStatus), BOUND + 1})


@dataclass(frozen=True)
class Block:
    status: MandateStatus
    count: int  # at most BOUND
    count_is_lower_bound: bool  # the block holds more than BOUND mandates
    colour: BlockColour
    mandate_id: int | None  # the one mandate, when the block holds exactly one (R-DASH-4)


async def dashboard(uc: UseCase) -> dict[MandateStatus, Block]:
    """Counts are of mandates, not groups; a rejection counts until the viewer's side consulted it (R-DASH-5)."""
    sql, params = blocks_statement(uc)
    _, rows = await Mandate._meta.db.execute_query(sql, params)
    blocks = {}
    for row in rows:
        status, count = BLOCKS[row["block"]], min(row["n"], BOUND)
        mandate_id = row["id"] if count == 1 else None
        blocks[status] = Block(status, count, row["n"] > BOUND, block_colour(status, count), mandate_id)
    return blocks


def blocks_statement(uc: UseCase) -> tuple[str, list[Any]]:
    """The one SELECT of the three blocks and its parameters (see `_blocks_sql`).

    The text depends only on whether the viewer is an officer and on the database: it is built once for
    each (`_template`) and given the viewer's enterprise number and today here. Built through Tortoise at
    every request, it cost 0.7 ms of CPU of the use case's 0.95 (SQLite, 100 000 mandates; 0.2 ms now).
    """
    sql, slots = _template(uc.actor.is_officer, Mandate._meta.db.capabilities.dialect)
    values = {_NUMBER: uc.actor.enterprise_number or NO_NUMBER, _TODAY: uc.clock.today()}
    return sql, [values[slot] for slot in slots]


# Stand-ins for the viewer's enterprise number and today in the template: values no request has (a number
# has ten digits; the clock never reads 1900, the first year a quarter may have).
_NUMBER, _TODAY = "stand-in", dt.date(1900, 1, 1)


@functools.cache
def _template(officer: bool, dialect: str) -> tuple[str, tuple[Any, ...]]:
    """The statement's text for officers or for an enterprise on one database (its dialect), and its
    parameters as stand-ins (_NUMBER, _TODAY) to be replaced by the request's values. `dialect` (the connected
    database's, whose query class writes the text) only keys the cache.

    A parameter that is neither stand-in would be a value of the request this template does not carry:
    refused here rather than sent with another request's value."""
    sql, slots = _blocks_sql(officer, sides_by_number(_NUMBER), _TODAY)
    if strays := [slot for slot in slots if slot not in (_NUMBER, _TODAY)]:
        raise RuntimeError(f"the dashboard's statement has parameters of its own: {strays}")
    return sql, tuple(slots)


def _blocks_sql(officer: bool, sides: tuple[Q, Q], today: dt.date) -> tuple[str, list[Any]]:
    """The one SELECT of the three blocks and its parameters: per block (its index in BLOCKS), how many of
    its first BOUND + 1 mandates there are, and the smallest of their ids (the one mandate's, when one).

    A block is the UNION of one bounded read per side (principal, mandatary), each an equality on
    (party, status) that its index serves; an OR of the two sides leads SQLite to the status index alone,
    i.e. every awaiting row of the registry. A side's read stops at BOUND + 1, so the union holds more
    than BOUND ids exactly when the block does. Officers see every mandate: one read per block, newest
    first, since mandates awaiting signatures are at most 60 days old (R-EXP-2): unordered, PostgreSQL
    expects a status's rows spread evenly over the table and reads it from the start (24 ms instead of
    1.6 at 200 000 mandates).
    """
    parameters = Constants(_CONSTANTS)  # one numbering ($1.. on PostgreSQL) over the whole statement, in text order
    context = Mandate._meta.db.query_class.SQL_CONTEXT.copy(parameterizer=parameters)
    selects = []
    for index, status in enumerate(BLOCKS):
        condition = status_is(status, today)
        if officer:
            reads: list[Q] = [Q()]
        elif status is MandateStatus.REJECTED:
            principal_side, mandatary_side = sides
            reads = [
                principal_side & Q(rejection_consulted_by_principal_at__isnull=True),
                mandatary_side & Q(rejection_consulted_by_mandatary_at__isnull=True),
            ]
        else:
            reads = list(sides)
        parts = []
        for side, read in enumerate(reads):
            bounded = Mandate.filter(condition & read).limit(BOUND + 1)
            if officer:
                bounded = bounded.order_by("-id")
            rows = Subquery(bounded.values("id")).get_sql(context)
            parts.append(f"SELECT id FROM ({rows}) AS side{index}_{side}")
        union = " UNION ".join(parts)
        selects.append(f"SELECT {index} AS block, COUNT(*) AS n, MIN(id) AS id FROM ({union}) AS block{index}")
    return " UNION ALL ".join(selects), parameters.values
