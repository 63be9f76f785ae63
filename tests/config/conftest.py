"""Fixtures of the command tests: a clean environment and a temporary SQLite file, migrated or not."""

from __future__ import annotations

import shutil

import pytest

from config.cli import main
from tests.conftest import TEST_SECRET

ENV_SETTINGS = (
    "MANDATES_DATABASE_URL",
    "DATABASE_URL",
    "MANDATES_CLOCK",
    "MANDATES_PRODUCTION",
    "MANDATES_JWT_ALGORITHM",
    "MANDATES_JWT_PUBLIC_KEY",
    "MANDATES_JWT_JWKS_URL",
    "MANDATES_JWT_ISSUER",
    "MANDATES_JWT_AUDIENCE",
    "MANDATES_TOKEN_MINUTES",
)


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment: the suite's secret and a temporary SQLite file; returns the file's path."""
    for name in ENV_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MANDATES_JWT_SECRET", TEST_SECRET)
    database = tmp_path / "x.sqlite3"
    monkeypatch.setenv("MANDATES_DATABASE_URL", f"sqlite://{database}")
    monkeypatch.chdir(tmp_path)  # nothing may depend on the working directory
    return database


@pytest.fixture(scope="session")
def migrated_file(tmp_path_factory):
    """An SQLite file `mandates migrate` made once per run; `migrated` copies it (a migration run takes ~1 s)."""
    folder = tmp_path_factory.mktemp("migrated")
    with pytest.MonkeyPatch.context() as patch:
        for name in ENV_SETTINGS:
            patch.delenv(name, raising=False)
        patch.setenv("MANDATES_JWT_SECRET", TEST_SECRET)
        patch.setenv("MANDATES_DATABASE_URL", f"sqlite://{folder / 'migrated.sqlite3'}")
        assert main(["migrate"]) == 0
    return folder / "migrated.sqlite3"


@pytest.fixture
def migrated(env, migrated_file):
    """The `env` database, with every migration applied."""
    shutil.copyfile(migrated_file, env)
    return env
