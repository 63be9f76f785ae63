"""Competence (models/competence.py): R-COMP-1..7, R-CLU-9, R-DEL-3, R-DEL-5, R-UNQ-5, R-LIFE-5, on the real catalogue.

A held the group before B; C is a third provider. Each holding's mandate is its mandatary * 10.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.catalogue import load_catalogue
from models.competence import Grant, Via, competent, has_effect
from models.places import GroupRole, Holding
from models.quarter import Quarter
from models.status import MandateStatus

CATALOGUE = load_catalogue(Path(__file__).resolve().parents[2] / "config" / "reference" / "application_groups.json")
A, B, C = 1, 2, 3
S = MandateStatus
MANDATE, DELEGATION, EXTENSION, PUBLIATO = Via.MANDATE, Via.DELEGATION, Via.TECHNICAL_EXTENSION, Via.PUBLIATO_PERIOD
SOLE, MASTER, SECONDARY = GroupRole.SOLE, GroupRole.MASTER, GroupRole.SECONDARY


def q(text: str | None) -> Quarter | None:
    return Quarter.parse(text) if text else None


def held(mandatary: int, code: str, start: str, end: str | None = None, *, effective=True, master=None) -> Holding:
    """`master`: the (start, end) of the DmfA of the same mandate (R-UNQ-5)."""
    master_span = (q(master[0]), q(master[1])) if master else None
    return Holding(mandatary * 10, mandatary, code, q(start), q(end), effective, master_span)


def grant(delegate: int, main_mandatary: int, codes: set[str], start: str, end: str, status=S.ACTIVE, key=7) -> Grant:
    return Grant(key, main_mandatary * 10, delegate, frozenset(codes), q(start), q(end), status)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# A's DMFA 1/2022–4/2023, replaced by B's from 1/2024.
DMFA_HISTORY = [held(A, "DMFA", "1/2022", "4/2023"), held(B, "DMFA", "1/2024")]
# A's DRS 1/2022–4/2023 (technical extension: 1 quarter), B's from 1/2024.
DRS_HISTORY = [held(A, "DRS_UNEMPLOYMENT", "1/2022", "4/2023"), held(B, "DRS_UNEMPLOYMENT", "1/2024")]
PUBLIATO_HISTORY = [
    held(A, "WORK_ACCIDENTS_PUBLIATO", "1/2022", "4/2023"),
    held(B, "WORK_ACCIDENTS_PUBLIATO", "1/2024"),
]
# A's secondary Dimona ended 1/2024; C's secondary from 2/2024.
DIMONA_HISTORY = [held(A, "DIMONA", "1/2022", "1/2024"), held(C, "DIMONA", "2/2024")]

# (rule, group, holdings, grants, on, today, expected [(mandatary, via, role)])
CASES = [
    (
        "R-COMP-1 the current DmfA mandatary for a past quarter",
        "DMFA",
        DMFA_HISTORY,
        [],
        "2023-08-01",
        "2024-05-01",
        [(B, MANDATE, SOLE)],
    ),
    (
        "R-COMP-1 the current one for the current quarter",
        "DMFA",
        DMFA_HISTORY,
        [],
        "2024-04-15",
        "2024-05-01",
        [(B, MANDATE, SOLE)],
    ),
    (
        "R-COMP-1 the current one for a future quarter",
        "DMFA",
        DMFA_HISTORY,
        [],
        "2024-11-02",
        "2024-05-01",
        [(B, MANDATE, SOLE)],
    ),
    (
        "R-COMP-1 before the change, A is the current one for the past",
        "DMFA",
        DMFA_HISTORY,
        [],
        "2022-03-01",
        "2023-11-10",
        [(A, MANDATE, SOLE)],
    ),
    (
        "R-COMP-1 before the change, the future belongs to the next",
        "DMFA",
        DMFA_HISTORY,
        [],
        "2024-02-01",
        "2023-11-10",
        [(B, MANDATE, SOLE)],
    ),
    (
        "R-COMP-1 nobody current, nobody for the past",
        "DMFA",
        [held(A, "DMFA", "1/2022", "4/2023")],
        [],
        "2023-08-01",
        "2024-05-01",
        [],
    ),
    (
        "R-COMP-6 a delegate for the delegated period",
        "DMFA",
        DMFA_HISTORY,
        [grant(A, B, {"DMFA"}, "1/2023", "4/2023")],
        "2023-08-01",
        "2024-05-01",
        [(B, MANDATE, SOLE), (A, DELEGATION, SOLE)],
    ),
    (
        "R-COMP-6 not outside the delegated period",
        "DMFA",
        DMFA_HISTORY,
        [grant(A, B, {"DMFA"}, "1/2023", "4/2023")],
        "2022-08-01",
        "2024-05-01",
        [(B, MANDATE, SOLE)],
    ),
    (
        "R-COMP-6 not for another group",
        "DIMONA",
        [held(B, "DIMONA", "1/2024")],
        [grant(A, B, {"DMFA"}, "1/2023", "4/2023")],
        "2023-08-01",
        "2024-05-01",
        [],
    ),
    (
        "R-DEL-5 not once ended",
        "DMFA",
        DMFA_HISTORY,
        [grant(A, B, {"DMFA"}, "1/2023", "4/2023", S.CANCELLED)],
        "2023-08-01",
        "2024-05-01",
        [(B, MANDATE, SOLE)],
    ),
    (
        "R-DEL-5 not once the main group's end has passed",
        "DMFA",
        [held(A, "DMFA", "1/2022", "4/2023"), held(B, "DMFA", "1/2024", "1/2024")],
        [grant(A, B, {"DMFA"}, "1/2023", "4/2023")],
        "2023-08-01",
        "2024-05-01",
        [],
    ),
    (
        "R-DEL-5 not when the main mandate no longer has effect",
        "DMFA",
        [held(A, "DMFA", "1/2022", "4/2023"), held(B, "DMFA", "1/2024", effective=False)],
        [grant(A, B, {"DMFA"}, "1/2023", "4/2023")],
        "2023-08-01",
        "2024-05-01",
        [],
    ),
    (
        "R-COMP-2 Dimona: the holder on that day, not the former one",
        "DIMONA",
        DIMONA_HISTORY,
        [],
        "2024-04-02",
        "2024-05-10",
        [(C, MANDATE, SECONDARY)],
    ),
    (
        "R-COMP-2 Dimona: the former one on a day it held it",
        "DIMONA",
        DIMONA_HISTORY,
        [],
        "2024-01-15",
        "2024-05-10",
        [(A, MANDATE, SECONDARY)],
    ),
    (
        "R-UNQ-5 the DmfA mandatary's Dimona is master, the other secondary",
        "DIMONA",
        [held(A, "DIMONA", "1/2024", master=("1/2024", None)), held(B, "DIMONA", "3/2024")],
        [],
        "2024-08-01",
        "2024-05-10",
        [(A, MANDATE, MASTER), (B, MANDATE, SECONDARY)],
    ),
    (
        "R-COMP-3 risk date in the former mandatary's period, during E+1",
        "DRS_UNEMPLOYMENT",
        DRS_HISTORY,
        [],
        "2023-12-10",
        "2024-02-01",
        [(A, EXTENSION, SOLE), (B, MANDATE, SOLE)],
    ),
    (
        "R-COMP-3 after the extension, only the current one",
        "DRS_UNEMPLOYMENT",
        DRS_HISTORY,
        [],
        "2023-12-10",
        "2024-04-02",
        [(B, MANDATE, SOLE)],
    ),
    (
        "R-COMP-3 while its mandate runs, the mandatary of the risk date",
        "DRS_UNEMPLOYMENT",
        DRS_HISTORY,
        [],
        "2023-12-10",
        "2023-12-20",
        [(A, MANDATE, SOLE)],
    ),
    (
        "R-COMP-3 a risk date before anyone's mandate: the current one",
        "DRS_UNEMPLOYMENT",
        DRS_HISTORY,
        [],
        "2020-06-01",
        "2024-05-10",
        [(B, MANDATE, SOLE)],
    ),
    (
        "R-COMP-5 the extension's last day",
        "DRS_UNEMPLOYMENT",
        [held(A, "DRS_UNEMPLOYMENT", "1/2022", "2/2024")],
        [],
        "2024-05-01",
        "2024-09-30",
        [(A, EXTENSION, SOLE)],
    ),
    (
        "R-COMP-5 the day after",
        "DRS_UNEMPLOYMENT",
        [held(A, "DRS_UNEMPLOYMENT", "1/2022", "2/2024")],
        [],
        "2024-05-01",
        "2024-10-01",
        [],
    ),
    (
        "R-CLU-9 a group without extension keeps no former mandatary",
        "TEMPORARY_UNEMPLOYMENT",
        [held(A, "TEMPORARY_UNEMPLOYMENT", "1/2022", "4/2023"), held(B, "TEMPORARY_UNEMPLOYMENT", "1/2024")],
        [],
        "2024-04-02",
        "2024-05-10",
        [(B, MANDATE, SOLE)],
    ),
    (
        "R-DEL-3 a delegation beside the extension",
        "DRS_UNEMPLOYMENT",
        DRS_HISTORY,
        [grant(A, B, {"DRS_UNEMPLOYMENT"}, "1/2023", "4/2023")],
        "2023-12-10",
        "2024-02-01",
        [(A, EXTENSION, SOLE), (B, MANDATE, SOLE), (A, DELEGATION, SOLE)],
    ),
    (
        "R-DEL-3 the extension outlives the ended delegation",
        "DRS_UNEMPLOYMENT",
        DRS_HISTORY,
        [grant(A, B, {"DRS_UNEMPLOYMENT"}, "1/2023", "4/2023", S.CANCELLED)],
        "2023-12-10",
        "2024-02-01",
        [(A, EXTENSION, SOLE), (B, MANDATE, SOLE)],
    ),
    (
        "R-COMP-4 Publiato: the former mandatary for its own period, not the new one",
        "WORK_ACCIDENTS_PUBLIATO",
        PUBLIATO_HISTORY,
        [],
        "2023-06-01",
        "2024-05-10",
        [(A, PUBLIATO, SOLE)],
    ),
    (
        "R-COMP-4 Publiato: the new one for its own period",
        "WORK_ACCIDENTS_PUBLIATO",
        PUBLIATO_HISTORY,
        [],
        "2024-03-01",
        "2024-05-10",
        [(B, MANDATE, SOLE)],
    ),
    (
        "R-COMP-4 Publiato: still running, by mandate",
        "WORK_ACCIDENTS_PUBLIATO",
        PUBLIATO_HISTORY,
        [],
        "2023-06-01",
        "2023-11-10",
        [(A, MANDATE, SOLE)],
    ),
    ("R-COMP-7 no mandate: nobody listed", "PMP", [], [], "2024-05-01", "2024-05-10", []),
    (
        "R-COMP-7 other groups: the holder on that day",
        "PMP",
        [held(A, "PMP", "1/2024")],
        [],
        "2024-05-01",
        "2024-05-10",
        [(A, MANDATE, SOLE)],
    ),
    (
        "R-COMP-7 other groups: not before its start",
        "PMP",
        [held(A, "PMP", "1/2024")],
        [],
        "2023-12-31",
        "2024-05-10",
        [],
    ),
    (
        "R-LIFE-5 a group without effect gives no competence",
        "PMP",
        [held(A, "PMP", "1/2024", effective=False)],
        [],
        "2024-05-01",
        "2024-05-10",
        [],
    ),
]


@pytest.mark.parametrize(
    ("rule", "code", "holdings", "grants", "on", "today", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_r_comp_7_who_may_act_and_why(rule, code, holdings, grants, on, today, expected):
    found = competent(CATALOGUE.get(code), holdings, grants, day(on), day(today))
    assert [(c.mandatary_id, c.via, c.role) for c in found] == expected


def test_r_comp_6_a_delegate_answers_under_the_main_mandate_and_its_delegation():
    grants = [grant(A, B, {"DMFA"}, "1/2023", "4/2023", key=42)]
    found = competent(CATALOGUE.get("DMFA"), DMFA_HISTORY, grants, day("2023-08-01"), day("2024-05-01"))
    (delegated,) = [c for c in found if c.via is DELEGATION]
    assert (delegated.mandate_id, delegated.delegation_id) == (B * 10, 42)


def test_r_comp_3_each_answer_names_the_mandate_it_rests_on():
    found = competent(CATALOGUE.get("DRS_UNEMPLOYMENT"), DRS_HISTORY, [], day("2023-12-10"), day("2024-02-01"))
    assert [(c.mandatary_id, c.mandate_id, c.delegation_id) for c in found] == [(A, A * 10, None), (B, B * 10, None)]


# (status of the mandate, group, has effect)
EFFECT = [
    (S.ACTIVE, "DMFA", True),
    (S.CLOSED, "DMFA", True),  # over its span, for the past (R-COMP-4, R-COMP-5)
    (S.IDENTIFICATION, "DIMONA", False),  # employer-only: waits for the identification (R-WIDE-6)
    (S.IDENTIFICATION, "BELPARCEL", True),
    (S.PENDING, "PMP", False),  # R-LIFE-5
    (S.TO_BE_FINALISED, "PMP", False),
    (S.TO_BE_VALIDATED, "PMP", False),
    (S.REJECTED, "PMP", False),
    (S.CANCELLED, "PMP", False),  # annulled: as if there had never been a mandate
]


@pytest.mark.parametrize(("status", "code", "expected"), EFFECT)
def test_r_life_5_only_a_finalised_mandate_gives_competence(status, code, expected):
    assert has_effect(status, CATALOGUE.get(code)) is expected
