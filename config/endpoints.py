"""The HTTP endpoints beside /graphql: GraphiQL's assets, the signed PDF links, the spreadsheet export,
the console's settings and development sign-in, health and readiness. `config.asgi` composes them into the app."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Callable
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from config.clock import Clock
from config.database import database_answers, pending_migrations
from config.demo import personas
from config.faults import SERVICE_UNAVAILABLE
from config.graphiql_page import GRAPHIQL, examples
from config.jwks import KeysUnavailable
from config.messages import negotiate, render, text
from config.refusals import graphql_errors
from config.settings import Settings
from config.tokens import mint
from config.version import version
from models.errors import RuleViolation
from resolvers.authorisations import issued_file
from resolvers.context import UseCase
from resolvers.export import export_from_query, export_workbook
from resolvers.limits import EXPORT, RATE_LIMITED, RateLimited
from resolvers.links import link_is_valid, linked_authorisation
from schema.app import sdl
from schema.errors import unauthenticated

if TYPE_CHECKING:
    from config.asgi import MandatesGraphQL

log = logging.getLogger("mandates.endpoints")

# The only files GraphiQL needs, served from the npm install of config/graphiql (never from a CDN).
GRAPHIQL_ASSETS = {
    "react/umd/react.production.min.js",
    "react-dom/umd/react-dom.production.min.js",
    "graphiql/graphiql.min.js",
    "graphiql/graphiql.min.css",
}
GRAPHIQL_PAGE_FILES = {"page.js", "page.css", "examples.json"}  # the page's own script, style and example operations


async def graphiql_asset(request: Request) -> Response:
    path = request.path_params["path"]
    file = GRAPHIQL / "node_modules" / path
    if path not in GRAPHIQL_ASSETS or not file.is_file():
        return PlainTextResponse("Not found (GraphiQL assets are installed by `make run`).", status_code=404)
    return FileResponse(file)


async def graphiql_page_file(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in GRAPHIQL_PAGE_FILES:
        return PlainTextResponse("Not found.", status_code=404)
    if name == "examples.json":  # their comments in the request's language
        language = negotiate(request.headers.get("accept-language"))
        return JSONResponse(examples(language), headers=in_language(language))
    return FileResponse(GRAPHIQL / name)


def in_language(language: str) -> dict[str, str]:
    """The headers of a response written in the request's language (Accept-Language)."""
    return {"Content-Language": language, "Vary": "Accept-Language"}


def authorisation_file(settings: Settings):
    """GET /authorisations/{id}.pdf?copy=&expires=&signature=: the file behind a signed link."""

    async def endpoint(request: Request) -> Response:
        named = request.path_params["id"]
        authorisation_id = linked_authorisation(named)
        query = request.query_params
        copy = query.get("copy", "issued")
        if authorisation_id is None or not link_is_valid(
            settings.link_secret, authorisation_id, copy, query.get("expires", ""), query.get("signature", "")
        ):
            return PlainTextResponse("This link is invalid or has expired.", status_code=403)
        data = await issued_file(authorisation_id, copy)
        if data is None:
            return PlainTextResponse("No such file.", status_code=404)
        headers = {
            "Content-Disposition": f'inline; filename="authorisation-{named}-{copy}.pdf"',
            "Cache-Control": "no-store",
        }
        return Response(data, media_type="application/pdf", headers=headers)

    return endpoint


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def mandates_export(graphql: MandatesGraphQL):
    """GET /exports/mandates.xlsx?<the search's criteria>: the search as a spreadsheet, streamed (R-SRCH-5).

    The viewer's bearer token as for /graphql; none or an invalid one is a 401 in GraphQL's error shape.
    Over the viewer's abuse limits (resolvers/limits.py) a 429 with `Retry-After`; the export counts as
    running until its last byte is sent."""

    async def endpoint(request: Request) -> Response:
        try:
            actor, token_error = await graphql.authenticate(request)
        except KeysUnavailable as refusal:
            body = graphql_errors(refusal.reason, refusal.code)
            return JSONResponse(body, status_code=503, headers={"Retry-After": str(refusal.retry_after_seconds)})
        language = negotiate(request.headers.get("accept-language"))
        if actor is None:
            message, extensions = unauthenticated(language, token_error)
            body = {"errors": [{"message": message, "extensions": extensions}]}
            return JSONResponse(body, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        try:
            slot = graphql.limiter.acquire(EXPORT, actor.niss)
        except RateLimited as refused:
            message = text(language, "api.rate_limited", seconds=refused.retry_after)
            body = graphql_errors(message, RATE_LIMITED, retryAfter=refused.retry_after)
            return JSONResponse(body, status_code=429, headers={"Retry-After": str(refused.retry_after)})
        try:
            export = export_from_query({key: request.query_params.getlist(key) for key in request.query_params})
            workbook = await export_workbook(UseCase(actor, graphql.clock, graphql.catalogue), export)
        except RuleViolation as violation:
            slot.release()
            body = graphql_errors(
                render(language, violation),
                violation.code.value,
                field=list(violation.field or ()),
                **({"rules": list(violation.rules)} if violation.rules else {}),
            )
            return JSONResponse(body, status_code=400)
        except BaseException:
            slot.release()
            raise

        filename = f"mandates-{graphql.clock.today().isoformat()}.xlsx"
        headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
        return Streamed(workbook, slot.release, media_type=XLSX, headers=headers)

    return endpoint


class Streamed(StreamingResponse):
    """A streamed response that calls `done` however the stream ends: sent, failed, or the client
    gone (then the stream, left suspended, is closed here so that it stops reading)."""

    def __init__(self, content: AsyncGenerator[bytes, None], done: Callable[[], None], **kwargs):
        super().__init__(content, **kwargs)
        self.stream, self.done = content, done

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.done()
            await self.stream.aclose()


def console_settings(clock: Clock, development: bool):
    """GET /console/settings.json: the registry's today (quarters are counted from it, R-CAL-4) and
    whether the development sign-in is offered."""

    async def endpoint(request: Request) -> JSONResponse:
        return JSONResponse(
            {"today": clock.today().isoformat(), "developmentSignIn": development},
            headers={"Cache-Control": "no-store"},
        )

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
            return JSONResponse(
                {"error": 'Unknown persona: post {"key": ...} with a key of /console/dev-personas.'}, status_code=400
            )
        token = mint(
            settings, persona["niss"], persona["scope"], enterprise=persona["enterprise"], name=persona["name"]
        )
        return JSONResponse({"developmentOnly": True, "token": token}, headers={"Cache-Control": "no-store"})

    return [Route("/console/dev-personas", list_personas), Route("/console/dev-token", token_for, methods=["POST"])]


def health(timeout: float):
    """GET /healthz: 200 while the database answers within `timeout` seconds, 503 otherwise."""

    async def endpoint(request: Request) -> JSONResponse:
        if await database_answers(timeout):
            return JSONResponse({"status": "ok", "version": version()})
        fault = SERVICE_UNAVAILABLE
        body = {"status": "unavailable", "code": fault.code, "message": fault.message}
        return JSONResponse(body, status_code=503, headers={"Retry-After": str(fault.retry_after_seconds)})

    return endpoint


def readiness(timeout: float):
    """GET /readyz: 503 unless the database answers within `timeout` seconds and has every migration
    this program needs (another release may have been migrated under it), so that a load balancer
    sends no request to a replica that cannot serve it."""

    async def endpoint(request: Request) -> JSONResponse:
        if not await database_answers(timeout):
            log.warning("not ready: the database does not answer")
            return JSONResponse({"status": "unavailable", "database": "not answering"}, status_code=503)
        pending = await pending_migrations()
        if pending:
            log.warning("not ready: pending migrations %s", ", ".join(pending))
            return JSONResponse({"status": "unavailable", "pendingMigrations": pending}, status_code=503)
        return JSONResponse({"status": "ready"})

    return endpoint


async def schema_graphql(request: Request) -> PlainTextResponse:
    """GET /schema.graphql: the SDL, the same text as `mandates export-schema` (public, as introspection is)."""
    return PlainTextResponse(sdl())
