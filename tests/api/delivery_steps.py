"""The delivery worker as the delivery tests run it: in the test's process and loop, with short back-offs."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace

from config.delivery import Worker
from models.delivery import DeliveryState
from models.tables import Delivery

EBOX_TOKEN = "test-ebox-token-0123456789"


def worker(settings, clock, ebox=None, smtp=None, **overrides) -> Worker:
    return Worker(
        replace(
            settings,
            ebox_url=ebox.url if ebox else None,
            ebox_token=EBOX_TOKEN,
            smtp_host="127.0.0.1" if smtp else None,
            smtp_port=smtp.port if smtp else 25,
            smtp_tls="none",
            smtp_sender="registry@mandates.example",
            delivery_backoff_seconds=0.05,
            delivery_backoff_max_seconds=0.2,
            **overrides,
        ),
        clock,
    )


async def until_settled(run: Worker, rounds: int = 40) -> Counter:
    """Runs the worker until nothing it can send is pending (back-offs of a few tens of milliseconds)."""
    total: Counter = Counter()
    for _ in range(rounds):
        total.update(await run.run_once())
        if not await Delivery.filter(state=DeliveryState.PENDING, channel__in=sorted(run.channels)).exists():
            return total
        await asyncio.sleep(0.06)
    raise AssertionError(f"still pending after {rounds} rounds: {total}")
