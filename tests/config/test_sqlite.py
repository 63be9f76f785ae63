"""SQLite's reads do not queue behind one long request (config/sqlite.py; issue 11, item 8): outside a transaction a
`SELECT` runs on a read-only connection of its own, while writes and whole transactions keep the one writer."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from tortoise import connections
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from config.database import close_database, open_database, open_migrated
from config.sqlite import ImmediateSqliteClient
from models.tables import LegalForm

# A read that never ends by itself: counting without a bound, until the connection is interrupted.
ENDLESS = "SELECT (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c)"


async def _interrupt(client: ImmediateSqliteClient, tasks: list[asyncio.Task]) -> None:
    """Interrupts the readers until every task in `tasks` ended (an interrupt before a statement starts is lost)."""
    while not all(task.done() for task in tasks):
        for connection in client._all_readers:
            connection._conn.interrupt()
        await asyncio.sleep(0.05)
    for task in tasks:
        with pytest.raises(OperationalError, match="interrupted"):
            await task


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """A database file made by the migrations once for this module (a few seconds); each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite") / "migrated.sqlite3"

    async def make() -> None:
        await open_migrated(f"sqlite://{path}")
        await close_database()

    asyncio.run(make())
    return path


@pytest.fixture
async def registry(migrated, tmp_path):
    path = tmp_path / "registry.sqlite3"
    shutil.copyfile(migrated, path)
    await open_database(f"sqlite://{path}", pool=(1, 3))
    client = connections.get("default")
    await LegalForm.create(code="014", name="Public limited company")  # the writer connects (WAL) first
    yield client
    for connection in client._all_readers:  # a test that failed may leave a read running
        connection._conn.interrupt()
    await close_database()


async def _holding_a_reader(client: ImmediateSqliteClient) -> asyncio.Task:
    """ENDLESS, started on a reader connection, once it holds that connection."""
    task = asyncio.create_task(client.execute_query(ENDLESS))
    while not client._all_readers or client._idle_readers:
        await asyncio.sleep(0.01)
    return task


async def test_reads_proceed_while_a_write_transaction_holds_the_writer_and_see_what_was_committed(registry):
    inside, release = asyncio.Event(), asyncio.Event()

    async def transaction():
        async with in_transaction():
            await LegalForm.create(code="015", name="Cooperative")
            inside.set()
            await release.wait()

    writer = asyncio.create_task(transaction())
    await inside.wait()
    # Before: this read waited for the transaction's end (one connection behind one lock).
    assert await asyncio.wait_for(LegalForm.all().values_list("code", flat=True), 30) == ["014"]
    release.set()
    await writer
    assert sorted(await LegalForm.all().values_list("code", flat=True)) == ["014", "015"]


async def test_a_read_proceeds_while_a_long_read_runs(registry):
    long_read = await _holding_a_reader(registry)
    assert await asyncio.wait_for(LegalForm.filter(code="014").count(), 30) == 1
    assert not long_read.done()
    await _interrupt(registry, [long_read])
    assert await LegalForm.all().count() == 1  # the interrupted reader serves again


async def test_writes_outside_a_transaction_go_to_the_writer_and_the_next_read_sees_them(registry):
    await LegalForm.filter(code="014").update(name="SA")  # an UPDATE through execute_query
    await LegalForm.filter(code="014").delete()
    await LegalForm.create(code="016", name="SRL")
    assert await LegalForm.all().values_list("code", "name") == [("016", "SRL")]
    # Inside a transaction, reads are on the writer and see the transaction's own writes.
    async with in_transaction():
        await LegalForm.create(code="017", name="SC")
        assert await LegalForm.all().count() == 2
    assert registry.readers == 3 and 1 <= len(registry._all_readers) <= 3


async def test_reader_connections_are_read_only(registry):
    await LegalForm.all().count()
    async with registry._reader() as reader:
        with pytest.raises(Exception, match="readonly"):
            await reader.execute("DELETE FROM legal_form")
    assert await LegalForm.all().count() == 1


async def test_at_most_as_many_readers_as_the_pool_allows(registry):
    long_reads = [await _holding_a_reader(registry)]
    long_reads += [asyncio.create_task(registry.execute_query(ENDLESS)) for _ in range(2)]
    while len(registry._all_readers) < 3 or registry._idle_readers:
        await asyncio.sleep(0.01)
    waiting = asyncio.ensure_future(LegalForm.all().count())  # the fourth read waits for a free reader
    await asyncio.sleep(0.2)
    assert not waiting.done() and len(registry._all_readers) == 3
    await _interrupt(registry, long_reads)
    assert await asyncio.wait_for(waiting, 30) == 1


def test_an_in_memory_database_has_no_reader_connections():
    assert ImmediateSqliteClient(":memory:", readers=5, connection_name="x").readers == 0
    assert ImmediateSqliteClient("file:x?mode=memory&cache=shared", readers=5, connection_name="x").readers == 0
    assert ImmediateSqliteClient("/tmp/registry.sqlite3", readers=5, connection_name="x").readers == 5
