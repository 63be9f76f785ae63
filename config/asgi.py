"""The ASGI application: GraphQL at /graphql (GraphiQL in a browser), the periodic sweep, health.

`uvicorn config.asgi:app` or `mandates serve`. Settings come from the environment (config.settings).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from strawberry.asgi import GraphQL

from config.catalogue import load_catalogue
from config.clock import Clock
from config.database import close_database, open_database
from config.keys import paperwork
from config.limits import BodyLimit
from config.settings import ROOT, Settings
from config.tokens import InvalidToken, TokenVerifier
from resolvers.authorisations import Paperwork, issued_file
from resolvers.links import link_is_valid
from resolvers.sweep import sweep
from schema.app import build_schema
from schema.context import Context

log = logging.getLogger("mandates")
GRAPHIQL = ROOT / "config" / "graphiql"
# The only files GraphiQL needs, served from the npm install of config/graphiql (never from a CDN).
GRAPHIQL_ASSETS = {
    "react/umd/react.production.min.js",
    "react-dom/umd/react-dom.production.min.js",
    "graphiql/graphiql.min.js",
    "graphiql/graphiql.min.css",
}


class MandatesGraphQL(GraphQL):
    def __init__(self, settings: Settings, clock: Clock, catalogue, paperwork: Paperwork, **kwargs):
        super().__init__(
            build_schema(settings.max_query_depth, settings.max_query_tokens, settings.max_aliases),
            multipart_uploads_enabled=True,
            **kwargs,
        )
        self.settings, self.clock, self.catalogue, self.paperwork = settings, clock, catalogue, paperwork
        self.verifier = TokenVerifier(settings)

    async def get_context(self, request: Request, response: Response | None = None) -> Context:
        actor, token_error = None, None
        try:
            actor = self.verifier.verify(request.headers.get("authorization"))
        except InvalidToken as error:
            token_error = str(error)
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


async def graphiql_asset(request: Request) -> Response:
    path = request.path_params["path"]
    file = GRAPHIQL / "node_modules" / path
    if path not in GRAPHIQL_ASSETS or not file.is_file():
        return PlainTextResponse("Not found (GraphiQL assets are installed by `make run`).", status_code=404)
    return FileResponse(file)


def authorisation_file(settings: Settings):
    """GET /authorisations/{id}.pdf?copy=&expires=&signature=: the file behind a signed link."""

    async def endpoint(request: Request) -> Response:
        authorisation_id = request.path_params["id"]
        query = request.query_params
        copy = query.get("copy", "issued")
        if not link_is_valid(settings.link_secret, authorisation_id, copy, query.get("expires", ""), query.get("signature", "")):
            return PlainTextResponse("This link is invalid or has expired.", status_code=403)
        data = await issued_file(authorisation_id, copy)
        if data is None:
            return PlainTextResponse("No such file.", status_code=404)
        headers = {"Content-Disposition": f'inline; filename="authorisation-{authorisation_id}-{copy}.pdf"', "Cache-Control": "no-store"}
        return Response(data, media_type="application/pdf", headers=headers)

    return endpoint


async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_app(settings: Settings | None = None, clock: Clock | None = None, *, manage_database: bool = True) -> Starlette:
    """The app. Tests pass `manage_database=False` and open the database themselves (the ASGI
    transport runs no lifespan)."""
    settings = settings or Settings.from_env()
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
        Route("/authorisations/{id:int}.pdf", authorisation_file(settings)),
    ]
    console = ROOT / "console"
    if (console / "index.html").is_file():
        from starlette.staticfiles import StaticFiles

        routes.append(Mount("/console", StaticFiles(directory=console, html=True)))
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(BodyLimit, max_bytes=settings.max_upload_bytes)])
    app.state.settings, app.state.clock, app.state.catalogue = settings, clock, catalogue
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


def _app_from_env() -> Starlette:
    return create_app()


def __getattr__(name: str):
    # `uvicorn config.asgi:app` builds the app on first access, so importing this module has no side effect.
    if name == "app":
        return _app_from_env()
    raise AttributeError(name)
