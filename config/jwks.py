"""The identity provider's signing keys (its JWKS), fetched without blocking the event loop.

The keys are fetched with httpx's async client and kept; once they are MANDATES_JWKS_REFRESH_SECONDS
old, the next request starts a refresh in the background and is checked with the keys in hand, so no
request waits on a routine refresh. A refresh that fails keeps the keys in hand (an identity
provider that is down for a while does not lock every user out) and is tried again by a later request.

A token signed with a key not in hand (the provider rotated its keys, or none were fetched yet)
starts one refresh, shared by every request that needs it and started at most once per
MANDATES_JWKS_MIN_REFRESH_SECONDS (so a flood of tokens with made-up key IDs cannot make the registry
hammer the provider). Such a request waits for the refresh at most MANDATES_JWKS_WAIT_SECONDS: a slow
or failing provider gives it a typed HTTP 503 (IDENTITY_PROVIDER_UNAVAILABLE, with Retry-After) rather
than holding it, and other requests (other tokens, /healthz, anonymous queries) never wait on it:
the fetch is a task of its own. A 503 rather than a 401: the token may well be good, the client
should try again, not ask its user to sign in again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable

import httpx
import jwt
from cross_web import HTTPException

log = logging.getLogger("mandates.jwks")

FETCH_TIMEOUT_SECONDS = 10.0  # a refresh running in the background may take this long before it is given up
MAX_JWKS_BYTES = 256 * 1024


class KeysUnavailable(HTTPException):
    """The provider's keys could not be fetched in time: HTTP 503 IDENTITY_PROVIDER_UNAVAILABLE."""

    code = "IDENTITY_PROVIDER_UNAVAILABLE"
    retry_after_seconds = 5

    def __init__(self) -> None:
        super().__init__(
            503, "The identity provider's keys cannot be fetched at the moment; please try again in a moment."
        )


class UnknownKey(Exception):
    """The token names a key the provider does not publish."""


class JwksCache:
    def __init__(
        self,
        url: str,
        algorithm: str,
        *,
        refresh_seconds: float,
        wait_seconds: float,
        min_refresh_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.url, self.algorithm = url, algorithm
        self.refresh_seconds, self.wait_seconds, self.min_refresh_seconds = (
            refresh_seconds,
            wait_seconds,
            min_refresh_seconds,
        )
        self._clock = clock
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._started_at: float | None = None
        self._refresh: asyncio.Task[bool] | None = None

    async def key(self, token: str) -> object:
        """The verification key of `token`'s header `kid`; raises UnknownKey or KeysUnavailable."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as error:
            raise UnknownKey(str(error)) from None
        now = self._clock()
        if self._fetched_at is not None and now - self._fetched_at >= self.refresh_seconds:
            self._start_refresh(now)  # in the background: this request goes on with the keys in hand
        if (found := self._lookup(kid)) is not None:
            return found
        if self._refresh is None and self._started_at is not None and now - self._started_at < self.min_refresh_seconds:
            raise UnknownKey("the token is signed with a key the identity provider does not publish")
        refresh = self._start_refresh(now)
        try:
            fetched = await asyncio.wait_for(asyncio.shield(refresh), self.wait_seconds)
        except TimeoutError:
            raise KeysUnavailable() from None
        if (found := self._lookup(kid)) is not None:
            return found
        if not fetched and not self._keys:
            raise KeysUnavailable()
        raise UnknownKey("the token is signed with a key the identity provider does not publish")

    def _lookup(self, kid: str | None) -> object | None:
        if kid is None and len(self._keys) == 1:  # a provider with one key may leave `kid` out
            return next(iter(self._keys.values())).key
        found = self._keys.get(kid)
        return found.key if found is not None else None

    def _start_refresh(self, now: float) -> asyncio.Task[bool]:
        if self._refresh is None:
            self._started_at = now
            self._refresh = asyncio.get_running_loop().create_task(self._fetch(), name="jwks-refresh")
            self._refresh.add_done_callback(self._finished)
        return self._refresh

    def _finished(self, task: asyncio.Task[bool]) -> None:
        self._refresh = None

    async def _fetch(self) -> bool:
        """Fetches the key set; True when the keys in hand were replaced."""
        try:
            async with (
                httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False) as client,
                client.stream("GET", self.url, headers={"Accept": "application/json"}) as response,
            ):
                response.raise_for_status()
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > MAX_JWKS_BYTES:  # read no further: a key set is a few kilobytes
                        raise ValueError(f"the key set is larger than {MAX_JWKS_BYTES} bytes")
            document = json.loads(body)
            if not isinstance(document, dict):
                raise TypeError("the key set is not a JSON object")
            keys = self._signing_keys(jwt.PyJWKSet.from_dict(document))
        except (httpx.HTTPError, ValueError, TypeError, jwt.PyJWTError) as error:
            log.warning("the identity provider's keys could not be fetched: %s", type(error).__name__)
            return False
        self._keys, self._fetched_at = keys, self._clock()
        return True

    def _signing_keys(self, key_set: jwt.PyJWKSet) -> dict[str | None, jwt.PyJWK]:
        """The keys for signatures in the configured algorithm (PyJWT infers a missing `alg` from the key type)."""
        return {
            key.key_id: key
            for key in key_set.keys
            if key.public_key_use in (None, "sig") and key.algorithm_name == self.algorithm
        }
