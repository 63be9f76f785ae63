"""The ASGI application's composition: GraphQL at /graphql (GraphiQL in a browser), the endpoints of
`config.endpoints`, the periodic sweep.

`uvicorn config.asgi:app` or `mandates serve`. Settings come from the environment (config.settings).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL

from config.catalogue import load_catalogue
from config.clock import Clock
from config.database import close_database, open_database
from config.endpoints import GRAPHIQL, authorisation_file, console_settings, development_sign_in, graphiql_asset, health, mandates_export
from config.keys import paperwork
from config.limits import BodyLimit
from config.settings import ROOT, Settings
from config.tokens import InvalidToken, TokenVerifier
from resolvers.access import Actor
from resolvers.authorisations import Paperwork
from resolvers.ids import use_secret
from resolvers.sweep import sweep
from schema.app import build_schema
from schema.context import Context

log = logging.getLogger("mandates")


class MandatesGraphQL(GraphQL):
    def __init__(self, settings: Settings, clock: Clock, catalogue, paperwork: Paperwork, **kwargs):
        super().__init__(
            build_schema(settings.max_query_depth, settings.max_query_tokens, settings.max_aliases),
            multipart_uploads_enabled=True,
            **kwargs,
        )
        self.settings, self.clock, self.catalogue, self.paperwork = settings, clock, catalogue, paperwork
        self.verifier = TokenVerifier(settings)

    def authenticate(self, request: Request) -> tuple[Actor | None, str | None]:
        """The actor of the request's bearer token; None without one, with why when the token is refused."""
        try:
            return self.verifier.verify(request.headers.get("authorization")), None
        except InvalidToken as error:
            return None, str(error)

    async def get_context(self, request: Request, response: Response | None = None) -> Context:
        actor, token_error = self.authenticate(request)
        return Context(
            request,
            actor,
            token_error,
            self.clock,
            self.catalogue,
            self.settings.page_size_max,
            self.paperwork,
            self.settings.link_secret,
            self.settings.link_minutes,
        )

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse((GRAPHIQL / "index.html").read_text(encoding="utf-8"))


def create_app(settings: Settings | None = None, clock: Clock | None = None, *, manage_database: bool = True) -> Starlette:
    """The app. Tests pass `manage_database=False` and open the database themselves (the ASGI
    transport runs no lifespan)."""
    settings = settings or Settings.from_env()
    use_secret(settings.id_secret)
    clock = clock or Clock(settings.clock)
    catalogue = load_catalogue(settings.catalogue_path)
    graphql = MandatesGraphQL(settings, clock, catalogue, paperwork(settings))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        if not manage_database:
            yield
            return
        await open_database(settings.database_url)
        task = asyncio.create_task(_sweep_periodically(clock, settings.sweep_interval_seconds))
        try:
            yield
        finally:
            task.cancel()
            await close_database()

    routes = [
        Route("/", lambda request: RedirectResponse("/graphql")),
        Route("/healthz", health),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/graphiql/assets/{path:path}", graphiql_asset),
        Route("/authorisations/{id}.pdf", authorisation_file(settings)),
        Route("/exports/mandates.xlsx", mandates_export(graphql)),
    ]
    console = ROOT / "console"
    development = not settings.production and settings.jwt_algorithm == "HS256"
    routes.append(Route("/console/settings.json", console_settings(clock, development)))
    if development:
        routes += development_sign_in(settings)
    if (console / "index.html").is_file():
        routes.append(Mount("/console", StaticFiles(directory=console, html=True)))
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(BodyLimit, max_bytes=settings.max_upload_bytes)])
    app.state.catalogue = catalogue
    return app


async def _sweep_periodically(clock: Clock, interval: int) -> None:
    """R-EXP-2: the server runs the sweep itself; `mandates sweep` does the same by hand or from cron."""
    while True:
        try:
            report = await sweep(clock)
            if report.cancelled or report.closed:
                log.info("sweep: %s cancelled, %s closed", report.cancelled, report.closed)
        except Exception:  # a failed sweep is logged and retried at the next interval, never fatal
            log.exception("sweep failed")
        await asyncio.sleep(interval)


def __getattr__(name: str):
    # `uvicorn config.asgi:app` builds the app on first access, so importing this module has no side effect.
    if name == "app":
        return create_app()
    raise AttributeError(name)
