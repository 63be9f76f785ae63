"""The registry's version, read from the installed package's metadata so that pyproject.toml is its one
source: `mandates --version`, GET /healthz and the `registry { version }` query show the same text."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version


@cache
def version() -> str:
    try:
        return installed_version("mandates")
    except PackageNotFoundError:  # imported from a checkout never installed (`make install` installs it)
        return "0+unknown"
