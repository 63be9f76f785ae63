"""Every HTTP request's ID and access line (README, Security, Logs).

The ID is the client's `X-Request-ID` when it is a sane short token, else a new one; it is echoed in
the response and carried by every line logged meanwhile (config.logging). The access line has the
path without its query string (a signed link's signature stays out), the status, the duration and,
for GraphQL, the operation's name, outcome and codes: a refused request is that one line.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config import metrics
from config.logging import tagged

log = logging.getLogger("mandates.access")

SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestLog:
    """ASGI middleware: the request ID (kept from a sane `X-Request-ID`, else generated, echoed in the
    response), one access line per request without the query string, and the HTTP metrics.

    An unexpected exception is logged here with its traceback and the request ID, and answered 500. A
    client gone while we answered (its `send` fails) is no error of ours: status 499, one access line."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        status = 500
        started = client_gone = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started, client_gone
            if message["type"] == "http.response.start":
                status, started = message["status"], True
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            try:
                await send(message)
            except OSError:
                client_gone = True
                raise

        begin = time.perf_counter()
        with tagged(request_id) as record:
            try:
                await self.app(scope, receive, send_with_id)
            except OSError if client_gone else ():  # noqa: B030 (only once the client's socket failed)
                status = 499
            except Exception:
                log.exception("unexpected error")
                if not started:
                    await send_with_id(
                        {"type": "http.response.start", "status": 500, "headers": [(b"content-type", b"text/plain")]}
                    )
                    await send({"type": "http.response.body", "body": b"Unexpected error."})
            seconds = time.perf_counter() - begin
            route = scope.get("route")
            metrics.http_request(getattr(route, "path", "unmatched"), scope["method"], status, seconds)
            fields = {
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
            }
            if record.operation is not None:
                fields.update(operation=record.operation, outcome=record.outcome, codes=record.codes)
            failed = status >= 500 or record.outcome == "error"
            refused = status >= 400 or record.outcome == "refused"
            log.log(
                logging.ERROR if failed else logging.WARNING if refused else logging.INFO,
                "request",
                extra={"fields": fields},
            )
