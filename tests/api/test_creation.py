"""Creation rules through GraphQL (RULES.md §2, §7, §12, §13): what is accepted, what is refused and with which code.

The places and the change of provider (R-UNQ-4/6/10..13, R-EXP-4, R-CHG-1/3..5/8) are proved on the use
cases themselves: tests/usecases/test_places.py.

Today is 2024-05-10 (month 2 of 2/2024) unless a test moves the clock.
"""

from __future__ import annotations

import datetime as dt

from tests.api.helpers import (
    BOULANGERIE,
    CEASED,
    COOP,
    LOGISTIQUE,
    NO_STAFF,
    PROVIDER,
    PROVIDER2,
    SSA,
    SSA_NUMBER,
    active,
    codes,
    create,
    created,
)


async def test_r_cre_2_creation_registers_a_mandate_to_be_finalised_with_a_reference(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    assert mandate["status"] == "TO_BE_FINALISED"  # R-LIFE-2
    assert mandate["signatures"] == []
    assert mandate["reference"] == "M2024-1"
    assert mandate["finaliseBefore"] == "2024-07-09"  # creation + 60 days (R-EXP-1)
    assert mandate["encoder"] == "PRINCIPAL"


async def test_r_cre_1_either_party_encodes_and_the_other_sees_it(api):
    mandate = await created(api, "ssa-signatory", principalNumber=LOGISTIQUE, groups=["SIGEDIS"], startQuarter="3/2024")
    assert mandate["encoder"] == "MANDATARY"
    assert mandate["principal"]["enterpriseNumber"] == LOGISTIQUE
    seen = await api("{ mandates { totalCount edges { node { reference } } } }", as_="employer-director")
    assert [e["node"]["reference"] for e in seen["data"]["mandates"]["edges"]] == [mandate["reference"]]


async def test_r_cre_5_references_are_unique_and_numbered_in_their_series(api):
    first = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    second = await created(api, "employer-manager", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    assert (first["reference"], second["reference"]) == ("M2024-1", "M2024-2")


async def test_r_cre_3_groups_are_required(api):
    payload = await create(api, "employer-director", mandataryNumber=PROVIDER, groups=[], startQuarter="3/2024")
    assert payload["mandate"] is None
    assert payload["userErrors"][0]["code"] == "GROUPS_REQUIRED"
    assert payload["userErrors"][0]["field"] == ["groups"]


async def test_r_clu_1_unknown_group_is_refused(api):
    payload = await create(api, "employer-director", mandataryNumber=PROVIDER, groups=["NOPE"], startQuarter="3/2024")
    assert codes(payload) == ["UNKNOWN_GROUP"]


async def test_r_cre_4_start_at_most_one_year_ahead(api, clock):
    clock.frozen = dt.date(2024, 2, 10)
    ok = await create(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="1/2025")
    assert codes(ok) == []
    late = await create(api, "employer-manager", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="2/2025")
    assert codes(late) == ["START_TOO_FAR_AHEAD"]


async def test_r_ent_7_malformed_enterprise_number_is_refused_and_dots_are_optional(api):
    bad = await create(api, "employer-director", mandataryNumber="0403.170.702", groups=["PMP"], startQuarter="3/2024")
    assert codes(bad) == ["INVALID_ENTERPRISE_NUMBER"]
    assert bad["userErrors"][0]["field"] == ["mandataryNumber"]
    plain = await create(
        api, "employer-director", mandataryNumber=PROVIDER.replace(".", ""), groups=["PMP"], startQuarter="3/2024"
    )
    assert plain["mandate"]["mandatary"]["enterpriseNumber"] == PROVIDER


async def test_r_ent_4_the_mandatary_is_found_by_its_ssa_number(api):
    mandate = await created(api, "employer-director", mandataryNumber=SSA_NUMBER, groups=["PMP"], startQuarter="3/2024")
    assert mandate["mandatary"]["enterpriseNumber"] == SSA


async def test_r_ent_5_the_principal_is_found_by_its_nsso_number(api):
    nsso = (await api('{ enterprise(number: "%s") { nssoNumber } }' % LOGISTIQUE, as_="provider-signatory"))["data"][
        "enterprise"
    ]["nssoNumber"]
    mandate = await created(api, "provider-signatory", principalNumber=nsso, groups=["PMP"], startQuarter="3/2024")
    assert mandate["principal"]["enterpriseNumber"] == LOGISTIQUE


async def test_r_ent_3_an_ssa_mandate_records_its_branch_and_refuses_another_ssas(api):
    mandate = await created(
        api, "employer-director", mandataryNumber=SSA, branchCode="BRU", groups=["PMP"], startQuarter="3/2024"
    )
    assert mandate["branch"] == {"code": "BRU"}
    wrong = await create(
        api, "employer-manager", mandataryNumber=SSA, branchCode="XXX", groups=["PMP"], startQuarter="3/2024"
    )
    assert codes(wrong) == ["INVALID_BRANCH"]


async def test_r_ent_12_only_a_service_provider_can_be_mandatary(api):
    payload = await create(api, "employer-director", mandataryNumber=BOULANGERIE, groups=["PMP"], startQuarter="3/2024")
    assert codes(payload) == ["NOT_A_SERVICE_PROVIDER"]


async def test_r_ent_8_unknown_and_inactive_enterprises_and_periods_outside_activity(api, clock):
    unknown = await create(
        api, "employer-director", mandataryNumber="0403.170.701", groups=["PMP"], startQuarter="3/2024"
    )
    assert codes(unknown) == ["ENTERPRISE_NOT_FOUND"]
    # CEASED is active until 2025-06-30: an open-ended mandate would outlast it; after that day it is inactive.
    outlasting = await create(api, "provider-signatory", principalNumber=CEASED, groups=["PMP"], startQuarter="3/2024")
    assert codes(outlasting) == ["PERIOD_OUTSIDE_ACTIVITY"]
    clock.frozen = dt.date(2025, 8, 1)
    ceased = await create(api, "provider-signatory", principalNumber=CEASED, groups=["PMP"], startQuarter="4/2025")
    assert codes(ceased) == ["ENTERPRISE_INACTIVE"]
    clock.frozen = dt.date(2024, 5, 10)
    # PROVIDER2 is active from 2024-02-15: 4/2023 is outside, 1/2024 inside (compared per quarter).
    before = await create(api, "employer-director", mandataryNumber=PROVIDER2, groups=["PMP"], startQuarter="4/2023")
    assert codes(before) == ["PERIOD_OUTSIDE_ACTIVITY"]
    inside = await create(api, "employer-director", mandataryNumber=PROVIDER2, groups=["PMP"], startQuarter="1/2024")
    assert codes(inside) == []


async def test_r_unq_5_master_and_secondary_dimona(api):
    master = await active(api, LOGISTIQUE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "1/2024")
    secondary = await active(api, LOGISTIQUE, SSA, ["DIMONA"], "3/2024")
    roles = {g["group"]["code"]: g["role"] for g in master["groups"]}
    assert roles == {"DMFA": "SOLE", "DIMONA": "MASTER", "FLEXI": "MASTER"}
    assert secondary["groups"][0]["role"] == "SECONDARY"
    # R-UNQ-2: both hold DIMONA; the master is untouched by the secondary.
    result = await api('{ mandate(reference: "%s") { endQuarter } }' % master["reference"], as_="employer-director")
    assert result["data"]["mandate"]["endQuarter"] is None


async def test_r_wide_6_company_without_staff_with_employer_groups_awaits_identification(api):
    mandate = await active(api, NO_STAFF, PROVIDER, ["DIMONA", "BELPARCEL"], "3/2024")
    assert mandate["status"] == "IDENTIFICATION"
    other = await active(api, COOP, PROVIDER, ["BELPARCEL"], "3/2024")
    assert other["status"] == "ACTIVE"


async def test_r_ent_2_both_kinds_of_service_provider_can_be_mandatary(api):
    provider = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    ssa = await created(api, "employer-director", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="3/2024")
    kinds = {}
    for mandate in (provider, ssa):
        result = await api(
            '{ mandate(reference: "%s") { mandatary { enterpriseNumber kinds } } }' % mandate["reference"],
            as_="employer-director",
        )
        kinds[result["data"]["mandate"]["mandatary"]["enterpriseNumber"]] = result["data"]["mandate"]["mandatary"][
            "kinds"
        ]
    assert "SERVICE_PROVIDER" in kinds[PROVIDER]
    assert "SOCIAL_SECRETARIAT" in kinds[SSA]
