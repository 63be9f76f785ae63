"""The per-request context: the actor from the bearer token, the clock, the catalogue, the loaders."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from config.clock import Clock
from config.messages import DEFAULT_LANGUAGE, negotiate
from models.catalogue import Catalogue
from resolvers.access import Actor
from resolvers.authorisations import Paperwork
from resolvers.context import UseCase
from resolvers.limits import Limiter
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
    count_bound: int  # MANDATES_COUNT_BOUND: totalCount is exact up to it
    paperwork: Paperwork
    link_secret: str
    link_minutes: int
    limiter: Limiter
    loaders: Loaders = field(default_factory=Loaders)
    response: Response | None = None  # the HTTP response's status and headers, e.g. a 429 (schema.permissions.Limited)

    @property
    def language(self) -> str:
        """The language of the messages: the request's Accept-Language (en, fr, nl, de), English by default."""
        return negotiate(self.request.headers.get("accept-language")) if self.request else DEFAULT_LANGUAGE

    def use_case(self) -> UseCase:
        if self.actor is None:
            raise Unauthenticated(self.token_error)
        return UseCase(self.actor, self.clock, self.catalogue)
