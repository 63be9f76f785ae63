"""Database faults as clients see them (hardening item 6): typed, retryable, HTTP 503, nothing written.

SQLite: a real second process holds the write lock of a file database; a writer waits for it
(BEGIN IMMEDIATE and busy_timeout, config/sqlite.py) and succeeds, or gives up after
MANDATES_DATABASE_BUSY_SECONDS with DATABASE_BUSY. PostgreSQL: an address where nothing listens
(a free port of 127.0.0.1), or a server that accepts and never answers:
SERVICE_UNAVAILABLE, and /healthz answers 503.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import sys
import time
from dataclasses import replace

import httpx
import pytest
from tortoise import Tortoise

from config.asgi import create_app
from config.database import close_database, open_database, open_migrated, tortoise_config
from config.demo import DEMO_DIR
from config.version import version
from resolvers.reference_data import load_reference
from tests.api.helpers import PROVIDER
from tests.conftest import token
from tests.serving import free_port

CREATE_PMP = (
    'mutation { createMandate(input: {mandataryNumber: "%s", groups: ["PMP"], startQuarter: "3/2024"}) { mandate { '
    "reference } userErrors { code } } }"
) % PROVIDER
COUNT = "{ mandates { totalCount } }"

# A second process: takes the write lock, writes without committing, says so, waits, commits.
LOCK_HOLDER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE enterprise SET name = name")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


def _mandates(path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM mandate").fetchone()[0]


@pytest.fixture
async def sqlite_file(tmp_path):
    path = tmp_path / "registry.sqlite3"
    await open_migrated(f"sqlite://{path}")
    await load_reference((DEMO_DIR / "reference.json").read_text(encoding="utf-8"))
    await close_database()
    return path


@contextlib.asynccontextmanager
async def _app_on(path, settings, clock, busy_seconds: float):
    """A client of the app on the SQLite file `path`, waiting `busy_seconds` for the write lock."""
    await open_database(f"sqlite://{path}", busy_seconds)
    app = create_app(
        replace(settings, database_url=f"sqlite://{path}", database_busy_seconds=busy_seconds),
        clock,
        manage_database=False,
    )
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            yield client
    finally:
        await close_database()


async def _create_while_locked(
    client, path, held_seconds: float
) -> tuple[httpx.Response, float, asyncio.subprocess.Process]:
    """createMandate while a second process holds the write lock for `held_seconds`; the time it took."""
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LOCK_HOLDER, str(path), str(held_seconds), stdout=asyncio.subprocess.PIPE
    )
    assert await holder.stdout.readline() == b"locked\n"
    started = time.monotonic()
    response = await client.post("/graphql", json={"query": CREATE_PMP}, headers=_director())
    return response, time.monotonic() - started, holder


def _director() -> dict:
    return {"Authorization": f"Bearer {token('employer-director')}"}


async def test_hardening_a_sqlite_writer_waits_for_another_process_and_succeeds(sqlite_file, settings, clock):
    async with _app_on(sqlite_file, settings, clock, busy_seconds=5) as client:
        response, waited, holder = await _create_while_locked(client, sqlite_file, held_seconds=1.0)
        await holder.wait()
    assert response.status_code == 200, response.text
    assert response.json()["data"]["createMandate"]["userErrors"] == []
    assert 0.7 <= waited < 4, waited  # it waited for the other process's commit, then wrote
    assert _mandates(sqlite_file) == 1


async def test_hardening_a_sqlite_writer_gives_up_after_the_busy_timeout_with_a_typed_retryable_503(
    sqlite_file, settings, clock
):
    async with _app_on(sqlite_file, settings, clock, busy_seconds=0.5) as client:
        response, gave_up, holder = await _create_while_locked(client, sqlite_file, held_seconds=3.0)
        read_meanwhile = await client.post("/graphql", json={"query": COUNT}, headers=_director())
        await holder.wait()
        retried = await client.post("/graphql", json={"query": CREATE_PMP}, headers=_director())
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "1"
    body = response.json()
    assert [error["extensions"]["code"] for error in body["errors"]] == ["DATABASE_BUSY"]
    assert body["errors"][0]["message"] == "The registry is busy. Nothing was saved; please try again in a moment."
    assert "locked" not in response.text
    assert 0.4 <= gave_up < 2.5, gave_up
    # Readers are not blocked by the other process's write (WAL).
    assert read_meanwhile.status_code == 200 and read_meanwhile.json() == {"data": {"mandates": {"totalCount": 0}}}
    # Nothing of the refused request was written; sent again once the lock is free, it succeeds.
    assert retried.status_code == 200 and retried.json()["data"]["createMandate"]["userErrors"] == []
    assert _mandates(sqlite_file) == 1


@pytest.fixture
async def unreachable(settings, clock):
    """The app on a PostgreSQL address where nothing listens."""
    closed_port = free_port()  # nothing listens there
    url = f"postgres://postgres@127.0.0.1:{closed_port}/faults"
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
    app = create_app(replace(settings, database_url=url), clock, manage_database=False)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            yield client
    finally:
        await close_database()


@pytest.mark.parametrize("operation", [COUNT, CREATE_PMP])
async def test_hardening_an_unreachable_database_is_service_unavailable_503(unreachable, operation):
    response = await unreachable.post("/graphql", json={"query": operation}, headers=_director())
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    errors = response.json()["errors"]
    assert [error["extensions"]["code"] for error in errors] == ["SERVICE_UNAVAILABLE"]
    assert errors[0]["message"] == "The registry's database does not answer. Nothing was saved; please try again later."
    assert "127.0.0.1" not in response.text and "/faults" not in response.text  # no address of the database
    assert "refused" not in response.text.lower()


async def test_hardening_healthz_answers_503_while_the_database_is_unreachable(unreachable):
    started = time.monotonic()
    response = await unreachable.get("/healthz")
    assert response.status_code == 503
    assert response.json()["code"] == "SERVICE_UNAVAILABLE"
    assert time.monotonic() - started < 2


async def test_hardening_healthz_answers_503_when_the_database_does_not_answer_in_time(settings, clock):
    """A server that accepts the connection and stays silent: /healthz gives up after its timeout."""
    silent = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)  # the system picks the port
    url = f"postgres://postgres@127.0.0.1:{silent.sockets[0].getsockname()[1]}/faults"
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
    app = create_app(replace(settings, database_url=url, health_timeout_seconds=0.5), clock, manage_database=False)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            started = time.monotonic()
            response = await client.get("/healthz")
            elapsed = time.monotonic() - started
    finally:
        await close_database()
        silent.close()
    assert response.status_code == 503
    assert 0.4 <= elapsed < 2, elapsed


async def test_hardening_healthz_answers_200_while_the_database_answers(api):
    response = await api.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": version()}


async def test_hardening_the_export_on_an_unreachable_database_is_service_unavailable_503(unreachable):
    """Outside GraphQL too (config.faults.DatabaseFaults): the spreadsheet export."""
    response = await unreachable.get("/exports/mandates.xlsx", headers=_director())
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    assert [error["extensions"]["code"] for error in response.json()["errors"]] == ["SERVICE_UNAVAILABLE"]
