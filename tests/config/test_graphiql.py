"""GraphiQL at GET /graphql, served entirely from this server (API.md: `GET /graphql` in a browser
opens the GraphiQL playground; config/asgi.py: assets from config/graphiql's npm install, never a CDN)."""

from __future__ import annotations

import json
import re

import pytest
from graphql import parse, print_ast, validate

from config.endpoints import GRAPHIQL, GRAPHIQL_ASSETS, GRAPHIQL_PAGE_FILES
from config.graphiql_page import examples
from schema.app import schema

INSTALLED = (GRAPHIQL / "node_modules").is_dir()
needs_assets = pytest.mark.skipif(
    not INSTALLED,
    reason="config/graphiql/node_modules is missing: run `make install` (npm ci) to serve GraphiQL's assets",
)


async def _page(api) -> str:
    response = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


async def test_get_graphql_in_a_browser_opens_graphiql_with_local_assets_only(api):
    html = await _page(api)
    assert "GraphiQL" in html
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert references, "the page loads GraphiQL's scripts and stylesheet"
    assets = {
        reference.removeprefix("/graphiql/assets/")
        for reference in references
        if reference.startswith("/graphiql/assets/")
    }
    own = {
        reference.removeprefix("/graphiql/")
        for reference in references
        if reference.startswith("/graphiql/") and not reference.startswith("/graphiql/assets/")
    }
    # examples.json is fetched by page.js, not named by the page.
    assert assets == GRAPHIQL_ASSETS and own == GRAPHIQL_PAGE_FILES - {"examples.json"}, references
    assert "/schema.graphql" in references  # the SDL, linked
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""["'(]//[\w.-]+""", html), "no protocol-relative URL to another host"
    assert not re.search(r"<script(?![^>]*\ssrc=)", html), (
        "no inline script (the page's Content-Security-Policy forbids it)"
    )
    assert "<style" not in html and "style=" not in html
    script = (await api.client.get("/graphiql/page.js")).text
    assert "'/graphql'" in script  # the fetcher talks to this server


async def test_post_graphql_is_still_the_api(api):
    response = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers={"Accept": "text/html"})
    assert response.json() == {"data": {"__typename": "Query"}}


@needs_assets
@pytest.mark.parametrize("asset", sorted(GRAPHIQL_ASSETS))
async def test_every_graphiql_asset_is_served(api, asset):
    response = await api.client.get(f"/graphiql/assets/{asset}")
    assert response.status_code == 200, asset
    assert response.content == (GRAPHIQL / "node_modules" / asset).read_bytes()
    expected = "javascript" if asset.endswith(".js") else "css"
    assert expected in response.headers["content-type"]


@needs_assets
async def test_graphiql_min_js_is_served(api):
    response = await api.client.get("/graphiql/assets/graphiql/graphiql.min.js")
    assert response.status_code == 200
    assert len(response.content) > 100_000


@pytest.mark.parametrize(
    "path",
    [
        "graphiql/package.json",
        "react/umd/react.development.js",
        "graphiql/graphiql.min.js.map",
        "..%2F..%2Fsettings.py",
        "%2e%2e/%2e%2e/settings.py",
        "graphiql/../../../config/settings.py",
        "",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
    ],
)
async def test_paths_outside_the_allowed_assets_are_not_found(api, path):
    response = await api.client.get(f"/graphiql/assets/{path}")
    assert response.status_code == 404, (path, response.status_code)
    assert "SECRET" not in response.text and "import" not in response.text


def _examples() -> list[dict]:
    return examples("en")["tabs"]


def test_graphiql_opens_with_the_dashboard_a_filtered_search_and_create_mandate_with_its_user_errors():
    """Issue 13: the example operations are valid against the schema, their variables parse, and the
    mutation asks for its userErrors."""
    operations = {}
    for tab in _examples():
        document = parse(tab["query"])
        assert validate(schema._schema, document) == [], tab["query"]
        json.loads(tab["variables"])
        assert "Bearer" in json.loads(tab["headers"])["Authorization"]
        for definition in document.definitions:
            operations[definition.name.value] = print_ast(definition)
    assert list(operations) == ["Dashboard", "ActiveDimonaMandates", "CreateMandate"]
    assert "dashboard" in operations["Dashboard"]
    assert "filter: $filter" in operations["ActiveDimonaMandates"]
    assert re.search(
        r"createMandate\(input: \$input\) \{.*userErrors \{\s*code\s+field\s+message",
        operations["CreateMandate"],
        re.DOTALL,
    )


async def test_the_page_says_how_to_get_a_token_and_keeps_it_for_the_tab_only(api):
    html = await _page(api)
    assert "mandates token --niss" in html and "Headers tab" in html
    script = (await api.client.get("/graphiql/page.js")).text
    assert "storage: window.sessionStorage" in script and "localStorage" not in script.replace(
        "never in localStorage", ""
    )
    served = await api.client.get("/graphiql/examples.json")
    assert served.status_code == 200 and served.json()["tabs"] == _examples()


@pytest.mark.parametrize(
    ("header", "language", "words"),
    [
        (None, "en", ("Mandates API.", "in the Headers tab below the editor", "Loading…")),
        ("fr-BE,fr;q=0.9", "fr", ("API des mandats.", "dans l’onglet Headers sous l’éditeur", "Chargement…")),
        ("nl-BE", "nl", ("API van de mandaten.", "in het tabblad Headers onder de editor", "Laden…")),
        ("de", "de", ("API der Mandate.", "im Reiter Headers unter dem Editor", "Wird geladen…")),
    ],
)
async def test_the_page_and_its_examples_are_written_in_the_requests_language(api, header, language, words):
    """Our words around GraphiQL and the examples' comments follow Accept-Language (config/messages.negotiate);
    the operations themselves and the code in the text stay as they are."""
    headers = {"Accept": "text/html", **({"Accept-Language": header} if header else {})}
    response = await api.client.get("/graphql", headers=headers)
    assert response.status_code == 200 and response.headers["content-language"] == language
    assert "Accept-Language" in response.headers["vary"]
    assert f'<html lang="{language}">' in response.text
    assert all(word in response.text for word in words), language
    assert "<code>mandates token --niss" in response.text and "$" not in response.text  # every placeholder filled
    served = await api.client.get("/graphiql/examples.json", headers={"Accept-Language": header or ""})
    assert served.headers["content-language"] == language
    tabs = served.json()["tabs"]
    assert tabs == examples(language)["tabs"]
    for tab, english in zip(tabs, _examples(), strict=True):
        assert tab["query"].startswith("# ") and _operation(tab["query"]) == _operation(english["query"])
    if language != "en":
        assert tabs[0]["query"] != _examples()[0]["query"] and tabs[0]["headers"] != _examples()[0]["headers"]


def _operation(query: str) -> str:
    """An example without its comment lines."""
    return "".join(line for line in query.splitlines(keepends=True) if not line.startswith("#"))
