"""The per-request context: the actor from the bearer token, the clock, the catalogue, the loaders."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from config.clock import Clock
from models.catalogue import Catalogue
from resolvers.access import Actor
from resolvers.authorisations import Paperwork
from resolvers.context import UseCase
from schema.errors import Unauthenticated
from schema.loaders import Loaders


@dataclass
class Context:
    request: Request | None
    actor: Actor | None
    token_error: str | None
    clock: Clock
    catalogue: Catalogue
    page_size_max: int
    paperwork: Paperwork
    link_secret: str
    link_minutes: int
    loaders: Loaders = field(default_factory=Loaders)

    def use_case(self) -> UseCase:
        if self.actor is None:
            raise Unauthenticated(self.token_error or "Authentication required.")
        return UseCase(self.actor, self.clock, self.catalogue)
