"""The back office (issue 14) worked with the keyboard only: Tab, Shift+Tab, Enter, Space and the arrow keys
within a group of radios, never a click. RULES.md has no rule of its own for the console's usability (R-USR-5
is the home page's offer), so the tests are named after the rules of the actions they take. A server of its
own: the late closure is made here on the demo data.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.api.helpers import COOP, LOGISTIQUE, PROVIDER, SSA
from tests.console.test_console import graphql

pytestmark = pytest.mark.console

CLOSE = """mutation($input: CloseMandateInput!) { closeMandate(input: $input) { userErrors { code } } }"""
OWN_MANDATES = """query($n: String!) { mandates(filter: {principalNumber: $n, statuses: [ACTIVE]}) {
  edges { node { id reference mandatary { enterpriseNumber } } } } }"""
DELEGATE = """mutation($input: CreateDelegationInput!) { createDelegation(input: $input) {
  delegation { id } userErrors { code message } } }"""
END = """mutation($input: EndDelegationInput!) { endDelegation(input: $input) { userErrors { code } } }"""
SSA_DMFA_OF_COOP = """query($n: String!) {
  mandates(filter: {principalNumber: $n, groups: ["DMFA"], statuses: [ACTIVE]}) {
    edges { node { id mandatary { enterpriseNumber } } } } }"""

# What a keyboard user can reach with Tab in the screen's main part: radios are one stop per group (the
# checked one), the others are reached with the arrow keys.
ACTIONS = "main a[href], main button, main input:not([type='radio']), main textarea, main select"
FOCUSED = "el => el === document.activeElement"


def tab_to(page: Page, target: Locator, *, back: bool = False, limit: int = 300) -> None:
    """Presses Tab (Shift+Tab with `back`) until `target` has the focus; fails when it never gets it."""
    for _ in range(limit):
        if target.evaluate(FOCUSED):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{target} is out of the keyboard's reach")


def go_by_menu(page: Page, route: str) -> None:
    """From the top of the page, Tab to the main menu's entry and Enter; waits for the screen."""
    page.evaluate("() => { document.body.dataset.ready = 'leaving'; document.activeElement?.blur(); }")
    tab_to(page, page.locator(f"#nav a[href='#{route}']"))
    page.keyboard.press("Enter")
    page.wait_for_function("path => document.body.dataset.ready === path", arg=route)


def every_action_reachable(page: Page) -> None:
    """Tabs once through the whole page: every link, button and field on display in the main part gets the
    focus."""
    tag = """selector => [...document.querySelectorAll(selector)].filter((el) => el.checkVisibility())
        .map((el, i) => { el.dataset.kb = String(i); return el.dataset.kb; })"""
    wanted = set(page.evaluate(tag, ACTIONS))  # the fields a choice reveals are hidden until then
    page.locator("#skip").focus()
    reached: set[str] = set()
    for _ in range(len(wanted) * 3 + 60):
        page.keyboard.press("Tab")
        key = page.evaluate("() => document.activeElement?.dataset.kb ?? null")
        if key is not None:
            reached.add(key)
        if reached >= wanted:
            break
    missed = page.evaluate(
        "keys => keys.map((k) => document.querySelector(`[data-kb='${k}']`).outerHTML.slice(0, 120))",
        sorted(wanted - reached),
    )
    assert not missed, missed


def test_r_clo_6_an_officer_assesses_a_late_closure_with_the_keyboard_only(console, server):
    """Reversing without a reason is refused: the focus lands on the error summary, whose link leads to the
    reason; once given, the queue item gives way to its outcome, which holds the focus."""
    found = graphql(server, "provider-signatory", OWN_MANDATES, {"n": LOGISTIQUE})["mandates"]["edges"]
    late = next(e["node"] for e in found if e["node"]["mandatary"]["enterpriseNumber"] == PROVIDER)
    closed = graphql(
        server,
        "provider-signatory",
        CLOSE,
        {"input": {"mandateId": late["id"], "endQuarter": "1/2024", "reason": "SILENT_EMPLOYER"}},
    )
    assert closed["closeMandate"]["userErrors"] == []
    page = console.page
    console.sign_in("nsso-officer")
    go_by_menu(page, "/work")
    # Foreign entities ask by e-mail (R-FOR-6): the home points to their registration instead of a queue.
    expect(page.locator(".queue-counts a[href='#/foreign']")).to_have_text("Register a foreign entity")
    every_action_reachable(page)

    item = page.locator(f"[data-queue='closures'] li[data-reference='{late['reference']}']")
    accept, reverse = item.locator("input[value='ACCEPT']"), item.locator("input[value='REVERSE']")
    page.locator("#skip").focus()
    tab_to(page, page.locator("[data-count-of='closures'] a"))  # the count leads to its queue
    page.keyboard.press("Enter")
    expect(page.locator("#queue-closures")).to_be_focused()
    tab_to(page, accept, limit=5)
    page.keyboard.press("ArrowDown")  # within the group: the other choice, selected
    expect(reverse).to_be_checked()
    expect(reverse).to_be_focused()
    tab_to(page, item.locator("button[type='submit']"))
    page.keyboard.press("Enter")
    summary = item.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("State why the closure is reversed.")
    page.keyboard.press("Tab")  # the summary's link to the field
    page.keyboard.press("Enter")
    reason = item.locator("textarea[name='reason']")
    expect(reason).to_be_focused()
    page.keyboard.type("The employer still answers its provider.")
    page.keyboard.press("Tab")
    expect(item.locator("button[type='submit']")).to_be_focused()
    page.keyboard.press("Space")
    outcome = item.locator(".banner")
    expect(outcome).to_be_visible()
    expect(outcome).to_be_focused()
    page.keyboard.press("Shift+Tab")  # on from where the item was, not from the page's top
    assert page.evaluate("() => document.activeElement.closest('main') !== null")
    console.check("bo-kb-01-late-closure-reversed")


def test_r_del_5_an_ssa_ends_a_delegation_with_the_keyboard_only(console, server):
    """The SSA ends a delegation it gave (the browser's confirmation answered with Enter's default, accept);
    one ended meanwhile elsewhere is refused in the error summary, which takes the focus."""
    edges = graphql(server, "ssa-signatory", SSA_DMFA_OF_COOP, {"n": COOP})["mandates"]["edges"]
    (main,) = [e["node"]["id"] for e in edges if e["node"]["mandatary"]["enterpriseNumber"] == SSA]
    made = []
    for group in ("DIMONA", "FLEXI"):
        fields = {"mandateId": main, "delegateNumber": PROVIDER, "groups": [group], "fromQuarter": "1/2023"}
        payload = graphql(server, "ssa-signatory", DELEGATE, {"input": {**fields, "toQuarter": "3/2023"}})
        assert payload["createDelegation"]["userErrors"] == [], payload
        made.append(payload["createDelegation"]["delegation"]["id"])
    page = console.page
    console.sign_in("ssa-signatory")
    go_by_menu(page, "/delegations")
    every_action_reachable(page)

    dimona = page.locator(f"tr[data-delegation='{made[0]}']")
    page.locator("#skip").focus()
    tab_to(page, dimona.locator("button[data-end]"))
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Enter")
    expect(dimona.locator(".status")).to_have_text("Cancelled")
    expect(dimona.locator(".status")).to_be_focused()  # not lost to the page's top with its button

    flexi = page.locator(f"tr[data-delegation='{made[1]}']")
    assert (
        graphql(server, "ssa-signatory", END, {"input": {"delegationId": made[1]}})["endDelegation"]["userErrors"] == []
    )
    tab_to(page, flexi.locator("button[data-end]"))
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Space")
    summary = page.locator("[role='alert']").first
    expect(summary).to_be_focused()
    expect(summary).to_have_text("This delegation has already ended.")
    expect(flexi.locator(".status")).to_have_text("Cancelled")
    console.check("bo-kb-02-delegation-ended")
