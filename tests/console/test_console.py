"""The console at /console/, driven in Debian's Chromium through the screens of the Mahis description.

A real server with the demo data (config/demo.py) answers; today is 2024-05-10 (2/2024). Each test
works with enterprises of its own, so that the order of the tests does not matter. Screenshots of
every screen go to tests/console/screenshots/.
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.api.helpers import BOULANGERIE, GARAGE, NO_STAFF, PROVIDER, PROVIDER2, SSA_NUMBER

pytestmark = pytest.mark.console


def dev_token(base: str, persona: str) -> str:
    request = urllib.request.Request(
        f"{base}/console/dev-token",
        data=json.dumps({"key": persona}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())["token"]


def graphql(base: str, persona: str, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {dev_token(base, persona)}"},
    )
    with urllib.request.urlopen(request) as response:
        body = json.loads(response.read())
    assert "errors" not in body, body
    return body["data"]


def fetch(base: str, path: str) -> bytes:
    with urllib.request.urlopen(f"{base}{path}") as response:
        return response.read()


def test_r_usr_5_sign_in_shows_who_acts_for_which_enterprise_with_which_right(console, server):
    console.open("/signin")
    page = console.page
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.locator(".development")).to_contain_text("Development only")
    expect(page.locator("button[data-persona]")).to_have_count(13)
    console.shot("01-sign-in")

    # A pasted bearer token (what an identity provider gives in production).
    page.fill("textarea[name='token']", "not-a-token")
    page.click("form button[type='submit']")
    expect(page.locator(".view > .alert-error")).to_contain_text("sign in again")
    page.fill("textarea[name='token']", dev_token(server, "employer-consult"))
    page.click("form button[type='submit']")
    console.ready("/")
    expect(page.locator("#who")).to_have_text(
        "Arnaud Fontaine (NISS 01120566397) acts for Demo Logistique Meuse SA (0893.219.451) with the right to "
        "consult mandates."
    )

    console.sign_in("employer-director")
    expect(page.locator("#who")).to_have_text(
        "Marc Delvaux (NISS 68031425991) acts for Demo Logistique Meuse SA (0893.219.451) with the right to manage "
        "mandates."
    )
    expect(page.locator("[data-button]")).to_have_text(
        [re.compile("^Mandates"), re.compile("^Representatives"), re.compile("^Identification")]
    )
    console.shot("02-home")

    console.sign_in("nsso-officer")
    expect(page.locator("#who")).to_have_text("Véronique Stassart (NISS 83102078837) acts for the NSSO as an officer.")
    expect(page.locator("#nav")).to_contain_text("Review queue")
    page.click("#nav .link-button")
    console.ready("/signin")


def test_r_dash_2_the_blocks_follow_a_mandate_from_to_be_finalised_to_pending_to_active(console, server):
    """R-DASH-1..4: grey while a block holds the mandate, white otherwise; one mandate links to its screen."""
    page = console.page
    console.sign_in("company-without-staff")
    before = {status: console.block(status) for status in ("TO_BE_FINALISED", "PENDING", "REJECTED")}
    assert [b["colour"] for b in before.values()] == ["WHITE", "WHITE", "WHITE"], before
    assert before["TO_BE_FINALISED"]["text"] == "To be finalised\nNo mandate"
    console.shot("03-home-all-white")

    console.go("/create")
    page.fill("input[name='mandataryNumber']", PROVIDER2)
    page.check("#group-WITA_AMATEUR")
    page.select_option("select[name='startQuarter']", "3/2024")
    console.follow("button[type='submit']", "/create/validate/", prefix=True)

    console.go("/")
    finalise = console.block("TO_BE_FINALISED")
    assert (finalise["colour"], finalise["count"]) == ("GREY", 1)
    assert console.block("PENDING")["colour"] == "WHITE"
    console.shot("04-home-to-be-finalised-grey")
    link = page.locator(".block[data-status='TO_BE_FINALISED'] a")
    expect(link).to_have_text("1 mandate")
    console.follow(link, "/mandate/", prefix=True)  # one mandate: straight to its action screen (R-DASH-4)
    expect(page.locator("h1")).to_contain_text("To be finalised")
    reference = re.search(r"M\d{4}-\d+", page.locator("h1").inner_text()).group(0)
    console.shot("05-mandate-to-be-finalised")
    page.click("#action-sign")
    expect(page.locator(".banner")).to_have_text("Signed. Status: Pending.")

    console.go("/")
    assert [console.block(s)["colour"] for s in ("TO_BE_FINALISED", "PENDING", "REJECTED")] == [
        "WHITE",
        "GREY",
        "WHITE",
    ]
    assert console.block("PENDING")["count"] == 1
    console.shot("06-home-pending-grey")

    # The mandatary confirms: the mandate is active and leaves every block.
    console.sign_in("provider2-signatory")
    console.go(f"/search?principalNumber={NO_STAFF}&statuses=PENDING")
    row = page.locator(f"tr[data-reference='{reference}']")
    console.follow(row.locator("th a"), "/mandate/", prefix=True)
    page.click("#action-sign")
    expect(page.locator(".banner")).to_have_text("Signed. Status: Active.")
    expect(page.locator("h1 .badge")).to_have_text("Active")

    console.sign_in("company-without-staff")
    assert [console.block(s)["colour"] for s in ("TO_BE_FINALISED", "PENDING", "REJECTED")] == [
        "WHITE",
        "WHITE",
        "WHITE",
    ]
    console.shot("07-home-all-white-again")


def test_r_cre_2_create_in_three_steps_with_refusals_next_to_their_fields_then_accept_and_sign(console, server):
    page = console.page
    console.sign_in("employer-director")
    console.go("/create")
    expect(page.locator(".steps [aria-current='step']")).to_have_text("Data introduction")

    # A malformed number is refused next to the mandatary field.
    page.fill("input[name='mandataryNumber']", "0403.170.702")
    page.check("#group-SIGEDIS")
    page.click("button[type='submit']")
    error = page.locator("[data-field='mandataryNumber'] .error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("0403.170.702")
    expect(page.locator("input[name='mandataryNumber']")).to_have_attribute("aria-invalid", "true")
    console.shot("08-create-step-1-refused-number")

    # The SSA number finds the social secretariat and offers its branches; DmfA alone needs its companions.
    page.fill("input[name='mandataryNumber']", SSA_NUMBER)
    page.locator("input[name='mandataryNumber']").dispatch_event("change")
    expect(page.locator(".found")).to_have_text("Found: Secrétariat Social Demo Horta ASBL")
    expect(page.locator("select[name='branchCode'] option")).to_have_text(
        ["Head office", re.compile("^ANT"), re.compile("^BRU"), re.compile("^LIE")]
    )
    page.uncheck("#group-SIGEDIS")
    page.check("#group-DMFA")
    page.click("button[type='submit']")
    groups_error = page.locator("[data-field='groups'] > .error")
    expect(groups_error).to_be_visible()
    expect(page.locator("[data-field='mandataryNumber'] .error")).to_be_hidden()
    console.shot("09-create-step-1-refused-groups")

    page.uncheck("#group-DMFA")
    page.check("#group-SIGEDIS")
    page.select_option("select[name='branchCode']", "LIE")
    page.select_option("select[name='startQuarter']", "3/2024")
    console.follow("button[type='submit']", "/create/validate/", prefix=True)
    expect(page.locator(".steps [aria-current='step']")).to_have_text("Validation of the mandate")
    expect(page.locator(".facts")).to_contain_text("Secrétariat Social Demo Horta ASBL")
    expect(page.locator(".facts")).to_contain_text("Branch: LIE")
    expect(page.locator("tr[data-group='SIGEDIS']")).to_contain_text("3/2024")
    # "I need an electronic version" swaps "accept and sign" for the PDF.
    page.check("#eversion")
    expect(page.locator("#accept-sign")).to_be_hidden()
    page.click("#get-pdf")
    pdf = page.locator(".pdf-slot a.pdf-link")
    expect(pdf).to_contain_text("PDF: authorisation of M")
    assert fetch(server, pdf.get_attribute("href")).startswith(b"%PDF")
    console.shot("10-create-step-2-validation-with-pdf")
    page.uncheck("#eversion")

    console.follow("#accept-sign", "/create/summary/", prefix=True)
    expect(page.locator(".steps [aria-current='step']")).to_have_text("Summary")
    banner = page.locator(".banner")
    expect(banner).to_contain_text(re.compile(r"Mandate M2024-\d+ has been registered\."))
    expect(banner).to_contain_text("Its status is now: Pending.")
    expect(page.locator("table").last).to_contain_text("Authentication")
    console.shot("11-create-step-3-summary")


def test_r_srch_3_search_with_combined_criteria_sort_by_every_column_and_export_to_excel(console, server):
    """R-SRCH-2..8: the console asks the API the search of its form; the export holds the same mandates, one row a
    group."""
    page = console.page
    console.sign_in("provider-signatory")
    console.go("/search")
    page.check("input[name='groups'][value='DIMONA']")
    page.check("input[name='statuses'][value='ACTIVE']")
    page.check("input[name='statuses'][value='IDENTIFICATION']")
    console.follow(".search-form button[type='submit']", "/search")
    filter_ = {"groups": ["DIMONA"], "statuses": ["ACTIVE", "IDENTIFICATION"]}
    query = """query($filter: MandateFilter, $orderBy: MandateOrder) {
      mandates(filter: $filter, orderBy: $orderBy, first: 100) {
      totalCount edges { node { reference groups { group { code } } } } } }"""
    expected = graphql(server, "provider-signatory", query, {"filter": filter_})["mandates"]
    assert expected["totalCount"] >= 2
    shown = page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.reference)")
    assert shown == [e["node"]["reference"] for e in expected["edges"]]  # newest first (R-SRCH-7)
    expect(page.locator(".total")).to_have_text(f"{expected['totalCount']} mandates found.")
    console.shot("12-search-combined")

    for column in (
        "REFERENCE",
        "PRINCIPAL_NAME",
        "MANDATARY_NAME",
        "STATUS",
        "START_QUARTER",
        "END_QUARTER",
        "CREATED_AT",
    ):
        for direction in ("ASC", "DESC"):
            header = page.locator(f"a.sort[data-sort='{column}']")
            current = page.locator(f"th:has(a.sort[data-sort='{column}'])").get_attribute("aria-sort")
            wanted = "ascending" if direction == "ASC" else "descending"
            if current != wanted:
                console.follow(header, "/search")
            expect(page.locator(f"th:has(a.sort[data-sort='{column}'])")).to_have_attribute("aria-sort", wanted)
            ordered = graphql(
                server,
                "provider-signatory",
                query,
                {"filter": filter_, "orderBy": {"field": column, "direction": direction}},
            )
            shown = page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.reference)")
            assert shown == [e["node"]["reference"] for e in ordered["mandates"]["edges"]], (column, direction)
    console.follow(page.locator("a.sort[data-sort='REFERENCE']"), "/search")
    console.shot("13-search-sorted-by-reference")

    with page.expect_download() as download_info:
        page.click("#export")
    download = download_info.value
    assert download.suggested_filename == "mandates-2024-05-10.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Reference", "Principal number")
    exported = [row[0] for row in rows[1:]]
    by_reference = {e["node"]["reference"]: len(e["node"]["groups"]) for e in expected["edges"]}
    assert sorted(set(exported)) == sorted(by_reference)
    assert len(exported) == sum(by_reference.values())  # one row a mandate group (R-SRCH-5)
    assert list(dict.fromkeys(exported)) == page.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.reference)"
    )


def test_r_srch_1_paging_through_every_mandate_an_officer_sees(console, server):
    page = console.page
    console.sign_in("nsso-officer")
    total = graphql(server, "nsso-officer", "{ mandates { totalCount } }")["mandates"]["totalCount"]
    console.go("/search")
    expect(page.locator(".total")).to_have_text(f"{total} mandates found.")
    if total <= 20:
        expect(page.locator(".pager")).to_contain_text(f"1–{total} of {total}")
        expect(page.locator(".pager a")).to_have_count(0)
        return
    console.follow(page.locator(".pager a[rel='next']"), "/search")
    expect(page.locator(".pager .range")).to_contain_text("21–")


def test_r_ent_10_the_representatives_matrix_by_legal_form_and_the_enterprises_own_signatories(console, server):
    page = console.page
    console.sign_in("employer-manager")
    console.go("/representatives")
    expect(page.locator("select[name='legalForm']")).to_have_value("610")  # the viewer's own legal form
    console.follow(page.locator("form button[type='submit']"), "/representatives")
    expect(page.locator(".matrix tbody tr")).to_have_count(2)
    assert page.locator(".matrix tbody tr").evaluate_all("rows => rows.map(r => r.dataset.function)") == [
        "10001",
        "10008",
    ]
    page.select_option("select[name='legalForm']", "014")
    console.follow(page.locator("form button[type='submit']"), "/representatives")
    expect(page.locator(".matrix h2")).to_have_text(
        "Functions allowed to sign for 014 — Public limited company (SA/NV)"
    )
    assert page.locator(".matrix tbody tr").evaluate_all("rows => rows.map(r => r.dataset.function)") == [
        "10002",
        "10003",
        "10005",
        "10008",
    ]
    own = page.locator(".own-representatives tbody tr[data-niss='72050894571']")
    expect(own).to_contain_text("Jean Dupont")
    expect(own).to_contain_text("Yes")
    console.shot("14-representatives-matrix")


def test_r_pap_1_an_officer_rejects_a_handwritten_authorisation_and_the_employer_consults_the_refusal(console, server):
    """R-PAP-1, R-PAP-3, R-SIGN-10, R-DASH-3, R-DASH-5: paper scan → review queue → refusal → red block → consulted →
    white."""
    page = console.page
    console.sign_in("employer-manager")
    rejected_before = console.block("REJECTED")["count"]
    console.go(f"/search?mandataryNumber={SSA_NUMBER}&statuses=TO_BE_FINALISED&principalNumber={BOULANGERIE}")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(1)
    reference = rows.first.get_attribute("data-reference")
    console.follow(rows.first.locator("th a"), "/mandate/", prefix=True)
    page.check("input[name='method'][value='HANDWRITTEN']")
    page.click("#action-request")
    expect(page.locator(".banner")).to_have_text("The authorisation is ready: download it below.")
    issued = fetch(server, page.locator("a.pdf-link").first.get_attribute("href"))
    # Sending without a file: the error stands next to the file field, and in the summary on top.
    page.click("#action-upload")
    expect(page.locator("[data-field='file'] .error")).to_be_visible()
    expect(page.locator("form:has(#action-upload) .error-summary a")).to_have_attribute("href", "#action-file")
    # The server's refusal of the file stands there too.
    page.set_input_files("#action-file", {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": b"not a PDF"})
    page.click("#action-upload")
    expect(page.locator("[data-field='file'] .error")).to_contain_text("PDF")
    expect(page.locator("h1 .badge")).to_have_text("To be finalised")  # nothing recorded
    # The paper, printed, signed by hand by both parties and scanned: here, the issued PDF itself.
    page.set_input_files("#action-file", {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": issued})
    page.click("#action-upload")
    expect(page.locator(".banner")).to_have_text("Authorisation reloaded. Status: To be validated.")
    console.shot("15-mandate-handwritten-submitted")

    console.sign_in("nsso-officer")
    console.go("/review")
    item = page.locator(f".queue li[data-reference='{reference}']")
    expect(item).to_contain_text("Boulangerie Demo Dupont SRL")
    expect(item.locator("a.pdf-link")).to_contain_text("The scan")
    console.shot("16-review-queue")
    item.locator("input[type='radio'][value='REJECT']").check()
    item.locator("textarea[name='reason']").fill("The NISS of the provider's signatory is missing.")
    item.locator("button[type='submit']").click()
    expect(item.locator(".banner")).to_have_text(f"Decision recorded for {reference}: Rejected.")

    console.sign_in("employer-manager")
    rejected = console.block("REJECTED")
    assert rejected["colour"] == "RED" and rejected["count"] == rejected_before + 1
    console.shot("17-home-rejected-red")
    if rejected["count"] == 1:
        console.follow(page.locator(".block[data-status='REJECTED'] a"), "/mandate/", prefix=True)
    else:
        console.go(f"/search?statuses=REJECTED&principalNumber={BOULANGERIE}")
        console.follow(page.locator(f"tr[data-reference='{reference}'] th a"), "/mandate/", prefix=True)
    expect(page.locator(".rejection-reason")).to_have_text("The NISS of the provider's signatory is missing.")
    expect(page.locator(".rejection")).to_contain_text("Consulted on")
    console.shot("18-mandate-rejection-consulted")
    # The history tab holds what the consult view leaves out (R-LIFE-10, R-SRCH-9).
    assert page.locator("text=HANDWRITTEN_UPLOADED").count() == 0
    console.follow(page.locator(".tabs a", has_text="History"), "/mandate/", prefix=True)
    expect(page.locator("table")).to_contain_text("Rejected")  # actions in words, never their codes
    expect(page.locator("table")).to_contain_text("Handwritten uploaded")
    assert "HANDWRITTEN_UPLOADED" not in page.locator("table").inner_text()
    console.shot("19-mandate-history")

    console.go("/")
    after = console.block("REJECTED")
    assert after["count"] == rejected_before
    assert after["colour"] == ("WHITE" if rejected_before == 0 else "RED")


def handwritten_scan_submitted(base: str, persona: str, mandatary: str, group: str) -> str:
    """A mandate whose handwritten authorisation waits for the NSSO, made through the API; its reference."""
    import httpx

    headers = {"Authorization": f"Bearer {dev_token(base, persona)}"}
    create = """mutation($input: CreateMandateInput!) { createMandate(input: $input) {
      mandate { id reference } userErrors { message } } }"""
    made = graphql(
        base, persona, create, {"input": {"mandataryNumber": mandatary, "groups": [group], "startQuarter": "3/2024"}}
    )["createMandate"]
    assert made["userErrors"] == [], made
    request = """mutation($id: ID!) { requestAuthorisation(input: {mandateId: $id, method: HANDWRITTEN}) {
      authorisation { downloadUrl } userErrors { message } } }"""
    issued = graphql(base, persona, request, {"id": made["mandate"]["id"]})["requestAuthorisation"]
    scan = fetch(base, issued["authorisation"]["downloadUrl"])
    upload = """mutation($input: UploadAuthorisationInput!) {
      uploadAuthorisation(input: $input) { mandate { status } userErrors { message } } }"""
    operations = {"query": upload, "variables": {"input": {"mandateId": made["mandate"]["id"], "file": None}}}
    response = httpx.post(
        f"{base}/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": ("scan.pdf", scan, "application/pdf")},
        headers=headers,
    )
    assert response.json()["data"]["uploadAuthorisation"]["mandate"]["status"] == "TO_BE_VALIDATED", response.text
    return made["mandate"]["reference"]


def test_r_pap_2_an_officer_accepts_a_handwritten_authorisation_with_the_niss_read_on_the_paper(console, server):
    """R-PAP-2, R-SIGN-11: a NISS that is not the principal's signatory is refused, next to its field."""
    page = console.page
    reference = handwritten_scan_submitted(server, "coop-managing-director", PROVIDER2, "BELPARCEL")
    console.sign_in("nsso-officer")
    console.go("/review")
    item = page.locator(f".queue li[data-reference='{reference}']")
    # The decision starts unselected: sending none is refused on the form, nothing is recorded.
    expect(item.locator("input[type='radio']:checked")).to_have_count(0)
    item.locator("button[type='submit']").click()
    expect(item.locator(".error-summary")).to_be_focused()
    expect(item.locator("[data-field='decision'] > .error")).to_be_visible()
    item.locator("input[type='radio'][value='ACCEPT']").check()
    expect(item.locator("[data-field='principalSignerNiss'] .hint")).to_contain_text("Els Vermeulen (80022901830)")
    item.locator("input[name='principalSignerNiss']").fill("72050894571")  # Jean Dupont signs for another enterprise
    item.locator("input[name='mandatarySignerNiss']").fill("00071276421")
    item.locator("button[type='submit']").click()
    expect(item.locator("[data-field='principalSignerNiss'] .error")).to_contain_text(
        "This person may not sign for this party (Principal)"
    )
    console.shot("22-review-refused-niss")
    item.locator("input[name='principalSignerNiss']").fill("80022901830")
    item.locator("button[type='submit']").click()
    expect(item.locator(".banner")).to_have_text(f"Decision recorded for {reference}: Active.")
    signatures = graphql(
        server,
        "nsso-officer",
        "query($r: String!) { mandate(reference: $r) { status signatures { party method signerNiss } } }",
        {"r": reference},
    )
    assert signatures["mandate"]["status"] == "ACTIVE"
    assert {(s["party"], s["method"], s["signerNiss"]) for s in signatures["mandate"]["signatures"]} == {
        ("PRINCIPAL", "HANDWRITTEN", "80022901830"),
        ("MANDATARY", "HANDWRITTEN", "00071276421"),
    }


def test_r_mod_4_closing_groups_goes_through_a_next_step_before_it_is_recorded(console, server):
    """R-MOD-1..4, R-CLO-3: the mandatary ends one group on the last day of the current quarter, after a preview."""
    page = console.page
    console.sign_in("provider-signatory")
    console.go(f"/search?principalNumber={GARAGE}&mandataryNumber={PROVIDER}&statuses=ACTIVE")
    row = page.locator("tbody tr").first
    modify = row.locator("a", has_text="Modify")
    expect(modify).to_be_visible()
    console.follow(modify, "/mandate/", prefix=True)
    has_close = graphql(server, "provider-signatory", '{ __type(name: "Mutation") { fields { name } } }')["__type"][
        "fields"
    ]
    if "closeMandate" not in {f["name"] for f in has_close}:
        # The server does not offer closures yet: the screen says so instead of a dead button.
        expect(page.locator(".actions-panel")).to_contain_text("Close groups: not offered by this server yet.")
        return
    close = page.locator("#close-action")
    expect(close).to_have_attribute("open", "")
    pmp_end = page.locator("tr[data-group='PMP'] td").nth(2).inner_text()  # ended earlier: replaced by the SSA's PMP
    page.check("#close-WITA_AMATEUR")
    page.fill("input[name='endQuarter']", "5/2024")
    page.click("#close-next")
    expect(page.locator("[data-field='endQuarter'] .error")).to_be_visible()
    page.fill("input[name='endQuarter']", "2/2024")
    page.click("#close-next")
    preview = page.locator(".preview")
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("WITA amateur: ends on 30 Jun 2024 (end of 2/2024)")
    console.shot("20-close-preview")
    page.click("#close-confirm")
    # The banner restates which groups end when.
    expect(page.locator(".banner p")).to_have_text("The closure is recorded.")
    expect(page.locator(".banner li")).to_have_text(["WITA amateur: ends on 30 Jun 2024 (end of 2/2024)"])
    expect(page.locator("tr[data-group='WITA_AMATEUR']")).to_contain_text("2/2024")
    expect(page.locator("tr[data-group='PMP'] td").nth(2)).to_have_text(
        pmp_end
    )  # the group not ticked is unchanged (R-MOD-3)
    expect(page.locator("#close-action")).to_have_count(0)  # nothing left open-ended to close


def test_r_dash_2_the_console_speaks_french_with_the_seeds_terms_and_remembers_it(console, server):
    page = console.page
    console.sign_in("coop-managing-director")
    page.select_option("#language", "fr")
    console.ready("/")
    expect(page.locator(".block h2")).to_have_text(["À finaliser", "En attente", "Refusé"])
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.reload()
    console.ready("/")
    expect(page.locator(".block h2")).to_have_text(["À finaliser", "En attente", "Refusé"])
    expect(page.locator("#nav")).to_contain_text("Rechercher")
    expect(page.locator("#who")).to_contain_text(
        "agit pour Coopérative Demo Horizon SC (0538.038.016) avec le droit de gérer les mandats"
    )
    console.shot("21-home-in-french")
    console.go("/create")
    expect(page.locator("h1")).to_have_text("Créer un mandat")
    expect(page.locator("label[for=group-DRS_UNEMPLOYMENT]")).to_have_text("DRS Chômage")
    console.go("/search?statuses=PENDING")
    expect(page.locator("tbody td[data-status='PENDING']").first).to_have_text("En attente")
    page.select_option("#language", "en")
    console.ready("/search")
    expect(page.locator("h1")).to_have_text("Search mandates")


SCREENS = ["/", "/mandates", "/create", "/search", "/representatives?form=014", "/identification"]


def test_r_usr_5_every_screen_fits_a_360_px_wide_phone(phone, server):
    page = phone.page
    phone.sign_in("employer-director")
    for route in SCREENS:
        phone.go(route)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, (route, width)
        name = route.strip("/").split("?")[0] or "home"
        phone.shot(f"phone-{name}")
    phone.go("/search")
    phone.follow(page.locator("tbody tr th a").first, "/mandate/", prefix=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    phone.shot("phone-mandate")


def test_r_usr_5_keyboard_users_skip_to_the_content_see_the_focus_and_every_control_has_a_label(console, server):
    page = console.page
    console.sign_in("employer-director")
    page.reload()
    console.ready("/")
    page.keyboard.press("Tab")
    skip = page.locator("#skip")
    expect(skip).to_be_focused()
    assert skip.evaluate("e => e.getBoundingClientRect().top") >= 0  # shown when focused
    page.keyboard.press("Enter")
    expect(page.locator("main h1")).to_be_focused()
    # Tab reaches the first block's link, whose focus ring is drawn.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.closest('.block') !== null"):
            break
    ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert ring == "solid"
    for route in SCREENS:
        console.go(route)
        unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea, button')]
            .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label') &&
              !e.textContent.trim())
            .map(e => e.outerHTML)""")
        assert unlabelled == [], (route, unlabelled)
