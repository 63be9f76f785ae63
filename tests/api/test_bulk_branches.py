"""An SSA's branch: its own change and the bulk transfer from a real .xlsx, by an officer or by the SSA
itself (RULES.md §19): R-SSA-1, R-SSA-2, R-SSA-3, R-SSA-4, R-LIFE-9.

Today is 2024-05-10 unless a test moves the clock. The bulk tests load 60 fictitious employers
(valid CBE, NSSO and NISS numbers), each with an ACTIVE PMP mandate of the demo SSA (SSA-300)
managed by its branch BRU, made through the use cases themselves.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from models.identifiers import format_enterprise_number
from resolvers.access import MANAGE, Actor
from tests.api.bulk_steps import EMPLOYERS, active_pmp, employers_of_the_ssa, workbook
from tests.api.helpers import LOGISTIQUE, MANDATE_FIELDS, SSA, SSA_NUMBER, active, codes, error_codes, niss, read
from tests.bench.generate import cbe_number, niss_number
from tests.conftest import token

IMPORT = """
mutation($input: ImportBranchChangesInput!) {
  importBranchChanges(input: $input) { applied mandatesMoved refusedLines { line reason } userErrors { code field
    message } }
}"""
CHANGE = f"""
mutation($id: ID!, $code: String!) {{
  changeBranch(input: {{mandateId: $id, branchCode: $code}}) {{ mandate {{ {MANDATE_FIELDS} }} userErrors {{ code
    field message }} }}
}}"""
CLOSE = "mutation($input: CloseMandateInput!) { closeMandate(input: $input) { userErrors { code } } }"
BRANCHES = (
    "{ mandates(first: 100) { totalCount edges { node { reference principal { enterpriseNumber } branch { code } } } } "
    "}"
)
NOTIFICATIONS = """
query($after: String) { notifications(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node { subject recipient { enterpriseNumber } mandate { reference } } }
} }"""


UNKNOWN_EMPLOYER = format_enterprise_number(cbe_number(7_199_999))
OTHER_SSA = format_enterprise_number(cbe_number(7_009_999))  # a second, fictitious social secretariat
OTHER_DIRECTOR = niss_number(dt.date(1975, 3, 1), 1)


async def other_ssas_mandate(app, clock) -> None:
    """The other SSA (SSA-400) holds an ACTIVE PMP mandate of Demo Logistique Meuse."""
    ssa = Actor(OTHER_DIRECTOR, "Director of the other SSA", OTHER_SSA.replace(".", ""), frozenset({MANAGE}))
    director = Actor(niss("employer-director"), "Marc Delvaux", LOGISTIQUE.replace(".", ""), frozenset({MANAGE}))
    await active_pmp(app.state.catalogue, clock, ssa, director, LOGISTIQUE)


@pytest.fixture
async def employers(app, clock):
    """60 employers, each with an ACTIVE PMP mandate of SSA-300 managed by its branch BRU; and another SSA."""
    other = {
        "enterpriseNumber": OTHER_SSA,
        "name": "Other Demo Social Secretariat",
        "legalForm": "014",
        "kinds": ["SOCIAL_SECRETARIAT"],
        "ssaNumber": "SSA-400",
        "activeFrom": "2000-01-01",
        "branches": [{"code": "GHE", "name": "Ghent"}],
        "representatives": [{"niss": OTHER_DIRECTOR, "name": "Director of the other SSA", "functionCode": "10003"}],
    }
    return await employers_of_the_ssa(app.state.catalogue, clock, (other,))


def lines_for(people: list[dict], branch: str = "ANT") -> list[tuple]:
    """Half the lines name the SSA by SSA number and the employer by CBE number, half by CBE and NSSO number."""
    return [(SSA_NUMBER, p["cbe"], branch) if i % 2 else (SSA, p["nsso"], branch) for i, p in enumerate(people)]


async def import_file(api, data: bytes, as_: str = "nsso-officer", **claims) -> dict:
    """A GraphQL multipart request, as tests/api/authorisation_steps.upload sends one."""
    operations = {"query": IMPORT, "variables": {"input": {"file": None}}}
    response = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": ("branches.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
        headers={"Authorization": f"Bearer {token(as_, **claims)}"},
    )
    assert response.status_code == 200, response.text
    return response.json()


async def branches(api) -> dict[str, str | None]:
    result = await api(BRANCHES, as_="ssa-signatory")
    return {
        e["node"]["principal"]["enterpriseNumber"]: (e["node"]["branch"] or {}).get("code")
        for e in result["data"]["mandates"]["edges"]
    }


async def all_notifications(api) -> list[dict]:
    found, after = [], None
    while True:
        page = (await api(NOTIFICATIONS, {"after": after}, as_="nsso-officer"))["data"]["notifications"]
        found += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


# R-SSA-3 ---------------------------------------------------------------------------------------


async def test_r_ssa_3_one_bad_line_refuses_the_whole_file_then_the_fixed_file_moves_all_60(api, employers):
    rows = lines_for(employers)
    rows.insert(30, (SSA_NUMBER, UNKNOWN_EMPLOYER, "ANT"))  # spreadsheet row 32 (after the header and 30 lines)
    refused = (await import_file(api, workbook(rows)))["data"]["importBranchChanges"]
    assert refused["applied"] == 0 and refused["mandatesMoved"] == 0
    assert [line["line"] for line in refused["refusedLines"]] == [32]
    assert (
        UNKNOWN_EMPLOYER in refused["refusedLines"][0]["reason"] and "column B" in refused["refusedLines"][0]["reason"]
    )
    assert codes(refused) == ["BRANCH_FILE_REFUSED"] and refused["userErrors"][0]["field"] == ["file"]
    assert set((await branches(api)).values()) == {"BRU"}  # nothing changed
    assert not [n for n in await all_notifications(api) if n["subject"].endswith("branch changed")]

    fixed = (await import_file(api, workbook(lines_for(employers))))["data"]["importBranchChanges"]
    assert fixed == {"applied": EMPLOYERS, "mandatesMoved": EMPLOYERS, "refusedLines": [], "userErrors": []}
    moved = await branches(api)
    assert len(moved) == EMPLOYERS and set(moved.values()) == {"ANT"}

    # R-SSA-4: each moved mandate notifies both its parties.
    sent = [n for n in await all_notifications(api) if n["subject"].endswith("branch changed")]
    assert len(sent) == 2 * EMPLOYERS
    per_mandate: dict[str, set[str]] = {}
    for n in sent:
        per_mandate.setdefault(n["mandate"]["reference"], set()).add(n["recipient"]["enterpriseNumber"])
    assert len(per_mandate) == EMPLOYERS
    assert all(len(recipients) == 2 and SSA in recipients for recipients in per_mandate.values())


async def test_r_ssa_3_the_report_names_every_refused_line_with_its_reason(api, employers):
    first, second, third = employers[:3]
    rows = [
        (SSA_NUMBER, first["cbe"], "ANT"),  # row 2: fine
        (SSA_NUMBER, second["cbe"], "GHE"),  # row 3: the other SSA's branch (R-SSA-2)
        ("SSA-400", third["cbe"], "GHE"),  # row 4: that SSA holds no mandate for it
        (SSA_NUMBER, third["cbe"], "BRU"),  # row 5: already managed by BRU
        (SSA_NUMBER, first["nsso"], "LIE"),  # row 6: the same employer twice
        (LOGISTIQUE, first["cbe"], "ANT"),  # row 7: not a social secretariat
        (SSA_NUMBER, LOGISTIQUE, "ANT"),  # row 8: no mandate of SSA-300 for this employer
    ]
    payload = (await import_file(api, workbook(rows)))["data"]["importBranchChanges"]
    reasons = {line["line"]: line["reason"] for line in payload["refusedLines"]}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert "“GHE” is not a branch" in reasons[3]
    assert "holds no effective mandate" in reasons[4] and "holds no effective mandate" in reasons[8]
    assert "already managed by branch BRU" in reasons[5]
    assert "line 2" in reasons[6]
    assert "not an approved social secretariat" in reasons[7]
    assert payload["applied"] == 0
    assert (await branches(api))[first["cbe"]] == "BRU"  # row 2 was fine, yet nothing moved


async def test_r_ssa_3_only_a_workbook_listing_at_least_one_line_is_read(api):
    not_xlsx = (await import_file(api, b"SSA;Employer;Branch\nSSA-300;0893.219.451;ANT\n"))["data"][
        "importBranchChanges"
    ]
    assert codes(not_xlsx) == ["INVALID_INPUT"] and not_xlsx["refusedLines"] == []
    empty = (await import_file(api, workbook([])))["data"]["importBranchChanges"]
    assert codes(empty) == ["INVALID_INPUT"]


# R-SSA-3 as the guidelines word it: the SSA's file « transmis à l'ONSS », here by the SSA itself -----


async def test_r_ssa_3_an_ssa_transfers_its_own_60_line_file(api, employers):
    """Its SSA named by SSA number or by CBE number, its employers by CBE or NSSO number: all 60 move,
    each history naming the SSA's user and the transfer from its spreadsheet, both parties notified."""
    payload = (await import_file(api, workbook(lines_for(employers)), as_="ssa-signatory"))["data"][
        "importBranchChanges"
    ]
    assert payload == {"applied": EMPLOYERS, "mandatesMoved": EMPLOYERS, "refusedLines": [], "userErrors": []}
    assert set((await branches(api)).values()) == {"ANT"}
    moved = await read(
        api,
        "ssa-signatory",
        (await api(BRANCHES, as_="ssa-signatory"))["data"]["mandates"]["edges"][0]["node"]["reference"],
    )
    event = moved["history"][-1]
    assert event["action"] == "BRANCH_CHANGED" and event["actorNiss"] == niss("ssa-signatory")
    assert "spreadsheet" in event["detail"]
    assert len([n for n in await all_notifications(api) if n["subject"].endswith("branch changed")]) == 2 * EMPLOYERS


async def test_r_ssa_3_an_ssas_file_naming_another_ssa_or_its_branch_is_refused_whole(app, api, employers, clock):
    """Lines naming SSA-400 (by SSA or CBE number, whether its employer exists or not) and SSA-400's
    branch are refused; an employer SSA-400 holds a mandate for reads as one SSA-300 holds none for,
    exactly as an unknown number does: nothing about the other SSA leaks, and nothing moves."""
    await other_ssas_mandate(app, clock)
    first, second = employers[:2]
    rows = [
        (SSA_NUMBER, first["cbe"], "ANT"),  # row 2: fine
        ("SSA-400", LOGISTIQUE, "GHE"),  # row 3: another SSA, its real mandate
        ("SSA-400", UNKNOWN_EMPLOYER, "GHE"),  # row 4: another SSA, an unknown employer
        (OTHER_SSA, second["cbe"], "GHE"),  # row 5: another SSA by its CBE number
        (SSA_NUMBER, second["cbe"], "GHE"),  # row 6: another SSA's branch
        (SSA_NUMBER, LOGISTIQUE, "ANT"),  # row 7: an employer of another SSA
        (SSA_NUMBER, UNKNOWN_EMPLOYER, "ANT"),  # row 8: an unknown employer
        (SSA, employers[2]["nsso"], "LIE"),  # row 9: fine, its own SSA by CBE number
    ]
    payload = (await import_file(api, workbook(rows), as_="ssa-signatory"))["data"]["importBranchChanges"]
    reasons = {line["line"]: line["reason"] for line in payload["refusedLines"]}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8]
    assert payload["applied"] == 0 and codes(payload) == ["BRANCH_FILE_REFUSED"]
    other_ssa = "Social secretariat (column A): “SSA-400” is not Secrétariat Social Demo Horta ASBL: your file may name"
    assert reasons[3] == reasons[4] == f"{other_ssa} only your own social secretariat."
    assert reasons[5] == reasons[3].replace("SSA-400", OTHER_SSA)
    assert "“GHE” is not a branch of Secrétariat Social Demo Horta ASBL" in reasons[6]
    assert reasons[7] == f"Employer (column B): you hold no effective mandate for “{LOGISTIQUE}”."
    assert reasons[8] == reasons[7].replace(LOGISTIQUE, UNKNOWN_EMPLOYER)
    assert not any("Other Demo" in reason or "Logistique" in reason for reason in reasons.values())
    assert set((await branches(api)).values()) == {"BRU"}  # rows 2 and 9 were fine, yet nothing moved


async def test_r_ssa_3_a_provider_that_is_not_an_ssa_and_an_employer_may_not_send_a_file(api):
    data = workbook([(SSA_NUMBER, LOGISTIQUE, "ANT")])
    for persona in ("provider-signatory", "employer-director", "employer-consult"):
        result = await import_file(api, data, as_=persona)
        assert error_codes(result) == ["FORBIDDEN"] and result["data"] is None, persona
    consult = await import_file(api, data, as_="ssa-signatory", scope="mandates:consult")
    assert error_codes(consult) == ["FORBIDDEN"]


async def test_r_ssa_3_no_minimum_size_a_single_line_file_moves_its_mandate(api):
    mandate = await active(api, LOGISTIQUE, SSA, ["PMP"], "2/2024", by="mandatary")
    payload = (await import_file(api, workbook([(SSA_NUMBER, LOGISTIQUE, "LIE")])))["data"]["importBranchChanges"]
    assert payload == {"applied": 1, "mandatesMoved": 1, "refusedLines": [], "userErrors": []}
    after = await read(api, "nsso-officer", mandate["reference"])
    assert after["branch"] == {"code": "LIE"} and after["status"] == "ACTIVE"
    assert after["history"][-1]["action"] == "BRANCH_CHANGED" and after["history"][-1]["actorNiss"] == niss(
        "nsso-officer"
    )


# R-SSA-1, R-SSA-2, R-SSA-4 ---------------------------------------------------------------------


async def test_r_ssa_1_the_ssa_changes_its_branch_and_the_principal_may_not(api):
    mandate = await active(api, LOGISTIQUE, SSA, ["PMP"], "2/2024", by="mandatary")
    forbidden = await api(CHANGE, {"id": mandate["id"], "code": "ANT"}, as_="employer-director")
    assert error_codes(forbidden) == ["FORBIDDEN"]
    payload = (await api(CHANGE, {"id": mandate["id"], "code": "ANT"}, as_="ssa-signatory"))["data"]["changeBranch"]
    assert payload["userErrors"] == []
    assert payload["mandate"]["branch"] == {"code": "ANT"} and payload["mandate"]["status"] == "ACTIVE"


async def test_r_ssa_2_a_branch_of_another_ssa_is_refused(api, employers):
    mandate = await active(api, LOGISTIQUE, SSA, ["PMP"], "2/2024", by="mandatary")
    payload = (await api(CHANGE, {"id": mandate["id"], "code": "GHE"}, as_="ssa-signatory"))["data"]["changeBranch"]
    assert codes(payload) == ["INVALID_BRANCH"] and payload["userErrors"][0]["field"] == ["branchCode"]


async def test_r_ssa_4_a_branch_change_notifies_both_parties_and_a_closed_mandate_keeps_its_branch(api, clock):
    mandate = await active(api, LOGISTIQUE, SSA, ["PMP"], "2/2024", by="mandatary")
    assert (await api(CHANGE, {"id": mandate["id"], "code": "ANT"}, as_="ssa-signatory"))["data"]["changeBranch"][
        "userErrors"
    ] == []
    sent = [
        n for n in await all_notifications(api) if n["subject"] == f"Mandate {mandate['reference']}: branch changed"
    ]
    assert sorted(n["recipient"]["enterpriseNumber"] for n in sent) == sorted([LOGISTIQUE, SSA])
    closed = await api(CLOSE, {"input": {"mandateId": mandate["id"], "endQuarter": "2/2024"}}, as_="ssa-signatory")
    assert closed["data"]["closeMandate"]["userErrors"] == []
    clock.frozen = dt.date(2024, 7, 2)
    payload = (await api(CHANGE, {"id": mandate["id"], "code": "LIE"}, as_="ssa-signatory"))["data"]["changeBranch"]
    assert codes(payload) == ["INVALID_TRANSITION"]  # R-LIFE-9
    assert (await read(api, "employer-director", mandate["reference"]))["branch"] == {"code": "ANT"}


# Guidelines §4.6 (issue 13, departure 5): "no branch" is the head office (R-ENT-3) ---------------

TO_HEAD_OFFICE = f"""
mutation($id: ID!, $code: String) {{
  changeBranch(input: {{mandateId: $id, branchCode: $code}}) {{ mandate {{ {MANDATE_FIELDS} }} userErrors {{ code
    field message }} }}
}}"""


async def test_r_ent_3_change_branch_with_no_branch_moves_the_file_back_to_the_head_office(api):
    mandate = await active(api, LOGISTIQUE, SSA, ["PMP"], "2/2024", by="mandatary")
    at_head_office = await api(TO_HEAD_OFFICE, {"id": mandate["id"], "code": None}, as_="ssa-signatory")
    assert codes(at_head_office["data"]["changeBranch"]) == ["INVALID_BRANCH"]  # it is there already
    assert "already managed by the head office" in at_head_office["data"]["changeBranch"]["userErrors"][0]["message"]
    await api(CHANGE, {"id": mandate["id"], "code": "ANT"}, as_="ssa-signatory")
    payload = (await api(TO_HEAD_OFFICE, {"id": mandate["id"], "code": None}, as_="ssa-signatory"))["data"][
        "changeBranch"
    ]
    assert payload["userErrors"] == []
    assert payload["mandate"]["branch"] is None and payload["mandate"]["status"] == "ACTIVE"
    event = payload["mandate"]["history"][-1]
    assert event["action"] == "BRANCH_CHANGED" and "head office" in event["detail"]
    # Omitting the code says the same as null; a blank code too.
    await api(CHANGE, {"id": mandate["id"], "code": "LIE"}, as_="ssa-signatory")
    omitted = """mutation($id: ID!) { changeBranch(input: {mandateId: $id}) { mandate { branch { code } }
      userErrors { code } } }"""
    assert (await api(omitted, {"id": mandate["id"]}, as_="ssa-signatory"))["data"]["changeBranch"] == {
        "mandate": {"branch": None},
        "userErrors": [],
    }


async def test_r_ssa_3_an_empty_branch_cell_moves_the_file_back_to_the_head_office(api):
    mandate = await active(api, LOGISTIQUE, SSA, ["PMP"], "2/2024", by="mandatary")
    await api(CHANGE, {"id": mandate["id"], "code": "ANT"}, as_="ssa-signatory")
    payload = (await import_file(api, workbook([(SSA_NUMBER, LOGISTIQUE, None)])))["data"]["importBranchChanges"]
    assert payload == {"applied": 1, "mandatesMoved": 1, "refusedLines": [], "userErrors": []}
    after = await read(api, "employer-director", mandate["reference"])
    assert after["branch"] is None and "head office" in after["history"][-1]["detail"]
    again = (await import_file(api, workbook([(SSA_NUMBER, LOGISTIQUE, "")])))["data"]["importBranchChanges"]
    assert codes(again) == ["BRANCH_FILE_REFUSED"]
    assert "already managed by the head office" in again["refusedLines"][0]["reason"]
