"""Operations item 5: one version, pyproject.toml's, read from the installed package's metadata and shown
by `mandates --version`, GET /healthz and the `registry { version }` query."""

from __future__ import annotations

import tomllib

import pytest

from config.cli import main
from config.settings import ROOT
from config.version import version

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_operations_the_version_is_pyproject_toml_s_through_the_package_metadata():
    assert version() == VERSION


def test_operations_mandates_version_prints_the_version(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"mandates {VERSION}\n"


async def test_operations_healthz_shows_the_version(api):
    response = await api.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": VERSION}


async def test_operations_registry_version_is_public_and_the_same(api):
    assert await api("{ registry { version } }") == {"data": {"registry": {"version": VERSION}}}
