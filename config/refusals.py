"""A GraphQL-shaped error answered by an ASGI layer itself, instead of the app (upload limit, slow
body, database fault): `{"data": null, "errors": [{"message", "extensions": {"code"}}]}`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def graphql_errors(message: str, code: str, **extensions: object) -> dict[str, list[dict[str, object]]]:
    """GraphQL's error shape, for the answers given outside GraphQL's execution (transport, export, ASGI layers)."""
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str
    headers: tuple[tuple[bytes, bytes], ...] = ()


async def refuse(send: Send, refusal: Refusal) -> None:
    body = json.dumps({"data": None, **graphql_errors(refusal.message, refusal.code)}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *refusal.headers]
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def refusing(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, refusal_for: Callable[[Exception], Refusal | None]
) -> None:
    """Runs the app; an exception it raises before its response started, which `refusal_for` turns
    into a refusal, is answered with that refusal. Any other goes on (the server's 500)."""
    started = False

    async def watched(message: Message) -> None:
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, receive, watched)
    except Exception as error:
        refusal = None if started else refusal_for(error)
        if refusal is None:
            raise
        await refuse(send, refusal)
