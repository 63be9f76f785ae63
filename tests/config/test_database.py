"""Opening one database after another in the same process (the test suites, the CLI's commands)."""

from __future__ import annotations

from tortoise.backends.base.executor import EXECUTOR_CACHE

from config.database import close_database, open_migrated
from models.tables import LegalForm


async def test_a_closed_database_leaves_no_statement_for_the_next_one(tmp_path):
    """An INSERT written for SQLite (`?` placeholders) must not be sent to a PostgreSQL database opened
    next under the same connection name (`$1`): closing forgets the statements Tortoise kept."""
    await open_migrated(f"sqlite://{tmp_path / 'first.sqlite3'}")
    try:
        await LegalForm.create(code="999", name="A form of the first database")
        assert any(key[0] == "default" for key in EXECUTOR_CACHE)
    finally:
        await close_database()
    assert not any(key[0] == "default" for key in EXECUTOR_CACHE)
