"""The dashboard at scale (the scale issue, item 3): one statement, the viewer's enterprise looked up inside
it, each block counted up to BOUND through the (party, status) indexes, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from tortoise.expressions import Q

from models.quarter import Quarter
from models.status import MandateStatus
from resolvers.dashboard import BOUND, _template, blocks_statement, dashboard
from tests.api.helpers import LOGISTIQUE, PROVIDER, SSA, copies, statements
from tests.usecases.steps import active, created, digits

pytestmark = pytest.mark.asyncio(loop_scope="package")
S = MandateStatus


async def test_scale_3_the_busiest_dashboard_runs_one_statement(act):
    """Before: the enterprise look-up, then per block a read of two ids and a full count: 7 statements; then
    the look-up and one statement; now the look-up is inside that statement."""
    mandate = await created(act, "provider-signatory", ["PMP"], "3/2024", principal=LOGISTIQUE)
    for status in (S.TO_BE_FINALISED, S.PENDING, S.REJECTED):
        await copies(mandate, 3, status)
    with statements() as run:
        blocks = await dashboard(act("provider-signatory"))
    assert [blocks[s].count for s in (S.TO_BE_FINALISED, S.PENDING, S.REJECTED)] == [4, 3, 3]
    assert len(run) == 1, run
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
    sql, params = blocks_statement(act("provider-signatory"))
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


async def test_scale_3_the_statement_is_written_once_and_given_each_viewer_and_day(act, clock):
    """The text is built once per kind of viewer; each request gives its own enterprise number and today."""
    provider_sql, provider_params = blocks_statement(act("provider-signatory"))
    ssa_sql, ssa_params = blocks_statement(act("ssa-signatory"))
    assert provider_sql == ssa_sql
    today = clock.today()
    assert set(provider_params) == {digits(PROVIDER), today} and set(ssa_params) == {digits(SSA), today}
    clock.frozen = today + dt.timedelta(days=1)
    assert set(blocks_statement(act("ssa-signatory"))[1]) == {digits(SSA), clock.today()}
    officer_sql, officer_params = blocks_statement(act("nsso-officer"))
    assert officer_sql != provider_sql and set(officer_params) == {clock.today()}


async def test_scale_3_a_value_the_template_does_not_carry_is_refused(act, monkeypatch):
    """A condition with a value of its own (here a quarter drawn from today) cannot go into the shared text."""

    def with_a_quarter(status: MandateStatus, today: dt.date) -> Q:
        return Q(status=status.value, end_quarter__lt=Quarter.containing(today).index)

    monkeypatch.setattr("resolvers.dashboard.status_is", with_a_quarter)
    _template.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="parameters of its own"):
            blocks_statement(act("provider-signatory"))
    finally:
        _template.cache_clear()
