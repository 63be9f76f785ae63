"""Shared fixtures: a database per test (SQLite in memory, or PostgreSQL when DATABASE_URL names one),
the app on httpx's ASGI transport, a frozen clock, tokens for the demo personas.

The behaviour tests use the demo reference file (config/demo/reference.json): fictitious
enterprises whose numbers pass their checks.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import replace

import httpx
import pytest
from tortoise import Tortoise, connections

from config.clock import Clock
from config.database import close_database, connect, migrate
from config.demo import DEMO_DIR, personas
from config.settings import Settings
from config.tokens import mint
from resolvers.reference_data import load_reference

TEST_SECRET = "test-secret-for-the-test-suite-only-000000"
SETTINGS = replace(
    Settings(), jwt_secret=TEST_SECRET, database_url=os.environ.get("DATABASE_URL") or "sqlite://:memory:"
)
PERSONAS = {p["key"]: p for p in personas()}


def token(persona: str, **overrides) -> str:
    p = {**PERSONAS[persona], **overrides}
    return mint(SETTINGS, p["niss"], p["scope"], enterprise=p["enterprise"], name=p["name"])


REFERENCE = (DEMO_DIR / "reference.json").read_text(encoding="utf-8")
SNAPSHOT = "reference_snapshot"  # PostgreSQL: the rows of the demo reference load, kept in a schema of their own
_snapshot: list = []  # the models whose tables the snapshot holds rows for, parents before children


def _tables() -> list[str]:
    return [model._meta.db_table for model in Tortoise.apps["models"].values()]


def _parents_first(models: list) -> list:
    """The models ordered so that a table comes after the tables its foreign keys point to."""
    ordered: list = []

    def visit(model) -> None:
        if model in ordered:
            return
        for name in model._meta.fk_fields:
            parent = model._meta.fields_map[name].related_model
            if parent is not model and parent in models:
                visit(parent)
        ordered.append(model)

    for model in models:
        visit(model)
    return ordered


async def _snapshot_postgres() -> None:
    """Once per run: the demo reference data loaded once, and the tables it filled copied aside."""
    connection = connections.get("default")
    await load_reference(REFERENCE)
    models = list(Tortoise.apps["models"].values())
    filled = [model for model in models if await model.all().exists()]
    _snapshot[:] = _parents_first(filled)
    copies = "".join(
        f"CREATE TABLE {SNAPSHOT}.{m._meta.db_table} AS SELECT * FROM public.{m._meta.db_table};" for m in _snapshot
    )
    await connection.execute_script(f"DROP SCHEMA IF EXISTS {SNAPSHOT} CASCADE; CREATE SCHEMA {SNAPSHOT};{copies}")


async def _reset_postgres(with_reference: bool) -> None:
    """Empty tables, then (for a test of the `reference` fixture) the snapshot's rows put back and each
    key sequence set after them: the state a fresh reference load gives, in one round trip instead of
    the load's ~200 statements (tests/bench/tiers.py)."""
    script = f"TRUNCATE {', '.join(_tables())} RESTART IDENTITY CASCADE;"
    if with_reference:
        for model in _snapshot:
            table, key = model._meta.db_table, model._meta.db_pk_column
            script += f"INSERT INTO {table} SELECT * FROM {SNAPSHOT}.{table};"
            if model._meta.pk.generated:
                script += (
                    f"SELECT setval(pg_get_serial_sequence('{table}', '{key}'), (SELECT max({key}) FROM {table}));"
                )
    await connections.get("default").execute_script(script)


_schema_ready = False
_sqlite_templates: dict[bool, sqlite3.Connection] = {}


async def _copy_of_migrated_sqlite(with_reference: bool) -> None:
    """The schema is made by the migrations (so every test proves they equal the models) once per run
    into an in-memory template, and a second template has the demo reference data loaded; each test
    gets a copy of one through SQLite's backup API: 2-4 ms, where applying the migrations takes
    1.5-2 s and the reference load ~40 ms (tests/bench/database_setup.py)."""
    await connect(SETTINGS.database_url)
    client = connections.get("default")
    await client.execute_query("SELECT 1")  # Tortoise connects lazily
    if not _sqlite_templates:
        await migrate()
        _sqlite_templates[False] = sqlite3.connect(":memory:", check_same_thread=False)
        await client._connection.backup(_sqlite_templates[False])
        await load_reference(REFERENCE)
        _sqlite_templates[True] = sqlite3.connect(":memory:", check_same_thread=False)
        await client._connection.backup(_sqlite_templates[True])
    _sqlite_templates[with_reference].backup(client._connection._conn)


async def fresh_database(with_reference: bool) -> None:
    """Connect to a database made by the migrations, empty or with the demo reference data, whatever an
    earlier test wrote (the fixtures below and the use-case tier's shared database)."""
    global _schema_ready
    if SETTINGS.database_url.startswith("postgres"):
        await connect(SETTINGS.database_url)
        if not _schema_ready:
            # A clean schema once per run, made by the migrations, whatever an earlier run left.
            await connections.get("default").execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            await migrate()
            await _snapshot_postgres()
            _schema_ready = True
        await _reset_postgres(with_reference)
    else:
        await _copy_of_migrated_sqlite(with_reference)


@pytest.fixture
async def database(request):
    """A database of the test's own; with the demo reference data when the test asks for `reference`."""
    await fresh_database("reference" in request.fixturenames)
    yield
    await close_database()


@pytest.fixture
async def reference(database):
    """The demo reference data (config/demo/reference.json), loaded by `database` from a template."""


@pytest.fixture
def clock() -> Clock:
    """Today is frozen; a test moves it with `clock.frozen = date(...)`."""
    return Clock(dt.date(2024, 5, 10))


@pytest.fixture(scope="session")
def eid_ca(tmp_path_factory):
    """A test CA standing for the eID chain; its PEM is the app's MANDATES_EID_TRUST_ROOTS."""
    from tests.documents.pki import cert_pem, make_ca, write_pem

    cert, key = make_ca("Test eID Root CA")
    roots = tmp_path_factory.mktemp("eid") / "roots.pem"
    write_pem(roots, cert_pem(cert))
    return cert, key, roots


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory):
    """Where the app keeps its development seal pair during the run (never the checkout's .data)."""
    return tmp_path_factory.mktemp("data")


@pytest.fixture
def settings(eid_ca, data_dir) -> Settings:
    return replace(SETTINGS, eid_trust_roots=eid_ca[2], data_dir=data_dir)


@pytest.fixture
async def app(reference, clock, settings):
    from config.asgi import create_app

    return create_app(settings, clock, manage_database=False)


class Api:
    """GraphQL over HTTP through the ASGI transport, as a persona."""

    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def raw(self, query: str, variables: dict | None = None, *, headers: dict | None = None) -> httpx.Response:
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
        )

    async def __call__(self, query: str, variables: dict | None = None, *, as_: str | None = None, **claims) -> dict:
        headers = {"Authorization": f"Bearer {token(as_, **claims)}"} if as_ else {}
        response = await self.raw(query, variables, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
async def api(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield Api(client)


def enterprise_number(persona: str) -> str:
    return PERSONAS[persona]["enterprise"]


def load_json(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
