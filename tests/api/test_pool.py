"""Scale issue item 4: no reset round trip after a plain statement, no session state leaking from one
use of a pooled connection to the next, and a pool sized by MANDATES_DATABASE_POOL_MIN / _MAX
(config/postgres.py, config/database.py). PostgreSQL only: SQLite has no pool and no session reset."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import asyncpg
import pytest
from tortoise import connections

from config.database import close_database, connect
from tests.conftest import SETTINGS

pytestmark = pytest.mark.skipif(
    not SETTINGS.database_url.startswith("postgres"),
    reason="asyncpg's pool and its reset on release exist on PostgreSQL only (DATABASE_URL=postgres://...)",
)

RESET_STATEMENTS = ("pg_advisory_unlock_all", "RESET ALL", "UNLISTEN", "CLOSE ALL")


async def _one_connection_pool() -> tuple[asyncpg.Pool, list[str]]:
    """The database reopened on a pool of exactly one connection, and the statements asyncpg sends on it."""
    await close_database()
    await connect(SETTINGS.database_url, pool=(1, 1))
    client = connections.get("default")
    await client.execute_query("SELECT 1")  # Tortoise makes its pool lazily
    sent: list[str] = []
    async with client._pool.acquire() as connection:
        connection.add_query_logger(lambda record: sent.append(record.query))
    return client._pool, sent


async def _statements_sent(sent: list[str]) -> list[str]:
    await asyncio.sleep(0)  # asyncpg calls its query loggers on the next turn of the loop
    return sent


@pytest.mark.usefixtures("reference")
async def test_scale_4_no_reset_round_trip_after_a_plain_request(api):
    _, sent = await _one_connection_pool()

    body = await api("{ legalForms { code } }")

    assert body["data"]["legalForms"], body
    statements = await _statements_sent(sent)
    assert any("legal" in statement.lower() for statement in statements), statements
    assert not [s for s in statements if any(reset in s for reset in RESET_STATEMENTS)], statements


@pytest.mark.usefixtures("database")
async def test_scale_4_a_session_setting_does_not_leak_to_the_next_use_of_the_connection():
    pool, sent = await _one_connection_pool()
    client = connections.get("default")
    _, before = await client.execute_query(
        "SELECT pg_backend_pid() AS pid, current_setting('application_name') AS name"
    )

    await client.execute_query("SELECT set_config('application_name', 'leaked-by-a-request', false)")
    await client.execute_script("SET statement_timeout = '1234ms'")
    _, after = await client.execute_query(
        "SELECT pg_backend_pid() AS pid, current_setting('application_name') AS name, "
        "current_setting('statement_timeout') AS timeout"
    )

    assert after[0]["pid"] == before[0]["pid"]  # the same connection, used again
    assert after[0]["name"] == before[0]["name"] != "leaked-by-a-request"
    assert after[0]["timeout"] == "0"
    assert any("RESET ALL" in statement for statement in await _statements_sent(sent))
    assert pool.get_size() == 1


@pytest.mark.usefixtures("database")
async def test_scale_4_a_session_advisory_lock_is_released_with_the_connection():
    await _one_connection_pool()
    client = connections.get("default")

    await client.execute_query("SELECT pg_advisory_lock(4242)")

    other = await asyncpg.connect(SETTINGS.database_url.split("?", 1)[0])
    try:
        assert await other.fetchval("SELECT pg_try_advisory_lock(4242)") is True
    finally:
        await other.close()


@pytest.mark.usefixtures("reference")
async def test_scale_4_the_pool_size_settings_reach_the_pool(clock, settings):
    from config.asgi import create_app
    from config.settings import Settings

    configured = Settings.from_env({"MANDATES_DATABASE_POOL_MIN": "2", "MANDATES_DATABASE_POOL_MAX": "3"})
    sized = replace(
        settings, database_pool_min=configured.database_pool_min, database_pool_max=configured.database_pool_max
    )
    await close_database()
    app = create_app(sized, clock)

    async with app.router.lifespan_context(app):
        await connections.get("default").execute_query("SELECT 1")
        pool = connections.get("default")._pool
        assert (pool.get_min_size(), pool.get_max_size(), pool.get_size()) == (2, 3, 2)
