"""Malformed HTTP requests answer 4xx with a typed code, never a 500 (hardening item 5,
config/request_json.py, config/asgi.py, resolvers/links.py).

Each of these was a 500 (or a masked INTERNAL_SERVER_ERROR) before: a body that is not UTF-8, JSON
nested 100 000 deep in `variables`, a lone surrogate in a String variable, a mutation over GET, a
5 000-digit `expires` on a PDF link.
"""

from __future__ import annotations

import json

import pytest

from tests.api.authorisation_steps import request
from tests.api.helpers import PROVIDER, created
from tests.conftest import token

JSON = {"Content-Type": "application/json", "Authorization": f"Bearer {token('employer-director')}"}
SEARCH = "query($q: String!) { mandates(filter: {mandataryNumber: $q}) { totalCount } }"


def _error(response) -> tuple[int, str]:
    body = response.json()
    assert body["data"] is None
    return response.status_code, body["errors"][0]["extensions"]["code"]


BODIES = {
    "not UTF-8": b'{"query": "{ __typename }", "operationName": "\xff\xfe"}',
    "latin-1 text": '{"query": "{ legalForms(x: \\"é\\") { code } }", "v": "café"}'.encode("latin-1"),
    "variables nested 100 000 deep": (
        '{"query": "%s", "variables": {"q": ' % SEARCH + "[" * 100_000 + "]" * 100_000 + "}}"
    ).encode(),
    "objects nested 33 deep": (
        '{"query": "%s", "variables": {"q": ' % SEARCH + '{"a":' * 33 + "1" + "}" * 33 + "}}"
    ).encode(),
    "lone surrogate in a String variable": json.dumps({"query": SEARCH, "variables": {"q": "\ud800"}}).encode(),
    "lone low surrogate in a key": json.dumps({"query": SEARCH, "variables": {"\udc00": "x"}}).encode(),
    "lone surrogate in the query": json.dumps(
        {"query": '{ mandates(filter: {mandataryNumber: "\ud800"}) { totalCount } }'}
    ).encode(),
    "not JSON": b'{"query": ',
    "a 5 000-digit number": ('{"query": "{ __typename }", "variables": {"n": ' + "9" * 5000 + "}}").encode(),
}


@pytest.mark.parametrize("case", sorted(BODIES))
async def test_hardening_a_malformed_body_is_a_400_bad_request(api, case):
    response = await api.client.post("/graphql", content=BODIES[case], headers=JSON)
    assert _error(response) == (400, "BAD_REQUEST"), response.text


async def test_hardening_json_within_the_depth_bound_and_surrogate_pairs_are_accepted(api):
    emoji = json.dumps({"query": SEARCH, "variables": {"q": "\U0001f600"}})  # the pair \ud83d\ude00
    assert "\\ud83d\\ude00" in emoji
    response = await api.client.post("/graphql", content=emoji.encode(), headers=JSON)
    assert response.status_code == 200 and "errors" not in response.json(), response.text
    brackets = "[" * 20 + "]" * 20  # deep, but not too deep: the variable's type refuses it
    response = await api.client.post(
        "/graphql", content=('{"query": "%s", "variables": {"q": %s}}' % (SEARCH, brackets)).encode(), headers=JSON
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_hardening_a_lone_surrogate_in_a_get_variable_is_a_400(api):
    response = await api.client.get(
        "/graphql",
        params={"query": SEARCH, "variables": '{"q": "\\ud800"}'},
        headers={"Authorization": JSON["Authorization"]},
    )
    assert _error(response) == (400, "BAD_REQUEST")


async def test_hardening_a_mutation_over_get_is_a_400(api):
    response = await api.client.get(
        "/graphql",
        params={"query": 'mutation { signMandate(id: "x") { userErrors { code } } }'},
        headers={"Authorization": JSON["Authorization"]},
    )
    status, code = _error(response)
    assert (status, code) == (400, "BAD_REQUEST")
    assert "mutations are not allowed when using GET" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [{"variables": {}}, {"query": "query A { __typename } query B { __typename }", "operationName": "C"}, {"query": 5}],
    ids=["no query", "unknown operation name", "query not a string"],
)
async def test_hardening_a_request_without_a_usable_operation_is_a_400(api, body):
    response = await api.client.post("/graphql", json=body)
    assert _error(response) == (400, "BAD_REQUEST"), response.text


@pytest.mark.parametrize("expires", ["9" * 5000, "²", "1e10", "-1", "", "99999999999999"])
async def test_hardening_a_pdf_link_with_a_malformed_expiry_is_a_403(api, expires):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    link = (await request(api, "employer-director", mandate["id"]))["authorisation"]["downloadUrl"]
    assert (await api.client.get(link)).status_code == 200
    tampered = link.split("expires=")[0] + f"expires={expires}&signature=" + link.split("signature=")[1]
    response = await api.client.get(tampered)
    assert response.status_code == 403
    assert "invalid" in response.text
