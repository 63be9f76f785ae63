"""Where a behaviour test's set-up goes, per test, on SQLite in memory: before (the reference file
loaded, the Strawberry schema built for each app) and after (a copy of a template that already holds
the reference data; the schema built once per process), and the use-case tier's per-test transaction
(begin, a savepoint, rollback). Prints milliseconds per step.

    .venv/bin/python -m tests.bench.tiers [RUNS]
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys

from tortoise import connections
from tortoise.transactions import in_transaction

from config.database import close_database, connect, migrate
from config.demo import DEMO_DIR
from config.settings import Settings
from resolvers.reference_data import load_reference
from schema.app import _schema, build_schema, query_limits
from tests.bench.database_setup import URL, timed

SETTINGS = Settings()

REFERENCE = (DEMO_DIR / "reference.json").read_text(encoding="utf-8")


async def main(runs: int) -> None:
    empty, loaded = (
        sqlite3.connect(":memory:", check_same_thread=False),
        sqlite3.connect(":memory:", check_same_thread=False),
    )
    await connect(URL)
    client = connections.get("default")
    await client.execute_query("SELECT 1")
    await migrate()
    await client._connection.backup(empty)
    await load_reference(REFERENCE)
    await client._connection.backup(loaded)
    await close_database()

    async def copy_then_load() -> None:
        await connect(URL)
        await connections.get("default").execute_query("SELECT 1")
        empty.backup(connections.get("default")._connection._conn)
        await load_reference(REFERENCE)
        await close_database()

    async def copy_loaded() -> None:
        await connect(URL)
        await connections.get("default").execute_query("SELECT 1")
        loaded.backup(connections.get("default")._connection._conn)
        await close_database()

    async def schema_per_app() -> None:
        _schema.__wrapped__(*query_limits(SETTINGS), True, ())

    async def schema_cached() -> None:
        build_schema(SETTINGS)

    async def rolled_back_transaction() -> None:
        async with in_transaction() as transaction:
            async with in_transaction():  # a use case's own transaction: a savepoint
                await connections.get("default").execute_query("SELECT 1")
            await transaction.rollback()

    print(f"before: template copy + reference load   {await timed(copy_then_load, runs)}")
    print(f"after:  copy of the loaded template      {await timed(copy_loaded, runs)}")
    print(f"before: schema built per app             {await timed(schema_per_app, runs)}")
    print(f"after:  schema built once (cached)       {await timed(schema_cached, runs)}")
    await connect(URL)
    await connections.get("default").execute_query("SELECT 1")
    loaded.backup(connections.get("default")._connection._conn)
    print(f"use-case tier: transaction + savepoint   {await timed(rolled_back_transaction, runs)}")
    await close_database()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 30))
