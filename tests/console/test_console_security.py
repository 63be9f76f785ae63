"""The console and GraphiQL under the strict Content-Security-Policy, the console without run-time
introspection, and the sign and upload buttons that cannot send twice (hardening item 8).

Every test here fails on any "Refused to ..." Content-Security-Policy report of the browser.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.api.helpers import NO_STAFF, PROVIDER2
from tests.console.test_console import graphql

pytestmark = pytest.mark.console

CREATE = """mutation($input: CreateMandateInput!) { createMandate(input: $input) {
  mandate { id reference } userErrors { code } } }"""
REQUEST = """mutation($id: ID!) { requestAuthorisation(input: {mandateId: $id, method: HANDWRITTEN}) {
  userErrors { code } } }"""


@pytest.fixture
def watched(console):
    """The console's tab, with what the browser reported against the policy, every /graphql body sent
    and the number of multipart ones (an upload: Chromium does not expose a body holding a file)."""
    page = console.page
    console.violations, console.bodies, console.uploads = [], [], 0

    def sent(request):
        if request.url.endswith("/graphql"):
            console.bodies.append(request.post_data_buffer or b"")
            console.uploads += request.headers.get("content-type", "").startswith("multipart/form-data")

    page.on(
        "console",
        lambda message: console.violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("request", sent)
    yield console
    assert console.violations == []


def _mandate(server, group: str) -> dict:
    data = graphql(
        server,
        "company-without-staff",
        CREATE,
        {"input": {"mandataryNumber": PROVIDER2, "groups": [group], "startQuarter": "3/2024"}},
    )
    assert data["createMandate"]["userErrors"] == []
    return data["createMandate"]["mandate"]


def _open(console, reference: str) -> None:
    console.go(f"/search?principalNumber={NO_STAFF}")
    console.follow(console.page.locator(f"tr[data-reference='{reference}'] th a"), "/mandate/", prefix=True)


def test_hardening_the_console_runs_under_the_strict_policy_without_introspection(watched, server):
    page = watched.page
    watched.sign_in("company-without-staff")
    for route in ("/", "/create", "/search", "/identification"):
        watched.go(route)
    # The identification form lists the conditions, known from console/js/schema.js.
    expect(page.locator("input[type='checkbox'][name='declarations']")).to_have_count(7)
    mandate = _mandate(server, "WITA_AMATEUR")
    _open(watched, mandate["reference"])
    expect(page.locator("#action-sign")).to_be_visible()
    assert watched.bodies and not any(b"__schema" in body or b"__type" in body for body in watched.bodies)


def test_hardening_graphiql_runs_under_the_strict_policy(watched, server):
    page = watched.page
    page.goto(f"{server}/graphql")
    expect(page.locator(".graphiql-container")).to_be_visible()
    # GraphiQL loaded the schema (its introspection query passed the anonymous limits).
    expect(page.locator(".graphiql-container")).not_to_contain_text("Error")
    assert any(b"__schema" in body for body in watched.bodies)
    # It opens with the example operations, one a tab; the tabs and the token stay in this tab's sessionStorage.
    expect(page.locator(".graphiql-tab")).to_have_count(3)
    expect(page.locator(".graphiql-tabs")).to_contain_text("CreateMandate")
    expect(page.locator("a#sdl")).to_have_attribute("href", "/schema.graphql")
    stored = page.evaluate("() => [Object.keys(sessionStorage), Object.keys(localStorage)]")
    assert any(key.startswith("graphiql:") for key in stored[0]), stored
    assert not any(key.startswith("graphiql:") for key in stored[1]), stored


def test_hardening_the_sign_button_cannot_submit_twice(watched, server):
    page = watched.page
    watched.sign_in("company-without-staff")
    mandate = _mandate(server, "FEDERAL_LEARNING_ACCOUNT")
    _open(watched, mandate["reference"])
    page.dblclick("#action-sign")
    expect(page.locator(".banner")).to_have_text("Signed. Status: Pending.")
    assert sum(b"signMandate" in body for body in watched.bodies) == 1


def test_hardening_the_upload_button_cannot_submit_twice(watched, server):
    page = watched.page
    watched.sign_in("company-without-staff")
    mandate = _mandate(server, "WORKS_DECLARATIONS")
    assert (
        graphql(server, "company-without-staff", REQUEST, {"id": mandate["id"]})["requestAuthorisation"]["userErrors"]
        == []
    )
    _open(watched, mandate["reference"])
    page.set_input_files(
        "#action-file", files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"not a PDF at all"}]
    )
    page.dblclick("#action-upload")
    expect(page.locator(".alert-error:not([hidden]), .error:not([hidden])").first).to_be_visible()
    assert watched.uploads == 1
