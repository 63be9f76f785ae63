"""Issue 14, notifications that could not be delivered: the officers' queue `undeliveredNotifications`
(dead letters, oldest first, with their count) and `decideDeadLetter` (a new round of tries, sent for real
to a local e-Box sink; or handled another way with a reason), audited in the delivery's decisions; what a
notification's recipient sees of its delivery. The worker runs in the test's process and event loop."""

from __future__ import annotations

import asyncio
from collections import Counter

from models.delivery import REASON_LENGTH, DeliveryState
from models.tables import DeadLetterDecision, Delivery
from resolvers.ids import encode_id
from tests.api.delivery_steps import until_settled, worker
from tests.api.helpers import BOULANGERIE, PROVIDER, SSA, created, error_codes, key
from tests.sinks import http_sink

QUEUE = """query($first: Int, $after: String) { undeliveredNotifications(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id channel createdAt recipient { enterpriseNumber } mandate { reference }
    delivery { state attempts lastError } } } } }"""
DECIDE = """mutation($input: DecideDeadLetterInput!) { decideDeadLetter(input: $input) {
  notification { id delivery { state attempts nextAttemptAt lastError
    decisions { decision reason attempts lastError decidedAt } } }
  userErrors { code field message } } }"""
OWN = """{ notifications(first: 20) { edges { node { id subject
  delivery { state attempts sentAt lastAttemptAt lastError decisions { decision } } } } } }"""


async def dead_letters(api, settings, clock, mandates: int = 1) -> list[dict]:
    """`mandates` new mandates of the employer-manager's bakery with PROVIDER (two e-Box notifications each),
    refused by the e-Box with a 400 (a refusal no retry mends: dead at once); the queue as an officer reads it."""
    for group in ("PMP", "WITA_AMATEUR")[:mandates]:
        await created(api, "employer-manager", mandataryNumber=PROVIDER, groups=[group], startQuarter="3/2024")
    with http_sink(failures=None, failure=400) as ebox:
        assert await worker(settings, clock, ebox).run_once() == {"sent": 0, "retry": 0, "dead": 2 * mandates}
    return await queue(api)


async def queue(api, first: int = 20) -> list[dict]:
    result = await api(QUEUE, {"first": first}, as_="nsso-officer")
    assert "errors" not in result, result
    return [edge["node"] for edge in result["data"]["undeliveredNotifications"]["edges"]]


async def decide(api, notification: dict, decision: str, reason: str | None = None, as_="nsso-officer") -> dict:
    result = await api(
        DECIDE, {"input": {"notificationId": notification["id"], "decision": decision, "reason": reason}}, as_=as_
    )
    assert "errors" not in result, result
    return result["data"]["decideDeadLetter"]


async def test_r_not_5_dead_letters_are_listed_for_officers_oldest_first_with_their_count(api, settings, clock):
    await created(api, "employer-manager", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="3/2024")
    with http_sink() as ebox:  # delivered: never in the queue
        assert (await worker(settings, clock, ebox).run_once())["sent"] == 2
    listed = await dead_letters(api, settings, clock, mandates=2)
    assert len(listed) == 4
    assert [n["createdAt"] for n in listed] == sorted(n["createdAt"] for n in listed)  # oldest first
    assert [key(n["id"], "Notification") for n in listed] == sorted(key(n["id"], "Notification") for n in listed)
    assert Counter(n["recipient"]["enterpriseNumber"] for n in listed) == {
        BOULANGERIE: 2,
        PROVIDER: 2,
    }
    for node in listed:
        assert node["delivery"] == {"state": "DEAD", "attempts": 1, "lastError": "HTTP 400"}
    page = (await api(QUEUE, {"first": 3}, as_="nsso-officer"))["data"]["undeliveredNotifications"]
    assert (page["totalCount"], len(page["edges"]), page["pageInfo"]["hasNextPage"]) == (4, 3, True)
    rest = await api(QUEUE, {"first": 3, "after": page["pageInfo"]["endCursor"]}, as_="nsso-officer")
    assert [e["node"]["id"] for e in rest["data"]["undeliveredNotifications"]["edges"]] == [listed[3]["id"]]


async def test_r_not_5_a_retried_dead_letter_is_delivered_under_its_key_in_a_new_round(api, settings, clock):
    first, *others = await dead_letters(api, settings, clock)
    row = await Delivery.get(notification_id=key(first["id"], "Notification"))
    payload = await decide(api, first, "RETRY")
    assert payload["userErrors"] == []
    delivery = payload["notification"]["delivery"]
    assert (delivery["state"], delivery["attempts"], delivery["lastError"]) == ("PENDING", 0, "HTTP 400")
    assert delivery["nextAttemptAt"] is not None
    assert [(d["decision"], d["reason"], d["attempts"], d["lastError"]) for d in delivery["decisions"]] == [
        ("RETRY", None, 1, "HTTP 400")
    ]
    audit = await DeadLetterDecision.get(delivery_id=row.id)
    assert audit.officer_niss and audit.decided_at is not None
    assert [n["id"] for n in await queue(api)] == [n["id"] for n in others]  # out of the queue at once

    with http_sink() as ebox:
        assert await until_settled(worker(settings, clock, ebox)) == {"sent": 1, "retry": 0, "dead": 0}
    assert [request.headers["idempotency-key"] for request in ebox.accepted()] == [row.idempotency_key]
    sent = await Delivery.get(id=row.id)
    assert (sent.state, sent.attempts, sent.last_error) == (DeliveryState.SENT, 1, None)
    again = await decide(api, first, "RETRY")  # delivered: nothing to decide
    assert [(e["code"], e["field"]) for e in again["userErrors"]] == [("INVALID_TRANSITION", ["notificationId"])]
    assert again["notification"] is None


async def test_r_not_5_a_retried_dead_letter_that_fails_again_is_back_in_the_queue(api, settings, clock):
    first, _ = await dead_letters(api, settings, clock)
    assert (await decide(api, first, "RETRY"))["userErrors"] == []
    with http_sink(failures=None, failure=503) as ebox:  # a new round of max_attempts tries, then dead again
        assert await until_settled(worker(settings, clock, ebox, delivery_max_attempts=2)) == {
            "sent": 0,
            "retry": 1,
            "dead": 1,
        }
    back = next(n for n in await queue(api) if n["id"] == first["id"])
    assert back["delivery"] == {"state": "DEAD", "attempts": 2, "lastError": "HTTP 503"}


async def test_r_not_5_a_dead_letter_handled_another_way_states_how_and_is_never_sent(api, settings, clock):
    first, second = await dead_letters(api, settings, clock)
    missing = await decide(api, first, "HANDLED", "   ")
    assert [(e["code"], e["field"]) for e in missing["userErrors"]] == [("REASON_REQUIRED", ["reason"])]
    assert "how the notification was handled" in missing["userErrors"][0]["message"]
    long = await decide(api, first, "HANDLED", "x" * (REASON_LENGTH + 1))
    assert [(e["code"], e["field"]) for e in long["userErrors"]] == [("INVALID_INPUT", ["reason"])]
    assert not await DeadLetterDecision.exists()  # a refusal writes nothing

    handled = await decide(api, first, "HANDLED", "Sent by registered post on 2024-05-10.")
    assert handled["userErrors"] == []
    delivery = handled["notification"]["delivery"]
    assert (delivery["state"], delivery["nextAttemptAt"]) == ("HANDLED", None)
    assert [(d["decision"], d["reason"]) for d in delivery["decisions"]] == [
        ("HANDLED", "Sent by registered post on 2024-05-10.")
    ]
    assert [n["id"] for n in await queue(api)] == [second["id"]]
    with http_sink() as ebox:
        assert await worker(settings, clock, ebox).run_once() == {"sent": 0, "retry": 0, "dead": 0}
    assert ebox.received == []
    retried = await decide(api, first, "RETRY")  # handled is final
    assert [e["code"] for e in retried["userErrors"]] == ["INVALID_TRANSITION"]
    assert (await decide(api, second, "RETRY"))["userErrors"] == []
    assert await queue(api) == []


async def test_r_not_5_only_officers_read_the_queue_and_decide(api, settings, clock):
    first, _ = await dead_letters(api, settings, clock)
    for persona in ("employer-manager", "provider-signatory", "integration-system"):
        assert error_codes(await api(QUEUE, {"first": 5}, as_=persona)) == ["FORBIDDEN"]
        refused = await api(DECIDE, {"input": {"notificationId": first["id"], "decision": "RETRY"}}, as_=persona)
        assert error_codes(refused) == ["FORBIDDEN"] and refused["data"] is None
    assert {row.state for row in await Delivery.all()} == {DeliveryState.DEAD}
    bad = await decide(api, {"id": "not-an-id"}, "RETRY")
    assert [(e["code"], e["field"]) for e in bad["userErrors"]] == [("INVALID_ID", ["notificationId"])]
    unknown = await decide(api, {"id": encode_id("Notification", 10**9)}, "RETRY")
    assert [(e["code"], e["field"]) for e in unknown["userErrors"]] == [("NOT_FOUND", ["notificationId"])]


async def test_r_not_5_recipients_see_their_notifications_delivery_state_not_the_receivers_answer(api, settings, clock):
    first, _ = await dead_letters(api, settings, clock)
    own = (await api(OWN, as_="employer-manager"))["data"]["notifications"]["edges"]
    assert len(own) == 1  # the bakery's own notification only
    delivery = own[0]["node"]["delivery"]
    assert (delivery["state"], delivery["attempts"], delivery["sentAt"]) == ("DEAD", 1, None)
    assert delivery["lastAttemptAt"] is not None
    assert (delivery["lastError"], delivery["decisions"]) == (None, [])  # the officers' only
    mine = first if first["recipient"]["enterpriseNumber"] == BOULANGERIE else _
    assert (await decide(api, mine, "HANDLED", "Handed over at the counter."))["userErrors"] == []
    own = (await api(OWN, as_="employer-manager"))["data"]["notifications"]["edges"]
    assert own[0]["node"]["delivery"]["state"] == "HANDLED"
    assert own[0]["node"]["delivery"]["decisions"] == []


async def test_r_not_5_two_officers_deciding_at_once_one_decision_is_taken(api, settings, clock):
    """Sent together, the two decisions interleave at every database call: the row lock (PostgreSQL) and
    the compare-and-set on the state let one through; the other is refused and writes nothing."""
    listed = await dead_letters(api, settings, clock)
    for notification in listed:
        payloads = await asyncio.gather(
            decide(api, notification, "RETRY"), decide(api, notification, "HANDLED", "By registered post.")
        )
        assert sorted(len(payload["userErrors"]) for payload in payloads) == [0, 1]
        refused = next(payload for payload in payloads if payload["userErrors"])
        assert [e["code"] for e in refused["userErrors"]] == ["INVALID_TRANSITION"]
    assert await DeadLetterDecision.all().count() == len(listed)
    assert await queue(api) == []
