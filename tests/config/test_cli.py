"""The `mandates` command (API.md, Operating): token, load-reference, export-schema, sweep.

Commands run in-process through `config.cli.main` (stdout and stderr captured) or, where the
working directory matters, as a subprocess started elsewhere. Each database is a temporary SQLite file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import subprocess
import sys

import pytest

from config.cli import main
from config.demo import DEMO_DIR
from config.settings import ROOT
from tests.conftest import PERSONAS, TEST_SECRET

REFERENCE = DEMO_DIR / "reference.json"
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


def _count(database, table: str = "enterprise") -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _names(database) -> dict[str, str]:
    with sqlite3.connect(database) as connection:
        return dict(connection.execute("SELECT enterprise_number, name FROM enterprise").fetchall())


async def test_token_prints_a_token_alone_that_the_server_accepts(env, capsys, api):
    director = PERSONAS["employer-director"]
    code = main(["token", "--niss", director["niss"], "--enterprise", director["enterprise"], "--scope", "mandates:manage", "--name", "Marc Delvaux", "--minutes", "5"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.endswith("\n")
    minted = out.strip()
    assert re.fullmatch(r"[\w-]+\.[\w-]+\.[\w-]+", minted)
    response = await api.raw("{ viewer { niss name enterprise { enterpriseNumber } canManage isOfficer } }", headers={"Authorization": f"Bearer {minted}"})
    result = response.json()
    assert result == {
        "data": {
            "viewer": {
                "niss": director["niss"],
                "name": "Marc Delvaux",
                "enterprise": {"enterpriseNumber": director["enterprise"]},
                "canManage": True,
                "isOfficer": False,
            }
        }
    }


async def test_an_officer_token_without_enterprise(env, capsys, api):
    officer = PERSONAS["nsso-officer"]
    assert main(["token", "--niss", officer["niss"], "--scope", "nsso:officer"]) == 0
    minted = capsys.readouterr().out.strip()
    response = await api.raw("{ viewer { enterprise { name } isOfficer canManage } }", headers={"Authorization": f"Bearer {minted}"})
    assert response.json() == {"data": {"viewer": {"enterprise": None, "isOfficer": True, "canManage": False}}}


async def test_a_token_minted_with_another_secret_is_refused(env, capsys, api, monkeypatch):
    monkeypatch.setenv("MANDATES_JWT_SECRET", "not-the-servers-secret-0000000000000000000")
    director = PERSONAS["employer-director"]
    assert main(["token", "--niss", director["niss"], "--enterprise", director["enterprise"], "--scope", "mandates:manage"]) == 0
    minted = capsys.readouterr().out.strip()
    response = await api.raw("{ viewer { niss } }", headers={"Authorization": f"Bearer {minted}"})
    assert [error["extensions"]["code"] for error in response.json()["errors"]] == ["UNAUTHENTICATED"]


def test_load_reference_loads_the_demo_file_and_is_idempotent(env, capsys):
    expected = len(json.loads(REFERENCE.read_text(encoding="utf-8"))["enterprises"])
    assert main(["load-reference", str(REFERENCE)]) == 0
    assert f"{expected} enterprises" in capsys.readouterr().out
    assert _count(env) == expected == 11
    first = (_count(env, "branch"), _count(env, "representative"), _count(env, "matrix_entry"), _count(env, "legal_form"))
    assert main(["load-reference", str(REFERENCE)]) == 0
    capsys.readouterr()
    assert _count(env) == expected
    assert (_count(env, "branch"), _count(env, "representative"), _count(env, "matrix_entry"), _count(env, "legal_form")) == first


def _with_bad_niss(tmp_path, rename: str | None = None):
    """The demo file with the last enterprise's first representative's NISS broken (its check digits)."""
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    index = max(i for i, e in enumerate(data["enterprises"]) if e.get("representatives"))
    good = data["enterprises"][index]["representatives"][0]["niss"]
    bad = good[:9] + f"{(int(good[9:]) + 1) % 100:02d}"
    data["enterprises"][index]["representatives"][0]["niss"] = bad
    if rename:
        data["enterprises"][0]["name"] = rename
    text = json.dumps(data, indent=2, ensure_ascii=False)
    path = tmp_path / "bad reference.json"
    path.write_text(text, encoding="utf-8")
    line = next(number for number, content in enumerate(text.splitlines(), start=1) if bad in content)
    return path, line, data["enterprises"][0]["enterpriseNumber"]


def test_r_ent_6_a_file_with_one_bad_niss_is_refused_whole(env, tmp_path, capsys):
    path, line, _ = _with_bad_niss(tmp_path)
    assert main(["load-reference", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(path) in captured.err
    assert f"line {line}" in captured.err
    assert "nothing loaded" in captured.err
    assert _count(env) == 0
    assert _count(env, "legal_form") == 0


def test_r_ent_6_a_refused_file_changes_nothing_already_loaded(env, tmp_path, capsys):
    assert main(["load-reference", str(REFERENCE)]) == 0
    before = _names(env)
    path, line, renamed = _with_bad_niss(tmp_path, rename="Renamed By A Bad File")
    assert main(["load-reference", str(path)]) == 1
    assert f"line {line}" in capsys.readouterr().err
    assert _names(env) == before
    assert "Renamed" not in before[renamed.replace(".", "")]


def test_load_reference_of_a_missing_or_non_json_file_fails_cleanly(env, tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "enterprises": [\n    {,\n  ]\n}\n', encoding="utf-8")
    assert main(["load-reference", str(broken)]) == 1
    err = capsys.readouterr().err
    assert str(broken) in err and "line 3" in err


def test_export_schema_to_stdout_prints_the_sdl(env, capsys):
    from schema.app import schema

    assert main(["export-schema", "-"]) == 0
    out = capsys.readouterr().out
    assert out == schema.as_str() + "\n"
    assert "type Query {" in out and "createMandate(input: CreateMandateInput!): MandatePayload!" in out


def test_export_schema_works_from_any_directory(tmp_path):
    from schema.app import schema

    environment = {key: value for key, value in os.environ.items() if key not in ENV_SETTINGS}
    environment["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "config.cli", "export-schema", "-"], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == schema.as_str() + "\n"
    assert not (tmp_path / "schema.graphql").exists()


def test_sweep_runs_and_cancels_lapsed_mandates(env, capsys, monkeypatch):
    assert main(["sweep"]) == 0
    assert re.search(r"\b0 cancelled\b", capsys.readouterr().out)  # an empty database: nothing to do
    assert main(["demo"]) == 0
    capsys.readouterr()
    awaiting = _count_statuses(env, ("TO_BE_FINALISED", "PENDING"))
    assert awaiting > 0
    monkeypatch.setenv("MANDATES_CLOCK", (dt.date.today() + dt.timedelta(days=400)).isoformat())
    assert main(["sweep"]) == 0
    cancelled = int(re.search(r"(\d+) cancelled", capsys.readouterr().out).group(1))
    assert cancelled == awaiting
    assert _count_statuses(env, ("TO_BE_FINALISED", "PENDING")) == 0
    assert main(["sweep"]) == 0
    assert re.search(r"\b0 cancelled\b", capsys.readouterr().out)


def _count_statuses(database, statuses: tuple[str, ...]) -> int:
    with sqlite3.connect(database) as connection:
        marks = ", ".join("?" for _ in statuses)
        return connection.execute(f"SELECT count(*) FROM mandate WHERE status IN ({marks})", statuses).fetchone()[0]


def test_a_production_start_with_development_defaults_is_refused(env, capsys, monkeypatch):
    monkeypatch.delenv("MANDATES_JWT_SECRET")
    monkeypatch.setenv("MANDATES_PRODUCTION", "1")
    assert main(["token", "--niss", "68031425991", "--scope", "nsso:officer"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "MANDATES_PRODUCTION" in captured.err


def test_production_with_an_identity_providers_public_key_needs_no_hs256_secret(monkeypatch, tmp_path):
    """MANDATES_PRODUCTION refuses development defaults, but not an HS256 secret RS256 tokens never use."""
    from config.settings import Settings

    for name in ("MANDATES_JWT_SECRET", "MANDATES_CLOCK"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MANDATES_PRODUCTION", "1")
    monkeypatch.setenv("MANDATES_JWT_ALGORITHM", "RS256")
    monkeypatch.setenv("MANDATES_JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----")
    monkeypatch.setenv("MANDATES_LINK_SECRET", "a-real-link-secret")
    monkeypatch.setenv("MANDATES_ID_SECRET", "a-real-global-id-secret")
    monkeypatch.setenv("MANDATES_SIGNING_KEY", str(tmp_path / "key.pem"))
    monkeypatch.setenv("MANDATES_SIGNING_CERT", str(tmp_path / "cert.pem"))
    assert Settings.from_env().production is True
    monkeypatch.delenv("MANDATES_LINK_SECRET")
    try:
        Settings.from_env()
    except RuntimeError as error:
        assert "MANDATES_LINK_SECRET" in str(error)
    else:
        raise AssertionError("a development link secret passed in production")


def test_hardening_development_id_secret_refused_in_production(monkeypatch, tmp_path):
    """The key of the opaque global IDs has a development default, which production refuses."""
    from config.settings import Settings

    monkeypatch.delenv("MANDATES_CLOCK", raising=False)
    for name, value in (("MANDATES_JWT_SECRET", "a-real-jwt-secret"), ("MANDATES_LINK_SECRET", "a-real-link-secret"),
                        ("MANDATES_SIGNING_KEY", str(tmp_path / "key.pem")), ("MANDATES_SIGNING_CERT", str(tmp_path / "cert.pem")),
                        ("MANDATES_PRODUCTION", "1")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("MANDATES_ID_SECRET", raising=False)
    with pytest.raises(RuntimeError, match="MANDATES_ID_SECRET"):
        Settings.from_env()
    monkeypatch.setenv("MANDATES_ID_SECRET", "a-real-global-id-secret")
    assert Settings.from_env().id_secret == "a-real-global-id-secret"
