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

from graphql import build_schema

from config.cli import main
from config.demo import DEMO_DIR
from config.settings import ROOT
from tests.bench.cbe_extract import write_full, write_update
from tests.config.conftest import ENV_SETTINGS
from tests.conftest import PERSONAS

REFERENCE = DEMO_DIR / "reference.json"


def _count(database, table: str = "enterprise") -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _names(database) -> dict[str, str]:
    with sqlite3.connect(database) as connection:
        return dict(connection.execute("SELECT enterprise_number, name FROM enterprise").fetchall())


async def test_token_prints_a_token_alone_that_the_server_accepts(env, capsys, api):
    director = PERSONAS["employer-director"]
    code = main(
        [
            "token",
            "--niss",
            director["niss"],
            "--enterprise",
            director["enterprise"],
            "--scope",
            "mandates:manage",
            "--name",
            "Marc Delvaux",
            "--minutes",
            "5",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.endswith("\n")
    minted = out.strip()
    assert re.fullmatch(r"[\w-]+\.[\w-]+\.[\w-]+", minted)
    response = await api.raw(
        "{ viewer { niss name enterprise { enterpriseNumber } canManage isOfficer } }",
        headers={"Authorization": f"Bearer {minted}"},
    )
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
    response = await api.raw(
        "{ viewer { enterprise { name } isOfficer canManage } }", headers={"Authorization": f"Bearer {minted}"}
    )
    assert response.json() == {"data": {"viewer": {"enterprise": None, "isOfficer": True, "canManage": False}}}


async def test_a_token_minted_with_another_secret_is_refused(env, capsys, api, monkeypatch):
    monkeypatch.setenv("MANDATES_JWT_SECRET", "not-the-servers-secret-0000000000000000000")
    director = PERSONAS["employer-director"]
    assert (
        main(
            ["token", "--niss", director["niss"], "--enterprise", director["enterprise"], "--scope", "mandates:manage"]
        )
        == 0
    )
    minted = capsys.readouterr().out.strip()
    response = await api.raw("{ viewer { niss } }", headers={"Authorization": f"Bearer {minted}"})
    assert [error["extensions"]["code"] for error in response.json()["errors"]] == ["UNAUTHENTICATED"]


def test_load_reference_loads_the_demo_file_and_is_idempotent(env, migrated, capsys):
    expected = len(json.loads(REFERENCE.read_text(encoding="utf-8"))["enterprises"])
    assert main(["load-reference", str(REFERENCE)]) == 0
    assert f"{expected} enterprises" in capsys.readouterr().out
    assert _count(env) == expected == 11
    first = (
        _count(env, "branch"),
        _count(env, "representative"),
        _count(env, "matrix_entry"),
        _count(env, "legal_form"),
    )
    assert main(["load-reference", str(REFERENCE)]) == 0
    capsys.readouterr()
    assert _count(env) == expected
    assert (
        _count(env, "branch"),
        _count(env, "representative"),
        _count(env, "matrix_entry"),
        _count(env, "legal_form"),
    ) == first


def test_import_cbe_applies_a_full_extract_once_and_refuses_an_update_out_of_order_with_exit_code_2(
    env, migrated, tmp_path, capsys
):
    full = write_full(tmp_path / "KboOpenData_0290_2026_03_Full.zip", 20, 290, dt.date(2026, 3, 3))
    assert main(["import-cbe", str(full)]) == 0
    assert capsys.readouterr().out == "applied full extract 290: 20 enterprises, 0 stopped, 10 establishment units\n"
    assert _count(env) == 20
    assert main(["import-cbe", str(full)]) == 0
    assert capsys.readouterr().out == "full extract 290 was applied before: nothing changed\n"
    skipping = write_update(tmp_path / "update 292", 292, dt.date(2026, 3, 5), stopped=(1,))
    assert main(["import-cbe", str(skipping)]) == 2
    err = capsys.readouterr().err
    assert err.endswith(
        "refused, nothing imported: update extract 292 is not the next one: the registry expects "
        "update extract 291 (or a newer full extract)\n"
    )
    assert _count(env, "cbe_extract") == 1


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


def test_r_ent_6_a_file_with_one_bad_niss_is_refused_whole(env, migrated, tmp_path, capsys):
    path, line, _ = _with_bad_niss(tmp_path)
    assert main(["load-reference", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert str(path) in captured.err
    assert f"line {line}" in captured.err
    assert "nothing loaded" in captured.err
    assert _count(env) == 0
    assert _count(env, "legal_form") == 0


def test_r_ent_6_a_refused_file_changes_nothing_already_loaded(env, migrated, tmp_path, capsys):
    assert main(["load-reference", str(REFERENCE)]) == 0
    before = _names(env)
    path, line, renamed = _with_bad_niss(tmp_path, rename="Renamed By A Bad File")
    assert main(["load-reference", str(path)]) == 1
    assert f"line {line}" in capsys.readouterr().err
    assert _names(env) == before
    assert "Renamed" not in before[renamed.replace(".", "")]


def test_load_reference_of_a_missing_or_non_json_file_fails_cleanly(env, migrated, tmp_path, capsys):
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
    printed = build_schema(
        out
    )  # descriptions now sit between a field's name and its arguments: read the SDL, not its lines
    create = printed.mutation_type.fields["createMandate"]
    assert (
        printed.query_type.name == "Query"
        and str(create.args["input"].type) == "CreateMandateInput!"
        and str(create.type) == "MandatePayload!"
    )


def test_export_schema_works_from_any_directory(tmp_path):
    from schema.app import schema

    environment = {key: value for key, value in os.environ.items() if key not in ENV_SETTINGS}
    environment["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "config.cli", "export-schema", "-"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == schema.as_str() + "\n"
    assert not (tmp_path / "schema.graphql").exists()


def test_sweep_runs_and_cancels_lapsed_mandates(env, migrated, capsys, monkeypatch):
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


def test_hardening_token_refuses_a_lifetime_the_server_would_refuse(env, capsys):
    officer = PERSONAS["nsso-officer"]
    assert main(["token", "--niss", officer["niss"], "--scope", "nsso:officer", "--minutes", "721"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "MANDATES_TOKEN_MAX_MINUTES (720)" in captured.err
    assert main(["token", "--niss", officer["niss"], "--scope", "nsso:officer", "--minutes", "720"]) == 0


def test_operations_sweep_is_skipped_while_another_process_holds_its_lock(env, migrated, capsys):
    """`mandates sweep` from a timer and the servers' sweeper never run at once (config.sweeper)."""
    import asyncio

    from config.sweeper import exclusive

    holder, loop = exclusive(os.environ["MANDATES_DATABASE_URL"]), asyncio.new_event_loop()
    assert loop.run_until_complete(holder.__aenter__())
    try:
        assert main(["sweep"]) == 0
        assert capsys.readouterr().out == "sweep: skipped, another process is sweeping\n"
    finally:
        loop.run_until_complete(holder.__aexit__(None, None, None))
        loop.close()
    assert main(["sweep"]) == 0
    assert re.search(r"\b0 cancelled\b", capsys.readouterr().out)


def test_hardening_verify_history_passes_on_the_demo_and_names_an_edited_event(env, capsys):
    """`mandates verify-history` on a file database: intact after `demo`; one history row edited directly
    in the database is named by mandate reference and event id, and no personal data is printed."""
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["verify-history"]) == 0
    assert "intact" in capsys.readouterr().out
    with sqlite3.connect(env) as connection:
        event_id, reference, actor = connection.execute(
            "SELECT e.id, m.reference, e.actor_niss FROM mandate_event e JOIN mandate m ON m.id = e.mandate_id"
            " WHERE e.actor_niss IS NOT NULL ORDER BY e.id LIMIT 1 OFFSET 3"
        ).fetchone()
        connection.execute("UPDATE mandate_event SET detail = 'Nothing happened.' WHERE id = ?", (event_id,))
    assert main(["verify-history"]) == 1
    captured = capsys.readouterr()
    assert f"mandate {reference}, event {event_id}: the event was edited" in captured.err
    assert actor not in captured.out + captured.err
    assert "Nothing happened" not in captured.out + captured.err
