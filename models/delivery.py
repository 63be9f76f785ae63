"""Delivery of the outbox's messages (notifications and webhook pushes): the retry policy, pure.

A message is tried at once, then again after an exponential back-off (base, 2 x base, 4 x base, ...
capped), until it is sent or has been tried `max_attempts` times: then it is a dead letter, kept for
an officer to see and nobody retries it. A claim is a lease: a worker that dies mid-send leaves the
message to be tried again once the lease has passed, and the receiver dedupes on the idempotency key.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import hashlib
import hmac
from dataclasses import dataclass


class DeliveryState(enum.Enum):
    PENDING = "PENDING"  # waiting for its first try or its next one
    SENT = "SENT"  # the receiver accepted it (e-Box, webhook: 2xx; SMTP: accepted; post: in a print file)
    DEAD = "DEAD"  # tried `max_attempts` times without success: a dead letter


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long a message is retried (MANDATES_DELIVERY_* settings)."""

    max_attempts: int = 8
    base_seconds: float = 30.0
    cap_seconds: float = 6 * 3600.0

    def backoff(self, attempts: int) -> dt.timedelta:
        """The wait after the `attempts`-th failed try: base x 2^(attempts-1), at most the cap."""
        exponent = max(attempts - 1, 0)
        seconds = self.cap_seconds if exponent >= 62 else min(self.base_seconds * 2**exponent, self.cap_seconds)
        return dt.timedelta(seconds=seconds)

    def after_failure(
        self, attempts: int, now: dt.datetime, *, permanent: bool = False
    ) -> tuple[DeliveryState, dt.datetime | None]:
        """The state after the `attempts`-th failed try, and when to try next (None for a dead letter).
        A permanent failure (no address to send to, a message the receiver refuses as such) is dead at once."""
        if permanent or attempts >= self.max_attempts:
            return DeliveryState.DEAD, None
        return DeliveryState.PENDING, now + self.backoff(attempts)


def webhook_signature(secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """`v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the webhook's secret (its
    UTF-8 bytes): what the receiver recomputes to know the push came from the registry, unchanged, and
    when; the scheme of the Standard Webhooks specification (README, Webhooks)."""
    message = f"{event_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()
