"""The mandate search `mandates` (RULES.md §25): who sees what, the criteria and how they combine, the
sortable columns and the pages.

Today is 2024-05-10 (2/2024) unless a test moves the clock.
"""

from __future__ import annotations

import datetime as dt

from tests.api.helpers import (
    BOULANGERIE,
    COOP,
    GARAGE,
    LOGISTIQUE,
    MANDATE_FIELDS,
    PROVIDER,
    PROVIDER2,
    SSA,
    SSA_NUMBER,
    active,
    created,
    error_codes,
    niss,
    sign,
)

SEARCH = """
query($filter: MandateFilter, $orderBy: MandateOrder, $first: Int, $after: String) {
  mandates(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { reference status } }
  }
}"""


async def search(api, as_: str, **variables) -> dict:
    result = await api(SEARCH, variables, as_=as_)
    assert "errors" not in result, result
    return result["data"]["mandates"]


async def references(api, as_: str, **variables) -> list[str]:
    return [edge["node"]["reference"] for edge in (await search(api, as_, **variables))["edges"]]


def order(field: str, direction: str = "ASC") -> dict:
    return {"field": field, "direction": direction}


async def test_r_srch_1_a_viewer_sees_only_its_enterprises_mandates_an_officer_sees_all(api):
    as_principal = await created(
        api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024"
    )
    as_mandatary = await created(
        api, "provider-signatory", principalNumber=BOULANGERIE, groups=["PMP"], startQuarter="3/2024"
    )
    foreign = await created(
        api, "coop-managing-director", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="3/2024"
    )
    assert await references(api, "employer-director") == [as_principal["reference"]]
    assert sorted(await references(api, "provider-signatory")) == sorted(
        [as_principal["reference"], as_mandatary["reference"]]
    )
    assert await references(api, "employer-manager") == [as_mandatary["reference"]]
    assert await references(api, "ssa-signatory") == [foreign["reference"]]
    officer = await search(api, "nsso-officer")
    assert officer["totalCount"] == 3
    # A criterion never widens what a viewer sees.
    assert await references(api, "employer-director", filter={"mandataryNumber": SSA}) == []


async def test_r_srch_2_filter_by_mandatary_company_number_or_ssa_number(api):
    provider = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    ssa = await created(api, "employer-director", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="3/2024")
    assert await references(api, "employer-director", filter={"mandataryNumber": PROVIDER}) == [provider["reference"]]
    assert await references(api, "employer-director", filter={"mandataryNumber": PROVIDER.replace(".", "")}) == [
        provider["reference"]
    ]
    assert await references(api, "employer-director", filter={"mandataryNumber": SSA_NUMBER}) == [ssa["reference"]]
    assert await references(api, "employer-director", filter={"mandataryNumber": SSA}) == [ssa["reference"]]
    # A well-formed number of an enterprise that is not in the registry matches nothing.
    assert (await search(api, "employer-director", filter={"mandataryNumber": "0403.170.701"}))["totalCount"] == 0


async def test_r_srch_2_a_malformed_mandatary_number_is_a_typed_error(api):
    result = await api(SEARCH, {"filter": {"mandataryNumber": "0403.170.702"}}, as_="employer-director")
    assert error_codes(result) == ["INVALID_ENTERPRISE_NUMBER"]


async def test_r_srch_2_filter_by_principal_cbe_or_nsso_number(api):
    logistique = await created(
        api, "provider-signatory", principalNumber=LOGISTIQUE, groups=["PMP"], startQuarter="3/2024"
    )
    await created(api, "provider-signatory", principalNumber=BOULANGERIE, groups=["PMP"], startQuarter="3/2024")
    assert await references(api, "provider-signatory", filter={"principalNumber": LOGISTIQUE}) == [
        logistique["reference"]
    ]
    nsso = (await api('{ enterprise(number: "%s") { nssoNumber } }' % LOGISTIQUE, as_="provider-signatory"))["data"][
        "enterprise"
    ]["nssoNumber"]
    assert await references(api, "provider-signatory", filter={"principalNumber": nsso}) == [logistique["reference"]]


async def test_r_srch_2_filter_by_statuses(api, clock):
    clock.frozen = dt.date(2024, 1, 5)
    lapsed = await created(api, "employer-director", mandataryNumber=SSA, groups=["BELPARCEL"], startQuarter="1/2024")
    clock.frozen = dt.date(2024, 5, 10)
    effective = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    pending = await created(
        api, "employer-director", mandataryNumber=PROVIDER, groups=["SIGEDIS"], startQuarter="3/2024"
    )
    await sign(api, "employer-director", pending["id"])
    fresh = await created(api, "employer-director", mandataryNumber=SSA, groups=["WITA_AMATEUR"], startQuarter="3/2024")
    assert await references(api, "employer-director", filter={"statuses": ["ACTIVE"]}) == [effective["reference"]]
    assert await references(api, "employer-director", filter={"statuses": ["PENDING"]}) == [pending["reference"]]
    # A mandate past its 60 days is CANCELLED before the sweep persists it (R-EXP-2), not TO_BE_FINALISED.
    assert await references(api, "employer-director", filter={"statuses": ["TO_BE_FINALISED"]}) == [fresh["reference"]]
    assert await references(api, "employer-director", filter={"statuses": ["CANCELLED"]}) == [lapsed["reference"]]
    both = await search(api, "employer-director", filter={"statuses": ["ACTIVE", "PENDING"]})
    assert {e["node"]["reference"]: e["node"]["status"] for e in both["edges"]} == {
        effective["reference"]: "ACTIVE",
        pending["reference"]: "PENDING",
    }
    assert (await search(api, "employer-director", filter={"statuses": ["CLOSED", "REJECTED"]}))["totalCount"] == 0


async def test_r_srch_3_groups_and_period_need_the_same_group_valid_in_that_quarter(api):
    """The old mandate keeps SIGEDIS open, but its PMP ends 2/2024 (replaced): it is no PMP mandate for 3/2024."""
    old = await active(api, LOGISTIQUE, PROVIDER, ["PMP", "SIGEDIS"], "1/2024")
    new = await active(api, LOGISTIQUE, SSA, ["PMP"], "3/2024")
    assert await references(api, "employer-director", filter={"groups": ["PMP"], "period": "3/2024"}) == [
        new["reference"]
    ]
    assert await references(api, "employer-director", filter={"groups": ["PMP"], "period": "1/2024"}) == [
        old["reference"]
    ]
    assert await references(api, "employer-director", filter={"groups": ["SIGEDIS"], "period": "3/2024"}) == [
        old["reference"]
    ]
    assert sorted(await references(api, "employer-director", filter={"period": "3/2024"})) == sorted(
        [old["reference"], new["reference"]]
    )
    assert await references(api, "employer-director", filter={"period": "4/2023"}) == []
    # OR inside a criterion, AND between criteria.
    assert sorted(await references(api, "employer-director", filter={"groups": ["PMP", "SIGEDIS"]})) == sorted(
        [old["reference"], new["reference"]]
    )
    combined = {"groups": ["PMP"], "statuses": ["ACTIVE"], "mandataryNumber": SSA_NUMBER, "period": "4/2024"}
    assert await references(api, "employer-director", filter=combined) == [new["reference"]]
    assert await references(api, "employer-director", filter={**combined, "mandataryNumber": PROVIDER}) == []


async def test_r_srch_4_no_criteria_returns_every_mandate_in_every_status(api, clock):
    clock.frozen = dt.date(2024, 1, 5)
    await created(
        api, "employer-director", mandataryNumber=SSA, groups=["BELPARCEL"], startQuarter="1/2024"
    )  # lapses: CANCELLED
    clock.frozen = dt.date(2024, 5, 10)
    await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    pending = await created(
        api, "provider-signatory", principalNumber=LOGISTIQUE, groups=["SIGEDIS"], startQuarter="3/2024"
    )
    await sign(api, "provider-signatory", pending["id"])
    await created(api, "employer-director", mandataryNumber=SSA, groups=["WITA_AMATEUR"], startQuarter="3/2024")
    await created(
        api, "employer-director", mandataryNumber=PROVIDER2, groups=["FEDERAL_LEARNING_ACCOUNT"], startQuarter="3/2024"
    )
    everything = await search(api, "employer-director")
    assert everything["totalCount"] == 5
    assert sorted(e["node"]["status"] for e in everything["edges"]) == [
        "ACTIVE",
        "CANCELLED",
        "PENDING",
        "TO_BE_FINALISED",
        "TO_BE_FINALISED",
    ]
    assert (await search(api, "employer-director", filter={}))["totalCount"] == 5


async def test_r_srch_7_newest_first_by_default(api, clock):
    made = []
    for day, (mandatary, group) in zip((8, 9, 10), ((PROVIDER, "PMP"), (SSA, "SIGEDIS"), (PROVIDER2, "WITA_AMATEUR"))):
        clock.frozen = dt.date(2024, 5, day)
        made.append(
            (await created(api, "employer-director", mandataryNumber=mandatary, groups=[group], startQuarter="3/2024"))[
                "reference"
            ]
        )
    assert await references(api, "employer-director") == made[::-1]
    assert await references(api, "employer-director", orderBy=order("CREATED_AT", "DESC")) == made[::-1]
    assert await references(api, "employer-director", orderBy=order("CREATED_AT", "ASC")) == made


async def test_r_srch_8_references_sort_by_series_then_number(api, clock):
    clock.frozen = dt.date(2023, 6, 1)
    old = await created(api, "provider-signatory", principalNumber=LOGISTIQUE, groups=["PMP"], startQuarter="3/2023")
    assert old["reference"] == "M2023-1"
    clock.frozen = dt.date(2024, 5, 10)
    made = []
    for principal in (LOGISTIQUE, BOULANGERIE, COOP, GARAGE):
        for group in ("PMP", "SIGEDIS", "WITA_AMATEUR"):
            if len(made) < 10:
                made.append(
                    (
                        await created(
                            api, "provider-signatory", principalNumber=principal, groups=[group], startQuarter="3/2024"
                        )
                    )["reference"]
                )
    assert made[8:] == ["M2024-9", "M2024-10"]
    expected = ["M2023-1"] + [f"M2024-{n}" for n in range(1, 11)]
    ascending = await references(api, "provider-signatory", orderBy=order("REFERENCE", "ASC"))
    assert ascending == expected  # plain text order would put M2024-10 right after M2024-1
    assert await references(api, "provider-signatory", orderBy=order("REFERENCE", "DESC")) == expected[::-1]


async def columns_dataset(api, clock) -> dict[str, str]:
    """Seven mandates over three principals and three mandataries, in several statuses, with and without ends.

    g: Coop/SSA BELPARCEL 1/2024, lapsed (CANCELLED)   a: Logistique/Payroll SIGEDIS 1/2024, ends 2/2024
    c: Boulangerie/Payroll PMP 1/2024, ends 3/2024     b: Logistique/SSA SIGEDIS 3/2024 (replaces a)
    d: Boulangerie/HR Namur PMP 4/2024 (replaces c)     e: Coop/Payroll PMP 3/2024, to be finalised
    f: Logistique/HR Namur WITA_AMATEUR 1/2025, pending
    """
    m = {}
    clock.frozen = dt.date(2024, 1, 5)
    m["g"] = await created(
        api, "coop-managing-director", mandataryNumber=SSA, groups=["BELPARCEL"], startQuarter="1/2024"
    )
    clock.frozen = dt.date(2024, 1, 10)
    m["a"] = await active(api, LOGISTIQUE, PROVIDER, ["SIGEDIS"], "1/2024")
    m["c"] = await active(api, BOULANGERIE, PROVIDER, ["PMP"], "1/2024")
    clock.frozen = dt.date(2024, 5, 10)
    m["b"] = await active(api, LOGISTIQUE, SSA, ["SIGEDIS"], "3/2024")
    m["d"] = await active(api, BOULANGERIE, PROVIDER2, ["PMP"], "4/2024")
    m["e"] = await created(
        api, "coop-managing-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024"
    )
    m["f"] = await created(
        api, "employer-director", mandataryNumber=PROVIDER2, groups=["WITA_AMATEUR"], startQuarter="1/2025"
    )
    await sign(api, "employer-director", m["f"]["id"])
    return {name: mandate["reference"] for name, mandate in m.items()}


async def sorted_by(api, field: str, names: dict[str, str]) -> tuple[list[str], list[str]]:
    by_reference = {reference: name for name, reference in names.items()}
    up = [by_reference[r] for r in await references(api, "nsso-officer", orderBy=order(field, "ASC"))]
    down = [by_reference[r] for r in await references(api, "nsso-officer", orderBy=order(field, "DESC"))]
    return up, down


async def test_r_srch_8_created_at_sorts_both_ways(api, clock):
    names = await columns_dataset(api, clock)
    up, down = await sorted_by(api, "CREATED_AT", names)
    assert up == ["g", "a", "c", "b", "d", "e", "f"]
    assert down == up[::-1]


async def test_r_srch_8_principal_name_sorts_alphabetically(api, clock):
    """Boulangerie… < Coopérative… < Demo Logistique…; ties in creation order."""
    names = await columns_dataset(api, clock)
    up, down = await sorted_by(api, "PRINCIPAL_NAME", names)
    assert up == ["c", "d", "g", "e", "a", "b", "f"]
    assert down == up[::-1]


async def test_r_srch_8_mandatary_name_sorts_alphabetically(api, clock):
    """Demo HR Services Namur < Demo Payroll Partners < Secrétariat Social Demo Horta."""
    names = await columns_dataset(api, clock)
    up, down = await sorted_by(api, "MANDATARY_NAME", names)
    assert up == ["d", "f", "a", "c", "e", "g", "b"]
    assert down == up[::-1]


async def test_r_srch_8_status_sorts_alphabetically_on_the_status_shown(api, clock):
    """ACTIVE < CANCELLED < PENDING < TO_BE_FINALISED; g is shown CANCELLED (60 days passed) and sorts as such."""
    names = await columns_dataset(api, clock)
    statuses = {e["node"]["reference"]: e["node"]["status"] for e in (await search(api, "nsso-officer"))["edges"]}
    assert statuses[names["g"]] == "CANCELLED"
    up, down = await sorted_by(api, "STATUS", names)
    assert up == ["a", "c", "b", "d", "g", "f", "e"]
    assert down == up[::-1]


async def test_r_srch_8_start_quarter_sorts_chronologically(api, clock):
    names = await columns_dataset(api, clock)
    up, down = await sorted_by(api, "START_QUARTER", names)
    assert up == ["g", "a", "c", "b", "e", "d", "f"]
    assert down == up[::-1]


async def test_r_srch_8_end_quarter_sorts_open_ended_mandates_last(api, clock):
    """a ends 2/2024, c 3/2024; the others have no end, which is later than any end (same order on every database)."""
    names = await columns_dataset(api, clock)
    up, down = await sorted_by(api, "END_QUARTER", names)
    assert up == ["a", "c", "g", "b", "d", "e", "f"]
    assert down == up[::-1]


async def test_r_srch_5_pages_with_first_and_after(api):
    made = []
    for mandatary, group in (
        (PROVIDER, "PMP"),
        (SSA, "SIGEDIS"),
        (PROVIDER2, "WITA_AMATEUR"),
        (PROVIDER, "FEDERAL_LEARNING_ACCOUNT"),
    ):
        made.append(
            (await created(api, "employer-director", mandataryNumber=mandatary, groups=[group], startQuarter="3/2024"))[
                "reference"
            ]
        )
    made.append(
        (await created(api, "ssa-signatory", principalNumber=BOULANGERIE, groups=["PMP"], startQuarter="3/2024"))[
            "reference"
        ]
    )
    expected = made[::-1]  # newest first
    first = await search(api, "nsso-officer", first=2)
    assert first["totalCount"] == 5
    assert [e["node"]["reference"] for e in first["edges"]] == expected[:2]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]
    second = await search(api, "nsso-officer", first=2, after=first["pageInfo"]["endCursor"])
    assert [e["node"]["reference"] for e in second["edges"]] == expected[2:4]
    assert (second["pageInfo"]["hasNextPage"], second["pageInfo"]["hasPreviousPage"]) == (True, True)
    last = await search(api, "nsso-officer", first=2, after=second["pageInfo"]["endCursor"])
    assert [e["node"]["reference"] for e in last["edges"]] == expected[4:]
    assert last["pageInfo"]["hasNextPage"] is False
    assert last["totalCount"] == 5
    # Pages follow the requested order too.
    ordered = await search(api, "nsso-officer", first=3, orderBy=order("REFERENCE", "ASC"))
    assert [e["node"]["reference"] for e in ordered["edges"]] == [f"M2024-{n}" for n in (1, 2, 3)]


async def test_r_srch_5_first_is_capped_at_100(api):
    await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    assert (await search(api, "employer-director", first=100))["totalCount"] == 1
    refused = await api(SEARCH, {"first": 101}, as_="employer-director")
    assert error_codes(refused) == ["INVALID_INPUT"]
    assert refused["data"] is None
    negative = await api(SEARCH, {"first": -1}, as_="employer-director")
    assert error_codes(negative) == ["INVALID_INPUT"]
    bad_cursor = await api(SEARCH, {"first": 1, "after": "nonsense"}, as_="employer-director")
    assert error_codes(bad_cursor) == ["INVALID_INPUT"]


def _without_niss(node: dict) -> dict:
    return {
        **node,
        "signatures": [{**s, "signerNiss": None} for s in node["signatures"]],
        "history": [{**e, "actorNiss": None} for e in node["history"]],
    }


async def test_r_srch_6_principal_and_mandatary_see_the_same_fields(api):
    mandate = await active(api, LOGISTIQUE, SSA, ["PMP", "SIGEDIS"], "3/2024")
    query = (
        "{ mandates { edges { node { %s rejection { reason } delegations { id } authorisations { id } } } } }"
        % MANDATE_FIELDS
    )
    seen = {}
    for persona in ("employer-director", "ssa-signatory", "nsso-officer"):
        result = await api(query, as_=persona)
        assert "errors" not in result, result
        (edge,) = result["data"]["mandates"]["edges"]
        seen[persona] = edge["node"]
    assert seen["employer-director"]["reference"] == mandate["reference"]
    # The same fields, but each party sees the NISS of its own people only (README, Personal data).
    hidden = {persona: _without_niss(node) for persona, node in seen.items()}
    assert hidden["employer-director"] == hidden["ssa-signatory"] == hidden["nsso-officer"]
    assert [s["signerNiss"] for s in seen["nsso-officer"]["signatures"]] == [
        niss("employer-director"),
        niss("ssa-signatory"),
    ]
    assert [s["signerNiss"] for s in seen["employer-director"]["signatures"]] == [niss("employer-director"), None]
    assert [s["signerNiss"] for s in seen["ssa-signatory"]["signatures"]] == [None, niss("ssa-signatory")]
    assert len(seen["employer-director"]["history"]) == 3
