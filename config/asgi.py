"""The ASGI application's composition: GraphQL at /graphql (GraphiQL in a browser), the endpoints of
`config.endpoints`, /metrics, the request log. The periodic sweep is `mandates serve`'s (config.sweeper).

`uvicorn config.asgi:app` or `mandates serve`. Settings come from the environment (config.settings).
"""

from __future__ import annotations

import contextlib

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from config.catalogue import load_catalogue
from config.clock import Clock
from config.database import close_database, open_database
from config.endpoints import (
    authorisation_file,
    console_settings,
    development_sign_in,
    graphiql_asset,
    graphiql_page_file,
    health,
    in_language,
    mandates_export,
    readiness,
    schema_graphql,
)
from config.faults import FAULTS, DatabaseFaults
from config.graphiql_page import page as graphiql_page
from config.headers import SecurityHeaders
from config.keys import paperwork
from config.limits import BodyLimit
from config.messages import negotiate
from config.metrics import OperationMetrics, metrics, process_ended
from config.refusals import graphql_errors
from config.request_json import decode
from config.requests import RequestLog
from config.settings import ROOT, Settings
from config.slow_clients import BodyDeadline
from config.tokens import InvalidToken, TokenVerifier
from resolvers.access import Actor
from resolvers.authorisations import Paperwork
from resolvers.ids import use_secret
from resolvers.languages import use_default_language
from resolvers.limits import COMPETENCE, EXPORT, SEARCH, UPLOAD, Limit, Limiter
from schema.app import build_schema
from schema.context import Context
from schema.guards import REFUSAL_CODES


class MandatesGraphQL(GraphQL[Context, None]):
    """Strawberry's view, with the request read strictly (config/request_json.py), every refusal of
    the transport (bad body, mutation over GET, no query) in GraphQL's error shape with a code, and
    a query refused by the guard (schema/guards.py) answered with HTTP 400."""

    def __init__(self, settings: Settings, clock: Clock, catalogue, paperwork: Paperwork, limiter: Limiter, **kwargs):
        super().__init__(
            build_schema(settings, observers=(OperationMetrics,)),
            multipart_uploads_enabled=True,
            graphql_ide="graphiql" if settings.graphiql_on else None,
            **kwargs,
        )
        self.settings, self.clock, self.catalogue, self.paperwork, self.limiter = (
            settings,
            clock,
            catalogue,
            paperwork,
            limiter,
        )
        self.verifier = TokenVerifier(settings)

    async def authenticate(self, request: Request) -> tuple[Actor | None, str | None]:
        """The actor of the request's bearer token; None without one, with why when the token is refused.

        Raises KeysUnavailable (HTTP 503) when the identity provider's keys cannot be had in time."""
        try:
            return await self.verifier.verify(request.headers.get("authorization")), None
        except InvalidToken as error:
            return None, str(error)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        if isinstance(request, WebSocket) or isinstance(response, WebSocket):  # /graphql is an HTTP route only
            raise TypeError("GraphQL is served over HTTP, not WebSocket")
        actor, token_error = await self.authenticate(request)
        return Context(
            request,
            actor,
            token_error,
            self.clock,
            self.catalogue,
            self.settings.page_size_max,
            self.settings.count_bound,
            self.paperwork,
            self.settings.link_secret,
            self.settings.link_minutes,
            self.limiter,
            response=response,
        )

    def create_response(self, response_data, sub_response: Response) -> Response:
        """A database fault (DATABASE_BUSY, SERVICE_UNAVAILABLE) is an HTTP 503 with Retry-After."""
        results = response_data if isinstance(response_data, list) else [response_data]
        codes = [
            (error.get("extensions") or {}).get("code") for result in results for error in result.get("errors") or ()
        ]
        if faults := [FAULTS[code] for code in codes if code in FAULTS]:
            sub_response.status_code = 503
            sub_response.headers["Retry-After"] = str(max(fault.retry_after_seconds for fault in faults))
        return super().create_response(response_data, sub_response)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        """GraphiQL's page, its words in the request's language (config/graphiql_page.py)."""
        language = negotiate(request.headers.get("accept-language"))
        return HTMLResponse(graphiql_page(language), headers=in_language(language))

    def decode_json(self, data: str | bytes) -> object:
        return decode(data)

    async def execute_single(
        self,
        request: Request,
        request_adapter,
        sub_response: Response,
        context,
        root_value,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        result = await super().execute_single(request, request_adapter, sub_response, context, root_value, request_data)
        if any((error.extensions or {}).get("code") in REFUSAL_CODES for error in result.errors or ()):
            sub_response.status_code = 400
        return result

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        try:
            response = await self.run(Request(scope, receive))
        except HTTPException as refusal:
            code = getattr(refusal, "code", "NOT_FOUND" if refusal.status_code == 404 else "BAD_REQUEST")
            body = {"data": None, **graphql_errors(refusal.reason, code)}
            retry = getattr(refusal, "retry_after_seconds", None)
            headers = {"Retry-After": str(retry)} if retry is not None else None
            response = JSONResponse(body, status_code=refusal.status_code, headers=headers)
        await response(scope, receive, send)


def create_app(
    settings: Settings | None = None, clock: Clock | None = None, *, manage_database: bool = True
) -> Starlette:
    """The app. Tests pass `manage_database=False` and open the database themselves (the ASGI
    transport runs no lifespan)."""
    settings = settings or Settings.from_env()
    use_secret(settings.id_secret)
    use_default_language(settings.default_language)
    clock = clock or Clock(settings.clock)
    catalogue = load_catalogue(settings.catalogue_path)
    graphql = MandatesGraphQL(settings, clock, catalogue, paperwork(settings), abuse_limiter(settings))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        if not manage_database:
            yield
            return
        await open_database(settings.database_url, settings.database_busy_seconds, settings.database_pool)
        try:
            yield
        finally:
            await close_database()
            process_ended()

    routes: list[BaseRoute] = [
        Route("/", lambda request: RedirectResponse("/graphql")),
        Route("/healthz", health(settings.health_timeout_seconds)),
        Route("/readyz", readiness(settings.health_timeout_seconds)),
        Route("/metrics", metrics),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/authorisations/{id}.pdf", authorisation_file(settings)),
        Route("/exports/mandates.xlsx", mandates_export(graphql)),
    ]
    if settings.introspection_on:  # the SDL tells what introspection would
        routes.append(Route("/schema.graphql", schema_graphql))
    if settings.graphiql_on:
        routes += [Route("/graphiql/assets/{path:path}", graphiql_asset), Route("/graphiql/{name}", graphiql_page_file)]
    console = ROOT / "console"
    development = not settings.production and settings.jwt_algorithm == "HS256"
    routes.append(Route("/console/settings.json", console_settings(clock, development)))
    if development:
        routes += development_sign_in(settings)
    if (console / "index.html").is_file():
        routes.append(Mount("/console", StaticFiles(directory=console, html=True)))
    middleware = [
        Middleware(RequestLog),  # outermost: every answer, 408, 413 and 503 included, gets its line and request ID
        Middleware(SecurityHeaders, behind_tls=settings.behind_tls),  # on every answer of the layers below
        Middleware(BodyDeadline, seconds=settings.body_timeout_seconds),
        Middleware(BodyLimit, max_bytes=settings.max_upload_bytes),
        Middleware(DatabaseFaults),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.catalogue = catalogue
    return app


def abuse_limiter(settings: Settings) -> Limiter:
    """The abuse limits of this process (hardening item 7; resolvers/limits.py)."""
    per_minute = {
        SEARCH: settings.limit_search_per_minute,
        EXPORT: settings.limit_export_per_minute,
        UPLOAD: settings.limit_upload_per_minute,
        COMPETENCE: settings.limit_competence_per_minute,
    }
    return Limiter({operation: Limit(rate, settings.limit_concurrent) for operation, rate in per_minute.items()})


def __getattr__(name: str):
    # `uvicorn config.asgi:app` builds the app on first access, so importing this module has no side effect.
    if name == "app":
        return create_app()
    raise AttributeError(name)
