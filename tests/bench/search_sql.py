"""The database's cost of each statement of `make bench`'s two searches, against a generated database.

    python -m tests.bench.search_sql --manifest .data/bench-postgres-manifest.json [--repeat 100] [--plans]

Sends tests/bench/wrk.py's search bodies (search_unfiltered, search_filtered: the busiest mandatary's first page
of 20 with totalCount) through the whole ASGI app once, as tests/bench/page_cpu.py does, records the statements
they run with their parameters (Tortoise's client log), then measures each one on its own:
- PostgreSQL: EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) `--repeat` times (median planning and execution time, shared
  buffers hit + read), and the CPU the backend spends per execution of the statement prepared as asyncpg prepares it
  (user + system time of its process, from /proc: what the server's statements cost the machine, plan cache
  included);
- SQLite: the process CPU per execution on a read-only connection, and EXPLAIN QUERY PLAN.
Nothing is written to the database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sqlite3
import statistics
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from config.asgi import create_app
from config.database import close_database, open_database
from config.settings import Settings
from config.tokens import mint
from resolvers.ids import use_secret
from tests.bench import page_cpu
from tests.bench.validation_cache import request

SEARCHES = ("search_unfiltered", "search_filtered")
TICK = os.sysconf("SC_CLK_TCK")


@contextmanager
def recorded(into: list[tuple[str, list[Any]]]):
    """Each statement Tortoise's client runs inside the block, with its parameters (it logs both)."""

    class Record(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if isinstance(record.args, tuple) and len(record.args) == 2:
                into.append((str(record.args[0]), list(record.args[1] or [])))

    logger, handler = logging.getLogger("tortoise.db_client"), Record(logging.DEBUG)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def statements(manifest: dict, url: str) -> dict[str, list[tuple[str, list[Any]]]]:
    settings = replace(
        Settings.from_env(), jwt_secret=page_cpu.SECRET, id_secret=page_cpu.SECRET, limit_search_per_minute=0
    )
    use_secret(settings.id_secret)
    busiest = manifest["busiest"]
    token = mint(
        settings, busiest["signatory_niss"], "mandates:manage", enterprise=busiest["enterprise_number"], minutes=60
    )
    headers = [(b"content-type", b"application/json"), (b"authorization", f"Bearer {token}".encode())]
    bodies = page_cpu.bodies(manifest, busiest["enterprise_number"])
    await open_database(url)
    app = create_app(settings, manage_database=False)
    found: dict[str, list[tuple[str, list[Any]]]] = {}
    try:
        for name in SEARCHES:
            found[name] = []
            with recorded(found[name]):
                assert await request(app, bodies[name][0], headers) == 200, name
    finally:
        await close_database()
    return found


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15 of proc(5))


async def postgres(url: str, sql: str, values: list[Any], repeat: int) -> tuple[dict[str, float], str]:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        planning, execution, buffers, plan = [], [], 0, ""
        for _ in range(repeat):
            rows = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) {sql}", *values)
            explained = json.loads(rows[0][0])[0]
            planning.append(explained["Planning Time"])
            execution.append(explained["Execution Time"])
            top = explained["Plan"]
            buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
        rows = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", *values)
        plan = "\n".join(row[0] for row in rows)
        pid = await connection.fetchval("SELECT pg_backend_pid()")
        prepared = await connection.prepare(sql)
        for _ in range(10):  # past the plan cache's five custom plans
            await prepared.fetch(*values)
        started = _cpu_seconds(pid)
        for _ in range(repeat):
            await prepared.fetch(*values)
        backend = (_cpu_seconds(pid) - started) / repeat * 1000
    finally:
        await connection.close()
    figures = {
        "planning ms": statistics.median(planning),
        "execution ms": statistics.median(execution),
        "buffers": buffers,
        "backend CPU ms": backend,
    }
    return figures, plan


def sqlite(path: str, sql: str, values: list[Any], repeat: int) -> tuple[dict[str, float], str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        plan = "\n".join(row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", values))
        connection.execute(sql, values).fetchall()
        started = time.process_time()
        for _ in range(repeat):
            connection.execute(sql, values).fetchall()
        cpu = (time.process_time() - started) / repeat * 1000
    finally:
        connection.close()
    return {"CPU ms": cpu}, plan


def _label(sql: str) -> str:
    if sql.startswith("SELECT COUNT(*)"):
        return "count"
    if sql.startswith("SELECT page.*"):
        return "page"
    return " ".join(sql.split()[:6])[:60]


async def main(manifest_path: Path, url: str | None, repeat: int, plans: bool) -> None:
    manifest = json.loads(manifest_path.read_text())
    url = url or manifest["database_url"]
    found = await statements(manifest, url)
    for name, run in found.items():
        print(f"== {name}: {len(run)} statements")
        for sql, values in run:
            if url.startswith("sqlite://"):
                figures, plan = sqlite(url.removeprefix("sqlite://"), sql, values, repeat)
            else:
                figures, plan = await postgres(url, sql, values, repeat)
            shown = "  ".join(f"{key} {value:8.3f}" for key, value in figures.items())
            print(f"  {_label(sql):<62} {shown}")
            if plans:
                print("    " + plan.replace("\n", "\n    "))
    print(f"(EXPLAIN: median of {repeat}; CPU: mean of {repeat} executions; load average {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--database-url", help="another copy of the manifest's data (default: the manifest's)")
    parser.add_argument("--repeat", type=int, default=100)
    parser.add_argument("--plans", action="store_true", help="print each statement's plan")
    args = parser.parse_args()
    asyncio.run(main(args.manifest, args.database_url, args.repeat, args.plans))
