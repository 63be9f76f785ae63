"""The delivery worker: sends the outbox's messages (resolvers/outbox.py) by their channel, with the
retry policy of models/delivery.py and the MANDATES_DELIVERY_* settings.

- e-Box (`EBOX`): an HTTP POST of the JSON message documented in the README (Delivery) to
  MANDATES_EBOX_URL, with `Authorization: Bearer MANDATES_EBOX_TOKEN` and `Idempotency-Key`.
- e-mail (`EMAIL`): SMTP to MANDATES_SMTP_HOST, the idempotency key as the `Message-ID`.
- webhooks (`WEBHOOK`): the CloudEvents event, signed (models/delivery.py `webhook_signature`).
- post (`POST`): not sent one by one: `mandates print-letters` writes the day's letters as one PDF.

A channel without its setting (no e-Box address, no SMTP host) is not claimed: its messages wait.
A 2xx answer is a success; 4xx answers other than 408, 409, 425 and 429 are permanent (a dead letter at
once: retrying the same message cannot mend it); anything else (5xx, a timeout, a refused connection)
is retried. Runs in the server's background process (config/sweeper.py), or `mandates deliver`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import smtplib
import ssl
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx

from config import metrics
from config.clock import BRUSSELS, Clock
from config.settings import Settings
from documents.letters import Letter, render_letters
from models.delivery import DeliveryState, RetryPolicy, webhook_signature
from models.tables import FeedEvent, Notification, Webhook
from resolvers.feed import as_cloud_event
from resolvers.journal import EBOX, EMAIL
from resolvers.outbox import WEBHOOK, Claimed, claim, settle_failed, settle_sent
from resolvers.post import DueLetter, print_letters

log = logging.getLogger("mandates.delivery")

BATCH = 20  # messages claimed and sent at once by one worker
RETRIED_CLIENT_ERRORS = {408, 409, 425, 429}


class Permanent(Exception):
    """A failure no retry can mend: a dead letter at once."""


def retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(
        settings.delivery_max_attempts, settings.delivery_backoff_seconds, settings.delivery_backoff_max_seconds
    )


def channels(settings: Settings) -> set[str]:
    """The channels this configuration can send by (post goes through `mandates print-letters`)."""
    return {WEBHOOK} | ({EBOX} if settings.ebox_url else set()) | ({EMAIL} if settings.smtp_host else set())


def ebox_message(claimed: Claimed, notification: Notification) -> dict[str, Any]:
    """The JSON message posted to the e-Box endpoint (README, Delivery)."""
    return {
        "messageId": claimed.idempotency_key,
        "recipient": {"enterpriseNumber": notification.recipient.enterprise_number},
        "subject": notification.subject,
        "body": notification.body,
        "mandateReference": notification.mandate.reference if notification.mandate else None,
        "createdAt": notification.created_at.isoformat(),
    }


def _check(response: httpx.Response) -> None:
    if response.is_success:
        return
    text = f"HTTP {response.status_code}"
    if 400 <= response.status_code < 500 and response.status_code not in RETRIED_CLIENT_ERRORS:
        raise Permanent(text)
    raise RuntimeError(text)


@dataclass
class Worker:
    settings: Settings
    clock: Clock = field(default_factory=Clock)
    client: httpx.AsyncClient | None = None

    def __post_init__(self) -> None:
        self.policy = retry_policy(self.settings)
        self.channels = channels(self.settings)
        # A lease long enough for a batch sent at once, each try bounded by the timeout.
        self.lease = dt.timedelta(seconds=3 * self.settings.delivery_timeout_seconds + 30)

    async def run_once(self) -> dict[str, int]:
        """Claim the due messages, a batch at a time, and send them; counts by outcome."""
        counts = {"sent": 0, "retry": 0, "dead": 0}
        async with httpx.AsyncClient(timeout=self.settings.delivery_timeout_seconds) as client:
            self.client = client
            while batch := await claim(self.channels, self.clock.now(), self.lease, BATCH):
                for outcome in await asyncio.gather(*(self._deliver(claimed) for claimed in batch)):
                    counts[outcome] += 1
        return counts

    async def run_logged(self) -> dict[str, int]:
        """A run of the background process: logged with its counts, or its failure (retried at the next interval)."""
        try:
            counts = await self.run_once()
        except Exception:
            log.exception("delivery run failed")
            raise
        if any(counts.values()):
            log.info("delivery", extra={"fields": counts})
        return counts

    async def _deliver(self, claimed: Claimed) -> str:
        try:
            await self._send(claimed)
        except Exception as error:  # noqa: BLE001 (every failure is recorded on the row, retried or dead)
            state = await settle_failed(
                claimed,
                self.clock.now(),
                str(error) or type(error).__name__,
                self.policy,
                permanent=isinstance(error, Permanent),
            )
            outcome = "dead" if state is DeliveryState.DEAD else "retry"
            log.warning(
                "delivery failed",
                extra={
                    "fields": {
                        "delivery": claimed.id,
                        "channel": claimed.channel,
                        "attempt": claimed.attempt,
                        "outcome": outcome,
                    }
                },
            )
        else:
            await settle_sent(claimed, self.clock.now())
            outcome = "sent"
        metrics.delivered(claimed.channel, outcome)
        return outcome

    async def _send(self, claimed: Claimed) -> None:
        if claimed.channel == WEBHOOK:
            await self._push(claimed)
            return
        notification = await Notification.get(id=claimed.notification_id).prefetch_related("recipient", "mandate")
        if claimed.channel == EBOX:
            await self._ebox(claimed, notification)
        else:
            await asyncio.to_thread(self._email, claimed, notification)

    async def _ebox(self, claimed: Claimed, notification: Notification) -> None:
        assert self.client is not None and self.settings.ebox_url is not None  # channels() needs the address
        headers = {"Idempotency-Key": claimed.idempotency_key}
        if self.settings.ebox_token:
            headers["Authorization"] = f"Bearer {self.settings.ebox_token}"
        response = await self.client.post(
            self.settings.ebox_url, json=ebox_message(claimed, notification), headers=headers
        )
        _check(response)

    def _email(self, claimed: Claimed, notification: Notification) -> None:
        """SMTP, off the event loop (smtplib blocks)."""
        address = notification.recipient.email
        if not address:
            raise Permanent("the recipient has no e-mail address in the reference data")
        message = EmailMessage()
        message["From"] = self.settings.smtp_sender
        message["To"] = address
        message["Subject"] = notification.subject
        message["Message-ID"] = f"<{claimed.idempotency_key}@mandates>"
        message.set_content(notification.body)
        host, port, timeout = (
            self.settings.smtp_host or "",
            self.settings.smtp_port,
            self.settings.delivery_timeout_seconds,
        )
        if self.settings.smtp_tls == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if self.settings.smtp_tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            smtp.send_message(message)

    async def _push(self, claimed: Claimed) -> None:
        assert self.client is not None
        webhook = await Webhook.get(id=claimed.webhook_id)
        if webhook.removed_at is not None:
            raise Permanent("the webhook was removed")
        event = await FeedEvent.get(id=claimed.event_id)
        body = json.dumps(as_cloud_event(event), separators=(",", ":"), ensure_ascii=False).encode()
        timestamp = int(time.time())
        headers = {
            "Content-Type": "application/cloudevents+json",
            "webhook-id": event.event_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": webhook_signature(webhook.secret, event.event_id, timestamp, body),
            "Idempotency-Key": claimed.idempotency_key,
        }
        _check(await self.client.post(webhook.url, content=body, headers=headers))


async def write_letters(settings: Settings, clock: Clock, day: dt.date) -> Path | None:
    """The letters due by the end of `day` (Brussels) into one PDF in the post folder; None when there are none."""
    folder = settings.post_folder
    until = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), BRUSSELS)
    written: list[Path] = []

    async def write(letters: list[DueLetter]) -> None:
        pdf = render_letters(
            [Letter(due.name, due.address, due.subject, due.body, day, due.reference) for due in letters]
        )
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"letters-{day.isoformat()}-{letters[0].delivery_id}.pdf"
        partial = path.with_suffix(".part")
        await asyncio.to_thread(partial.write_bytes, pdf)
        partial.replace(path)  # the print shop never sees half a file
        written.append(path)

    await print_letters(until, clock.now(), write)
    return written[0] if written else None
