"""Forms that guide, in each of the four languages (issue 13, "Messages and forms that guide" and "What it
must show"): sign-in, dashboard, create (every field checked at once, an error summary on top), sign (what is
signed and the signer's authority first, what happens next after), the Identification request filed for real,
search (with the application groups) and export. Every screen is checked by `Console.check`: no code or rule
ID in its text, no serious or critical axe-core violation.

One server for the module; each language acts for an enterprise of its own, so that the order of the
languages does not matter.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.api.helpers import PROVIDER2
from tests.console.conftest import DESKTOP, Console
from tests.console.test_console import graphql

pytestmark = pytest.mark.console

# (browser locale, console language, the persona who gives the mandate and files the request, its enterprise)
LANGUAGES = [
    ("en-GB", "en", "employer-director", "0893.219.451"),
    ("fr-BE", "fr", "employer-manager", "0804.115.152"),
    ("nl-BE", "nl", "coop-managing-director", "0538.038.016"),
    ("de-BE", "de", "company-without-staff", "0753.512.133"),
]
WORDS = {
    "en": {"error": "Error:", "group": "WITA amateur", "active": "Active", "pending": "Pending"},
    "fr": {"error": "Erreur :", "group": "WITA amateur", "active": "Actif", "pending": "En attente"},
    "nl": {"error": "Fout:", "group": "WITA amateur", "active": "Actief", "pending": "In afwachting"},
    "de": {"error": "Fehler:", "group": "WITA Amateur", "active": "Aktiv", "pending": "Ausstehend"},
}
PROVIDER2_NAME = "Demo HR Services Namur SRL"
REQUESTS = """query { providerIdentificationRequests(statuses: [SUBMITTED]) {
  edges { node { enterprise { enterpriseNumber } declarations status } } } }"""


@pytest.fixture
def open_console(browser, server):
    """Opens a console tab in a browser that asks for `locale` first."""
    contexts = []

    def open_(locale: str) -> Console:
        context = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale=locale)
        contexts.append(context)
        return Console(context.new_page(), server)

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("locale", "language", "persona", "number"), LANGUAGES)
def test_in_each_language_sign_in_create_sign_file_the_identification_request_search_and_export(
    open_console, server, locale, language, persona, number
):
    console = open_console(locale)
    page = console.page
    words = WORDS[language]

    # Sign-in and the dashboard, in the browser's language.
    console.open("/signin")
    expect(page.locator("html")).to_have_attribute("lang", language)
    console.check(f"50-{language}-sign-in")
    page.click(f"button[data-persona='{persona}']")
    console.ready("/")
    console.check(f"51-{language}-dashboard")

    # Create: every field is checked at once; the summary on top links to each field; "Error:" in the title.
    console.go("/create")
    console.check(f"52-{language}-create")
    page.click("button[type='submit']")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("li a")).to_have_count(2)
    assert page.title().startswith(words["error"]), page.title()
    expect(page.locator("[data-field='mandataryNumber'] .error")).to_be_visible()
    expect(page.locator("[data-field='groups'] > .error")).to_be_visible()
    console.check(f"53-{language}-create-errors")
    summary.locator("li a").first.click()
    expect(page.locator("input[name='mandataryNumber']")).to_be_focused()
    page.fill("input[name='mandataryNumber']", PROVIDER2)
    page.check("#group-WITA_AMATEUR")
    page.select_option("select[name='startQuarter']", "3/2024")
    console.follow("button[type='submit']", "/create/validate/", prefix=True)
    assert not page.title().startswith(words["error"])
    mandate_id = re.search(r"/create/validate/([^/?]+)", page.url).group(1)

    # Before "Accept and sign": what is signed, and that the signer is authorised to sign for its enterprise.
    statement = page.locator(".by-authentication .statement")
    expect(statement).to_contain_text(PROVIDER2_NAME)
    expect(statement).to_contain_text(words["group"])
    expect(statement.locator(".declaration")).to_contain_text(number)
    console.check(f"54-{language}-validate")
    console.follow("#accept-sign", "/create/summary/", prefix=True)
    # After: who must still sign and by when (60 days after the creation), who is notified.
    steps = page.locator(".next-steps li")
    expect(steps).to_have_count(3)
    expect(steps.nth(0)).to_contain_text(PROVIDER2_NAME)
    expect(steps.nth(0)).to_contain_text(re.compile(r"2024"))  # 10 May 2024 + 60 days: 9 July 2024
    expect(steps.nth(1)).to_contain_text("60")
    expect(steps.nth(2)).to_contain_text(PROVIDER2_NAME)
    console.check(f"55-{language}-summary")

    # The counterparty sees what it signs and its authority, signs, and reads what follows.
    console.sign_in("provider2-signatory")
    console.go(f"/mandate/{mandate_id}")
    expect(page.locator("h1 .badge")).to_have_text(words["pending"])
    sign = page.locator("form:has(#action-sign)")
    expect(sign.locator(".statement")).to_contain_text(words["group"])
    expect(sign.locator(".declaration")).to_contain_text(PROVIDER2_NAME)
    console.check(f"56-{language}-counterparty-sign")
    console.follow("#action-sign", "/mandate/", prefix=True)
    expect(page.locator("h1 .badge")).to_have_text(words["active"])
    reference = re.search(r"M\d{4}-\d+", page.locator("h1").inner_text()).group(0)
    expect(page.locator(".next-steps li")).to_have_count(2)
    expect(page.locator(".next-steps li").first).to_contain_text("3/2024")
    console.check(f"57-{language}-counterparty-signed")

    # The Identification request: a box per condition in words, check your answers, filed.
    console.sign_in(persona)
    console.go("/identification")
    boxes = page.locator("input[name='declarations']")
    expect(boxes).to_have_count(7)
    console.check(f"58-{language}-identification")
    boxes.nth(0).check()
    page.click("#ident-continue")
    expect(page.locator(".error-summary li")).to_have_count(1)
    expect(page.locator("[data-field='declarations'] > .error")).to_be_visible()
    assert page.title().startswith(words["error"])
    console.check(f"59-{language}-identification-errors")
    for index in range(7):
        boxes.nth(index).check()
    page.click("#ident-continue")
    answers = page.locator(".answers li")
    expect(answers).to_have_count(7)
    console.check(f"60-{language}-identification-check-answers")
    page.click("#ident-change")  # back to the boxes, still ticked
    expect(page.locator("input[name='declarations']:checked")).to_have_count(7)
    page.click("#ident-continue")
    page.click("#ident-submit")
    expect(page.locator("#ident-filed")).to_be_visible()
    console.check(f"61-{language}-identification-filed")
    filed = [
        edge["node"]
        for edge in graphql(server, "nsso-officer", REQUESTS)["providerIdentificationRequests"]["edges"]
        if edge["node"]["enterprise"]["enterpriseNumber"] == number
    ]
    assert len(filed) == 1 and len(filed[0]["declarations"]) == 7, filed

    # Search: the results show the application groups; the export holds the same mandates.
    console.go(f"/search?principalNumber={number}&mandataryNumber={PROVIDER2}")
    row = page.locator(f"tbody tr[data-reference='{reference}']")
    expect(row.locator("td.groups li[data-group='WITA_AMATEUR']")).to_have_text(words["group"])
    console.check(f"62-{language}-search")
    shown = page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.reference)")
    with page.expect_download() as download_info:
        page.click("#export")
    sheet = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(dict.fromkeys(row[0] for row in rows[1:])) == shown
    assert not any(re.search(r"\bR-[A-Z]+-\d+\b", str(cell)) for row in rows for cell in row if cell)


def test_at_360_px_the_menu_folds_behind_a_button_and_the_results_do_not_scroll_sideways(phone, server):
    page = phone.page
    phone.sign_in("provider-signatory")
    nav = page.locator("#nav")
    toggle = page.locator("#menu-toggle")
    expect(nav).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    phone.check("63-phone-menu-closed")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.locator("a[href='#/search']")).to_be_visible()
    phone.check("64-phone-menu-open")
    phone.follow(nav.locator("a[href='#/search']"), "/search")
    expect(nav).to_be_hidden()  # a new screen closes the menu
    expect(page.locator("tbody tr td.groups li").first).to_be_visible()
    sideways = page.evaluate(
        """() => [document.documentElement, ...document.querySelectorAll('.table-wrap')]
            .filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.className || e.tagName)"""
    )
    assert sideways == []
    phone.check("65-phone-search")


def test_at_1280_px_the_menu_shows_without_a_button(console, server):
    console.sign_in("provider-signatory")
    expect(console.page.locator("#menu-toggle")).to_be_hidden()
    expect(console.page.locator("#nav a[href='#/search']")).to_be_visible()


@pytest.mark.parametrize(("locale", "language"), [(locale, language) for locale, language, _, _ in LANGUAGES])
def test_in_each_language_the_other_screens_are_plain_and_accessible(open_console, server, locale, language):
    """The screens the journey above does not pass through, and the sign-in form's own error."""
    console = open_console(locale)
    page = console.page
    console.open("/signin")
    page.click("form[aria-labelledby='token-title'] button[type='submit']")
    expect(page.locator(".error-summary a")).to_have_count(1)
    expect(page.locator("[data-field='token'] .error")).to_be_visible()
    assert page.title().startswith(WORDS[language]["error"])
    console.check(f"66-{language}-sign-in-errors")
    page.click(".error-summary a")
    expect(page.locator("textarea[name='token']")).to_be_focused()

    console.sign_in("provider-signatory")
    for route in ("/mandates", "/representatives?form=014", "/search?statuses=ACTIVE"):
        console.go(route)
        console.check(f"67-{language}-{route.strip('/').split('?')[0]}")
    # A mandate with its closure form open ("Modify" in the results), and the closure's own errors.
    console.follow(page.locator("td.row-actions a:nth-child(2)").first, "/mandate/", prefix=True)
    expect(page.locator("#close-action")).to_have_attribute("open", "")
    page.click("#close-next")
    expect(page.locator("#close-action .error-summary li")).to_have_count(2)
    console.check(f"68-{language}-mandate-closure-errors")

    console.sign_in("nsso-officer")
    console.go("/review")
    console.check(f"69-{language}-review")
