"""Places in a group and the catalogue: R-UNQ-1..13, R-CHG-1..5, R-EXP-4, R-CLU-1..9
(models/places.py, models/catalogue.py), on groups built from the real catalogue file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from config.catalogue import load_catalogue
from config.messages import render
from models.catalogue import RoleScheme
from models.errors import ErrorCode, RuleViolation
from models.places import GroupRole, Holding, Replacement, new_role, plan_places, role_on, role_spans
from models.quarter import Quarter

CATALOGUE = load_catalogue(Path(__file__).resolve().parents[2] / "config" / "reference" / "application_groups.json")
MASTER, SECONDARY, SOLE = GroupRole.MASTER, GroupRole.SECONDARY, GroupRole.SOLE
MS = RoleScheme.MASTER_SECONDARY

# Mandataries and their mandates.
A, B, C = 1, 2, 3
MANDATE_A, MANDATE_B, MANDATE_C = 10, 20, 30

TODAY = dt.date(2024, 5, 10)  # T = 2/2024, month 2


def q(text: str | None) -> Quarter | None:
    return Quarter.parse(text) if text else None


def groups(*codes: str):
    return [CATALOGUE.get(code) for code in codes]


def holding(mandate, mandatary, group, start, end=None, *, effective=True, master=None) -> Holding:
    """A place-holding group; `master` = the (start, end) of the DmfA of the same mandate."""
    master_span = (q(master[0]), q(master[1])) if master else None
    return Holding(mandate, mandatary, group, q(start), q(end), effective, master_span)


def full_dmfa(mandate, mandatary, start, dmfa_end=None, *, effective=True):
    """A DMFA+DIMONA+FLEXI mandate: Dimona and Flexi are master while the DmfA runs (R-UNQ-5)."""
    master = (start, dmfa_end)
    return [
        holding(mandate, mandatary, "DMFA", start, dmfa_end, effective=effective),
        holding(mandate, mandatary, "DIMONA", start, effective=effective, master=master),
        holding(mandate, mandatary, "FLEXI", start, effective=effective, master=master),
    ]


def refused(code: ErrorCode, *args, **kwargs) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        plan_places(*args, **kwargs)
    assert caught.value.code is code, caught.value
    return caught.value


SINGLE_GROUPS = [g.code for g in CATALOGUE if g.max_mandataries == 1]
DRS_GROUPS = ["DRS_UNEMPLOYMENT", "DRS_BENEFITS", "DRS_WORK_ACCIDENTS"]


# R-UNQ-1, R-CLU-5, R-CHG-2, R-CHG-3 --------------------------------------------------------------


@pytest.mark.parametrize("code", SINGLE_GROUPS)
def test_r_unq_1_r_clu_5_single_group_change_replaces_the_holder_at_s_minus_1(code):
    """R-UNQ-1, R-CLU-5, R-CHG-3: every single-mandatary group is replaced on a valid change."""
    plan = plan_places(groups(code), B, q("3/2024"), [holding(MANDATE_A, A, code, "1/2020")], TODAY)
    assert plan == [Replacement(MANDATE_A, code, q("2/2024"))]


def test_r_chg_2_replaced_group_ends_the_day_before_the_new_start():
    start = q("3/2024")
    (replacement,) = plan_places(groups("PMP"), B, start, [holding(MANDATE_A, A, "PMP", "1/2020")], TODAY)
    assert start.first_day == dt.date(2024, 7, 1)
    assert replacement.end.last_day == dt.date(2024, 6, 30)
    assert replacement.end.last_day + dt.timedelta(days=1) == start.first_day


@pytest.mark.parametrize("start", ["3/2024", "1/2025", "2/2024"])
def test_r_exp_4_r_unq_1_in_flight_holder_reserves_the_single_place(start):
    """R-EXP-4, R-UNQ-1, R-UNQ-12: another mandatary's unfinalised mandate keeps the place."""
    held = [holding(MANDATE_A, A, "PMP", "1/2024", effective=False)]
    error = refused(ErrorCode.SINGLE_MANDATARY_TAKEN, groups("PMP"), B, q(start), held, dt.date(2024, 4, 10))
    assert error.field == ("groups",)


@pytest.mark.parametrize(
    ("held_start", "held_end", "start", "expected"),
    [
        ("1/2020", None, "3/2024", "2/2024"),  # open holder: ends at S-1
        ("1/2020", "4/2024", "3/2024", "2/2024"),  # future end cut back to S-1
        ("1/2020", "2/2024", "3/2024", None),  # already ends at S-1: nothing to do
        ("1/2020", "4/2023", "3/2024", None),  # already ends earlier: nothing to do
        ("3/2024", None, "3/2024", ErrorCode.SINGLE_MANDATARY_TAKEN),  # starts at S: not voided
        ("4/2024", "4/2025", "3/2024", ErrorCode.SINGLE_MANDATARY_TAKEN),  # starts after S
        ("1/2025", None, "4/2024", ErrorCode.SINGLE_MANDATARY_TAKEN),
    ],
)
def test_r_chg_2_r_chg_3_replacement_table(held_start, held_end, start, expected):
    held = [holding(MANDATE_A, A, "PMP", held_start, held_end)]
    if isinstance(expected, ErrorCode):
        refused(expected, groups("PMP"), B, q(start), held, TODAY)
    else:
        plan = plan_places(groups("PMP"), B, q(start), held, TODAY)
        assert plan == ([Replacement(MANDATE_A, "PMP", q(expected))] if expected else [])


# R-CHG-4, R-CHG-5 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "start", "expected"),
    [
        (dt.date(2024, 4, 1), "2/2024", "1/2024"),  # month 1: S = T allowed, A ends at T-1
        (dt.date(2024, 4, 20), "2/2024", "1/2024"),
        (dt.date(2024, 4, 30), "2/2024", "1/2024"),
        (dt.date(2024, 1, 15), "1/2024", "4/2023"),  # across the year
        (dt.date(2024, 5, 1), "2/2024", ErrorCode.RETROACTIVE_START_NOT_ALLOWED),  # month 2
        (dt.date(2024, 5, 2), "2/2024", ErrorCode.RETROACTIVE_START_NOT_ALLOWED),
        (dt.date(2024, 6, 30), "2/2024", ErrorCode.RETROACTIVE_START_NOT_ALLOWED),  # month 3
        (dt.date(2024, 4, 10), "1/2024", ErrorCode.RETROACTIVE_START_NOT_ALLOWED),  # S < T
        (dt.date(2024, 4, 10), "3/2023", ErrorCode.RETROACTIVE_START_NOT_ALLOWED),
        (dt.date(2024, 5, 10), "3/2024", "2/2024"),  # S = T+1: always fine
        (dt.date(2024, 6, 30), "2/2025", "1/2025"),
    ],
)
def test_r_chg_4_r_chg_5_change_of_provider_windows(day, start, expected):
    """R-CHG-4 (S = T during month 1 only), R-CHG-5 (no other retroactivity)."""
    held = [holding(MANDATE_A, A, "PMP", "1/2020")]
    if isinstance(expected, ErrorCode):
        error = refused(expected, groups("PMP"), B, q(start), held, day)
        assert error.field == ("startQuarter",)
    else:
        assert plan_places(groups("PMP"), B, q(start), held, day) == [Replacement(MANDATE_A, "PMP", q(expected))]


def test_r_chg_5_dmfa_change_with_s_before_t_is_refused():
    """R-CHG-5 example: A's open DMFA, today 2024-04-10, B's DMFA+DIMONA+FLEXI with S=1/2024."""
    refused(
        ErrorCode.RETROACTIVE_START_NOT_ALLOWED,
        groups("DMFA", "DIMONA", "FLEXI"),
        B,
        q("1/2024"),
        full_dmfa(MANDATE_A, A, "1/2020"),
        dt.date(2024, 4, 10),
    )


# R-CHG-1 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "start"),
    [
        ([], "1/2018"),  # no previous provider at all
        ([], "1/2000"),
        ([holding(MANDATE_A, A, "DIMONA", "1/2015")], "1/2018"),  # another group does not matter
        ([holding(MANDATE_A, A, "SIGEDIS", "1/2015", "4/2017")], "1/2018"),  # ended before S
        ([holding(MANDATE_A, A, "SIGEDIS", "1/2010", "4/2023")], "1/2024"),  # ended before S (month 2)
    ],
)
def test_r_chg_1_no_other_holder_allows_any_past_start(held, start):
    assert plan_places(groups("SIGEDIS"), B, q(start), held, TODAY) == []


def test_r_chg_1_a_holder_in_s_to_t_minus_1_blocks_the_retroactive_start():
    """R-CHG-1: judged per group over [S, T-1]; A held SIGEDIS in 2019, so S=1/2018 is retroactive."""
    held = [holding(MANDATE_A, A, "SIGEDIS", "1/2019", "4/2019")]
    refused(ErrorCode.RETROACTIVE_START_NOT_ALLOWED, groups("SIGEDIS"), B, q("1/2018"), held, TODAY)


# R-UNQ-5, R-UNQ-7, R-UNQ-8: roles derived from the DmfA span -------------------------------------


@pytest.mark.parametrize("code", ["DIMONA", "FLEXI"])
@pytest.mark.parametrize(
    ("start", "end", "master", "spans"),
    [
        ("1/2024", None, ("1/2024", None), [(MASTER, "1/2024", None)]),
        ("1/2024", None, None, [(SECONDARY, "1/2024", None)]),
        ("1/2024", "4/2024", ("1/2024", None), [(MASTER, "1/2024", "4/2024")]),
        # R-UNQ-7: DmfA ended at E=2/2024, the Dimona goes on as secondary from E+1.
        ("1/2024", None, ("1/2024", "2/2024"), [(MASTER, "1/2024", "2/2024"), (SECONDARY, "3/2024", None)]),
        ("1/2023", None, ("1/2024", None), [(SECONDARY, "1/2023", "4/2023"), (MASTER, "1/2024", None)]),
        (
            "1/2023",
            None,
            ("1/2024", "2/2024"),
            [(SECONDARY, "1/2023", "4/2023"), (MASTER, "1/2024", "2/2024"), (SECONDARY, "3/2024", None)],
        ),
        ("1/2025", None, ("1/2023", "4/2024"), [(SECONDARY, "1/2025", None)]),  # DmfA over before it starts
    ],
)
def test_r_unq_5_r_unq_7_r_unq_8_role_spans_from_the_dmfa_span(code, start, end, master, spans):
    scheme = CATALOGUE.get(code).roles
    assert scheme is MS
    master_span = (q(master[0]), q(master[1])) if master else None
    assert role_spans(scheme, q(start), q(end), master_span) == [(r, q(s), q(e)) for r, s, e in spans]


@pytest.mark.parametrize("code", ["DMFA", "PMP", "DRS_UNEMPLOYMENT"])
def test_r_unq_5_sole_groups_have_no_master_or_secondary(code):
    scheme = CATALOGUE.get(code).roles
    assert role_spans(scheme, q("1/2024"), None, (q("1/2024"), None)) == [(SOLE, q("1/2024"), None)]


@pytest.mark.parametrize("code", ["DIMONA", "FLEXI"])
@pytest.mark.parametrize(
    ("start", "end", "master", "on", "role"),
    [
        ("1/2024", None, ("1/2024", "2/2024"), "1/2024", MASTER),
        ("1/2024", None, ("1/2024", "2/2024"), "2/2024", MASTER),
        ("1/2024", None, ("1/2024", "2/2024"), "3/2024", SECONDARY),  # R-UNQ-7: from E+1
        ("1/2024", None, ("1/2024", "2/2024"), "1/2030", SECONDARY),
        ("1/2024", None, ("1/2024", "2/2024"), "4/2023", MASTER),  # before the start: first role
        ("1/2023", "4/2024", ("1/2024", None), "1/2026", MASTER),  # after the end: last role
        ("1/2023", "4/2024", ("1/2024", None), "2/2023", SECONDARY),
        ("1/2024", None, None, "1/2024", SECONDARY),
    ],
)
def test_r_unq_7_role_on_a_quarter(code, start, end, master, on, role):
    master_span = (q(master[0]), q(master[1])) if master else None
    assert role_on(CATALOGUE.get(code).roles, q(start), q(end), master_span, q(on)) is role


@pytest.mark.parametrize(
    ("code", "codes", "role"),
    [
        ("DIMONA", {"DMFA", "DIMONA", "FLEXI"}, MASTER),
        ("FLEXI", {"DMFA", "DIMONA", "FLEXI"}, MASTER),
        ("DIMONA", {"DIMONA"}, SECONDARY),
        ("FLEXI", {"DIMONA", "FLEXI", "PMP"}, SECONDARY),
        ("DMFA", {"DMFA", "DIMONA", "FLEXI"}, SOLE),
        ("PMP", {"PMP"}, SOLE),
    ],
)
def test_r_unq_5_r_unq_8_new_group_takes_master_only_beside_dmfa(code, codes, role):
    requires = {c: CATALOGUE.get(c).requires for c in codes}
    assert new_role(CATALOGUE.get(code), codes, requires) is role


# R-UNQ-2, R-UNQ-6 ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["DIMONA", "FLEXI"])
def test_r_unq_2_secondary_beside_the_master_needs_no_replacement(code):
    held = full_dmfa(MANDATE_A, A, "1/2020")
    assert plan_places(groups(code), B, q("3/2024"), held, TODAY) == []


@pytest.mark.parametrize("code", ["DIMONA", "FLEXI"])
def test_r_unq_6_new_secondary_replaces_the_secondary_never_the_master(code):
    """R-UNQ-6, R-UNQ-8: master A and secondary B; C's secondary with S=T+1 ends B's group at T only."""
    held = full_dmfa(MANDATE_A, A, "1/2020") + [holding(MANDATE_B, B, code, "1/2022")]
    plan = plan_places(groups(code), C, q("3/2024"), held, TODAY)
    assert plan == [Replacement(MANDATE_B, code, q("2/2024"))]


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (dt.date(2024, 5, 10), "3/2024"),  # A's Dimona turns secondary at 3/2024 = S
        (dt.date(2024, 4, 10), "2/2024"),  # A's Dimona is still master in 2/2024: never cut (R-UNQ-9)
    ],
)
def test_r_unq_6_r_unq_7_master_turning_secondary_is_not_cut(day, start):
    """R-UNQ-6, R-UNQ-7, R-UNQ-9, R-CHG-3: A closed its DmfA at 2/2024 and keeps Dimona (secondary from
    3/2024). C's new secondary cannot end A's Dimona while it is master, nor void A's secondary place
    that starts at or after S: refused."""
    held = full_dmfa(MANDATE_A, A, "1/2020", dmfa_end="2/2024")
    error = refused(ErrorCode.SINGLE_MANDATARY_TAKEN, groups("DIMONA"), C, q(start), held, day)
    assert "3/2024" in render("en", error)


def test_r_unq_7_former_master_is_an_ordinary_secondary_once_its_dmfa_ended():
    """R-UNQ-7, R-UNQ-6: A's DmfA ended at 4/2023; its Dimona is secondary and is replaced like one."""
    held = full_dmfa(MANDATE_A, A, "1/2020", dmfa_end="4/2023")
    held = [h for h in held if h.group != "DMFA"]  # the ended DmfA no longer holds a place
    assert plan_places(groups("DIMONA"), C, q("3/2024"), held, TODAY) == [Replacement(MANDATE_A, "DIMONA", q("2/2024"))]


# R-UNQ-10 --------------------------------------------------------------------------------------


def test_r_unq_10_new_dmfa_mandatary_takes_over_the_master_groups():
    """R-UNQ-10, R-UNQ-3: A's DMFA and master DIMONA/FLEXI end at T; C's secondary is untouched."""
    held = full_dmfa(MANDATE_A, A, "1/2020") + [holding(MANDATE_C, C, "DIMONA", "1/2022")]
    plan = plan_places(groups("DMFA", "DIMONA", "FLEXI"), B, q("3/2024"), held, TODAY)
    assert sorted(plan, key=lambda r: r.group) == [
        Replacement(MANDATE_A, "DIMONA", q("2/2024")),
        Replacement(MANDATE_A, "DMFA", q("2/2024")),
        Replacement(MANDATE_A, "FLEXI", q("2/2024")),
    ]


def test_r_unq_10_the_new_master_ends_its_own_secondary_groups():
    """R-UNQ-10, R-UNQ-13: B held the secondary Dimona and Flexi; taking the master place ends them too."""
    held = full_dmfa(MANDATE_A, A, "1/2020") + [
        holding(MANDATE_B, B, "DIMONA", "1/2022"),
        holding(MANDATE_B, B, "FLEXI", "1/2022"),
    ]
    plan = plan_places(groups("DMFA", "DIMONA", "FLEXI"), B, q("3/2024"), held, TODAY)
    assert sorted(plan, key=lambda r: (r.mandate_id, r.group)) == [
        Replacement(MANDATE_A, "DIMONA", q("2/2024")),
        Replacement(MANDATE_A, "DMFA", q("2/2024")),
        Replacement(MANDATE_A, "FLEXI", q("2/2024")),
        Replacement(MANDATE_B, "DIMONA", q("2/2024")),
        Replacement(MANDATE_B, "FLEXI", q("2/2024")),
    ]


def test_r_unq_10_first_dmfa_mandatary_with_a_free_master_place():
    """R-UNQ-10, R-CHG-1: no DmfA yet; a third party's secondary Dimona stays."""
    held = [holding(MANDATE_C, C, "DIMONA", "1/2022")]
    assert plan_places(groups("DMFA", "DIMONA", "FLEXI"), B, q("1/2021"), held, TODAY) == []


def test_r_unq_10_in_flight_own_secondary_is_a_duplicate():
    """R-UNQ-10, R-UNQ-13: the take-over applies only to an effective own secondary started before S."""
    held = [holding(MANDATE_B, B, "DIMONA", "1/2024", effective=False)]
    refused(ErrorCode.DUPLICATE_MANDATE, groups("DMFA", "DIMONA", "FLEXI"), B, q("3/2024"), held, TODAY)


# R-UNQ-11 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", DRS_GROUPS)
def test_r_unq_11_drs_maximum_reached_is_refused_naming_the_limit(code):
    """R-UNQ-11, R-UNQ-12: two holders (one effective, one in flight) fill the default maximum of 2."""
    held = [holding(MANDATE_A, A, code, "1/2020"), holding(MANDATE_C, C, code, "1/2024", effective=False)]
    error = refused(ErrorCode.MAX_MANDATARIES_REACHED, groups(code), B, q("3/2024"), held, TODAY)
    assert "maximum of 2" in render("en", error)
    assert "closed" in render("en", error)


@pytest.mark.parametrize(
    ("held", "start", "ok"),
    [
        ([("1/2020", None)], "3/2024", True),  # one holder: room for a second, no replacement
        ([("1/2020", None), ("1/2020", "2/2024")], "3/2024", True),  # the second ended before S
        ([("1/2020", None), ("1/2020", "3/2024")], "3/2024", False),
        ([("1/2020", None), ("1/2025", None)], "3/2024", False),  # full from 1/2025 on
        ([("1/2020", "4/2024"), ("1/2025", None)], "3/2024", True),  # never two at once
        ([("1/2020", None), ("1/2020", None)], "1/2015", False),
    ],
)
def test_r_unq_11_drs_maximum_counts_overlapping_holders_only(held, start, ok):
    holdings = [holding(100 + i, 100 + i, "DRS_BENEFITS", s, e) for i, (s, e) in enumerate(held)]
    if ok:
        assert plan_places(groups("DRS_BENEFITS"), B, q(start), holdings, TODAY) == []
    else:
        refused(ErrorCode.MAX_MANDATARIES_REACHED, groups("DRS_BENEFITS"), B, q(start), holdings, TODAY)


@pytest.mark.parametrize("code", DRS_GROUPS)
def test_r_unq_11_drs_never_replaced_on_change(code):
    """R-UNQ-11, R-CHG-3: replaced_on_change is False, so even a retroactive DRS start replaces no one."""
    assert CATALOGUE.get(code).replaced_on_change is False
    held = [holding(MANDATE_A, A, code, "1/2020")]
    assert plan_places(groups(code), B, q("3/2024"), held, TODAY) == []
    assert plan_places(groups(code), B, q("1/2021"), held, TODAY) == []


# R-UNQ-13 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "codes", "start"),
    [
        ([holding(MANDATE_A, A, "PMP", "1/2024")], ("PMP",), "3/2024"),
        ([holding(MANDATE_A, A, "PMP", "3/2024", effective=False)], ("PMP",), "1/2024"),
        ([holding(MANDATE_A, A, "DIMONA", "1/2024")], ("DIMONA",), "3/2024"),  # the R-UNQ-13 example
        (full_dmfa(MANDATE_A, A, "1/2020"), ("DIMONA",), "3/2024"),  # master and secondary at once
        (full_dmfa(MANDATE_A, A, "1/2020"), ("DMFA", "DIMONA", "FLEXI"), "3/2024"),
        ([holding(MANDATE_A, A, "DRS_UNEMPLOYMENT", "1/2020")], ("DRS_UNEMPLOYMENT",), "3/2024"),
    ],
)
def test_r_unq_13_same_mandatary_twice_is_a_duplicate(held, codes, start):
    error = refused(ErrorCode.DUPLICATE_MANDATE, groups(*codes), A, q(start), held, TODAY)
    assert error.field == ("groups",)


def test_r_unq_13_own_group_ended_before_s_is_no_duplicate():
    held = [holding(MANDATE_A, A, "PMP", "1/2020", "2/2024")]
    assert plan_places(groups("PMP"), A, q("3/2024"), held, TODAY) == []


# Catalogue (R-CLU-*) ---------------------------------------------------------------------------

SEED_GROUPS = {
    "SOCIAL_SECURITY": ["Dimona", "DMFA", "Services internationaux", "Flexi At Work"],
    "SOCIAL_RISKS": [
        "DRS Chômage",
        "DRS Indemnités",
        "DRS Accidents du travail",
        "Chômage temporaire",
        "Accidents du travail-Publiato",
    ],
    "OTHER": [
        "Sigedis",
        "Guichet unique WIB",
        "WITA amateur",
        "Compte fédéral de formation",
        "BELparcel",
        "PMP",
        "Déclarations de travaux",
    ],
}


def test_r_clu_2_r_clu_3_sixteen_groups_in_three_categories():
    assert len(list(CATALOGUE)) == 16
    by_category: dict[str, list[str]] = {}
    for group in CATALOGUE:
        by_category.setdefault(group.category, []).append(group.name_fr)
    assert by_category == SEED_GROUPS
    assert "WORK_ACCIDENTS_PUBLIATO" in CATALOGUE and "WORKS_DECLARATIONS" in CATALOGUE


def test_r_clu_1_each_group_lists_its_applications():
    assert all(group.applications for group in CATALOGUE)
    assert CATALOGUE.get("NOT_A_GROUP") is None and "NOT_A_GROUP" not in CATALOGUE


def test_r_clu_1_a_stored_group_code_reads_its_group_and_an_unknown_one_is_a_bug():
    """`catalogue[code]` is for codes the registry stored: it never yields None to the rules."""
    assert CATALOGUE["DMFA"] is CATALOGUE.get("DMFA")
    with pytest.raises(KeyError):
        CATALOGUE["NOT_A_GROUP"]


@pytest.mark.parametrize(
    ("code", "maximum", "roles"),
    [
        ("DMFA", 1, RoleScheme.SOLE),
        ("DIMONA", 2, MS),
        ("FLEXI", 2, MS),
        ("DRS_UNEMPLOYMENT", 2, RoleScheme.SOLE),
        ("DRS_BENEFITS", 2, RoleScheme.SOLE),
        ("DRS_WORK_ACCIDENTS", 2, RoleScheme.SOLE),
        *[
            (code, 1, RoleScheme.SOLE)
            for code in (
                "INTERNATIONAL_SERVICES",
                "TEMPORARY_UNEMPLOYMENT",
                "WORK_ACCIDENTS_PUBLIATO",
                "SIGEDIS",
                "WIB_SINGLE_WINDOW",
                "WITA_AMATEUR",
                "FEDERAL_LEARNING_ACCOUNT",
                "BELPARCEL",
                "PMP",
                "WORKS_DECLARATIONS",
            )
        ],
    ],
)
def test_r_clu_4_r_clu_5_multiplicity_per_group(code, maximum, roles):
    group = CATALOGUE.get(code)
    assert (group.max_mandataries, group.roles) == (maximum, roles)
    assert group.replaced_on_change is (code not in DRS_GROUPS)


def test_r_unq_4_dmfa_requires_dimona_and_flexi_in_the_catalogue():
    assert {g.code: set(g.requires) for g in CATALOGUE if g.requires} == {"DMFA": {"DIMONA", "FLEXI"}}


def test_r_clu_6_employer_only_groups_are_social_security_and_social_risks():
    assert {g.code for g in CATALOGUE if g.employer_only} == {
        g.code for g in CATALOGUE if g.category in ("SOCIAL_SECURITY", "SOCIAL_RISKS")
    }


def test_r_clu_7_r_del_4_publiato_is_the_only_group_not_delegable():
    assert [g.code for g in CATALOGUE if not g.delegable] == ["WORK_ACCIDENTS_PUBLIATO"]
    assert CATALOGUE.get("WORK_ACCIDENTS_PUBLIATO").publiato_period is True


def test_r_clu_8_exactly_three_groups_flagged_nsso_initiator():
    assert {g.code for g in CATALOGUE if g.nsso_initiator} == {"WORKS_DECLARATIONS", "WIB_SINGLE_WINDOW", "BELPARCEL"}


def test_r_clu_9_technical_extension_one_quarter_for_drs_only():
    assert {g.code: g.technical_extension_quarters for g in CATALOGUE if g.technical_extension_quarters} == {
        code: 1 for code in DRS_GROUPS
    }


@pytest.mark.parametrize(
    ("codes", "error"),
    [
        ([], ErrorCode.GROUPS_REQUIRED),
        (["PMP", "NOPE"], ErrorCode.UNKNOWN_GROUP),
        (["pmp"], ErrorCode.UNKNOWN_GROUP),
        (["PMP", "PMP"], ErrorCode.INVALID_INPUT),
    ],
)
def test_r_cre_3_r_clu_1_catalogue_resolve_errors(codes, error):
    with pytest.raises(RuleViolation) as caught:
        CATALOGUE.resolve(codes)
    assert caught.value.code is error
    assert caught.value.field == ("groups",)
    if error is ErrorCode.UNKNOWN_GROUP:
        assert codes[-1] in render("en", caught.value)


def test_r_clu_1_catalogue_resolve_keeps_the_requested_order():
    assert [g.code for g in CATALOGUE.resolve(["PMP", "DMFA", "DIMONA"])] == ["PMP", "DMFA", "DIMONA"]
