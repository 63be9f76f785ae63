"""Tortoise configuration for SQLite (default) and PostgreSQL, and schema creation."""

from __future__ import annotations

from pathlib import Path

from tortoise import Tortoise

MODELS = ["models.tables"]


def tortoise_config(url: str) -> dict:
    if url.startswith("postgresql://"):
        url = "postgres://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite://") and not url.startswith("sqlite://:memory:"):
        Path(url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)
    return {
        "connections": {"default": url},
        "apps": {"models": {"models": MODELS, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(url: str) -> None:
    """Connect and create the tables when missing (every command does: API.md, Operating)."""
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
    await Tortoise.generate_schemas(safe=True)


async def close_database() -> None:
    """Close the connections and release the global context, so that the database can be opened again."""
    await Tortoise.close_connections()
