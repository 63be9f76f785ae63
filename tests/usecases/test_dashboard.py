"""The dashboard at scale (the scale issue, item 3): one statement after the viewer's enterprise is looked
up, each block counted up to BOUND through the (party, status) indexes, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from models.status import MandateStatus
from resolvers.dashboard import BOUND, blocks_statement, dashboard
from tests.api.helpers import LOGISTIQUE, PROVIDER, copies, statements
from tests.usecases.steps import active, created

pytestmark = pytest.mark.asyncio(loop_scope="package")
S = MandateStatus


async def test_scale_3_the_busiest_dashboard_runs_two_statements(act):
    """Before: the enterprise look-up, then per block a read of two ids and a full count: 7 statements."""
    mandate = await created(act, "provider-signatory", ["PMP"], "3/2024", principal=LOGISTIQUE)
    for status in (S.TO_BE_FINALISED, S.PENDING, S.REJECTED):
        await copies(mandate, 3, status)
    with statements() as run:
        blocks = await dashboard(act("provider-signatory"))
    assert [blocks[s].count for s in (S.TO_BE_FINALISED, S.PENDING, S.REJECTED)] == [4, 3, 3]
    assert len(run) == 2, run
    with statements() as run:
        await dashboard(act("nsso-officer"))
    assert len(run) == 1, run


async def test_scale_3_a_block_counts_up_to_the_bound_and_says_so_beyond(act):
    mandate = await created(act, "provider-signatory", ["PMP"], "3/2024", principal=LOGISTIQUE)
    await copies(mandate, BOUND - 1, S.TO_BE_FINALISED)
    at_bound = (await dashboard(act("provider-signatory")))[S.TO_BE_FINALISED]
    assert (at_bound.count, at_bound.count_is_lower_bound) == (BOUND, False)
    await copies(mandate, 5, S.TO_BE_FINALISED)
    beyond = (await dashboard(act("provider-signatory")))[S.TO_BE_FINALISED]
    assert (beyond.count, beyond.count_is_lower_bound, beyond.mandate_id) == (BOUND, True, None)
    assert beyond.colour.value == "GREY"
    pending = (await dashboard(act("provider-signatory")))[S.PENDING]
    assert (pending.count, pending.count_is_lower_bound) == (0, False)
    officer = (await dashboard(act("nsso-officer")))[S.TO_BE_FINALISED]
    assert (officer.count, officer.count_is_lower_bound) == (BOUND, True)


async def test_scale_3_the_statement_reads_the_party_status_indexes(act, db):
    """EXPLAIN on a small data set: each block is read through (principal_id, status) and (mandatary_id, status).

    PostgreSQL's planner prefers a sequential scan of a table this small, so the test turns it off for its
    transaction: what is proven is that the statement can be served by the indexes (the OR of the two sides,
    the lapsed test and the bound do not prevent it)."""
    await active(act, LOGISTIQUE, PROVIDER, ["SIGEDIS"], "3/2024")
    mandate = await created(act, "provider-signatory", ["PMP"], "3/2024", principal=LOGISTIQUE)
    await copies(mandate, 20, S.PENDING)
    sql, params = await blocks_statement(act("provider-signatory"))
    # The statuses and the bound are written in the text, so that a generic plan still knows them.
    assert "'TO_BE_FINALISED'" in sql and "LIMIT 100" in sql
    assert "TO_BE_FINALISED" not in params and BOUND + 1 not in params
    if db.capabilities.dialect == "postgres":
        await db.execute_script("SET LOCAL enable_seqscan = off")
        _, rows = await db.execute_query("EXPLAIN " + sql, params)
        plan = "\n".join(row["QUERY PLAN"] for row in rows)
    else:
        _, rows = await db.execute_query("EXPLAIN QUERY PLAN " + sql, params)
        plan = "\n".join(row["detail"] for row in rows)
    assert plan.count("idx_mandate_princip") >= 3, plan
    assert plan.count("idx_mandate_mandata") >= 3, plan
    assert "SCAN mandate\n" not in plan + "\n" and "Seq Scan" not in plan, plan
