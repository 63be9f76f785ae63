"""CPU per request of a small database query with asyncpg's reset after every release, and with the
reset only when a statement may have left session state (config/postgres.py; scale issue item 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME python -m tests.bench.pool_reset [--requests 2000]

The app is called in-process with raw ASGI messages (tests/bench/validation_cache.py) on a pool of one
connection, so that one PostgreSQL backend serves every statement: the figures are the app process's
CPU, the backend's CPU (from /proc, the server on this machine) and the statements asyncpg sent, per
request, after a warm-up. The database is migrated and given the demo reference data when empty.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from dataclasses import replace
from pathlib import Path

import asyncpg
from tortoise import connections

import config.database
from config.asgi import create_app
from config.database import close_database, connect, migrate
from config.demo import DEMO_DIR
from config.settings import Settings
from models.tables import LegalForm
from resolvers.reference_data import load_reference
from tests.bench.validation_cache import request

QUERIES = ("{ __typename }", "{ legalForms { code } }")
TICK = os.sysconf("SC_CLK_TCK")


def backend_cpu(pid: int) -> float:
    """The CPU seconds (user + system) of the PostgreSQL backend `pid`."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


async def measure(url: str, connection_class: type, requests: int) -> None:
    config.database.ResetWhenNeeded = connection_class  # what tortoise_config gives asyncpg's pool
    await connect(url, pool=(1, 1))
    client = connections.get("default")
    await client.execute_query("SELECT 1")
    sent = 0

    def count(_record) -> None:
        nonlocal sent
        sent += 1

    async with client._pool.acquire() as connection:
        pid = connection.get_server_pid()
        connection.add_query_logger(count)
    app = create_app(replace(Settings(), database_url=url), manage_database=False)
    headers = [(b"content-type", b"application/json")]
    for query in QUERIES:
        body = json.dumps({"query": query}).encode()
        for _ in range(100):
            assert await request(app, body, headers) == 200
        await asyncio.sleep(0)
        sent = 0
        started, backend, wall = time.process_time(), backend_cpu(pid), time.perf_counter()
        for _ in range(requests):
            await request(app, body, headers)
        await asyncio.sleep(0)
        cpu, backend, wall = (
            time.process_time() - started,
            backend_cpu(pid) - backend,
            time.perf_counter() - wall,
        )
        print(
            f"{connection_class.__name__:<16} {query:<24} app {cpu / requests * 1000:6.3f} ms CPU, "
            f"PostgreSQL {backend / requests * 1000:6.3f} ms CPU, {wall / requests * 1000:6.3f} ms wall, "
            f"{sent / requests:4.1f} statements per request"
        )
    await close_database()


async def main(requests: int) -> None:
    url = os.environ["DATABASE_URL"]
    await connect(url)
    await migrate()
    if not await LegalForm.exists():
        await load_reference((DEMO_DIR / "reference.json").read_text(encoding="utf-8"))
    await close_database()
    reset_when_needed = config.database.ResetWhenNeeded
    for connection_class in (asyncpg.Connection, reset_when_needed, asyncpg.Connection, reset_when_needed):
        await measure(url, connection_class, requests)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    asyncio.run(main(parser.parse_args().requests))
