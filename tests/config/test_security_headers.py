"""Security headers on every route, a strict policy on the HTML pages, GraphiQL and introspection off
in production unless switched on (hardening item 8, config/headers.py, config/settings.py)."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from config.settings import Settings
from tests.api.authorisation_steps import request
from tests.api.helpers import PROVIDER, created
from tests.conftest import token

SIGNED_IN = {"Authorization": f"Bearer {token('employer-director')}"}
INTROSPECTION = "{ __schema { queryType { name } } }"


async def _client(settings, clock, **changes):
    from config.asgi import create_app

    app = create_app(replace(settings, **changes), clock, manage_database=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def _every_route(client: httpx.AsyncClient, api) -> dict[str, httpx.Response]:
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    link = (await request(api, "employer-director", mandate["id"]))["authorisation"]["downloadUrl"]
    html = {"Accept": "text/html"}
    return {
        "graphql": await client.post("/graphql", json={"query": "{ __typename }"}),
        "graphql refused": await client.post("/graphql", content=b"\xff", headers={"Content-Type": "application/json"}),
        "graphiql": await client.get("/graphql", headers=html),
        "graphiql page script": await client.get("/graphiql/page.js"),
        "graphiql asset": await client.get("/graphiql/assets/graphiql/graphiql.min.css"),
        "console": await client.get("/console/", headers=html),
        "console script": await client.get("/console/js/app.js"),
        "console settings": await client.get("/console/settings.json"),
        "pdf link": await client.get(link),
        "pdf link refused": await client.get(link.replace("signature=", "signature=0")),
        "export": await client.get("/exports/mandates.xlsx", headers=SIGNED_IN),
        "export refused": await client.get("/exports/mandates.xlsx"),
        "healthz": await client.get("/healthz"),
        "sdl": await client.get("/schema.graphql"),
        "root": await client.get("/"),
        "not found": await client.get("/nowhere"),
        "body too large": await client.post(
            "/graphql", content=b"x" * 20_000_000, headers={"Content-Type": "application/json"}
        ),
    }


async def test_hardening_security_headers_on_every_route(api, settings, clock):
    async with await _client(settings, clock) as client:
        responses = await _every_route(client, api)
    assert responses["pdf link"].headers["content-type"] == "application/pdf"
    assert responses["export"].status_code == 200 and responses["body too large"].status_code == 413
    for name, response in responses.items():
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["x-frame-options"] == "DENY", name
        assert headers["referrer-policy"] == "no-referrer", name
        assert "frame-ancestors 'none'" in headers["content-security-policy"], name
        assert "strict-transport-security" not in headers, name  # not declared behind TLS


async def test_hardening_html_pages_get_a_strict_content_security_policy(api, settings, clock):
    async with await _client(settings, clock) as client:
        responses = await _every_route(client, api)
    for name in ("graphiql", "console"):
        response = responses[name]
        assert response.headers["content-type"].startswith("text/html"), name
        policy = dict(part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))
        assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'", (name, policy)
        assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
        assert "unsafe" not in response.headers["content-security-policy"]
        assert "<script>" not in response.text, f"{name} has an inline script"


async def test_hardening_hsts_when_behind_tls(api, settings, clock):
    async with await _client(settings, clock, behind_tls=True) as client:
        responses = await _every_route(client, api)
    for name, response in responses.items():
        assert response.headers["strict-transport-security"].startswith("max-age="), name


@pytest.mark.parametrize(
    ("changes", "graphiql", "introspection"),
    [
        ({}, True, True),
        ({"production": True}, False, False),
        ({"production": True, "graphiql": True}, True, False),
        ({"production": True, "introspection": True}, False, True),
        ({"graphiql": False, "introspection": False}, False, False),
    ],
    ids=[
        "development",
        "production",
        "production with GraphiQL",
        "production with introspection",
        "development, both off",
    ],
)
async def test_hardening_graphiql_and_introspection_off_in_production_unless_enabled(
    reference, settings, clock, changes, graphiql, introspection
):
    async with await _client(settings, clock, **changes) as client:
        page = await client.get("/graphql", headers={"Accept": "text/html"})
        asset = await client.get("/graphiql/assets/graphiql/graphiql.min.css")
        schema = await client.post("/graphql", json={"query": INTROSPECTION}, headers=SIGNED_IN)
        plain = await client.post("/graphql", json={"query": "{ __typename }"})
        sdl = await client.get("/schema.graphql")
    assert plain.json() == {"data": {"__typename": "Query"}}
    if graphiql:
        assert page.status_code == 200 and "GraphiQL" in page.text
        assert asset.status_code == 200
    else:
        assert page.status_code == 404 and page.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert asset.status_code == 404
    assert sdl.status_code == (200 if introspection else 404)
    if introspection:
        assert schema.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    else:
        body = schema.json()
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert "introspection" in body["errors"][0]["message"].lower()


@pytest.mark.parametrize(
    ("environment", "production", "graphiql", "introspection", "behind_tls"),
    [
        ({}, False, True, True, False),
        ({}, True, False, False, False),
        ({"MANDATES_GRAPHIQL": "1", "MANDATES_INTROSPECTION": "1", "MANDATES_BEHIND_TLS": "1"}, True, True, True, True),
        ({"MANDATES_GRAPHIQL": "0", "MANDATES_INTROSPECTION": "off"}, False, False, False, False),
    ],
)
def test_hardening_the_exposure_settings_from_the_environment(
    environment, production, graphiql, introspection, behind_tls
):
    """The variables as read from the environment; production (whose other rules need real keys, see
    tests/config/test_settings.py) only changes the defaults of GraphiQL and introspection."""
    settings = replace(Settings.from_env(environment), production=production)
    assert (settings.graphiql_on, settings.introspection_on, settings.behind_tls) == (
        graphiql,
        introspection,
        behind_tls,
    )
