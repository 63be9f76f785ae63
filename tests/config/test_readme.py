"""The README lists every error code (API.md: "each rule ... maps to one code; the README lists them all")."""

from __future__ import annotations

import re

from config.settings import ROOT
from models.errors import ErrorCode


def test_every_error_code_is_listed_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [code.value for code in ErrorCode if f"`{code.value}`" not in readme]
    assert missing == [], f"add these codes to the README's error table: {missing}"


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'"(MANDATES_[A-Z_]+)"', source))
    missing = sorted(name for name in names if name not in readme)
    assert missing == [], f"document these settings in the README: {missing}"
