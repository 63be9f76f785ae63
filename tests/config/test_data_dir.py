"""Operations item 5: the data directory (SQLite database, development seal pair) is never inside
site-packages: MANDATES_DATA_DIR, else the checkout's `.data`, else the XDG data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import settings as settings_module
from config.settings import ROOT, Settings, default_data_dir


@pytest.fixture
def clean(monkeypatch):
    for name in ("MANDATES_DATA_DIR", "MANDATES_DATABASE_URL", "DATABASE_URL", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_operations_from_a_checkout_the_data_dir_is_the_checkout_s_data(clean):
    assert settings_module.CHECKOUT
    settings = Settings.from_env()
    assert settings.data_dir == ROOT / ".data"
    assert settings.database_url == f"sqlite://{ROOT / '.data' / 'mandates.sqlite3'}"


@pytest.mark.parametrize(
    ("xdg", "expected"),
    [
        (None, "{home}/.local/share/mandates"),
        ("/srv/xdg", "/srv/xdg/mandates"),
        ("relative/xdg", "{home}/.local/share/mandates"),  # the XDG spec: a relative XDG_DATA_HOME is ignored
    ],
)
def test_operations_installed_the_data_dir_is_the_xdg_data_dir_never_site_packages(clean, tmp_path, xdg, expected):
    clean.setattr(settings_module, "CHECKOUT", False)
    clean.setenv("HOME", str(tmp_path))
    if xdg:
        clean.setenv("XDG_DATA_HOME", xdg)
    settings = Settings.from_env()
    assert settings.data_dir == Path(expected.format(home=tmp_path)) == default_data_dir()
    assert settings.database_url == f"sqlite://{settings.data_dir / 'mandates.sqlite3'}"
    assert not settings.data_dir.is_relative_to(ROOT)


def test_operations_mandates_data_dir_moves_the_database_and_the_seal_pair(clean, tmp_path):
    clean.setenv("MANDATES_DATA_DIR", str(tmp_path / "data"))
    settings = Settings.from_env()
    assert settings.data_dir == tmp_path / "data"
    assert settings.database_url == f"sqlite://{tmp_path / 'data' / 'mandates.sqlite3'}"


def test_operations_a_database_url_wins_over_the_data_dir(clean, tmp_path):
    clean.setenv("MANDATES_DATA_DIR", str(tmp_path))
    clean.setenv("MANDATES_DATABASE_URL", "postgres://somewhere/mandates")
    assert Settings.from_env().database_url == "postgres://somewhere/mandates"
