"""Delivery of the outbox's messages (notifications and webhook pushes): the retry policy, pure.

A message is tried at once, then again after an exponential back-off (base, 2 x base, 4 x base, ...
capped), until it is sent or has been tried `max_attempts` times: then it is a dead letter, in the
officers' queue of undelivered notifications until an officer sends it back for a new round of tries
or records it as handled another way (resolvers/dead_letters.py). A claim is a lease: a worker that
dies mid-send leaves the message to be tried again once the lease has passed, and the receiver dedupes
on the idempotency key.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import hashlib
import hmac
from dataclasses import dataclass

from models.errors import ErrorCode, RuleViolation


class DeliveryState(enum.Enum):
    PENDING = "PENDING"  # waiting for its first try or its next one
    SENT = "SENT"  # the receiver accepted it (e-Box, webhook: 2xx; SMTP: accepted; post: in a print file)
    DEAD = "DEAD"  # tried `max_attempts` times without success: a dead letter
    HANDLED = "HANDLED"  # a dead letter an officer handled another way (e.g. sent by registered post)


REASON_LENGTH = 500  # the officer's reason for HANDLED


class DeliveryDecision(enum.Enum):
    """An officer's decision on a dead letter (resolvers/dead_letters.py)."""

    RETRY = "RETRY"  # back to PENDING for a new round of `max_attempts` tries
    HANDLED = "HANDLED"  # settled another way, with the officer's reason; never tried again


def decided_state(state: DeliveryState, decision: DeliveryDecision, reason: str | None) -> DeliveryState:
    """The state after the officer's decision: only a dead letter is decided on, HANDLED states its reason."""
    if state is not DeliveryState.DEAD:
        raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.dead_letter.not_dead", ("notificationId",))
    if decision is DeliveryDecision.RETRY:
        return DeliveryState.PENDING
    text = (reason or "").strip()
    if not text or len(text) > REASON_LENGTH:
        code = ErrorCode.REASON_REQUIRED if not text else ErrorCode.INVALID_INPUT
        raise RuleViolation(code, "api.dead_letter.reason", ("reason",), length=REASON_LENGTH)
    return DeliveryState.HANDLED


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
