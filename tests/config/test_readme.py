"""The README lists every error code (API.md: "each rule ... maps to one code; the README lists them all"),
every setting, and in its architecture section every top-level folder and every module (code-health item 3)."""

from __future__ import annotations

import re
import subprocess

from config.settings import ROOT
from models.errors import ErrorCode
from tests.config.source import PACKAGES, modules


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


def _architecture() -> str:
    """The README's architecture section: from its heading to the next one of the same level."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme.split("\n## Architecture\n", 1)[1].split("\n## ", 1)[0]


def _rows() -> dict[str, str]:
    """The architecture table's rows by folder (`| \\`models/\\` | ... |`)."""
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `([^`]+)/` \|(.*)$", _architecture(), re.MULTILINE)}


def _named(row: str) -> set[str]:
    """What a row names: each `name`, `name.py` or `folder/name.py` in backquotes, as `name`."""
    return {re.sub(r"^(?:[a-z_]+/)?([A-Za-z0-9_]+)(?:\.py)?$", r"\1", token) for token in re.findall(r"`([^`]+)`", row)}


def test_code_health_3_every_top_level_folder_has_a_row_in_the_architecture_table():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    folders = sorted({path.split("/")[0] for path in tracked if "/" in path})
    assert folders, "git ls-files listed nothing"
    missing = [folder for folder in folders if folder not in _rows()]
    assert missing == [], f"give these folders a row in the README's architecture table: {missing}"


def test_code_health_3_every_module_is_named_in_its_folders_row():
    """Each Python module of the application's packages is named in its folder's row, and each
    lower-case name in those rows is a module that exists (none left behind by a move)."""
    rows, found = _rows(), modules(ROOT)
    missing, stale = [], []
    for package in PACKAGES:
        own = {name.rpartition(".")[2] for name in found if name.startswith(f"{package}.")}
        named = _named(rows.get(package, ""))
        missing += [f"{package}/{name}.py" for name in sorted(own - named)]
        stale += [
            f"{package}/{name}" for name in sorted(n for n in named - own if re.fullmatch(r"[a-z_][a-z0-9_]*", n))
        ]
    assert missing == [], f"name these modules in their folder's row of the README's architecture table: {missing}"
    assert stale == [], f"these names of the README's architecture table are no module: {stale}"
