"""Bounding how long a client may take to send its request, so that trickling sockets cannot pin the server.

uvicorn 0.54 (httptools) arms no timer while a request arrives: `timeout_keep_alive` runs only
between requests and any received byte cancels it, so a client sending a header line every few
seconds, or a body one byte at a time, keeps its connection (and, for a body, its request task)
for ever. Two bounds close that:

- `HeaderDeadlineProtocol` (server level, `mandates serve`): the whole header block of a request
  must arrive within MANDATES_HEADER_TIMEOUT_SECONDS of the connection (or of the previous
  response); otherwise the connection is closed, with a 408 when part of a request had come.
- `BodyDeadline` (ASGI middleware): the whole body must arrive within
  MANDATES_BODY_TIMEOUT_SECONDS of the headers; otherwise the request gets a GraphQL-shaped 408
  REQUEST_TIMEOUT and the connection is closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from config.refusals import Refusal, refusing

_SLOW_HEADERS = b"The request headers came too slowly."
HEADER_TIMEOUT_RESPONSE = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    + b"content-length: %d\r\nconnection: close\r\n\r\n" % len(_SLOW_HEADERS)
    + _SLOW_HEADERS
)


class HeaderDeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for each request's header block."""

    def __init__(self, *args: Any, header_timeout: float, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.header_timeout = header_timeout
        self.header_deadline: asyncio.TimerHandle | None = None
        self.request_begun = False

    def _arm(self) -> None:
        self._disarm()
        self.request_begun = False
        self.header_deadline = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self.header_deadline is not None:
            self.header_deadline.cancel()
            self.header_deadline = None

    def _headers_too_slow(self) -> None:
        self.header_deadline = None
        if not self.transport.is_closing():
            if self.request_begun:  # a connection that sent nothing (a browser's spare one) is just closed
                self.transport.write(HEADER_TIMEOUT_RESPONSE)
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self.request_begun = True
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # Waiting for the next request on this connection (unless a pipelined one has just started).
        if not self.transport.is_closing() and self.cycle.response_complete:
            self._arm()


class RequestTimeout(Exception):
    pass


class BodyDeadline:
    """The whole request body must arrive within `seconds` of the request's start."""

    def __init__(self, app: ASGIApp, seconds: float):
        self.app, self.seconds = app, seconds
        message = f"The request body did not arrive within {seconds:g} seconds."
        self.refusal = Refusal(408, "REQUEST_TIMEOUT", message, headers=((b"connection", b"close"),))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        deadline = asyncio.get_running_loop().time() + self.seconds
        body_complete = False

        async def timed_receive() -> Message:
            nonlocal body_complete
            if body_complete:  # afterwards the app only listens for the disconnection
                return await receive()
            try:  # a timer on this task rather than wait_for's task per message: a request's receive is hot
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise RequestTimeout() from None
            body_complete = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        await refusing(
            self.app,
            scope,
            timed_receive,
            send,
            lambda error: self.refusal if isinstance(error, RequestTimeout) else None,
        )
