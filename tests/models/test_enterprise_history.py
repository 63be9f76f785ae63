"""An enterprise's history, newest first and bounded (models/enterprise_history.py; issue 14, R-EMP-5)."""

from __future__ import annotations

import datetime as dt

from config.messages import LANGUAGES, catalogue
from models.enterprise_history import SENTENCES, EnterpriseEvent, EnterpriseEventKind, newest_first, timed

K = EnterpriseEventKind
UTC = dt.UTC


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2024, 5, day, hour, tzinfo=UTC)


def test_r_emp_5_newest_first_an_answer_known_by_its_day_only_is_that_days_last():
    bankruptcy = timed(K.BANKRUPTCY_RECORDED, at(2, 9))
    answer = EnterpriseEvent(K.CURATOR_ANSWERED, dt.date(2024, 5, 10), None, {})
    number = timed(K.NSSO_NUMBER_ASSIGNED, at(10, 16))
    deletion = timed(K.EMPLOYER_DELETED, at(11, 8))
    assert newest_first([bankruptcy, deletion, answer, number]) == [deletion, answer, number, bankruptcy]


def test_the_history_keeps_the_newest_of_a_long_file():
    events = [timed(K.PROVIDER_REQUEST_SUBMITTED, at(1, 0) + dt.timedelta(minutes=i)) for i in range(150)]
    kept = newest_first(events, bound=100)
    assert len(kept) == 100 and kept[0] is events[-1] and kept[-1] is events[50]


def test_every_kind_has_its_sentence_in_the_four_languages():
    assert set(SENTENCES) == set(K)
    for language in LANGUAGES:
        assert all(catalogue(language)[key] for key in SENTENCES.values()), language
