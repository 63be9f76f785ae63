"""The hashing rule of the tamper-evident history (hardening 10): canonical form and chain check."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace

import pytest

from models.history_chain import GENESIS, EventFacts, canonical, chain, event_hash, first_break, utc_instant
from models.signing import SigningMethod

UTC = dt.UTC
AT = dt.datetime(2024, 5, 10, 9, 30, 0, 123456, tzinfo=UTC)
EVENT = EventFacts(1, AT, "68031425991", "0893219451", "CREATED", SigningMethod.AUTHENTICATION, "Encoded.")


def test_hardening_history_canonical_form_is_sorted_compact_json():
    assert (
        canonical("M2024-1", EVENT, GENESIS)
        == (
            '{"action":"CREATED","actor_enterprise":"0893219451","actor_niss":"68031425991",'
            '"at":"2024-05-10T09:30:00.123456+00:00","detail":"Encoded.","method":"AUTHENTICATION",'
            f'"previous_hash":"{GENESIS}","reference":"M2024-1"}}'
        ).encode()
    )
    assert event_hash("M2024-1", EVENT, GENESIS) == hashlib.sha256(canonical("M2024-1", EVENT, GENESIS)).hexdigest()


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (AT, "2024-05-10T09:30:00.123456+00:00"),
        (AT.astimezone(dt.timezone(dt.timedelta(hours=2))), "2024-05-10T09:30:00.123456+00:00"),  # the same instant
        (AT.replace(tzinfo=None), "2024-05-10T09:30:00.123456+00:00"),  # naive: UTC
        (AT.replace(microsecond=0), "2024-05-10T09:30:00.000000+00:00"),
    ],
)
def test_hardening_history_instant_is_utc_to_the_microsecond(at, expected):
    assert utc_instant(at) == expected


@pytest.mark.parametrize(
    "change",
    [
        {"at": AT + dt.timedelta(microseconds=1)},
        {"actor_niss": "68031425892"},
        {"actor_niss": None},
        {"actor_enterprise": "0804115152"},
        {"action": "SIGNED"},
        {"method": SigningMethod.EID},
        {"method": None},
        {"detail": "Encoded!"},
        {"detail": None},
    ],
)
def test_hardening_history_every_covered_field_changes_the_hash(change):
    assert event_hash("M2024-1", replace(EVENT, **change), GENESIS) != event_hash("M2024-1", EVENT, GENESIS)


def test_hardening_history_reference_and_previous_hash_change_the_hash():
    base = event_hash("M2024-1", EVENT, GENESIS)
    assert event_hash("M2024-2", EVENT, GENESIS) != base
    assert event_hash("M2024-1", EVENT, "1" * 64) != base


def test_hardening_history_enum_and_its_value_hash_alike():
    """The ORM reads a method back as its enum; the migration reads its stored text."""
    assert event_hash("M", EVENT, GENESIS) == event_hash("M", replace(EVENT, method="AUTHENTICATION"), GENESIS)


def _written(reference: str, count: int) -> list[EventFacts]:
    events = [replace(EVENT, id=i + 1, at=AT + dt.timedelta(minutes=i), action=f"A{i}") for i in range(count)]
    return [
        replace(e, previous_hash=p, chain_hash=h) for e, (p, h) in zip(events, chain(reference, events), strict=True)
    ]


def _edit(index: int, **change):
    return lambda events: [replace(e, **change) if i == index else e for i, e in enumerate(events)]


@pytest.mark.parametrize(
    ("tamper", "broken_id", "reason"),
    [
        (lambda events: events, None, None),
        (_edit(1, detail="Changed."), 2, "edited"),
        (_edit(0, actor_niss="68031425892"), 1, "edited"),
        (_edit(3, at=AT), 4, "edited"),
        (_edit(2, chain_hash="f" * 64), 3, "edited"),  # a stored hash changed
        (lambda events: events[:1] + events[2:], 3, "previous event"),  # a middle event deleted
        (lambda events: events[1:], 2, "previous event"),  # the first event deleted
        (lambda events: [events[0], events[2], events[1], events[3]], 3, "previous event"),  # reordered
        (lambda events: events[:3], None, None),  # the latest events cut off: not detectable (documented)
    ],
)
def test_hardening_history_first_break_names_the_first_broken_event(tamper, broken_id, reason):
    broken = first_break("M2024-7", tamper(_written("M2024-7", 4)))
    if broken_id is None:
        assert broken is None
    else:
        assert (broken.reference, broken.event_id) == ("M2024-7", broken_id)
        assert reason in broken.reason


def test_hardening_history_an_event_recomputed_without_its_successors_still_breaks():
    """Re-hashing an edited event moves the break to the next event: the chain catches it either way."""
    events = _written("M2024-7", 3)
    edited = replace(events[1], detail="Changed.")
    edited = replace(edited, chain_hash=event_hash("M2024-7", edited, edited.previous_hash))
    broken = first_break("M2024-7", [events[0], edited, events[2]])
    assert (broken.event_id, "previous event" in broken.reason) == (3, True)
