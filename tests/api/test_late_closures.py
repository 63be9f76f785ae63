"""The officers' assessment of late closures given with a reason, through GraphQL (R-CLO-5, R-CLO-6,
R-CLO-9): the queue `lateClosures`, oldest first, and `assessLateClosure` (accept, or reverse with a
reason), both parties notified. Today is 2024-05-10 (month 2 of 2/2024): an end in 1/2024 is late.
"""

from __future__ import annotations

from tests.api.helpers import BOULANGERIE, LOGISTIQUE, PROVIDER, SSA, active, codes, error_codes, notifications
from tests.api.test_closure import closed, ends, seen

QUEUE = """{ lateClosures(first: 10) { totalCount edges { node { reference lateClosureSince } } } }"""
PAGE = """query($after: String) { lateClosures(first: 1, after: $after) {
  totalCount countIsLowerBound pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { reference } } } }"""
ASSESS = """
mutation($input: AssessLateClosureInput!) { assessLateClosure(input: $input) {
  mandate { reference endQuarter lateClosureSince groups { group { code } endQuarter closureReason closureText }
    history { action detail } }
  userErrors { code field message } } }"""


async def queue(api) -> list[str]:
    result = await api(QUEUE, as_="nsso-officer")
    assert "errors" not in result, result
    return [edge["node"]["reference"] for edge in result["data"]["lateClosures"]["edges"]]


async def assess(api, mandate: dict, assessment: str, reason: str | None = None, as_: str = "nsso-officer") -> dict:
    result = await api(
        ASSESS, {"input": {"mandateId": mandate["id"], "assessment": assessment, "reason": reason}}, as_=as_
    )
    assert "errors" not in result, result
    return result["data"]["assessLateClosure"]


async def closed_late(api, principal: str, groups: list[str]) -> dict:
    """A mandate from 4/2023 its mandatary closed late (end 1/2024, in month 2 of 2/2024) with a reason."""
    mandate = await active(api, principal, PROVIDER, groups, "4/2023")
    return await closed(api, "provider-signatory", mandate, "1/2024", reason="SILENT_EMPLOYER")


async def test_r_clo_5_late_closures_with_a_reason_are_listed_for_officers_oldest_first(api):
    first = await closed_late(api, LOGISTIQUE, ["PMP"])
    second = await closed_late(api, BOULANGERIE, ["PMP"])
    on_time = await active(api, LOGISTIQUE, SSA, ["SIGEDIS"], "2/2024")
    await closed(api, "ssa-signatory", on_time, "2/2024")  # within the window: nothing to assess
    assert await queue(api) == [first["reference"], second["reference"]]
    result = await api(QUEUE, as_="provider-signatory")
    assert error_codes(result) == ["FORBIDDEN"]


async def test_r_clo_5_the_queue_pages_one_mandate_at_a_time_and_counts_them_all(api):
    """A MandateConnection like the search's: cursors to page on, the exact count over all pages on each."""
    first = await closed_late(api, LOGISTIQUE, ["PMP"])
    second = await closed_late(api, BOULANGERIE, ["PMP"])
    pages, after = [], None
    for _ in range(3):
        result = await api(PAGE, {"after": after}, as_="nsso-officer")
        assert "errors" not in result, result
        page = result["data"]["lateClosures"]
        pages.append(
            (
                [edge["node"]["reference"] for edge in page["edges"]],
                page["pageInfo"]["hasNextPage"],
                page["pageInfo"]["hasPreviousPage"],
                page["totalCount"],
                page["countIsLowerBound"],
            )
        )
        after = page["pageInfo"]["endCursor"] or after
    assert pages == [
        ([first["reference"]], True, False, 2, False),
        ([second["reference"]], False, True, 2, False),
        ([], False, True, 2, False),
    ]


async def test_r_clo_5_the_officer_accepts_the_reason_the_closure_stands_and_both_parties_are_told(api):
    mandate = await closed_late(api, LOGISTIQUE, ["PMP"])
    payload = await assess(api, mandate, "ACCEPT")
    assert payload["userErrors"] == []
    after = payload["mandate"]
    assert (ends(after), after["lateClosureSince"], after["history"][-1]["action"]) == (
        {"PMP": "1/2024"},
        None,
        "LATE_CLOSURE_ACCEPTED",
    )
    assert await queue(api) == []
    for party in ("employer-director", "provider-signatory"):
        assert "late closure accepted" in (await notifications(api, party))[0]["subject"]


async def test_r_clo_5_the_officer_reverses_the_closure_with_a_reason_the_groups_open_again(api):
    mandate = await closed_late(api, LOGISTIQUE, ["PMP", "SIGEDIS"])
    payload = await assess(api, mandate, "REVERSE", "The employer answered its provider in January.")
    assert payload["userErrors"] == []
    after = payload["mandate"]
    assert ends(after) == {"PMP": None, "SIGEDIS": None}
    assert after["endQuarter"] is None
    assert {(g["closureReason"], g["closureText"]) for g in after["groups"]} == {(None, None)}
    assert "The employer answered its provider in January." in after["history"][-1]["detail"]
    for party in ("employer-director", "provider-signatory"):
        latest = (await notifications(api, party))[0]
        assert "late closure reversed" in latest["subject"]
        assert "The employer answered its provider in January." in latest["body"]
    assert await queue(api) == []
    assert ends(await seen(api, "employer-director", mandate)) == {"PMP": None, "SIGEDIS": None}


async def test_r_clo_5_a_reversal_states_its_reason_and_a_closure_is_assessed_once(api):
    mandate = await closed_late(api, LOGISTIQUE, ["PMP"])
    refused = await assess(api, mandate, "REVERSE", "  ")
    assert (codes(refused), refused["userErrors"][0]["field"], refused["mandate"]) == (
        ["REASON_REQUIRED"],
        ["reason"],
        None,
    )
    assert await queue(api) == [mandate["reference"]]  # nothing written
    assert codes(await assess(api, mandate, "ACCEPT")) == []
    assert codes(await assess(api, mandate, "ACCEPT")) == ["INVALID_TRANSITION"]


async def test_r_clo_5_no_reversal_once_another_mandate_holds_the_group(api):
    mandate = await closed_late(api, LOGISTIQUE, ["PMP"])
    await active(api, LOGISTIQUE, SSA, ["PMP"], "2/2024")  # the place, free since 2/2024, is taken
    refused = await assess(api, mandate, "REVERSE", "The reason does not hold.")
    assert codes(refused) == ["SINGLE_MANDATARY_TAKEN"]
    assert ends(await seen(api, "employer-director", mandate)) == {"PMP": "1/2024"}


async def test_r_clo_5_only_officers_assess(api):
    mandate = await closed_late(api, LOGISTIQUE, ["PMP"])
    result = await api(ASSESS, {"input": {"mandateId": mandate["id"], "assessment": "ACCEPT"}}, as_="employer-director")
    assert error_codes(result) == ["FORBIDDEN"]
