"""Concurrent requests through the ASGI app (R-UNQ-12, R-EXP-4, R-CRE-5).

The two requests of each round are sent together (asyncio.gather) and interleave at every database
call; on PostgreSQL they run on separate connections, and only the lock on the principal's row
(resolvers/places.py `lock_principal`) keeps both from seeing a free place. Rounds are repeated
so that a missing lock shows up reliably.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools

from models.tables import Mandate, ReferenceSeries
from tests.api.helpers import ASBL, BOULANGERIE, COOP, CREATE, GARAGE, LOGISTIQUE, PROVIDER, SSA, codes

PRINCIPALS = [LOGISTIQUE, BOULANGERIE, COOP, ASBL, GARAGE]
SINGLE_GROUPS = ["PMP", "SIGEDIS", "WITA_AMATEUR", "FEDERAL_LEARNING_ACCOUNT"]  # maxMandataries 1, no companions
ROUNDS = list(itertools.product(PRINCIPALS, SINGLE_GROUPS))  # 20 distinct (principal, group) places
COUNT = (
    '{ mandates(filter: {principalNumber: "%s", groups: ["%s"]}) { totalCount edges { node { reference mandatary { '
    "enterpriseNumber } } } } }"
)


async def _create(api, as_: str, **fields) -> dict:
    result = await api(CREATE, {"input": fields}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["createMandate"]


async def _race(api, principal: str, group: str, encoders: tuple[str, str], round_: int) -> list[dict]:
    first, second = encoders if round_ % 2 == 0 else encoders[::-1]  # neither side always starts first
    return list(
        await asyncio.gather(
            _create(api, first, principalNumber=principal, groups=[group], startQuarter="3/2024"),
            _create(api, second, principalNumber=principal, groups=[group], startQuarter="3/2024"),
        )
    )


async def _holders(api, principal: str, group: str) -> list[dict]:
    result = await api(COUNT % (principal, group), as_="nsso-officer")
    assert "errors" not in result, result
    connection = result["data"]["mandates"]
    assert connection["totalCount"] == len(connection["edges"])
    return [edge["node"] for edge in connection["edges"]]


async def test_r_unq_12_two_concurrent_creations_leave_exactly_one(api):
    """R-UNQ-12 / R-EXP-4: two mandataries encode the same single group for the same principal at once;
    exactly one in-flight mandate reserves the place, the other request gets SINGLE_MANDATARY_TAKEN."""
    for round_, (principal, group) in enumerate(ROUNDS):
        payloads = await _race(api, principal, group, ("provider-signatory", "ssa-signatory"), round_)
        won = [p for p in payloads if p["mandate"] is not None]
        lost = [p for p in payloads if p["mandate"] is None]
        assert len(won) == 1 and len(lost) == 1, (round_, principal, group, payloads)
        assert won[0]["userErrors"] == []
        assert codes(lost[0]) == ["SINGLE_MANDATARY_TAKEN"], (round_, lost[0])
        holders = await _holders(api, principal, group)
        assert [h["reference"] for h in holders] == [won[0]["mandate"]["reference"]], (round_, holders)
        assert holders[0]["mandatary"]["enterpriseNumber"] in {PROVIDER, SSA}
    total = await api("{ mandates { totalCount } }", as_="nsso-officer")
    assert total["data"]["mandates"]["totalCount"] == len(ROUNDS)


async def test_r_unq_13_the_same_mandatary_encoding_twice_at_once_leaves_one(api):
    """R-UNQ-12 / R-UNQ-13: the same mandatary sends the same creation twice at once (a double click)."""
    for round_, (principal, group) in enumerate(ROUNDS):
        payloads = await _race(api, principal, group, ("provider-signatory", "provider-signatory"), round_)
        won = [p for p in payloads if p["mandate"] is not None]
        lost = [p for p in payloads if p["mandate"] is None]
        assert len(won) == 1 and len(lost) == 1, (round_, principal, group, payloads)
        assert codes(lost[0]) in (["DUPLICATE_MANDATE"], ["SINGLE_MANDATARY_TAKEN"]), (round_, lost[0])
        holders = await _holders(api, principal, group)
        assert [(h["reference"], h["mandatary"]["enterpriseNumber"]) for h in holders] == [
            (won[0]["mandate"]["reference"], PROVIDER)
        ]


async def test_r_unq_12_the_principal_and_a_mandatary_encoding_at_once_leave_one(api):
    """R-UNQ-12: the principal names a mandatary while another mandatary names the principal, for the same
    single group at once: the principal's own row is locked as the other side's lookup locks it."""
    for round_, group in enumerate(SINGLE_GROUPS):
        principal_side = _create(
            api, "employer-director", mandataryNumber=PROVIDER, groups=[group], startQuarter="3/2024"
        )
        mandatary_side = _create(
            api, "ssa-signatory", principalNumber=LOGISTIQUE, groups=[group], startQuarter="3/2024"
        )
        pair = (principal_side, mandatary_side) if round_ % 2 == 0 else (mandatary_side, principal_side)
        payloads = list(await asyncio.gather(*pair))
        won = [p for p in payloads if p["mandate"] is not None]
        lost = [p for p in payloads if p["mandate"] is None]
        assert len(won) == 1 and len(lost) == 1, (round_, group, payloads)
        assert codes(lost[0]) == ["SINGLE_MANDATARY_TAKEN"], (round_, lost[0])
        holders = await _holders(api, LOGISTIQUE, group)
        assert [h["reference"] for h in holders] == [won[0]["mandate"]["reference"]], (round_, holders)


async def test_r_cre_5_concurrent_creations_for_different_principals_all_succeed_with_distinct_references(api, clock):
    """R-CRE-5: each year's series starts with concurrent creations (the series row does not exist yet)."""
    references = []
    for year in range(2025, 2035):
        clock.frozen = dt.date(year, 1, 10)  # a new series each round; last year's in-flight mandates have lapsed
        start = f"2/{year}"
        payloads = await asyncio.gather(
            *(
                _create(api, as_, principalNumber=principal, groups=["PMP"], startQuarter=start)
                for as_, principal in (
                    ("provider-signatory", LOGISTIQUE),
                    ("ssa-signatory", BOULANGERIE),
                    ("provider2-signatory", COOP),
                    ("provider-signatory", GARAGE),
                )
            )
        )
        assert [p["userErrors"] for p in payloads] == [[]] * 4, (year, payloads)
        round_references = sorted(p["mandate"]["reference"] for p in payloads)
        assert round_references == [f"M{year}-{n}" for n in range(1, 5)], (year, round_references)
        references += round_references
    assert len(set(references)) == len(references) == 40


async def test_r_cre_5_a_series_continues_after_the_numbers_it_holds_and_concurrent_creations_share_none(api, clock):
    """Twenty creations at once, in a series that already holds M2036-41 (written outside the use case, as
    the bench generator or a restored dump writes): twenty distinct numbers after it, none taken twice
    (on PostgreSQL from the series' sequence, created by the first of them: resolvers/references.py)."""
    clock.frozen = dt.date(2035, 1, 10)
    model = (
        await _create(api, "provider-signatory", principalNumber=LOGISTIQUE, groups=["PMP"], startQuarter="2/2035")
    )["mandate"]
    row = await Mandate.get(reference=model["reference"])
    fields = {name: getattr(row, name) for name in row._meta.db_fields if name != "id"}
    await Mandate.create(**{**fields, "series": 2036, "number": 41, "reference": "M2036-41"})
    await ReferenceSeries.create(series=2036, last_number=41)
    clock.frozen = dt.date(2036, 1, 10)
    encoders = {LOGISTIQUE: "provider-signatory", BOULANGERIE: "ssa-signatory", COOP: "provider2-signatory"}
    places = [(p, g) for p, g in ROUNDS if p in encoders][:12] + [(GARAGE, g) for g in SINGLE_GROUPS]
    places += [(ASBL, g) for g in SINGLE_GROUPS]
    payloads = await asyncio.gather(
        *(
            _create(
                api,
                encoders.get(principal, "provider-signatory"),
                principalNumber=principal,
                groups=[group],
                startQuarter="2/2036",
            )
            for principal, group in places
        )
    )
    assert [p["userErrors"] for p in payloads] == [[]] * len(places) == [[]] * 20, payloads
    assert sorted(int(p["mandate"]["reference"].split("-")[1]) for p in payloads) == list(range(42, 62))
