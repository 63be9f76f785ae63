"""What a GraphQL document may cost, through HTTP (hardening item 1, schema/guards.py; the scale
issue's validation cache).

The fragment bomb is sent together with a `{ __typename }` on the same event loop: a guard that
expands fragments blocks the loop, so both wait (17 levels took 0.4 s, 20 levels 3.3 s, 40 levels
never finished); the linear guard refuses the bomb at once and the other request is served.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import httpx
import pytest

from tests.bench.fragment_bomb import fragment_bomb
from tests.conftest import SETTINGS, token

SIGNED_IN = {"Authorization": f"Bearer {token('employer-director')}"}


def codes(response: httpx.Response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json().get("errors", [])]


async def _timed(api, query: str, headers: dict) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = await api.raw(query, headers=headers)
    return time.perf_counter() - started, response


@pytest.mark.parametrize("levels", [20, 40])
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "authenticated"])
async def test_hardening_fragment_bomb_refused_fast(api, levels, signed_in):
    headers = SIGNED_IN if signed_in else {}
    (bomb_time, bomb), (typename_time, typename) = await asyncio.gather(
        _timed(api, fragment_bomb(levels), headers),
        _timed(api, "{ __typename }", {}),
    )
    assert bomb.status_code == 400
    assert codes(bomb) == ["QUERY_TOO_COMPLEX"]
    assert typename.json() == {"data": {"__typename": "Query"}}
    assert bomb_time < 0.5 and typename_time < 0.5, (bomb_time, typename_time)  # about 10 ms; 3.3 s at 20 levels before


async def test_hardening_a_bomb_within_the_spread_limit_is_refused_for_its_expanded_size(api):
    """12 levels spread 24 fragments (under the limit of 300) but expand to 4 096 fields."""
    response = await api.raw(fragment_bomb(12), headers=SIGNED_IN)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert (
        f"4096 fields once fragments are expanded, more than the limit of {SETTINGS.max_query_fields}"
        in response.json()["errors"][0]["message"]
    )
    small = await api.raw(fragment_bomb(8), headers=SIGNED_IN)  # 256 fields
    assert small.json() == {"data": {"__typename": "Query"}}


async def test_hardening_repeated_fields_that_would_make_validation_quadratic_are_refused_fast(
    reference, clock, settings
):
    """graphql-core compares every pair of fields under one name: 330 copies of a 3-field selection
    (990 fields, under the field limit) took its validation 1.2 s. The guard refuses them by their count
    of pairs, before validation runs (its speed: `python -m tests.bench.fragment_bomb`); its CPU budget is
    set out of reach here, so that a loaded machine cannot make the budget refuse first."""
    from config.asgi import create_app

    app = create_app(replace(settings, query_guard_milliseconds=10_000), clock, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        query = "{ " + "legalForms { code name } " * 330 + "}"
        response = await client.post("/graphql", json={"query": query}, headers=SIGNED_IN)
        fine = await client.post(
            "/graphql", json={"query": "{ " + "legalForms { code name } " * 10 + "}"}, headers=SIGNED_IN
        )
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert "repeats fields under the same names" in response.json()["errors"][0]["message"]
    assert "errors" not in fine.json()


def _spreads(count: int) -> str:
    return "{ " + " ".join(["...T"] * count) + " } fragment T on Query { __typename }"


async def test_hardening_fragment_spreads_over_the_limit_are_refused(api):
    allowed = await api.raw(_spreads(SETTINGS.max_fragment_spreads), headers=SIGNED_IN)
    assert allowed.json() == {"data": {"__typename": "Query"}}
    refused = await api.raw(_spreads(SETTINGS.max_fragment_spreads + 1), headers=SIGNED_IN)
    assert refused.status_code == 400
    assert codes(refused) == ["QUERY_TOO_COMPLEX"]
    assert f"more than the limit of {SETTINGS.max_fragment_spreads}" in refused.json()["errors"][0]["message"]


def _padded(size: int) -> str:
    """`{ __typename }` padded with a comment (no token) to `size` bytes."""
    query = "{ __typename }\n#"
    return query + "x" * (size - len(query))


async def test_hardening_documents_over_the_byte_limit_are_refused_before_parsing(api):
    fine = await api.raw(_padded(SETTINGS.max_query_bytes), headers=SIGNED_IN)
    assert fine.json() == {"data": {"__typename": "Query"}}
    response = await api.raw(_padded(SETTINGS.max_query_bytes + 1), headers=SIGNED_IN)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_LARGE"]
    assert f"limit of {SETTINGS.max_query_bytes} bytes" in response.json()["errors"][0]["message"]
    # Bytes, not characters: 2-byte characters count twice.
    accented = "{ __typename }\n#" + "é" * ((SETTINGS.max_query_bytes - 16) // 2 + 1)
    assert codes(await api.raw(accented, headers=SIGNED_IN)) == ["QUERY_TOO_LARGE"]


def _nested(depth: int) -> str:
    inner = "id"
    for _ in range((depth - 3) // 2):
        inner = f"delegations {{ mandate {{ {inner} }} }}"
    return f"{{ mandates {{ edges {{ node {{ {inner} }} }} }} }}"


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(_nested(9), id="depth 9"),
        pytest.param("{ " + " ".join(f"a{i}: legalForms {{ code }}" for i in range(10)) + " }", id="10 aliases"),
        pytest.param(_padded(8000), id="8000 bytes"),
        pytest.param(_spreads(50), id="50 spreads"),
        pytest.param(
            "{ mandates(filter: {groups: [%s]}) { totalCount } }" % ", ".join(f'"G{i}"' for i in range(500)),
            id="510 tokens",
        ),
    ],
)
async def test_hardening_anonymous_requests_get_tighter_limits_than_authenticated_ones(api, query):
    refusals = {
        "QUERY_TOO_COMPLEX",
        "QUERY_TOO_LARGE",
        "BAD_USER_INPUT",
    }  # the guard's, or the parser's at the token limit
    authenticated = await api.raw(query, headers=SIGNED_IN)
    assert authenticated.status_code == 200 and not refusals & set(codes(authenticated)), (
        authenticated.text
    )  # run (unknown groups: UNKNOWN_GROUP)
    anonymous = await api.raw(query)
    assert anonymous.json()["data"] is None
    assert codes(anonymous)[0] in refusals, anonymous.text
    # An invalid token is no token: the anonymous limits.
    assert codes(await api.raw(query, headers={"Authorization": "Bearer not-a-token"})) == codes(anonymous)


async def test_hardening_a_fragment_spreading_itself_is_refused(api):
    response = await api.raw(
        "{ ...A } fragment A on Query { ...B } fragment B on Query { __typename ...A }", headers=SIGNED_IN
    )
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert "spreads itself" in response.json()["errors"][0]["message"]


async def test_hardening_a_guard_over_its_time_budget_refuses_the_query(reference, clock, settings):
    from config.asgi import create_app

    app = create_app(replace(settings, query_guard_milliseconds=0), clock, manage_database=False)
    query = "{ " + " ".join(f"m{i}: mandates(first: 1) {{ edges {{ node {{ id }} }} }}" for i in range(25)) + " }"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        response = await client.post("/graphql", json={"query": query}, headers=SIGNED_IN)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COMPLEX"]
    assert "took too long" in response.json()["errors"][0]["message"]


async def test_scale_validation_cache_hits_on_a_repeated_query(api, monkeypatch):
    """graphql-core's validation runs once for a repeated query, anonymous or not: the rules are the
    same for every request, so Strawberry's ValidationCache finds the first result."""
    import strawberry.schema.schema as strawberry_schema

    validations = []
    validate = strawberry_schema.validate

    def counted(*args, **kwargs):
        validations.append(args[1])
        return validate(*args, **kwargs)

    monkeypatch.setattr(strawberry_schema, "validate", counted)
    query = "query Repeated { __typename legalForms { code } }"
    for headers in ({}, SIGNED_IN, {}, SIGNED_IN):
        response = await api.raw(query, headers=headers)
        assert response.json()["data"]["__typename"] == "Query"
    assert len(validations) == 1


async def test_code_health_only_the_operation_named_in_the_request_is_measured(api):
    """The guard read `ExecutionContext.provided_operation_name`, an InitVar whose class default is
    None whatever the request names: every operation of the document was measured, so a valid
    operation was refused for another one beside it. The operation run is the one measured."""
    document = "query Small { __typename } query Big " + _nested(41)
    small = await api.client.post("/graphql", json={"query": document, "operationName": "Small"}, headers=SIGNED_IN)
    assert small.status_code == 200 and small.json() == {"data": {"__typename": "Query"}}, small.text
    big = await api.client.post("/graphql", json={"query": document, "operationName": "Big"}, headers=SIGNED_IN)
    assert codes(big) == ["QUERY_TOO_COMPLEX"], big.text
