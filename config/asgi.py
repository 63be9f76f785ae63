"""The ASGI application: GraphQL at /graphql (GraphiQL in a browser), the periodic sweep, health.

`uvicorn config.asgi:app` or `mandates serve`. Settings come from the environment (config.settings).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL

from config.catalogue import load_catalogue
from config.clock import Clock
from config.database import close_database, open_database
from config.demo import personas
from config.keys import paperwork
from config.limits import BodyLimit
from config.settings import ROOT, Settings
from config.tokens import InvalidToken, TokenVerifier, mint
from models.errors import RuleViolation
from resolvers.access import Actor
from resolvers.authorisations import Paperwork, issued_file
from resolvers.context import UseCase
from resolvers.export import export_from_query, export_workbook
from resolvers.links import link_is_valid
from resolvers.sweep import sweep
from schema.app import build_schema
from schema.context import Context
from schema.permissions import AUTHENTICATION_REQUIRED

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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def mandates_export(graphql: MandatesGraphQL):
    """GET /exports/mandates.xlsx?<the search's criteria>: the search as a spreadsheet, streamed (R-SRCH-5).

    The viewer's bearer token as for /graphql; none or an invalid one is a 401 in GraphQL's error shape."""

    async def endpoint(request: Request) -> Response:
        actor, token_error = graphql.authenticate(request)
        if actor is None:
            body = {"errors": [{"message": token_error or AUTHENTICATION_REQUIRED, "extensions": {"code": "UNAUTHENTICATED"}}]}
            return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        try:
            export = export_from_query({key: request.query_params.getlist(key) for key in request.query_params})
            workbook = await export_workbook(UseCase(actor, graphql.clock, graphql.catalogue), export)
        except RuleViolation as violation:
            error = {"message": violation.message, "extensions": {"code": violation.code.value, "field": list(violation.field or ())}}
            return JSONResponse({"errors": [error]}, status_code=400)

        async def chunks():
            try:
                while data := workbook.read(1 << 16):
                    yield data
            finally:
                workbook.close()

        filename = f"mandates-{graphql.clock.today().isoformat()}.xlsx"
        headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
        return StreamingResponse(chunks(), media_type=XLSX, headers=headers)

    return endpoint


def console_settings(clock: Clock, development: bool):
    """GET /console/settings.json: the registry's today (quarters are counted from it, R-CAL-4) and
    whether the development sign-in is offered."""

    async def endpoint(request: Request) -> JSONResponse:
        return JSONResponse({"today": clock.today().isoformat(), "developmentSignIn": development}, headers={"Cache-Control": "no-store"})

    return endpoint


def development_sign_in(settings: Settings) -> list[Route]:
    """DEVELOPMENT ONLY: the console's sign-in as a demo persona (config/demo/personas.json), with a
    token minted by the server. Never routed when MANDATES_PRODUCTION is on (then a 404)."""

    async def list_personas(request: Request) -> JSONResponse:
        fields = ("key", "name", "niss", "enterprise", "scope", "description")
        return JSONResponse({"developmentOnly": True, "personas": [{f: p[f] for f in fields} for p in personas()]})

    async def token_for(request: Request) -> JSONResponse:
        try:
            key = (await request.json()).get("key")
        except (ValueError, AttributeError):
            key = None
        persona = next((p for p in personas() if p["key"] == key), None)
        if persona is None:
            return JSONResponse({"error": "Unknown persona: post {\"key\": ...} with a key of /console/dev-personas."}, status_code=400)
        token = mint(settings, persona["niss"], persona["scope"], enterprise=persona["enterprise"], name=persona["name"])
        return JSONResponse({"developmentOnly": True, "token": token}, headers={"Cache-Control": "no-store"})

    return [Route("/console/dev-personas", list_personas), Route("/console/dev-token", token_for, methods=["POST"])]


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
