"""Operations item 1: the migrations equal the models, `mandates migrate` (and `--check`) adopts and
upgrades a database made by the previous release (v0.1.0, commit 7079476) on SQLite and PostgreSQL,
and nothing else runs on a database with pending migrations.

The previous release's own `mandates demo` makes the old database: its tree comes from `git archive`
and runs with this virtual environment (the dependencies did not change).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import asyncpg
import httpx
import pytest
from tortoise import Tortoise
from tortoise.migrations.api import migrate as tortoise_migrate

from config.cli import main
from config.database import (
    INITIAL,
    PendingMigrations,
    close_database,
    connect,
    open_database,
    tortoise_config,
    unmigrated_changes,
)
from config.settings import ROOT
from models.sort_keys import sort_key
from resolvers.history_chain import verify_history
from tests.config.conftest import ENV_SETTINGS
from tests.conftest import SETTINGS, token
from tests.serving import free_port

PREVIOUS_RELEASE = "7079476"  # tagged v0.1.0 where the tag was fetched
KEPT = ("mandate", "mandate_group", "mandate_event", "notification")
PG_SERVER = os.environ.get("PG_URL") or os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/test"
# Named after the suite's own database, so that two checkouts testing at once on one server never share it.
UPGRADE_DATABASE = PG_SERVER.rsplit("/", 1)[1].split("?", 1)[0] + "_migrations_upgrade"


async def test_operations_migrations_equal_the_models(database):
    """The CI check: a change to models/tables.py without its migration fails here (and `migrate --check`)."""
    assert await unmigrated_changes() == []


async def test_operations_a_model_change_without_its_migration_is_named(database, tmp_path, monkeypatch):
    """The check can fail: against the migrations without 0002, the history columns are reported."""
    package = tmp_path / "migrations_before_0002"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    shutil.copyfile(ROOT / "migrations" / f"{INITIAL}.py", package / f"{INITIAL}.py")
    monkeypatch.syspath_prepend(str(tmp_path))
    changes = await unmigrated_changes("migrations_before_0002")
    assert any("chain_hash" in change for change in changes), changes
    assert any("previous_hash" in change for change in changes), changes


async def _at_initial(database: Path) -> None:
    """A database at 0001 only (0002 pending), through Tortoise's own migrate API."""
    await tortoise_migrate(config=tortoise_config(f"sqlite://{database}"), target=f"models.{INITIAL}")
    await Tortoise.close_connections()


def test_operations_migrate_check_names_a_pending_migration(env, capsys):
    asyncio.run(_at_initial(env))
    assert main(["migrate", "--check"]) == 1
    assert "pending migration: 0002_history_chain" in capsys.readouterr().err
    assert main(["migrate"]) == 0
    assert "applying 0002_history_chain" in capsys.readouterr().out
    assert main(["migrate", "--check"]) == 0
    assert main(["migrate"]) == 0
    assert "no pending migration" in capsys.readouterr().out


@pytest.mark.parametrize(
    "command",
    [
        ["serve", "--port", str(free_port())],  # refused before it listens
        ["sweep"],
        ["verify-history"],
        ["load-reference", str(ROOT / "config/demo/reference.json")],
    ],
)
def test_operations_commands_refuse_pending_migrations_naming_them(env, capsys, command):
    asyncio.run(_at_initial(env))
    assert main(command) == 1
    assert "pending migrations (0002_history_chain" in capsys.readouterr().err  # and any later one
    with sqlite3.connect(env) as connection:
        assert connection.execute("SELECT name FROM tortoise_migrations").fetchall() == [(INITIAL,)]


def test_operations_demo_migrates_first(env, capsys):
    assert main(["demo"]) == 0
    assert main(["migrate", "--check"]) == 0


async def test_operations_server_refuses_to_start_with_pending_migrations(env, settings):
    from config.asgi import create_app

    await _at_initial(env)
    app = create_app(replace(settings, database_url=f"sqlite://{env}"))
    with pytest.raises(PendingMigrations, match="0002_history_chain"):
        async with app.router.lifespan_context(app):
            pass


async def test_operations_baseline_refuses_tables_that_are_not_those_of_0001(env, capsys):
    """Tables without a migration record that differ from 0001 (here: today's, made by generate_schemas)
    are not adopted: the differences are named and nothing is changed."""
    await connect(f"sqlite://{env}")
    await Tortoise.generate_schemas()
    await close_database()
    assert await asyncio.to_thread(main, ["migrate"]) == 1
    err = capsys.readouterr().err
    assert "column mandate_event.chain_hash unknown" in err and "nothing was changed" in err
    with sqlite3.connect(env) as connection:
        assert connection.execute("SELECT name FROM sqlite_master WHERE name = 'tortoise_migrations'").fetchall() == []


# The upgrade from the previous release.


@pytest.fixture(scope="module")
def previous_release(tmp_path_factory) -> Path:
    if subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}"], capture_output=True, check=False
    ).returncode:
        pytest.skip(
            f"commit {PREVIOUS_RELEASE} (v0.1.0) is not in this clone: fetch its history to run the upgrade test"
        )
    tree = tmp_path_factory.mktemp("v0.1.0")
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", PREVIOUS_RELEASE], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def _previous_demo(tree: Path, url: str, data_dir: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key not in ENV_SETTINGS}
    environment |= {
        "PYTHONPATH": str(tree),
        "MANDATES_DATABASE_URL": url,
        "MANDATES_DATA_DIR": str(data_dir),
        "MANDATES_JWT_SECRET": SETTINGS.jwt_secret,
    }
    result = subprocess.run(
        [sys.executable, "-m", "config.cli", "demo"],
        cwd=tree,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# The columns later migrations add to the kept tables (0002's hash chain, 0010's late-closure assessment).
ADDED_SINCE = ("previous_hash", "chain_hash", "late_closure_since")


async def _rows(url: str) -> dict[str, list[tuple]]:
    """Every row of the kept tables (mandates, groups, events, notifications), v0.1.0's columns only."""
    await connect(url)
    try:
        from tortoise import connections

        connection = connections.get("default")
        found = {}
        for table in KEPT:
            _, rows = await connection.execute_query(f"SELECT * FROM {table} ORDER BY id")  # nosec B608: fixed names
            # By column name: SQLite's rebuild of mandate_event in 0002 moves mandate_id.
            found[table] = [
                sorted((key, value) for key, value in dict(row).items() if key not in ADDED_SINCE) for row in rows
            ]
        return found
    finally:
        await close_database()


async def _applied(url: str) -> list[str]:
    await connect(url)
    try:
        from tortoise import connections

        _, rows = await connections.get("default").execute_query("SELECT name FROM tortoise_migrations ORDER BY name")
        return [row["name"] for row in rows]
    finally:
        await close_database()


async def _name_keys(url: str) -> str:
    await connect(url)
    try:
        from tortoise import connections

        _, rows = await connections.get("default").execute_query("SELECT name, name_key FROM enterprise")
        wrong = [row["name"] for row in rows if row["name_key"] != sort_key(row["name"])]
        return "filled" if rows and not wrong else f"{len(rows)} rows, wrong: {wrong}"
    finally:
        await close_database()


async def _upgrade_and_check(url: str, settings, monkeypatch, capsys) -> None:
    before = await _rows(url)
    assert all(before[table] for table in KEPT), {table: len(rows) for table, rows in before.items()}
    monkeypatch.setenv("MANDATES_DATABASE_URL", url)
    assert await asyncio.to_thread(main, ["migrate"]) == 0
    out = capsys.readouterr().out
    assert "applying 0002_history_chain" in out and f"applying {INITIAL}" not in out  # 0001 adopted, not re-run
    assert await _applied(url) == sorted(path.stem for path in (ROOT / "migrations").glob("0*.py"))  # every one
    assert await _rows(url) == before
    assert await _name_keys(url) == "filled"  # 0003: the enterprises already there sort by their key

    from config.asgi import create_app

    await open_database(url)  # no pending migration
    try:
        assert await verify_history() == []  # the chain of the events already there, computed by 0002
        app = create_app(replace(settings, database_url=url), manage_database=False)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            response = await client.post(
                "/graphql",
                json={
                    "query": "{ mandates(first: 100) { totalCount edges { node { reference history { action } } } } }"
                },
                headers={"Authorization": f"Bearer {token('nsso-officer')}"},
            )
        data = response.json()["data"]["mandates"]
        assert data["totalCount"] == len(before["mandate"])
        assert sum(len(edge["node"]["history"]) for edge in data["edges"]) == len(before["mandate_event"])
    finally:
        await close_database()


async def test_operations_upgrade_from_the_previous_release_on_sqlite(
    previous_release, env, settings, tmp_path, monkeypatch, capsys
):
    url = f"sqlite://{tmp_path / 'previous.sqlite3'}"
    await asyncio.to_thread(_previous_demo, previous_release, url, tmp_path / "data")
    with sqlite3.connect(tmp_path / "previous.sqlite3") as connection:  # made by v0.1.0's code: no migration record
        assert connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'tortoise_migrations'"
        ).fetchone() == (0,)
    await _upgrade_and_check(url, settings, monkeypatch, capsys)


async def test_operations_upgrade_from_the_previous_release_on_postgresql(
    previous_release, env, settings, tmp_path, monkeypatch, capsys
):
    server = PG_SERVER.replace("postgres://", "postgresql://", 1).rsplit("/", 1)[0]
    try:
        admin = await asyncpg.connect(f"{server}/postgres", timeout=3)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        pytest.skip(f"PostgreSQL at {server} does not answer: the upgrade test on PostgreSQL is SKIPPED")
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {UPGRADE_DATABASE}")
        await admin.execute(f"CREATE DATABASE {UPGRADE_DATABASE}")
    finally:
        await admin.close()
    url = f"{server}/{UPGRADE_DATABASE}".replace("postgresql://", "postgres://", 1)
    await asyncio.to_thread(_previous_demo, previous_release, url, tmp_path / "data")
    await _upgrade_and_check(url, settings, monkeypatch, capsys)
