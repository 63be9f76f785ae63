"""Abuse limits (hardening item 7): how often and how many at once a viewer may run an expensive
operation (a search page, an export, an upload, the competence query).

Each operation has a rate (requests a minute, which is also the burst a viewer may spend at once)
and a number of requests a viewer may have running at once (MANDATES_LIMIT_*). A request over
either is refused with RateLimited and the seconds after which to retry; the API answers HTTP 429
with `Retry-After` (GraphQL: an error with extensions.code RATE_LIMITED and retryAfter). The viewer
is the person of the bearer token (its NISS), whatever enterprise it acts for; other viewers are
never affected.

The budgets are kept in the process: with several server processes (uvicorn --workers, several
machines) each has its own, so a viewer may reach N times the rate; divide the settings by N where
that matters.

`take` is the token bucket itself, pure (table-driven tests in tests/api/test_limits.py);
`Limiter` keeps the buckets and the running counts per viewer; `schema.permissions.Limited` applies
it to GraphQL fields, `config.endpoints` to the export.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Self

SEARCH, EXPORT, UPLOAD, COMPETENCE = "search", "export", "upload", "competence"
RATE_LIMITED = "RATE_LIMITED"
BUSY_RETRY_SECONDS = 1  # over the concurrent limit: when one of the viewer's requests ends is not known
MAX_KEPT = 10_000  # buckets kept before the full ones (the same as no bucket) are dropped


@dataclass(frozen=True)
class Limit:
    per_minute: int  # the sustained rate and the burst; 0: no rate limit
    concurrent: int  # requests of a viewer running at once; 0: no limit


@dataclass(frozen=True)
class Bucket:
    tokens: float
    at: float  # seconds (a monotonic clock) when `tokens` was counted


def take(bucket: Bucket | None, now: float, per_minute: int) -> tuple[Bucket, float]:
    """One request at `now` against a bucket of `per_minute` tokens refilled at `per_minute` a minute
    (None: a full one). The bucket after it, and 0.0 when the request may run, or the seconds until
    a token is there when it may not (the bucket then keeps what it had)."""
    rate = per_minute / 60
    tokens = (
        float(per_minute)
        if bucket is None
        else min(float(per_minute), bucket.tokens + max(0.0, now - bucket.at) * rate)
    )
    if tokens >= 1:
        return Bucket(tokens - 1, now), 0.0
    return Bucket(tokens, now), (1 - tokens) / rate


class RateLimited(Exception):
    def __init__(self, operation: str, retry_after: int):
        super().__init__(f"Too many {operation} requests: try again in {retry_after} s.")
        self.retry_after = retry_after


class Slot:
    """A running request of a viewer; `release` when it ends (again is harmless)."""

    def __init__(self, running: dict[tuple[str, str], int], key: tuple[str, str]):
        self._running, self._key, self._held = running, key, True

    def release(self) -> None:
        if self._held:
            self._held = False
            self._running[self._key] -= 1
            if not self._running[self._key]:
                del self._running[self._key]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class Limiter:
    def __init__(self, limits: dict[str, Limit], clock: Callable[[], float] = time.monotonic):
        self.limits, self.clock = limits, clock
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._running: dict[tuple[str, str], int] = {}

    def acquire(self, operation: str, viewer: str) -> Slot:
        """A slot for one `operation` of `viewer`, or RateLimited."""
        limit, key = self.limits[operation], (operation, viewer)
        if limit.concurrent and self._running.get(key, 0) >= limit.concurrent:
            raise RateLimited(operation, BUSY_RETRY_SECONDS)
        if limit.per_minute:
            now = self.clock()
            self._buckets[key], wait = take(self._buckets.get(key), now, limit.per_minute)
            if wait:
                raise RateLimited(operation, math.ceil(wait))
            if len(self._buckets) > MAX_KEPT:
                self._forget_full(now)
        self._running[key] = self._running.get(key, 0) + 1
        return Slot(self._running, key)

    def _forget_full(self, now: float) -> None:
        for key, bucket in list(self._buckets.items()):
            per_minute = self.limits[key[0]].per_minute
            if take(bucket, now, per_minute)[0].tokens >= per_minute - 1:
                del self._buckets[key]
