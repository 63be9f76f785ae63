"""Tortoise configuration for SQLite (default) and PostgreSQL, the schema's migrations, and the database ping.

The tables are made only by the migrations in the `migrations` package (Tortoise's built-in
migrations): `mandates migrate` applies them, adopting a database made by v0.1.0 (which created its
tables with `generate_schemas`) as already at 0001. Every other entry point opens the database only
when no migration is pending, so that an upgraded program never runs on yesterday's tables.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.migrations.executor import MigrationExecutor, MigrationTarget
from tortoise.migrations.graph import MigrationKey
from tortoise.migrations.schema_generator.state import State
from tortoise.migrations.schema_generator.state_apps import StateApps

from config.postgres import ResetWhenNeeded
from config.settings import Settings

MODELS = ["models.tables"]
BUSY_SECONDS = Settings.database_busy_seconds
POOL = (Settings.database_pool_min, Settings.database_pool_max)  # MANDATES_DATABASE_POOL_MIN / _MAX
MIGRATIONS = "migrations"
APP = "models"
INITIAL = "0001_initial"  # the schema of v0.1.0, the release before migrations
RECORDER_TABLE = "tortoise_migrations"


class PendingMigrations(RuntimeError):
    """The database lacks migrations this program needs: `mandates migrate` applies them."""

    def __init__(self, names: list[str]):
        self.names = names
        super().__init__(f"the database has pending migrations ({', '.join(names)}): run `mandates migrate` first")


class UnknownSchema(RuntimeError):
    """Tables exist without a migration record and differ from 0001: adopting them could lose data."""


def _apps(migrations: str = MIGRATIONS) -> dict:
    return {APP: {"models": MODELS, "default_connection": "default", "migrations": migrations}}


def tortoise_config(url: str, busy_seconds: float = BUSY_SECONDS, pool: tuple[int, int] = POOL) -> dict:
    if url.startswith("postgresql://"):
        url = "postgres://" + url.removeprefix("postgresql://")
    connection: str | dict = url
    if url.startswith("postgres://"):
        # asyncpg's pool of `pool` (min, max) connections, reset on release only when needed (config/postgres.py).
        connection = expand_db_url(url)
        connection["credentials"].update(minsize=pool[0], maxsize=pool[1], connection_class=ResetWhenNeeded)
    if url.startswith("sqlite://"):
        if not url.startswith("sqlite://:memory:"):
            Path(url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)
        # WAL (Tortoise's default) lets readers go on while a writer works: reads outside transactions
        # run on up to `pool[1]` read-only connections; a writer waits up to busy_timeout for another
        # process's write lock (config/sqlite.py).
        connection = expand_db_url(url)
        connection["engine"] = "config.sqlite"
        connection["credentials"].update(busy_timeout=round(busy_seconds * 1000), readers=pool[1])
    return {
        "connections": {"default": connection},
        "apps": _apps(),
        "use_tz": True,
        "timezone": "UTC",
    }


async def connect(url: str, busy_seconds: float = BUSY_SECONDS, pool: tuple[int, int] = POOL) -> None:
    """Connect without looking at the tables (the migration commands and the test fixtures)."""
    await Tortoise.init(config=tortoise_config(url, busy_seconds, pool), _enable_global_fallback=True)


async def open_database(url: str, busy_seconds: float = BUSY_SECONDS, pool: tuple[int, int] = POOL) -> None:
    """Connect, refusing a database with pending migrations (named) rather than failing per request."""
    await connect(url, busy_seconds, pool)
    pending = await pending_migrations()
    if pending:
        await close_database()
        raise PendingMigrations(pending)


async def open_migrated(url: str, progress=None, busy_seconds: float = BUSY_SECONDS) -> list[str]:
    """Connect and apply the pending migrations (`mandates migrate`, `mandates demo`); their names."""
    await connect(url, busy_seconds)
    return await migrate(progress)


async def close_database() -> None:
    """Close the connections and release the global context, so that the database can be opened again.
    Tortoise keeps each table's INSERT by connection name, not by database kind: forgotten here, a database
    of another kind opened next under the same name would be sent the first one's SQL."""
    await Tortoise.close_connections()
    EXECUTOR_CACHE.clear()


async def database_answers(timeout: float) -> bool:
    """Whether the database answers `SELECT 1` within `timeout` seconds (/healthz)."""
    try:
        await asyncio.wait_for(connections.get("default").execute_query("SELECT 1"), timeout)
    except Exception:  # noqa: BLE001 (whatever the failure: refused, timed out, not opened, it does not answer)
        return False
    return True


def _executor() -> MigrationExecutor:
    return MigrationExecutor(connections.get("default"), _apps())


async def pending_migrations() -> list[str]:
    """The migrations not yet applied to the open database, in the order `migrate` would apply them."""
    return [step.migration.name for step in await _executor().plan() if not step.backward]


async def migrate(progress=None) -> list[str]:
    """Apply the pending migrations to the open database (adopting a v0.1.0 database first); their names.

    `progress(name)` is called before each migration is applied.
    """
    executor = _executor()
    await _adopt_unrecorded_tables(executor)
    names = [step.migration.name for step in await executor.plan() if not step.backward]

    def report(event: str, _app: str, name: str) -> None:
        if event == "apply_start" and progress:
            progress(name)

    await executor.migrate(direction="forward", progress=report)
    return names


async def unmigrated_changes(migrations: str = MIGRATIONS) -> list[str]:
    """What the models change that no migration in the package `migrations` makes (empty when they agree)."""
    writers = await MigrationAutodetector(Tortoise.apps, _apps(migrations)).changes()
    return [operation.describe() for writer in writers for operation in writer.operations]


async def _adopt_unrecorded_tables(executor: MigrationExecutor) -> None:
    """The baseline: tables made by v0.1.0 (no migration record) exactly as 0001 makes them are marked
    as at 0001 without running it; tables that differ are refused, naming the differences."""
    await executor.loader.build_graph()
    if executor.loader.applied_migrations:
        return
    found = await _tables_and_columns()
    if not found:
        return  # an empty database: 0001 creates the tables
    expected = await _initial_tables_and_columns(executor)
    if found != expected:
        raise UnknownSchema(
            "the tables are not those of v0.1.0 and no migration is recorded; nothing was changed: "
            + "; ".join(_differences(found, expected))
        )
    await executor.migrate([MigrationTarget(app_label=APP, name=INITIAL)], fake=True)


async def _initial_tables_and_columns(executor: MigrationExecutor) -> dict[str, set[str]]:
    state = State(models={}, apps=StateApps())
    initial = executor.loader.graph.nodes[MigrationKey(app_label=APP, name=INITIAL)]
    if initial is None:  # a node without its migration: a replaced one, never the initial
        raise RuntimeError(f"the migration {INITIAL} is not in migrations/")
    await initial.apply(state, dry_run=True)
    return {
        model.table: {field.source_field or name for name, field in model.fields.items()}
        for model in state.models.values()
    }


async def _tables_and_columns() -> dict[str, set[str]]:
    connection = connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        _, rows = await connection.execute_query(
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m, pragma_table_info(m.name) p "
            "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
        )
    else:
        _, rows = await connection.execute_query(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        )
    tables: dict[str, set[str]] = {}
    for row in rows:
        if row["table_name"] != RECORDER_TABLE:
            tables.setdefault(row["table_name"], set()).add(row["column_name"])
    return tables


def _differences(found: dict[str, set[str]], expected: dict[str, set[str]]) -> list[str]:
    lines = [f"table {name} missing" for name in sorted(expected.keys() - found.keys())]
    lines += [f"table {name} unknown" for name in sorted(found.keys() - expected.keys())]
    for name in sorted(found.keys() & expected.keys()):
        lines += [f"column {name}.{column} missing" for column in sorted(expected[name] - found[name])]
        lines += [f"column {name}.{column} unknown" for column in sorted(found[name] - expected[name])]
    return lines


# For Tortoise's own CLI, which writes a migration from the models without a database:
# `tortoise -c config.database.TORTOISE_ORM makemigrations --name what_changed`.
TORTOISE_ORM = tortoise_config("sqlite://:memory:")
