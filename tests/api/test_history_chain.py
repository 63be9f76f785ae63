"""Hardening 10: the history is hash-chained per mandate, on SQLite and PostgreSQL (`make test` runs
tests/api on both): an edited or deleted event is named by `verify_history`, and two events written
in parallel on one mandate do not fork its chain."""

from __future__ import annotations

import asyncio

from tortoise import connections
from tortoise.transactions import in_transaction

from models.tables import Mandate, MandateEvent
from resolvers.history_chain import verify_history
from resolvers.journal import record
from tests.api.helpers import LOGISTIQUE, PROVIDER, active


async def _mandate(api) -> Mandate:
    created = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "1/2024")
    return await Mandate.get(reference=created["reference"]).prefetch_related("principal", "mandatary")


async def test_hardening_history_chain_holds_and_names_an_edited_event(api):
    mandate = await _mandate(api)
    assert await verify_history() == []
    events = await MandateEvent.filter(mandate_id=mandate.id).order_by("id")
    assert len(events) >= 3
    assert [e.previous_hash for e in events[1:]] == [e.chain_hash for e in events[:-1]]
    marks = "$1, $2" if connections.get("default").capabilities.dialect == "postgres" else "?, ?"
    edit = "UPDATE mandate_event SET action = {} WHERE id = {}".format(*marks.split(", "))
    await connections.get("default").execute_query(edit, ["CLOSED", events[1].id])
    broken = await verify_history()
    assert [(b.reference, b.event_id) for b in broken] == [(mandate.reference, events[1].id)]


async def test_hardening_history_a_deleted_event_breaks_the_next_link(api):
    mandate = await _mandate(api)
    events = await MandateEvent.filter(mandate_id=mandate.id).order_by("id")
    await MandateEvent.filter(id=events[1].id).delete()
    broken = await verify_history()
    assert [(b.reference, b.event_id) for b in broken] == [(mandate.reference, events[2].id)]
    assert "deleted" in broken[0].reason


async def test_hardening_history_parallel_events_do_not_fork_the_chain(api, clock):
    """Events written at once on one mandate, each in its own transaction and with no lock taken by the
    caller: `record` locks the mandate's row itself. On PostgreSQL they run on separate connections."""
    mandate = await _mandate(api)
    before = await MandateEvent.filter(mandate_id=mandate.id).count()

    async def write(number: int) -> None:
        async with in_transaction():
            await record(mandate, None, "PARALLEL", clock.now(), detail=f"Write {number}.", notify=False)

    await asyncio.gather(*(write(number) for number in range(6)))
    events = await MandateEvent.filter(mandate_id=mandate.id).order_by("id")
    assert len(events) == before + 6
    assert len({e.previous_hash for e in events}) == len(events)  # one successor per event
    assert await verify_history() == []
