"""The new version of the authorisation a branch change or a closure issues in the same request (R-PDF-8,
issue 13), driven in Chromium: the manager asks for it in the action's form, and the mandate screen then
offers its signed download link and the form to upload it signed.

A server of this module's own with the demo data; today is 2024-05-10 (2/2024). The mandate is made here
through the API: a group of LOGISTIQUE's held by the social secretariat, at its branch BRU, both sides signed.
"""

from __future__ import annotations

import urllib.request

import pytest
from playwright.sync_api import expect

from tests.api.helpers import SSA
from tests.console.test_console import graphql

pytestmark = pytest.mark.console

CREATE = """mutation($input: CreateMandateInput!) { createMandate(input: $input) {
  mandate { id reference } userErrors { code message } } }"""
SIGN = """mutation($id: ID!) { signMandate(input: {mandateId: $id}) {
  mandate { status } userErrors { code message } } }"""


def _active_at_bru(server: str, group: str) -> dict:
    """An ACTIVE mandate of the SSA at its branch BRU for `group`, signed by both sides in the registry."""
    fields = {"mandataryNumber": SSA, "branchCode": "BRU", "groups": [group], "startQuarter": "3/2024"}
    payload = graphql(server, "employer-director", CREATE, {"input": fields})["createMandate"]
    assert payload["userErrors"] == [], payload
    mandate = payload["mandate"]
    for persona in ("employer-director", "ssa-signatory"):
        signed = graphql(server, persona, SIGN, {"id": mandate["id"]})["signMandate"]
        assert signed["userErrors"] == [], signed
    assert signed["mandate"]["status"] == "ACTIVE"
    return mandate


def _pdf(href: str, server: str) -> bytes:
    with urllib.request.urlopen(f"{server}{href}" if href.startswith("/") else href) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        return response.read()


def test_r_pdf_8_a_branch_change_then_a_closure_offer_the_new_version_they_issue(console, server):
    mandate = _active_at_bru(server, "BELPARCEL")
    page = console.page
    console.sign_in("ssa-signatory")
    console.go(f"/mandate/{mandate['id']}")
    expect(page.locator("#action-upload")).to_have_count(0)  # nothing issued yet: nothing to upload

    # The branch change, with the new version signed by eID: the banner offers it, and the upload form is there.
    branch = page.locator("details.action", has_text="Change the branch")
    branch.locator("summary").click()
    branch.locator("select[name='branchCode']").select_option("LIE")
    expect(branch.locator("fieldset")).to_contain_text("New version of the authorisation")
    branch.get_by_label("Electronically, with the eID").check()
    console.check("40-branch-with-new-version")
    console.follow(branch.locator("button[type='submit']"), "/mandate/", prefix=True)
    expect(page.locator(".banner p").first).to_have_text("The branch is changed.")
    link = page.locator(".banner .new-version a")
    expect(link).to_contain_text(f"PDF: new version of the authorisation of {mandate['reference']}")
    branch_version = link.get_attribute("href")
    assert _pdf(branch_version, server).startswith(b"%PDF")
    expect(page.locator("#action-upload")).to_be_visible()
    console.check("41-new-version-offered")

    # The closure with no new version asked: no link then.
    page.locator("#close-action summary").click()
    page.check("#close-BELPARCEL")
    page.fill("input[name='endQuarter']", "4/2024")
    page.click("#close-next")
    expect(page.locator(".preview")).not_to_contain_text("A new version of the authorisation is issued with it.")
    page.click("#close-back")

    # Asked for: the step before confirming says so, and the banner offers the version after.
    page.locator("#close-action").get_by_label("Electronically, with the eID").check()
    page.click("#close-next")
    expect(page.locator(".preview")).to_contain_text("A new version of the authorisation is issued with it.")
    console.follow("#close-confirm", "/mandate/", prefix=True)
    expect(page.locator(".banner p").first).to_have_text("The closure is recorded.")
    closure_link = page.locator(".banner .new-version a")
    expect(closure_link).to_be_visible()
    assert closure_link.get_attribute("href") != branch_version  # the closure's version, not the branch's
    assert _pdf(closure_link.get_attribute("href"), server).startswith(b"%PDF")
    expect(page.locator("section[aria-labelledby='authorisations-title'] tbody tr")).to_have_count(2)


def test_r_pdf_8_the_new_version_is_offered_in_the_four_languages(console, server):
    """The form's words and the link's, in French, Dutch and German as in English."""
    mandate = _active_at_bru(server, "WORKS_DECLARATIONS")
    page = console.page
    console.sign_in("ssa-signatory")
    expected = {
        "fr": ("Nouvelle version de la procuration", "PDF : nouvelle version de la procuration du mandat"),
        "nl": ("Nieuwe versie van de volmacht", "Pdf: nieuwe versie van de volmacht van"),
        "de": ("Neue Fassung der Vollmacht", "PDF: neue Fassung der Vollmacht zu"),
    }
    branches = iter(["LIE", "ANT", "BRU"])
    for language, (legend, link_words) in expected.items():
        console.go("/")
        page.select_option("#language", language)
        console.ready("/")
        console.go(f"/mandate/{mandate['id']}")
        branch = page.locator("details.action", has=page.locator("select[name='branchCode']"))
        branch.locator("summary").click()
        branch.locator("select[name='branchCode']").select_option(next(branches))
        expect(branch.locator("fieldset legend")).to_have_text(legend)
        branch.locator("fieldset input[value='EID']").check()
        console.follow(branch.locator("button[type='submit']"), "/mandate/", prefix=True)
        expect(page.locator(".banner .new-version a")).to_contain_text(f"{link_words} {mandate['reference']}")
        console.check(f"42-new-version-{language}")
