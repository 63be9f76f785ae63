"""The console's back office (issue 14), driven in Debian's Chromium: the officer's work queues, the
enterprise file with the officer's actions, competence, delegations, the bulk branch transfer and the
notifications. A real server with the demo data answers (today 2024-05-10, 2/2024); this module has
a server of its own. `Console.check` holds every new screen to the console's rules (axe-core, no raw code).
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.api.bulk_steps import EMPLOYERS, employer, workbook
from tests.api.helpers import ASBL, BOULANGERIE, CEASED, COOP, GARAGE, LOGISTIQUE, NO_STAFF, PROVIDER, SSA, SSA_NUMBER
from tests.console.test_console import graphql
from tests.serving import mandates
from tests.sinks import HttpSink, http_sink

pytestmark = pytest.mark.console

SEED = "tests.console.bulk_seed"  # the 60 employers of the bulk branch transfer (conftest.py)
PROVIDER_SIGNATORY_NISS = "70101545553"  # persona provider-signatory
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DECLARATIONS = [
    "TECHNICAL_ABILITY",
    "CIVIL_LIABILITY_INSURANCE",
    "NO_NSSO_DEBTS",
    "FOLLOWS_INSTRUCTIONS",
    "INSPECTOR_ACCESS",
    "TIMELY_REPORTING",
    "QUALITY_BAROMETER",
]


def accessible(console, name: str) -> None:
    """The screen held to the console's two rules (no code or rule ID in its text, no serious or critical
    axe-core violation), then its screenshot: `Console.check`."""
    console.check(name)


def deliver(env: dict, refuse: Callable[[dict], bool] = lambda message: False) -> HttpSink:
    """`mandates deliver` on the server's database, to a local e-Box sink that refuses (HTTP 400: a dead
    letter at once) the messages `refuse` names and accepts the others; the sink, with what it received."""
    with http_sink(failures=None, failure=400, refuse=lambda body: refuse(json.loads(body))) as ebox:
        mandates("deliver", env={**env, "MANDATES_EBOX_URL": ebox.url})
    return ebox


def to(*numbers: str) -> Callable[[dict], bool]:
    """The e-Box messages to these enterprises."""
    return lambda message: message["recipient"]["enterpriseNumber"] in {n.replace(".", "") for n in numbers}


UNDELIVERED = "{ undeliveredNotifications(first: 1) { totalCount } }"
LATE_CLOSURE = """mutation($input: CloseMandateInput!) { closeMandate(input: $input) { userErrors { code } } }"""
OWN_MANDATES = """query($n: String!) { mandates(filter: {principalNumber: $n, statuses: [ACTIVE]}) {
  edges { node { id reference mandatary { enterpriseNumber } } } } }"""


def test_r_pap_6_r_clo_5_r_spid_2_an_officer_works_every_queue_to_empty(console, server, server_env):
    """The demo's scan is referred to Inspection, then its result recorded; a late closure is reversed with
    a reason; a provider request is approved; of the notifications the e-Box refused, the bakery's is tried
    again (and delivered), the company without staff's are handled another way: each queue ends empty."""
    graphql(
        server,
        "employer-director",
        "mutation($d: [ProviderDeclaration!]!) { requestProviderIdentification(input: {declarations: $d}) { "
        "userErrors { code } } }",
        {"d": DECLARATIONS},
    )
    found = graphql(server, "provider-signatory", OWN_MANDATES, {"n": LOGISTIQUE})["mandates"]["edges"]
    late = next(e["node"] for e in found if e["node"]["mandatary"]["enterpriseNumber"] == PROVIDER)
    closed = graphql(
        server,
        "provider-signatory",
        LATE_CLOSURE,
        {"input": {"mandateId": late["id"], "endQuarter": "1/2024", "reason": "SILENT_EMPLOYER"}},
    )
    assert closed["closeMandate"]["userErrors"] == []
    deliver(server_env, refuse=to(BOULANGERIE, NO_STAFF))
    dead = graphql(server, "nsso-officer", UNDELIVERED)["undeliveredNotifications"]["totalCount"]
    assert dead >= 2
    page = console.page
    console.sign_in("nsso-officer")
    console.follow("#nav a[href='#/work']", "/work")
    expect(page.locator("[data-count-of='undelivered']")).to_have_text(
        f"Notifications that could not be delivered: {dead}"
    )
    expect(page.locator("[data-count-of='scans']")).to_have_text("Handwritten authorisations to review: 1")
    expect(page.locator("[data-count-of='closures']")).to_have_text("Late closures to assess: 1")
    expect(page.locator("[data-count-of='providers']")).to_have_text("Service-provider requests to decide: 1")
    accessible(console, "bo-01-work-queues")

    page.locator("[data-queue='scans'] input[value='REFER_TO_INSPECTION']").check()
    page.locator("[data-queue='scans'] button[type='submit']").click()
    expect(page.locator("[data-queue='scans'] .banner")).to_be_visible()
    console.go("/work")
    inspections = page.locator("[data-queue='inspections']")
    expect(inspections).to_have_attribute("data-count", "1")
    expect(inspections).to_contain_text("Inspection result due by")
    inspections.locator("input[value='ACCEPT']").check()  # the decision starts unselected (issue 13)
    inspections.locator("input[name='principalSignerNiss']").fill("80022901830")
    inspections.locator("input[name='mandatarySignerNiss']").fill("63020175963")
    inspections.locator("button[type='submit']").click()
    expect(inspections.locator(".banner")).to_contain_text("Active")

    closure = page.locator(f"[data-queue='closures'] li[data-reference='{late['reference']}']")
    expect(closure).to_contain_text("The employer does not respond")
    closure.locator("input[value='REVERSE']").check()
    closure.locator("button[type='submit']").click()
    expect(closure.locator("[data-field='reason'] .error")).to_have_text("State why the closure is reversed.")
    closure.locator("textarea[name='reason']").fill("The employer still answers its provider.")
    closure.locator("button[type='submit']").click()
    expect(closure.locator(".banner")).to_have_text(
        f"The closure of {late['reference']} is reversed; both parties are told."
    )

    providers = page.locator(f"[data-queue='providers'] li[data-request='{LOGISTIQUE}']")
    providers.locator("input[value='REFUSE']").check()
    providers.locator("button[type='submit']").click()
    expect(providers.locator("[data-field='reason'] .error")).not_to_be_empty()  # a refusal needs a reason
    providers.locator("input[value='APPROVE']").check()
    providers.locator("button[type='submit']").click()
    expect(providers.locator(".banner")).to_have_text("Demo Logistique Meuse SA is registered as a service provider.")

    undelivered = page.locator("[data-queue='undelivered']")
    expect(undelivered).to_contain_text("HTTP 400")  # the officer reads the receiving system's answer
    found = undelivered.locator("li[data-notification]", has_text=BOULANGERIE)
    expect(found).to_have_count(1)
    bakery = undelivered.locator(f"li[data-notification='{found.get_attribute('data-notification')}']")
    bakery.locator("button[type='submit']").click()  # the first choice: try again
    expect(bakery.locator(".banner")).to_have_text(
        "The notification to Boulangerie Demo Dupont SRL will be tried again."
    )
    no_staff = undelivered.locator("li[data-notification]", has_text=NO_STAFF)
    for notification in [item.get_attribute("data-notification") for item in no_staff.all()]:
        item = undelivered.locator(f"li[data-notification='{notification}']")
        item.locator("input[value='HANDLED']").check()
        item.locator("button[type='submit']").click()
        expect(item.locator("[data-field='reason'] .error")).to_have_text(
            "State how the notification was handled (at most 500 characters)."
        )
        item.locator("textarea[name='reason']").fill("Sent by registered post: the company has no e-Box.")
        item.locator("button[type='submit']").click()
        expect(item.locator(".banner")).to_have_text(
            "The notification to Demo Consult Lambert SRL is recorded as handled."
        )
    accessible(console, "bo-13-work-undelivered-decided")
    sent = deliver(server_env)  # the next run of the worker delivers the bakery's notification
    assert any(to(BOULANGERIE)(json.loads(request.body)) for request in sent.accepted())

    console.go("/work")
    for queue in ("scans", "inspections", "closures", "providers", "undelivered"):
        expect(page.locator(f"[data-queue='{queue}']")).to_have_attribute("data-count", "0")
        expect(page.locator(f"[data-queue='{queue}']")).to_contain_text("Nothing waits here.")
    console.shot("bo-02-work-queues-empty")


def test_r_emp_4_r_emp_5_an_officer_records_a_bankruptcy_and_the_curators_answer_the_mandates_end(console, server):
    page = console.page
    console.sign_in("nsso-officer")
    console.follow("#nav a[href='#/enterprise']", "/enterprise")
    page.fill("input[name='number']", GARAGE)
    console.follow("form[role='search'] button[type='submit']", f"/enterprise/{GARAGE}")
    expect(page.locator("#ent-name")).to_have_text("Demo Garage Janssens & Peeters VOF")
    expect(page.locator("[data-side='ent.asPrincipal'] tbody tr")).to_have_count(2)
    accessible(console, "bo-03-enterprise-file")

    bankruptcy = page.locator("form[data-action='recordBankruptcy']")
    bankruptcy.locator("input[name='publishedOn']").fill("2024-04-20")
    bankruptcy.locator("input[name='curatorNiss']").fill("12345")
    bankruptcy.locator("input[name='curatorName']").fill("Maître Curateur")
    bankruptcy.locator("button[type='submit']").click()
    expect(bankruptcy.locator("[data-field='curatorNiss'] .error")).not_to_be_empty()  # a bad NISS, next to its field
    bankruptcy.locator("input[name='curatorNiss']").fill("85073003328")
    console.follow(bankruptcy.locator("button[type='submit']"), f"/enterprise/{GARAGE}")
    expect(page.locator(".banner")).to_contain_text("Recorded.")

    answer = page.locator("form[data-action='recordCuratorAnswer']")
    answer.locator("select[name='answer']").select_option("DELETE")
    console.follow(answer.locator("button[type='submit']"), f"/enterprise/{GARAGE}")
    expect(page.locator(".banner")).to_have_text("Recorded. Mandates changed: 2.")
    periods = page.locator("[data-side='ent.asPrincipal'] tbody td.period")
    expect(periods).to_have_count(2)
    for text in periods.all_inner_texts():
        assert text.endswith("– 2/2024"), text  # every group ends with the current quarter
    console.shot("bo-04-enterprise-after-bankruptcy")


def test_r_emp_1_an_officer_records_an_employers_deletion_its_employer_groups_end_with_the_quarter(console, server):
    page = console.page
    console.sign_in("nsso-officer")
    console.go(f"/enterprise/{ASBL}")
    deletion = page.locator("form[data-action='deleteEmployer']")
    deletion.locator("input[name='deletionDate']").fill("2024-04-30")
    deletion.locator("select[name='requestedBy']").select_option("EMPLOYER")
    console.follow(deletion.locator("button[type='submit']"), f"/enterprise/{ASBL}")
    expect(page.locator(".banner")).to_contain_text("Recorded. Mandates changed: 1.")
    expect(page.locator(".facts")).to_contain_text("Employer deleted on")
    expect(page.locator("[data-side='ent.asPrincipal'] tbody td.period")).to_have_text(["1/2024 – 2/2024"])
    console.shot("bo-04b-enterprise-after-deletion")


def test_r_for_2_an_officer_registers_a_foreign_entity_with_its_checklist_of_documents(console, server):
    """The four documents are required (R-FOR-2): one missing is named; all four given, the entity and its
    mandate are registered."""
    page = console.page
    console.sign_in("nsso-officer")
    console.follow("#nav a[href='#/foreign']", "/foreign")
    for name, value in {
        "enterpriseNumber": "0712.345.630",
        "address": "Hauptstraße 5, 80331 München, Deutschland",
        "legalForm": "030",
        "activeFrom": "2024-01-01",
        "niss": "85273000106",
        "functionCode": "10007",
        "mandataryNumber": PROVIDER,
        "mandatarySignerNiss": PROVIDER_SIGNATORY_NISS,
        "groups": "WORKS_DECLARATIONS",
        "startQuarter": "2/2024",
    }.items():
        page.fill(f"input[name='{name}']", value)
    names = page.locator("input[name='name']")  # the entity's, then its representative's
    names.nth(0).fill("Demo Holzbau Bayern GmbH")
    names.nth(1).fill("Anna Huber")
    files = {
        "COMPANY_DATA": ("statuten.pdf", b"%PDF-1.4 company data with the current address"),
        "REPRESENTATIVE_DESIGNATION": ("bestellung.pdf", b"%PDF-1.4 designation of the legal representative"),
        "IDENTITY_COPY": ("ausweis-farbe.jpg", b"\xff\xd8\xff colour copy of the identity card"),
    }
    for kind, (name, content) in files.items():
        page.set_input_files(
            f"input[name='{kind}']", files=[{"name": name, "mimeType": "application/pdf", "buffer": content}]
        )
    accessible(console, "bo-11-foreign-entity")
    page.click("form button[type='submit']")
    expect(page.locator("[data-field='SIGNED_AUTHORISATION'] .error")).to_contain_text("authorisation")
    page.set_input_files(
        "input[name='SIGNED_AUTHORISATION']",
        files=[{"name": "vollmacht.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 signed by hand by both"}],
    )
    page.click("form button[type='submit']")
    expect(page.locator(".banner")).to_contain_text("Demo Holzbau Bayern GmbH is registered; its mandate is M")
    console.shot("bo-12-foreign-entity-registered")


def test_r_comp_7_a_provider_looks_up_competence_for_a_past_quarter(console, server):
    page = console.page
    console.sign_in("provider-signatory")
    console.follow("#nav a[href='#/competence']", "/competence")
    page.fill("input[name='principalNumber']", LOGISTIQUE)
    page.select_option("select[name='group']", "DIMONA")
    page.fill("input[name='on']", "2023-11-15")
    console.follow("form[role='search'] button[type='submit']", "/competence")
    row = page.locator(f".competence tr[data-number='{PROVIDER}']")
    expect(row).to_have_attribute("data-via", "MANDATE")
    expect(row).to_contain_text("its mandate")
    accessible(console, "bo-05-competence")
    # The demo's cooperative: the SSA replaced the provider for its DmfA from 4/2023 and delegated 1/2023 – 3/2023
    # back to it (config/demo.py). For a day of 1/2023 the provider may act through that delegation only (R-COMP-1).
    page.fill("input[name='principalNumber']", COOP)
    page.select_option("select[name='group']", "DMFA")
    page.fill("input[name='on']", "2023-02-15")
    console.follow("form[role='search'] button[type='submit']", "/competence")
    row = page.locator(f".competence tr[data-number='{PROVIDER}']")
    expect(row).to_have_attribute("data-via", "DELEGATION")
    expect(row).to_contain_text("a delegation of the mandatary · delegated for 1/2023 – 3/2023")
    expect(page.locator(f".competence tr[data-number='{SSA}']")).to_have_attribute("data-via", "MANDATE")
    expect(page.locator("#comp-answer")).to_have_text(f"Who may act for {COOP} on 15 Feb 2023")  # the day in words
    accessible(console, "bo-05b-competence-via-delegation")
    # A Dimona of a day before any mandate (R-COMP-2; DmfA would be its current mandatary's, R-COMP-1): the
    # answer says so in words, not with an empty table.
    page.select_option("select[name='group']", "DIMONA")
    page.fill("input[name='on']", "2001-02-15")
    console.follow("form[role='search'] button[type='submit']", "/competence")
    expect(page.locator(".competence table")).to_have_count(0)
    expect(page.locator(".competence")).to_contain_text("No one may act for this enterprise in this group on that day.")
    accessible(console, "bo-05c-competence-nobody")


DELEGATE = """mutation($input: CreateDelegationInput!) { createDelegation(input: $input) {
  delegation { id } userErrors { code message } } }"""
SSA_MANDATE_OF_COOP = (
    """{ mandates(filter: {principalNumber: "%s", groups: ["DMFA"], statuses: [ACTIVE]}) {
  edges { node { id mandatary { enterpriseNumber } } } } }"""
    % COOP
)


def test_r_del_2_a_provider_reads_the_delegations_it_received_and_the_ssa_ends_one_it_gave(console, server):
    page = console.page
    console.sign_in("provider-signatory")
    console.follow("#nav a[href='#/delegations']", "/delegations")
    received = page.locator(f"[data-list='deleg-received'] tr[data-principal='{COOP}']")
    expect(received).to_have_count(1)
    expect(received).to_contain_text("Secrétariat Social Demo Horta ASBL")
    expect(received.locator(".period")).to_have_text("1/2023 – 3/2023")
    expect(page.locator("[data-list='deleg-given']")).to_contain_text("Your enterprise gave no delegation.")
    accessible(console, "bo-07b-delegations-received")

    # Two more delegations by the SSA, of the other groups the provider held then (R-DEL-1).
    edges = graphql(server, "ssa-signatory", SSA_MANDATE_OF_COOP)["mandates"]["edges"]
    (main,) = [e["node"]["id"] for e in edges if e["node"]["mandatary"]["enterpriseNumber"] == SSA]
    made = []
    for group in ("DIMONA", "FLEXI"):
        fields = {"mandateId": main, "delegateNumber": PROVIDER, "groups": [group], "fromQuarter": "1/2023"}
        payload = graphql(server, "ssa-signatory", DELEGATE, {"input": {**fields, "toQuarter": "3/2023"}})
        assert payload["createDelegation"]["userErrors"] == [], payload
        made.append(payload["createDelegation"]["delegation"]["id"])
    console.sign_in("ssa-signatory")
    console.follow("#nav a[href='#/delegations']", "/delegations")
    given = page.locator("[data-list='deleg-given'] tbody tr")
    expect(given).to_have_count(3)
    dimona = page.locator(f"tr[data-delegation='{made[0]}']")
    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first; no: nothing changes
    dimona.locator("button[data-end]").click()
    expect(dimona.locator(".status")).to_have_text("Active")
    page.once("dialog", lambda dialog: dialog.accept())
    dimona.locator("button[data-end]").click()
    expect(dimona.locator(".status")).to_have_text("Cancelled")
    expect(dimona.locator("button[data-end]")).to_have_count(0)
    # Ended meanwhile elsewhere: the refusal comes in the error summary, in words.
    flexi = page.locator(f"tr[data-delegation='{made[1]}']")
    ended = graphql(server, "ssa-signatory", END_DELEGATION, {"input": {"delegationId": made[1]}})
    assert ended["endDelegation"]["userErrors"] == []
    page.once("dialog", lambda dialog: dialog.accept())
    flexi.locator("button[data-end]").click()
    summary = page.locator("[role='alert']").first
    expect(summary).to_have_text("This delegation has already ended.")
    expect(summary).to_be_focused()
    expect(flexi.locator(".status")).to_have_text("Cancelled")
    accessible(console, "bo-07c-delegations-given-refusal")


END_DELEGATION = """mutation($input: EndDelegationInput!) { endDelegation(input: $input) { userErrors { code } } }"""


def test_r_usr_3_r_emp_4_the_enterprise_file_shows_who_may_sign_and_its_history_to_officers_and_its_own_users(
    console, server
):
    page = console.page
    console.sign_in("nsso-officer")
    console.go(f"/enterprise/{CEASED}")
    expect(page.locator("[data-part='history']")).to_contain_text(
        "Nothing has been recorded about this enterprise yet."
    )
    expect(page.locator("[data-part='holders']")).to_contain_text("No one else may sign for this enterprise.")
    bankruptcy = page.locator("form[data-action='recordBankruptcy']")
    bankruptcy.locator("input[name='publishedOn']").fill("2024-05-02")
    bankruptcy.locator("input[name='curatorNiss']").fill("85073003328")
    bankruptcy.locator("input[name='curatorName']").fill("Maître Anne Curat")
    console.follow(bankruptcy.locator("button[type='submit']"), f"/enterprise/{CEASED}")
    answer = page.locator("form[data-action='recordCuratorAnswer']")
    answer.locator("select[name='answer']").select_option("CONTINUE")
    console.follow(answer.locator("button[type='submit']"), f"/enterprise/{CEASED}")
    holders = page.locator("[data-part='holders'] tbody tr")
    expect(holders).to_have_count(1)
    expect(holders).to_contain_text("Maître Anne Curat")
    expect(holders).to_contain_text("Curator")
    history = page.locator("[data-part='history'] tbody tr")
    expect(history).to_have_count(2)  # newest first: the answer, then the bankruptcy
    expect(history.nth(0)).to_contain_text("The curator (Maître Anne Curat) answered: continue the activity.")
    expect(history.nth(1)).to_contain_text("The NSSO recorded the bankruptcy published on 2 May 2024")
    accessible(console, "bo-03b-enterprise-file-holders-history")
    page.select_option("#language", "fr")  # the screen is drawn again in French
    expect(history.nth(0)).to_contain_text("Le curateur (Maître Anne Curat) a répondu : poursuivre l’activité.")

    # Its own users see them (here LOGISTIQUE's, which gave Sophie Renard the competence to sign); others do not.
    page.select_option("#language", "en")
    console.sign_in("employer-director")
    console.go(f"/enterprise/{LOGISTIQUE}")
    expect(page.locator("[data-part='holders'] tbody tr")).to_contain_text("Sophie Renard")
    expect(page.locator("[data-part='holders'] tbody tr")).to_contain_text("Competence to sign mandates")
    expect(page.locator("[data-part='history']")).to_be_visible()
    console.sign_in("provider-signatory")
    console.go(f"/enterprise/{LOGISTIQUE}")
    expect(page.locator("#ent-name")).to_have_text("Demo Logistique Meuse SA")
    expect(page.locator("[data-part='holders'], [data-part='history']")).to_have_count(0)


CREATE = """mutation($input: CreateMandateInput!) { createMandate(input: $input) {
  mandate { reference } userErrors { code } } }"""


def test_r_not_5_an_employer_reads_its_notifications_newest_first_with_their_delivery_state(
    console, server, server_env
):
    """The bakery's notifications in words: the older ones delivered on their day, one the e-Box refused
    (the NSSO handles it; the receiver's answer is not shown), the newest waiting for the next run."""

    def created(group: str) -> str:
        input_ = {"mandataryNumber": PROVIDER, "groups": [group], "startQuarter": "3/2024"}
        payload = graphql(server, "employer-manager", CREATE, {"input": input_})["createMandate"]
        assert payload["userErrors"] == []
        return payload["mandate"]["reference"]

    deliver(server_env)  # what waits is delivered
    refused = created("WITA_AMATEUR")
    deliver(server_env, refuse=lambda message: message["mandateReference"] == refused and to(BOULANGERIE)(message))
    waiting = created("BELPARCEL")
    page = console.page
    console.sign_in("employer-manager")
    console.follow("#nav a[href='#/notifications']", "/notifications")
    items = page.locator(".notifications > li")
    expect(items.first).to_be_visible()
    expect(items.first.locator("a")).to_have_attribute("href", re.compile("^#/mandate/"))
    expect(items.first).to_contain_text(waiting)
    expect(items.first.locator(".delivery")).to_have_text("Waiting to be delivered")
    dead = items.filter(has_text=refused)
    expect(dead.locator(".delivery")).to_have_text("Could not be delivered: the NSSO is handling it")
    expect(dead).not_to_contain_text("HTTP 400")
    expect(items.last.locator(".delivery")).to_contain_text("Delivered on")
    expect(page.get_by_role("button", name="Show older notifications")).to_be_hidden()  # fewer than a page
    accessible(console, "bo-06-notifications")
    console.follow("#nav a[href='#/delegations']", "/delegations")
    expect(page.locator("h1")).to_have_text("Delegations")
    accessible(console, "bo-07-delegations")


def test_r_ssa_3_an_ssas_60_line_file_refused_for_one_bad_line_then_all_60_transferred_once_fixed(console, server):
    """The SSA's own manager sends its file (the guidelines' file « transmis à l'ONSS », the registry
    being the NSSO's). The 60 employers of tests/api/bulk_steps.py (SEED), their files in BRU; line 61
    names a branch the SSA does not have: nothing moves; fixed, all 60 move to ANT."""
    page = console.page
    console.sign_in("ssa-signatory")
    console.follow("#nav a[href='#/branches']", "/branches")
    expect(page.locator("main")).to_contain_text("Every line names your social secretariat (Secrétariat Social Demo")
    with page.expect_download() as download:
        page.click("a[data-template]")
    assert download.value.suggested_filename == "branch-changes.xlsx"
    template = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [cell.value for cell in template[1]][:3] == [
        "SSA (SSA number or CBE number)",
        "Employer (CBE number or NSSO number)",
        "New branch (code)",
    ]
    accessible(console, "bo-08-branches")

    lines = [(SSA_NUMBER, employer(i)["cbe"], "ANT") for i in range(EMPLOYERS)]
    bad = workbook([*lines[:-1], (SSA_NUMBER, lines[-1][1], "XYZ")])
    page.set_input_files("input[name='file']", files=[{"name": "transfer.xlsx", "mimeType": XLSX, "buffer": bad}])
    page.click("form button[type='submit']")
    expect(page.locator("button[data-confirm]")).to_be_focused()
    page.keyboard.press("Enter")  # confirmed with the keyboard: the focus follows to the outcome
    expect(page.locator(".result tbody tr")).to_have_count(1)
    expect(page.locator("#refused-title")).to_have_text("Lines refused: 1")
    expect(page.locator("#refused-title")).to_be_focused()
    expect(page.locator("tr[data-line='61']")).to_contain_text("C")
    expect(page.locator(".result .alert-error")).to_contain_text("Nothing was transferred")
    accessible(console, "bo-09-branches-refused")

    page.set_input_files(
        "input[name='file']", files=[{"name": "transfer.xlsx", "mimeType": XLSX, "buffer": workbook(lines)}]
    )
    page.click("form button[type='submit']")
    page.click("button[data-confirm]")
    expect(page.locator(".result .banner")).to_have_text(
        "Transferred: 60 lines, 60 mandates moved to their new branch."
    )
    expect(page.locator(".result .banner")).to_be_focused()
    console.shot("bo-10-branches-transferred")


@pytest.mark.parametrize("language", ["en", "fr", "nl", "de"])
def test_r_usr_5_the_back_office_fits_a_360_px_phone_in_every_language(phone, server, language):
    page = phone.page
    phone.sign_in("nsso-officer")
    page.select_option("#language", language)
    for route in ("/work", f"/enterprise/{GARAGE}", "/competence", "/branches", "/notifications"):
        phone.go(route)
        assert page.evaluate("() => document.documentElement.lang") == language
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, (route, language, width)
        phone.shot(f"bo-phone-{language}-{route.strip('/').split('/')[0]}")
    phone.sign_in("provider-signatory")
    # Its delegations given and received, and the answer that names the delegation's period.
    for route in ("/delegations", f"/competence?principal={COOP}&group=DMFA&on=2023-02-15"):
        phone.go(route)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, (route, language)
        phone.shot(f"bo-phone-{language}-provider-{route.strip('/').split('?')[0]}")
    assert page.locator("#nav a[href='#/branches']").count() == 0  # a provider, not a social secretariat
    phone.sign_in("ssa-signatory")  # R-SSA-3: the SSA's own branch transfer
    page.select_option("#language", language)
    phone.go("/branches")
    assert page.locator("#nav a[href='#/branches']").count() == 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    phone.shot(f"bo-phone-{language}-branches-ssa")


def test_r_ent_9_the_enterprise_file_names_the_legal_form_in_the_viewers_language(console, server, server_env):
    """Once a CBE extract gave the legal forms' descriptions, the file names the form in the console's language
    (the English name only when there is none in it)."""
    database = server_env["MANDATES_DATABASE_URL"].removeprefix("sqlite://")
    with closing(sqlite3.connect(database)) as connection, connection:
        code, english = connection.execute(
            "SELECT code, name FROM legal_form WHERE code = "
            "(SELECT legal_form_id FROM enterprise WHERE enterprise_number = ?)",
            (GARAGE.replace(".", ""),),
        ).fetchone()
        connection.execute(
            "UPDATE legal_form SET name_fr = 'Société en nom collectif', name_nl = 'Vennootschap onder firma' "
            "WHERE code = ?",
            (code,),
        )
    page = console.page
    console.sign_in("nsso-officer")
    page.select_option("#language", "fr")
    console.go(f"/enterprise/{GARAGE}")
    expect(page.locator("main")).to_contain_text(f"{code} — Société en nom collectif")
    page.select_option("#language", "de")
    console.go(f"/enterprise/{GARAGE}")
    expect(page.locator("main")).to_contain_text(f"{code} — {english}")  # none in German: the English name
