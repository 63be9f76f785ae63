"""Adds the bulk branch transfer's 60 employers and their mandates (tests/api/bulk_steps.py) to the
console tests' database, after the demo data: `python -m tests.console.bulk_seed`, with the server's
environment (MANDATES_DATABASE_URL, MANDATES_CLOCK)."""

from __future__ import annotations

import asyncio

from config.catalogue import load_catalogue
from config.clock import Clock
from config.database import close_database, open_migrated
from config.settings import Settings
from resolvers.ids import use_secret
from tests.api.bulk_steps import employers_of_the_ssa


async def seed(settings: Settings) -> None:
    await open_migrated(settings.database_url, busy_seconds=settings.database_busy_seconds)
    try:
        await employers_of_the_ssa(load_catalogue(settings.catalogue_path), Clock(settings.clock))
    finally:
        await close_database()


if __name__ == "__main__":
    current = Settings.from_env()
    use_secret(current.id_secret)
    asyncio.run(seed(current))
