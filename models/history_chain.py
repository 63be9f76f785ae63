"""The tamper-evident history (hardening 10): each event of a mandate carries the SHA-256 of its canonical
form, which includes the hash of the mandate's previous event, so that an edited, deleted or
reordered event breaks the chain from that event on.

The canonical form is a JSON object with sorted keys and no spaces, over the mandate reference, the
instant in UTC (ISO 8601, microseconds), the actor's NISS and enterprise, the action, the signing
method, the detail and the previous hash. Deleting a mandate's latest events leaves a shorter chain
that still holds: the chain shows that the events kept were not changed, not that none was cut off the end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

GENESIS = "0" * 64  # the "previous hash" of a mandate's first event


@dataclass(frozen=True)
class EventFacts:
    """What the hash covers, and the hashes stored with the event."""

    id: int
    at: dt.datetime
    actor_niss: str | None
    actor_enterprise: str | None
    action: str
    method: str | Enum | None
    detail: str | None
    previous_hash: str | None = None
    chain_hash: str | None = None


@dataclass(frozen=True)
class Break:
    """The first event whose link does not hold; no personal data (the reason says which link)."""

    reference: str
    event_id: int
    reason: str


def utc_instant(at: dt.datetime) -> str:
    """The instant in UTC, to the microsecond; a naive time is taken as UTC (the registry stores UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(reference: str, event: EventFacts, previous_hash: str) -> bytes:
    method = event.method.value if isinstance(event.method, Enum) else event.method
    return json.dumps(
        {
            "action": event.action,
            "actor_enterprise": event.actor_enterprise,
            "actor_niss": event.actor_niss,
            "at": utc_instant(event.at),
            "detail": event.detail,
            "method": method,
            "previous_hash": previous_hash,
            "reference": reference,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")


def event_hash(reference: str, event: EventFacts, previous_hash: str) -> str:
    return hashlib.sha256(canonical(reference, event, previous_hash)).hexdigest()


def chain(reference: str, events: Iterable[EventFacts]) -> list[tuple[str, str]]:
    """(previous hash, hash) for each event, in order: the chain of events written before it existed."""
    links, previous = [], GENESIS
    for event in events:
        current = event_hash(reference, event, previous)
        links.append((previous, current))
        previous = current
    return links


def first_break(reference: str, events: Iterable[EventFacts]) -> Break | None:
    """The first event, in the order written, whose stored link differs from the recomputed one."""
    previous = GENESIS
    for event in events:
        if event.previous_hash != previous:
            return Break(reference, event.id, "its previous event was deleted, reordered or changed its hash")
        if event.chain_hash != event_hash(reference, event, previous):
            return Break(reference, event.id, "the event was edited after it was written")
        previous = event.chain_hash
    return None
