"""Security headers on every response (hardening item 8), as a pure ASGI middleware so that it also
covers GraphQL's own responses, static files, streamed exports and the refusals of other middleware.

Every response: `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` with CSP's
`frame-ancestors 'none'` (no page of the registry in another site's frame), `Referrer-Policy:
no-referrer` (a signed PDF link never leaks through a Referer), and `Strict-Transport-Security`
when MANDATES_BEHIND_TLS declares that clients reach the registry over HTTPS only.

HTML pages (the console, GraphiQL) also get a strict Content-Security-Policy: scripts, styles and
connections from this origin only, no inline script, no eval, no plugin. Other responses (JSON,
PDF, spreadsheets) keep only `frame-ancestors 'none'`, so a browser's PDF viewer still opens a link.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = "; ".join(  # noqa: FLY002 (one directive a line reads better than one long f-string)
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
OTHER_POLICY = "frame-ancestors 'none'"
HSTS = "max-age=63072000"  # two years; no includeSubDomains: other hosts of the domain are not ours to decide


class SecurityHeaders:
    def __init__(self, app: ASGIApp, behind_tls: bool):
        self.app = app
        self.behind_tls = behind_tls

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                html = headers.get("content-type", "").startswith("text/html")
                headers["Content-Security-Policy"] = PAGE_POLICY if html else OTHER_POLICY
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "no-referrer"
                if self.behind_tls:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        await self.app(scope, receive, send_with_headers)
