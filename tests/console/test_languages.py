"""The console in English, French, Dutch and German (issue 13, "Four languages, everywhere"): the first
choice follows the browser's languages, the person's choice is remembered, every screen is in the chosen
language, the server's messages too (Accept-Language), and no screen shows a code or a rule ID."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.console.conftest import DESKTOP, Console

BLOCKS = {
    "en": ["To be finalised", "Pending", "Rejected"],
    "fr": ["À finaliser", "En attente", "Refusé"],
    "nl": ["Te finaliseren", "In afwachting", "Geweigerd"],
    "de": ["Abzuschließen", "Ausstehend", "Abgelehnt"],
}
SEARCH_TITLE = {
    "en": "Search mandates",
    "fr": "Rechercher des mandats",
    "nl": "Mandaten zoeken",
    "de": "Mandate suchen",
}
SCREENS = ["/", "/mandates", "/create", "/search", "/search?statuses=PENDING", "/representatives?form=014"]
RAW = re.compile(r"\bR-[A-Z]+-\d+\b|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")


def _console(browser, server, locale: str) -> tuple[Console, object]:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale=locale)
    return Console(context.new_page(), server), context


@pytest.mark.parametrize(("locale", "language"), [("nl-BE", "nl"), ("de-BE", "de"), ("fr-BE", "fr"), ("en-GB", "en")])
def test_the_first_language_is_the_browsers_and_every_screen_speaks_it_without_codes(browser, server, locale, language):
    console, context = _console(browser, server, locale)
    try:
        console.sign_in("coop-managing-director")
        page = console.page
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("#language")).to_have_value(language)
        expect(page.locator(".block h2")).to_have_text(BLOCKS[language])
        for screen in SCREENS:
            console.go(screen)
            text = page.locator("body").inner_text()
            assert not RAW.findall(text), (language, screen, RAW.findall(text))
        console.go("/search")
        expect(page.locator("h1")).to_have_text(SEARCH_TITLE[language])
        console.shot(f"40-search-in-{language}")
    finally:
        context.close()


def test_the_persons_choice_is_remembered_over_the_browsers_language(browser, server):
    console, context = _console(browser, server, "fr-BE")
    try:
        console.sign_in("coop-managing-director")
        page = console.page
        expect(page.locator(".block h2")).to_have_text(BLOCKS["fr"])
        page.select_option("#language", "de")
        console.ready("/")
        expect(page.locator(".block h2")).to_have_text(BLOCKS["de"])
        page.reload()
        console.ready("/")
        expect(page.locator(".block h2")).to_have_text(BLOCKS["de"])
        expect(page.locator("html")).to_have_attribute("lang", "de")
    finally:
        context.close()


def test_the_servers_refusal_comes_in_the_consoles_language(browser, server):
    """A refusal written by the server (a malformed enterprise number) reaches the Dutch console in Dutch."""
    console, context = _console(browser, server, "nl-BE")
    try:
        console.sign_in("coop-managing-director")
        page = console.page
        answer = page.evaluate(
            """async () => {
                const { gql } = await import('./js/api.js');
                try {
                    await gql('{ mandates(filter: {mandataryNumber: "0403.170.702"}) { totalCount } }');
                    return null;
                } catch (error) { return [error.code, error.message]; }
            }"""
        )
        assert answer == [
            "INVALID_ENTERPRISE_NUMBER",
            "„0403.170.702” is geen geldig ondernemingsnummer (10 cijfers, modulo 97-controle).",
        ]
    finally:
        context.close()
