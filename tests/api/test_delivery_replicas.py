"""Issue 12: two server processes deliver each message once.

Two real servers (`mandates serve`, each with its background process polling the outbox every 0.2 s)
on one database, while `mandates demo` writes its mandates and with them their notifications and feed
events: every e-Box message and webhook push reaches the local sink exactly once, both servers taking
part. On PostgreSQL the database of the run (claims with SKIP LOCKED); on SQLite a file shared by the
processes (claims in IMMEDIATE write transactions).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

from config.catalogue import load_catalogue
from config.clock import Clock
from models.delivery import DeliveryState
from models.tables import Delivery
from resolvers.access import OFFICER, Actor
from resolvers.context import UseCase
from resolvers.webhooks import register_webhook
from tests.api.test_replicas import DEMO_DAY, _env, _shared_url
from tests.conftest import SETTINGS
from tests.serving import log_lines, mandates, serving
from tests.sinks import free_port, http_sink

SENT_CHANNELS = ["EBOX", "WEBHOOK"]


async def test_replicas_two_servers_deliver_each_message_once(database, tmp_path):
    url = await _shared_url(tmp_path)
    officer = Actor("68031425991", "Officer", None, frozenset({OFFICER}))
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    with http_sink(delay=0.05) as sink:
        use_case = UseCase(officer, Clock(), load_catalogue(SETTINGS.catalogue_path))
        hook = await register_webhook(use_case, sink.url + "/feed")
        settings = {
            "MANDATES_SWEEP_INTERVAL_SECONDS": "0",
            "MANDATES_DELIVERY_INTERVAL_SECONDS": "0.2",
            "MANDATES_EBOX_URL": sink.url + "/ebox",
        }
        envs = [_env(url, tmp_path, name, **settings) for name in "ab"]
        with serving(free_port(), envs[0], logs[0]), serving(free_port(), envs[1], logs[1]):
            demo = _env(url, tmp_path, "demo", MANDATES_CLOCK=DEMO_DAY, MANDATES_DELIVERY_INTERVAL_SECONDS="0")
            await asyncio.to_thread(mandates, "demo", env=demo)
            deadline = time.monotonic() + 60
            while await Delivery.filter(state=DeliveryState.PENDING, channel__in=SENT_CHANNELS).exists():
                assert time.monotonic() < deadline, "messages still pending after 60 s"
                await asyncio.sleep(0.2)
            await asyncio.sleep(1)  # a few more polls: nothing is sent again

    rows = await Delivery.filter(channel__in=SENT_CHANNELS)
    assert len(rows) > 40 and {row.state for row in rows} == {DeliveryState.SENT}
    assert {row.webhook_id for row in rows if row.channel == "WEBHOOK"} == {hook.webhook.id}
    received = Counter(request.headers["idempotency-key"] for request in sink.received)
    assert received == Counter({row.idempotency_key: 1 for row in rows})
    assert all(request.status == 200 for request in sink.received)
    sent_by = [sum(line.get("sent", 0) for line in log_lines(log) if line["message"] == "delivery") for log in logs]
    assert sum(sent_by) == len(rows)
    assert all(sent_by), sent_by  # both servers took part
