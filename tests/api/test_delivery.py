"""Issue 12, notification delivery: the outbox written with each action, sent by the worker to a local
e-Box sink and a local SMTP server, retried with back-off, dead letters, the day's letters as one PDF,
and what officers see of it. The worker runs here in the test's process and event loop."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections import Counter
from dataclasses import replace
from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader

from config.delivery import Worker, write_letters
from models.delivery import DeliveryState
from models.tables import Delivery, Enterprise, Notification
from tests.api.authorisation_steps import issued_pdf, review, upload
from tests.api.delivery_steps import EBOX_TOKEN, until_settled, worker
from tests.api.helpers import ASBL, LOGISTIQUE, PROVIDER, SSA, active, created
from tests.sinks import http_sink, smtp_sink

NOTIFICATIONS = """{ notifications(first: 100) { edges { node {
  channel subject recipient { enterpriseNumber }
  delivery { state attempts lastAttemptAt nextAttemptAt sentAt lastError }
} } } }"""


async def _actions(api) -> None:
    """Notifications by every channel: e-Box (both parties), post (a principal unknown in user management),
    e-mail (the officer's referral of a paper authorisation to the provider, R-NOT-4)."""
    await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    await created(api, "provider-signatory", principalNumber=ASBL, groups=["PMP"], startQuarter="3/2024")
    paper = await created(
        api, "employer-director", mandataryNumber=PROVIDER, groups=["WITA_AMATEUR"], startQuarter="3/2024"
    )
    scan = await issued_pdf(api, "employer-director", paper["id"], method="HANDWRITTEN")
    assert (await upload(api, "employer-director", paper["id"], scan))["userErrors"] == []
    assert (await review(api, paper["id"], "REFER_TO_INSPECTION"))["userErrors"] == []


async def test_r_not_1_every_actions_notifications_are_delivered_once(api, settings, clock, tmp_path):
    await _actions(api)
    notifications = await Notification.all().prefetch_related("recipient")
    deliveries = {row.notification_id: row for row in await Delivery.all()}
    assert set(deliveries) == {n.id for n in notifications}  # each written with its delivery, in its transaction
    by_channel = Counter(n.channel for n in notifications)
    assert by_channel["EBOX"] >= 6 and by_channel["POST"] >= 1 and by_channel["EMAIL"] >= 1, by_channel

    with http_sink() as ebox, smtp_sink() as smtp:
        run = worker(settings, clock, ebox, smtp)
        first = await run.run_once()
        again = await run.run_once()  # nothing left: a second run sends nothing twice
    assert first == {"sent": by_channel["EBOX"] + by_channel["EMAIL"], "retry": 0, "dead": 0}
    assert again == {"sent": 0, "retry": 0, "dead": 0}

    ebox_ones = [n for n in notifications if n.channel == "EBOX"]
    assert len(ebox.received) == len(ebox_ones)
    keys = Counter(request.headers["idempotency-key"] for request in ebox.received)
    assert keys == Counter({deliveries[n.id].idempotency_key: 1 for n in ebox_ones})
    for request in ebox.received:
        assert request.headers["authorization"] == f"Bearer {EBOX_TOKEN}"
        message = json.loads(request.body)
        notification = next(n for n in ebox_ones if deliveries[n.id].idempotency_key == message["messageId"])
        assert message["recipient"] == {"enterpriseNumber": notification.recipient.enterprise_number}
        assert (message["subject"], message["body"]) == (notification.subject, notification.body)

    emails = [n for n in notifications if n.channel == "EMAIL"]
    assert len(smtp.messages) == len(emails)
    provider = await Enterprise.get(enterprise_number=PROVIDER.replace(".", ""))
    for mail in smtp.messages:
        assert mail["To"] == provider.email and mail["From"] == "registry@mandates.example"
        key = mail["Message-ID"].strip("<>").split("@")[0]
        assert key in {deliveries[n.id].idempotency_key for n in emails}
    assert "inspection" in smtp.messages[0]["Subject"].lower()

    # Post is not sent by the worker: the day's letters go to the print shop as one PDF.
    letters = [n for n in notifications if n.channel == "POST"]
    assert {(await Delivery.get(notification_id=n.id)).state for n in letters} == {DeliveryState.PENDING}
    post = replace(settings, post_dir=tmp_path / "post")
    path = await write_letters(post, clock, clock.today())
    assert path is not None and path.parent == tmp_path / "post"
    assert len(PdfFileReader(BytesIO(path.read_bytes())).root["/Pages"]["/Kids"]) == len(letters)
    assert await write_letters(post, clock, clock.today()) is None  # printed once
    assert {row.state for row in await Delivery.all()} == {DeliveryState.SENT}


async def test_delivery_officers_see_each_notifications_delivery_state_and_its_recipient_its_own(api, settings, clock):
    await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    before = (await api(NOTIFICATIONS, as_="nsso-officer"))["data"]["notifications"]["edges"]
    assert [edge["node"]["delivery"]["state"] for edge in before] == ["PENDING", "PENDING"]
    assert before[0]["node"]["delivery"]["attempts"] == 0
    with http_sink() as ebox:
        await worker(settings, clock, ebox).run_once()
    after = (await api(NOTIFICATIONS, as_="nsso-officer"))["data"]["notifications"]["edges"]
    for edge in after:
        delivery = edge["node"]["delivery"]
        assert (delivery["state"], delivery["attempts"], delivery["nextAttemptAt"]) == ("SENT", 1, None)
        assert delivery["sentAt"] is not None
    own = (await api(NOTIFICATIONS, as_="employer-director"))["data"]["notifications"]["edges"]
    assert [(edge["node"]["delivery"]["state"], edge["node"]["delivery"]["attempts"]) for edge in own] == [("SENT", 1)]
    assert own[0]["node"]["delivery"]["sentAt"] in {edge["node"]["delivery"]["sentAt"] for edge in after}


async def test_delivery_a_sink_that_fails_twice_then_succeeds_gets_one_delivery_after_retries(api, settings, clock):
    await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    with http_sink(failures=2, failure=503) as ebox:
        total = await until_settled(worker(settings, clock, ebox))
    assert total == {"retry": 4, "sent": 2, "dead": 0}
    per_key = Counter(request.headers["idempotency-key"] for request in ebox.received)
    assert sorted(per_key.values()) == [3, 3]  # each message tried three times, always with its key
    assert Counter(request.headers["idempotency-key"] for request in ebox.accepted()) == Counter(
        dict.fromkeys(per_key, 1)
    )
    for row in await Delivery.all():
        assert (row.state, row.attempts, row.last_error) == (DeliveryState.SENT, 3, None)


async def test_delivery_a_sink_that_always_fails_ends_in_the_dead_letter(api, settings, clock):
    await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    with http_sink(failures=None) as ebox:
        total = await until_settled(worker(settings, clock, ebox, delivery_max_attempts=3))
        assert total == {"retry": 4, "sent": 0, "dead": 2}
        assert await worker(settings, clock, ebox, delivery_max_attempts=3).run_once() == {
            "sent": 0,
            "retry": 0,
            "dead": 0,
        }  # a dead letter is not tried again
    assert len(ebox.received) == 6
    for row in await Delivery.all():
        assert (row.state, row.attempts, row.next_attempt_at, row.last_error) == (
            DeliveryState.DEAD,
            3,
            None,
            "HTTP 500",
        )
    edges = (await api(NOTIFICATIONS, as_="nsso-officer"))["data"]["notifications"]["edges"]
    assert {(e["node"]["delivery"]["state"], e["node"]["delivery"]["lastError"]) for e in edges} == {
        ("DEAD", "HTTP 500")
    }


async def test_delivery_a_refusal_no_retry_can_mend_is_a_dead_letter_at_once(api, settings, clock):
    """A 4xx answer (here 422) says the message itself is wrong: sending it again cannot help."""
    await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    with http_sink(failures=None, failure=422) as ebox:
        assert await worker(settings, clock, ebox).run_once() == {"sent": 0, "retry": 0, "dead": 2}
    assert {(row.state, row.attempts) for row in await Delivery.all()} == {(DeliveryState.DEAD, 1)}


async def test_delivery_an_unreachable_receiver_is_retried_and_channels_without_settings_wait(api, settings, clock):
    await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    assert await worker(settings, clock).run_once() == {"sent": 0, "retry": 0, "dead": 0}  # no e-Box address set
    assert {row.attempts for row in await Delivery.all()} == {0}
    with http_sink() as gone:
        url = gone.url
    unreachable = Worker(replace(settings, ebox_url=url, delivery_timeout_seconds=2), clock)
    assert await unreachable.run_once() == {"sent": 0, "retry": 2, "dead": 0}
    for row in await Delivery.all():
        assert row.state is DeliveryState.PENDING and row.attempts == 1 and row.last_error
        assert row.next_attempt_at is not None and row.next_attempt_at > row.last_attempt_at


async def test_r_not_4_an_email_to_a_provider_without_an_address_is_a_dead_letter(api, settings, clock):
    from models.errors import Words
    from resolvers.journal import email

    provider = await Enterprise.get(enterprise_number=LOGISTIQUE.replace(".", ""))
    assert provider.email is None
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    from models.tables import Mandate

    row = await Mandate.get(reference=mandate["reference"])
    message = Words("notice.detail.new_version")  # any kept message: e-mails are written from the catalogue
    await email(provider, row, message, message, clock.now())
    with smtp_sink() as smtp:
        assert (await worker(settings, clock, smtp=smtp).run_once())["dead"] == 1
    assert smtp.messages == []
    dead = await Delivery.get(channel="EMAIL")
    assert dead.state is DeliveryState.DEAD and "no e-mail address" in dead.last_error


async def test_r_not_3_the_days_letters_are_one_pdf_in_the_recipients_language(api, settings, clock, tmp_path):
    """ASBL Demo Les Petits Pas (not in user management) is in Namur: its letter's frame is in French."""
    await created(api, "provider-signatory", principalNumber=ASBL, groups=["PMP"], startQuarter="3/2024")
    asbl = await Enterprise.get(enterprise_number=ASBL.replace(".", ""))
    path = await write_letters(replace(settings, post_dir=tmp_path), clock, clock.today())
    poppler = await asyncio.to_thread(subprocess.run, ["pdftotext", str(path), "-"], capture_output=True, check=True)
    text = poppler.stdout.decode()
    assert asbl.name in text
    for part in asbl.address.split(","):
        assert part.strip() in text
    assert "Registre des mandats" in text and "Mandatenregister" not in text
    assert f"Date: {clock.today().isoformat()}" in text


async def test_delivery_the_dashboard_and_the_actions_never_wait_on_a_receiver(api, settings, clock):
    """While the e-Box holds every message unanswered, the principal's dashboard answers and a new
    action is recorded with its notifications: sending happens after the action, outside it."""
    import threading

    await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    gate = threading.Event()
    with http_sink(gate=gate) as ebox:
        sending = asyncio.create_task(worker(settings, clock, ebox, delivery_timeout_seconds=30).run_once())
        while ebox.arrived < 2 and not sending.done():
            await asyncio.sleep(0.01)
        assert not sending.done()  # both messages are held by the receiver
        board = await api("{ dashboard { toBeFinalised { count } } }", as_="employer-director")
        assert board["data"]["dashboard"]["toBeFinalised"]["count"] == 1
        await created(api, "employer-director", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="3/2024")
        assert not sending.done()
        gate.set()
        assert await sending == {"sent": 4, "retry": 0, "dead": 0}  # the run took the second action's too
    assert {row.state for row in await Delivery.all()} == {DeliveryState.SENT}
