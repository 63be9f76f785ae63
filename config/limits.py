"""Refusing an oversized request body before it is read whole (the upload limit, MANDATES_MAX_UPLOAD_BYTES).

A declared Content-Length over the limit is refused at once; a body without one is counted as it
streams and cut off when it passes the limit. Either way the client gets a GraphQL-shaped error
with the code AUTHORISATION_TOO_LARGE and HTTP 413.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config.refusals import Refusal, refuse
from models.errors import ErrorCode


class TooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, margin: int = 64 * 1024):
        self.app = app
        self.limit = max_bytes + margin  # the multipart envelope and the other fields around the file

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode()
        if declared.isdigit() and int(declared) > self.limit:
            return await self._refuse(send)
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        message = f"The request body exceeds the upload limit of {self.limit} bytes."
        await refuse(send, Refusal(413, ErrorCode.AUTHORISATION_TOO_LARGE.value, message))
