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
SETTINGS = replace(Settings(), jwt_secret=TEST_SECRET, database_url=os.environ.get("DATABASE_URL") or "sqlite://:memory:")
PERSONAS = {p["key"]: p for p in personas()}


def token(persona: str, **overrides) -> str:
    p = {**PERSONAS[persona], **overrides}
    return mint(SETTINGS, p["niss"], p["scope"], enterprise=p["enterprise"], name=p["name"])


async def _reset_postgres() -> None:
    connection = connections.get("default")
    tables = [model._meta.db_table for model in Tortoise.apps["models"].values()]
    await connection.execute_script(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


_schema_ready = False
_sqlite_template: sqlite3.Connection | None = None


async def _copy_of_migrated_sqlite() -> None:
    """The schema is made by the migrations (so every test proves they equal the models) once per run
    into an in-memory template; each test gets a copy through SQLite's backup API: 2-4 ms, where applying
    the migrations takes 1.5-2 s and generate_schemas took 14 ms (tests/bench/database_setup.py)."""
    global _sqlite_template
    await connect(SETTINGS.database_url)
    client = connections.get("default")
    await client.execute_query("SELECT 1")  # Tortoise connects lazily
    if _sqlite_template is None:
        await migrate()
        _sqlite_template = sqlite3.connect(":memory:", check_same_thread=False)
        await client._connection.backup(_sqlite_template)
    else:
        _sqlite_template.backup(client._connection._conn)


@pytest.fixture
async def database():
    global _schema_ready
    if SETTINGS.database_url.startswith("postgres"):
        await connect(SETTINGS.database_url)
        if not _schema_ready:
            # A clean schema once per run, made by the migrations, whatever an earlier run left.
            await connections.get("default").execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            await migrate()
            _schema_ready = True
        await _reset_postgres()
    else:
        await _copy_of_migrated_sqlite()
    yield
    await close_database()


@pytest.fixture
def clock() -> Clock:
    """Today is frozen; a test moves it with `clock.frozen = date(...)`."""
    return Clock(dt.date(2024, 5, 10))


@pytest.fixture
async def reference(database):
    await load_reference((DEMO_DIR / "reference.json").read_text(encoding="utf-8"))


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
        return await self.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {})

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
