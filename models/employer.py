"""The employer's own events: deletion, bankruptcy and the curator's answer, identification, and
the officer's annulment (RULES.md §17, §18, R-WIDE-6, R-CLU-6, R-LIFE-9).

Pure rules: they take values (group spans, dates, statuses) and return the new group ends or
refuse with a `RuleViolation`; the use cases in `resolvers/employer.py` read and write the rows.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from models.errors import ErrorCode, RuleViolation
from models.quarter import Quarter
from models.status import Event, MandateStatus, next_status


class DeletionRequester(enum.Enum):
    """Who asked for the deletion of the employer identification number (R-EMP-1)."""

    EMPLOYER = "EMPLOYER"
    SERVICE_PROVIDER = "SERVICE_PROVIDER"
    CURATOR = "CURATOR"


class CuratorAnswer(enum.Enum):
    """The curator's answer to the NSSO's letter sent about 14 days after the bankruptcy (R-EMP-5, R-EMP-6)."""

    CONTINUE = "CONTINUE"  # staff kept: the mandates stay valid
    DELETE = "DELETE"  # the curator asks for the employer's deletion
    NO_ANSWER = "NO_ANSWER"  # the curator did not react


CLOSING_ANSWERS = frozenset({CuratorAnswer.DELETE, CuratorAnswer.NO_ANSWER})


@dataclass(frozen=True)
class GroupSpan:
    """One group of an effective mandate, as the closure rules see it."""

    code: str
    start: Quarter
    end: Quarter | None  # None while open-ended
    employer_only: bool  # R-CLU-6


def is_employer(nsso_number: str | None, deleted_on: dt.date | None, today: dt.date) -> bool:
    """An NSSO employer: a definitive NSSO number (R-ENT-1), and not deleted before `today` (R-EMP-1).

    The deletion date is the exit date of the last worker: the principal is still an employer that day.
    """
    return bool(nsso_number) and (deleted_on is None or today <= deleted_on)


def closing_end(span: GroupSpan, end: Quarter) -> Quarter | None:
    """The group's new end when the employer's event closes it at `end`; None when it already ends by then.

    An earlier end is never extended. A group starting after `end` ends on its start quarter, the
    earliest end there is (R-CAL-7: ending before the start would be an annulment, officer only).
    """
    target = max(end, span.start)
    if span.end is not None and span.end <= target:
        return None
    return target


def deletion_quarter(deletion_date: dt.date) -> Quarter:
    """Deletion closes on the last day of the quarter of the deletion date (R-EMP-2)."""
    return Quarter.containing(deletion_date)


def _closed_at(spans: Iterable[GroupSpan], end: Quarter) -> dict[str, Quarter]:
    """The new end of each group the closure at `end` changes (see `closing_end`)."""
    return {span.code: new for span in spans if (new := closing_end(span, end)) is not None}


def closed_by_deletion(spans: Iterable[GroupSpan], deletion_date: dt.date) -> dict[str, Quarter]:
    """The groups an employer deletion ends, with their new end: only those linked to the employer
    quality (employer-only, R-CLU-6); the others go on (R-EMP-2). Ends are kept as they are
    otherwise, so a technical extension runs from the new end (R-COMP-5).
    """
    return _closed_at((span for span in spans if span.employer_only), deletion_quarter(deletion_date))


def closed_by_curator(answer: CuratorAnswer, spans: Iterable[GroupSpan], recorded_on: dt.date) -> dict[str, Quarter]:
    """DELETE or NO_ANSWER closes every group at the end of the quarter the answer is recorded in
    (R-EMP-5); CONTINUE changes nothing (R-EMP-6).
    """
    if answer not in CLOSING_ANSWERS:
        return {}
    return _closed_at(spans, Quarter.containing(recorded_on))


def check_deletable(nsso_number: str | None, deleted_on: dt.date | None) -> None:
    """Only an NSSO employer not yet deleted has an identification number to delete (R-EMP-1)."""
    if not nsso_number:
        raise RuleViolation(ErrorCode.NOT_AN_EMPLOYER, "api.employer.no_nsso_number", ("principalNumber",))
    if deleted_on is not None:
        raise RuleViolation(
            ErrorCode.NOT_AN_EMPLOYER, "api.employer.already_deleted", ("principalNumber",), date=deleted_on
        )


def check_identifiable(nsso_number: str | None, deleted_on: dt.date | None) -> None:
    """A definitive NSSO number is assigned to a company without staff, or to a deleted employer
    identified again (R-WIDE-6, R-EMP-3); a current employer already has one.
    """
    if nsso_number and deleted_on is None:
        raise RuleViolation(
            ErrorCode.ALREADY_AN_EMPLOYER, "api.employer.already_employer", ("principalNumber",), number=nsso_number
        )


def annulled_status(status: MandateStatus) -> MandateStatus:
    """Any mandate but a CANCELLED one may be annulled; the result is CANCELLED (R-ANN-2, R-LIFE-1)."""
    return next_status(status, Event.ANNULLED)


def annulment_period(start: Quarter, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period the action check covers: the whole validity of the mandate, from the first day of
    its start quarter to today (R-ANN-2, at least the conditions of a late closure, R-CLO-11).
    """
    return start.first_day, today


def require_reason(reason: str | None) -> str:
    """Annulment is decided case by case: the officer states why (R-ANN-1)."""
    text = (reason or "").strip()
    if not text:
        raise RuleViolation(ErrorCode.REASON_REQUIRED, "api.employer.annulment_reason", ("reason",))
    return text
