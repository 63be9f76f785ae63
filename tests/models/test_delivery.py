"""Issue 12, the pure parts of delivery and the feed: the retry policy, the webhook signature, the
letter's language, the CloudEvents form."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from models.change_feed import cloud_event, event_type
from models.delivery import (
    REASON_LENGTH,
    DeliveryDecision,
    DeliveryState,
    RetryPolicy,
    decided_state,
    webhook_signature,
)
from models.errors import ErrorCode, RuleViolation
from models.letters import DUTCH, FRENCH, GERMAN, heading, languages_of

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
POLICY = RetryPolicy(max_attempts=5, base_seconds=30, cap_seconds=300)


@pytest.mark.parametrize(
    ("attempts", "state", "wait"),
    [
        (1, DeliveryState.PENDING, 30),  # base
        (2, DeliveryState.PENDING, 60),  # doubled
        (3, DeliveryState.PENDING, 120),
        (4, DeliveryState.PENDING, 240),
        (5, DeliveryState.DEAD, None),  # the last try failed: a dead letter
        (9, DeliveryState.DEAD, None),
    ],
)
def test_delivery_back_off_doubles_until_the_dead_letter(attempts, state, wait):
    after = POLICY.after_failure(attempts, NOW)
    assert after == (state, None if wait is None else NOW + dt.timedelta(seconds=wait))


def test_delivery_back_off_is_capped_even_after_many_tries():
    long = RetryPolicy(max_attempts=100, base_seconds=30, cap_seconds=300)
    assert long.backoff(5) == dt.timedelta(seconds=300)  # 480 capped
    assert long.backoff(90) == dt.timedelta(seconds=300)  # no overflow
    assert long.backoff(0) == dt.timedelta(seconds=30)


def test_delivery_a_permanent_failure_is_a_dead_letter_at_the_first_try():
    assert POLICY.after_failure(1, NOW, permanent=True) == (DeliveryState.DEAD, None)


def test_delivery_an_officer_retries_a_dead_letter_or_records_it_handled_with_a_reason():
    assert decided_state(DeliveryState.DEAD, DeliveryDecision.RETRY, None) is DeliveryState.PENDING
    assert decided_state(DeliveryState.DEAD, DeliveryDecision.HANDLED, " By registered post. ") is DeliveryState.HANDLED
    for reason, code in ((None, ErrorCode.REASON_REQUIRED), ("  ", ErrorCode.REASON_REQUIRED)):
        with pytest.raises(RuleViolation) as refused:
            decided_state(DeliveryState.DEAD, DeliveryDecision.HANDLED, reason)
        assert (refused.value.code, refused.value.field) == (code, ("reason",))
    with pytest.raises(RuleViolation) as refused:
        decided_state(DeliveryState.DEAD, DeliveryDecision.HANDLED, "x" * (REASON_LENGTH + 1))
    assert refused.value.code is ErrorCode.INVALID_INPUT


@pytest.mark.parametrize("state", [DeliveryState.PENDING, DeliveryState.SENT, DeliveryState.HANDLED])
@pytest.mark.parametrize("decision", list(DeliveryDecision))
def test_delivery_only_a_dead_letter_is_decided_on(state, decision):
    with pytest.raises(RuleViolation) as refused:
        decided_state(state, decision, "a reason")
    assert refused.value.code is ErrorCode.INVALID_TRANSITION


def test_webhook_signature_covers_id_timestamp_and_body():
    signature = webhook_signature("secret", "event-1", 1700000000, b'{"a":1}')
    scheme, value = signature.split(",", 1)
    assert scheme == "v1" and len(base64.b64decode(value)) == 32  # SHA-256
    assert signature == webhook_signature("secret", "event-1", 1700000000, b'{"a":1}')
    for changed in (
        webhook_signature("other", "event-1", 1700000000, b'{"a":1}'),
        webhook_signature("secret", "event-2", 1700000000, b'{"a":1}'),
        webhook_signature("secret", "event-1", 1700000001, b'{"a":1}'),
        webhook_signature("secret", "event-1", 1700000000, b'{"a":2}'),
    ):
        assert changed != signature
    # The separators are part of what is signed: moving a character between id and timestamp changes it.
    assert webhook_signature("s", "e1", 23, b"x") != webhook_signature("s", "e", 123, b"x")


@pytest.mark.parametrize(
    ("address", "languages"),
    [
        ("Quai de Meuse 112, 5000 Namur", (FRENCH,)),
        ("Kortrijksesteenweg 318, 9000 Gent", (DUTCH,)),
        ("Bredabaan 402, 2930 Brasschaat", (DUTCH,)),
        ("Rue Royale 180, 1000 Bruxelles", (FRENCH, DUTCH)),
        ("Avenue Louise 230, 1050 Ixelles", (FRENCH, DUTCH)),
        ("Rue de Namur 3, 1300 Wavre", (FRENCH,)),
        ("Leuvensesteenweg 1, 1500 Halle", (DUTCH,)),
        ("Hauptstraße 1, 4700 Eupen", (GERMAN,)),
        ("Malmedyer Straße 4, 4780 Sankt Vith", (GERMAN,)),
        ("Rue de la Gare 9, 4800 Verviers", (FRENCH,)),
        ("Beispielstraße 12, 52062 Aachen, Germany", (GERMAN,)),
        ("12 rue de Rivoli, 75001 Paris, France", (FRENCH,)),
        ("", (FRENCH, DUTCH, GERMAN)),  # unknown: the three national languages
        ("Somewhere 12345", (FRENCH, DUTCH, GERMAN)),
    ],
)
def test_r_not_3_a_letter_is_in_the_language_of_its_address(address, languages):
    assert languages_of(address) == languages


def test_r_not_3_the_letters_frame_names_each_language_once():
    assert heading((FRENCH, DUTCH), "date") == "Date / Datum"
    assert heading((DUTCH, GERMAN), "date") == "Datum"


def test_feed_events_are_cloud_events_1_0_with_the_time_in_utc():
    brussels = dt.timezone(dt.timedelta(hours=2))
    event = cloud_event("id-1", "urn:x", event_type("mandate", "CREATED"), NOW.astimezone(brussels), "mandates/M1", {})
    assert event == {
        "specversion": "1.0",
        "id": "id-1",
        "source": "urn:x",
        "type": "be.socialsecurity.mandates.mandate.created",
        "time": "2026-03-02T09:00:00Z",
        "subject": "mandates/M1",
        "datacontenttype": "application/json",
        "data": {},
    }
    assert event_type("delegation", "ENDED") == "be.socialsecurity.mandates.delegation.ended"
