"""The registry software itself: `registry { version }`, the release that answers (the same text as
GET /healthz and `mandates --version`). Public, like /healthz: it names the software, no person."""

from __future__ import annotations

import strawberry

from config.version import version


@strawberry.type(description="The registry software answering this API.")
class Registry:
    version: str = strawberry.field(
        description="The release (PEP 440), from the installed package's metadata (pyproject.toml)."
    )


@strawberry.type
class RegistryQueries:
    @strawberry.field(description="The registry software answering this API; no sign-in needed.")
    def registry(self) -> Registry:
        return Registry(version=version())
