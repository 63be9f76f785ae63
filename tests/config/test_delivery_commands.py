"""Issue 12: `mandates deliver` sends what is due once, `mandates print-letters` writes the day's letters."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from config.cli import main
from tests.sinks import http_sink


def _count(database, sql: str) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchone()[0]


def test_deliver_sends_the_due_e_box_messages_once(env, migrated, capsys, monkeypatch):
    assert main(["demo"]) == 0
    ebox = _count(env, "SELECT count(*) FROM delivery WHERE channel = 'EBOX'")
    assert ebox > 10
    assert main(["deliver"]) == 0  # no e-Box address: e-Box messages wait
    assert "deliver: 0 sent, 0 to retry, 0 dead letters" in capsys.readouterr().out
    with http_sink() as sink:
        monkeypatch.setenv("MANDATES_EBOX_URL", sink.url)
        assert main(["deliver"]) == 0
        assert f"deliver: {ebox} sent, 0 to retry, 0 dead letters" in capsys.readouterr().out
        assert main(["deliver"]) == 0
        assert "deliver: 0 sent" in capsys.readouterr().out
    assert len(sink.received) == ebox
    assert _count(env, "SELECT count(*) FROM delivery WHERE channel = 'EBOX' AND state = 'SENT'") == ebox


def test_print_letters_writes_the_due_letters_once(env, migrated, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("MANDATES_POST_DIR", str(tmp_path / "print-shop"))
    assert main(["demo"]) == 0
    letters = _count(env, "SELECT count(*) FROM delivery WHERE channel = 'POST'")
    assert letters > 0
    assert main(["print-letters", "--day", "2020-01-01"]) == 0  # before the demo's letters
    assert "print-letters: no letter is due" in capsys.readouterr().out
    assert main(["print-letters"]) == 0
    path = Path(re.search(r"print-letters: (\S+\.pdf)", capsys.readouterr().out).group(1))
    assert path.parent == tmp_path / "print-shop" and path.read_bytes().startswith(b"%PDF-")
    assert _count(env, "SELECT count(*) FROM delivery WHERE channel = 'POST' AND state = 'SENT'") == letters
    assert main(["print-letters"]) == 0
    assert "no letter is due" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        main(["print-letters", "--day", "yesterday"])
    assert refused.value.code == 2
