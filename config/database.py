"""Tortoise configuration for SQLite (default) and PostgreSQL, schema creation, and the database ping."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url

from config.settings import Settings

MODELS = ["models.tables"]
BUSY_SECONDS = Settings.database_busy_seconds


def tortoise_config(url: str, busy_seconds: float = BUSY_SECONDS) -> dict:
    if url.startswith("postgresql://"):
        url = "postgres://" + url.removeprefix("postgresql://")
    connection: str | dict = url
    if url.startswith("sqlite://"):
        if not url.startswith("sqlite://:memory:"):
            Path(url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)
        # WAL (Tortoise's default) lets readers go on while a writer works; a writer waits up to
        # busy_timeout for another process's write lock (config/sqlite.py).
        connection = expand_db_url(url)
        connection["engine"] = "config.sqlite"
        connection["credentials"]["busy_timeout"] = round(busy_seconds * 1000)
    return {
        "connections": {"default": connection},
        "apps": {"models": {"models": MODELS, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(url: str, busy_seconds: float = BUSY_SECONDS) -> None:
    """Connect and create the tables when missing (every command does: API.md, Operating)."""
    await Tortoise.init(config=tortoise_config(url, busy_seconds), _enable_global_fallback=True)
    await Tortoise.generate_schemas(safe=True)


async def close_database() -> None:
    """Close the connections and release the global context, so that the database can be opened again."""
    await Tortoise.close_connections()


async def database_answers(timeout: float) -> bool:
    """Whether the database answers `SELECT 1` within `timeout` seconds (/healthz)."""
    try:
        await asyncio.wait_for(connections.get("default").execute_query("SELECT 1"), timeout)
    except Exception:  # whatever the failure (refused, timed out, not opened), it does not answer
        return False
    return True
