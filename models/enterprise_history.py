"""An enterprise's history: the officers' acts on it and the requests about it, newest first (issue 14).

Assembled from the tables that already record each act with its time (employer deletion, bankruptcy and
the curator's answer, NSSO number, foreign-entity registration, provider and employer identification
requests: R-EMP-1..6, R-WIDE-1..6, R-FOR-2, R-SPID-1..3); each event is said in the reader's language
from its catalogue key (SENTENCES). The mandates' own events stay in their history
(R-LIFE-10).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from models.errors import Words

HISTORY_BOUND = 100  # the newest events shown: an enterprise's file, not an archive


class EnterpriseEventKind(enum.Enum):
    EMPLOYER_DELETED = "EMPLOYER_DELETED"
    BANKRUPTCY_RECORDED = "BANKRUPTCY_RECORDED"
    CURATOR_ANSWERED = "CURATOR_ANSWERED"
    NSSO_NUMBER_ASSIGNED = "NSSO_NUMBER_ASSIGNED"
    FOREIGN_ENTITY_REGISTERED = "FOREIGN_ENTITY_REGISTERED"
    PROVIDER_REQUEST_SUBMITTED = "PROVIDER_REQUEST_SUBMITTED"
    PROVIDER_REQUEST_APPROVED = "PROVIDER_REQUEST_APPROVED"
    PROVIDER_REQUEST_REFUSED = "PROVIDER_REQUEST_REFUSED"
    IDENTIFICATION_REQUESTED = "IDENTIFICATION_REQUESTED"
    IDENTIFICATION_BLOCKED = "IDENTIFICATION_BLOCKED"
    IDENTIFICATION_DONE = "IDENTIFICATION_DONE"


K = EnterpriseEventKind
# The catalogue key of each kind's sentence, its values named as the events give them.
SENTENCES = {
    K.EMPLOYER_DELETED: "notice.enterprise.employer_deleted",
    K.BANKRUPTCY_RECORDED: "notice.enterprise.bankruptcy_recorded",
    K.CURATOR_ANSWERED: "notice.enterprise.curator_answered",
    K.NSSO_NUMBER_ASSIGNED: "notice.enterprise.nsso_number_assigned",
    K.FOREIGN_ENTITY_REGISTERED: "notice.enterprise.foreign_entity_registered",
    K.PROVIDER_REQUEST_SUBMITTED: "notice.enterprise.provider_request_submitted",
    K.PROVIDER_REQUEST_APPROVED: "notice.enterprise.provider_request_approved",
    K.PROVIDER_REQUEST_REFUSED: "notice.enterprise.provider_request_refused",
    K.IDENTIFICATION_REQUESTED: "notice.enterprise.identification_requested",
    K.IDENTIFICATION_BLOCKED: "notice.enterprise.identification_blocked",
    K.IDENTIFICATION_DONE: "notice.enterprise.identification_done",
}
FILED_BY_ITSELF = "notice.enterprise.filer_self"  # the filer of an employer's own identification request


@dataclass(frozen=True)
class EnterpriseEvent:
    """One act: its day, its time when the table keeps one (a curator's answer keeps only its day)."""

    kind: EnterpriseEventKind
    on: dt.date
    at: dt.datetime | None
    values: dict[str, object]

    @property
    def words(self) -> Words:
        return Words(SENTENCES[self.kind], self.values)


def timed(kind: EnterpriseEventKind, at: dt.datetime, **values: object) -> EnterpriseEvent:
    return EnterpriseEvent(kind, at.date(), at, values)


def newest_first(events: Iterable[EnterpriseEvent], bound: int = HISTORY_BOUND) -> list[EnterpriseEvent]:
    """The `bound` newest events, newest first; an event known by its day only counts as that day's last."""
    return sorted(events, key=lambda e: (e.on, e.at is None, e.at or dt.datetime.min), reverse=True)[:bound]
