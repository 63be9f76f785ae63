"""The test suite's database set-up on SQLite in memory, per test: before (generate_schemas, v0.1.0),
the migrations applied every time, and what tests/conftest.py does (the migrations applied once to a
template, copied per test with SQLite's backup API). Prints milliseconds per set-up.

    .venv/bin/python -m tests.bench.database_setup [RUNS]
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import sys
import time

from tortoise import Tortoise, connections

from config.database import MODELS, close_database, connect, migrate

URL = "sqlite://:memory:"


async def generate_schemas() -> None:
    await Tortoise.init(
        config={
            "connections": {"default": URL},
            "apps": {"models": {"models": MODELS}},
            "use_tz": True,
            "timezone": "UTC",
        }
    )
    await Tortoise.generate_schemas(safe=True)
    await Tortoise.close_connections()


async def migrations() -> None:
    await connect(URL)
    await migrate()
    await close_database()


def template_copy():
    template = sqlite3.connect(":memory:", check_same_thread=False)

    async def build() -> None:
        await connect(URL)
        await migrate()
        await connections.get("default")._connection.backup(template)
        await close_database()

    async def copy() -> None:
        await connect(URL)
        client = connections.get("default")
        await client.execute_query("SELECT 1")
        template.backup(client._connection._conn)
        await close_database()

    return build, copy


async def timed(setup, runs: int) -> str:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await setup()
        samples.append(time.perf_counter() - started)
    return (
        f"mean {statistics.mean(samples) * 1000:8.1f} ms  median {statistics.median(samples) * 1000:8.1f} ms  ({runs} "
        f"runs)"
    )


async def main(runs: int) -> None:
    build, copy = template_copy()
    started = time.perf_counter()
    await build()
    print(f"template, once per run       {(time.perf_counter() - started) * 1000:8.1f} ms")
    print(f"generate_schemas per test    {await timed(generate_schemas, runs)}")
    print(f"template copy per test       {await timed(copy, runs)}")
    print(f"migrations per test          {await timed(migrations, max(3, runs // 10))}")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 50))
