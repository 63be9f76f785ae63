"""One employer through three providers over two years, checked with `competentMandataries` each quarter.

Boulangerie Demo Dupont (0804.115.152) and, in turn, Demo Payroll Partners (A), the social
secretariat Horta (B) and Demo HR Services Namur (C):
- 2023-01-10 first mandate, A, DmfA + Dimona + Flexi from 1/2023 (R-CHG-1);
- 2024-01-15 B takes over from 1/2024, in the first month of the quarter (R-CHG-4): A ends 4/2023;
- B delegates DmfA of 2023 back to A (R-DEL-1);
- B files a Dimona on 2024-04-05; on 2024-04-20 its late closure to 1/2024 is refused (R-CLO-11);
  on 2024-07-10 it closes to 2/2024, T-1 in the first month with no action since (R-CLO-7);
- 2024-07-12 C from 3/2024; the delegation ended with B's groups (R-DEL-5);
- bankruptcy published 2024-11-05, the curator never answers: C closes 4/2024 (R-EMP-5).
"""

from __future__ import annotations

import datetime as dt

from tests.api.helpers import BOULANGERIE, PROVIDER, PROVIDER2, SSA, active, codes

A, B, C = PROVIDER, SSA, PROVIDER2
GROUPS = ["DMFA", "DIMONA", "FLEXI"]
COMPETENT = (
    """
query($group: String!, $on: Date!) {
  competentMandataries(principalNumber: "%s", group: $group, on: $on) { mandatary { enterpriseNumber } role via }
}"""
    % BOULANGERIE
)
QUARTERS = [(2023, 1), (2023, 2), (2023, 3), (2023, 4), (2024, 1), (2024, 2), (2024, 3), (2024, 4)]


async def _competent(api, group: str, on: dt.date, as_: str = "nsso-officer") -> set[tuple[str, str, str]]:
    result = await api(COMPETENT, {"group": group, "on": on.isoformat()}, as_=as_)
    assert "errors" not in result, result
    return {(c["mandatary"]["enterpriseNumber"], c["via"], c["role"]) for c in result["data"]["competentMandataries"]}


async def _each_quarter(api, group: str) -> dict[str, set]:
    """Who may act for a day in the middle of each quarter (the 15th of its second month)."""
    return {f"{q}/{year}": await _competent(api, group, dt.date(year, 3 * q - 1, 15)) for year, q in QUARTERS}


async def _mutation(api, name: str, input_: dict, as_: str, fields: str = "userErrors { code message }") -> dict:
    result = await api(
        f"mutation($input: {name[0].upper() + name[1:]}Input!) {{ {name}(input: $input) {{ {fields} }} }}",
        {"input": input_},
        as_=as_,
    )
    assert "errors" not in result, result
    return result["data"][name]


async def test_r_comp_7_one_employer_three_providers_over_two_years(api, clock):
    """R-CHG-1, R-CHG-4, R-CHG-3, R-DEL-1, R-DEL-5, R-CLO-11, R-CLO-7, R-EMP-5, R-COMP-1, R-COMP-2, R-COMP-6."""
    clock.frozen = dt.date(2023, 1, 10)
    first = await active(api, BOULANGERIE, A, GROUPS, "1/2023")
    assert first["status"] == "ACTIVE"

    clock.frozen = dt.date(2024, 1, 15)  # the grace month: B may still start in the current quarter
    second = await active(api, BOULANGERIE, B, GROUPS, "1/2024", by="mandatary")
    assert second["status"] == "ACTIVE"
    delegation = await _mutation(
        api,
        "createDelegation",
        {
            "mandateId": second["id"],
            "delegateNumber": A,
            "groups": ["DMFA"],
            "fromQuarter": "1/2023",
            "toQuarter": "4/2023",
        },
        "ssa-signatory",
        "delegation { id status } userErrors { code message }",
    )
    assert delegation["userErrors"] == []

    clock.frozen = dt.date(2024, 5, 10)
    assert await _each_quarter(api, "DMFA") == {
        # The current DmfA mandatary is competent for past, current and future quarters (R-COMP-1);
        # A only for the delegated year (R-COMP-6).
        **{f"{q}/2023": {(B, "MANDATE", "SOLE"), (A, "DELEGATION", "SOLE")} for q in range(1, 5)},
        **{f"{q}/2024": {(B, "MANDATE", "SOLE")} for q in range(1, 5)},
    }
    assert await _each_quarter(api, "DIMONA") == {
        # A Dimona is judged on the day it is made: whoever held Dimona that day (R-COMP-2).
        **{f"{q}/2023": {(A, "MANDATE", "MASTER")} for q in range(1, 5)},
        **{f"{q}/2024": {(B, "MANDATE", "MASTER")} for q in range(1, 5)},
    }

    action = await _mutation(
        api,
        "recordAction",
        {
            "principalNumber": BOULANGERIE,
            "mandataryNumber": B,
            "group": "DIMONA",
            "kind": "DIMONA",
            "performedOn": "2024-04-05",
        },
        "integration-system",
        "ok userErrors { code }",
    )
    assert action == {"ok": True, "userErrors": []}
    clock.frozen = dt.date(2024, 4, 20)
    refused = await _mutation(
        api,
        "closeMandate",
        {"mandateId": second["id"], "endQuarter": "1/2024", "reason": "SILENT_EMPLOYER"},
        "ssa-signatory",
    )
    assert codes(refused) == ["ACTIONS_IN_PERIOD"]

    clock.frozen = dt.date(2024, 7, 10)  # month 1 of 3/2024: T-1 without formality, nothing done since 1 July
    closed = await _mutation(api, "closeMandate", {"mandateId": second["id"], "endQuarter": "2/2024"}, "ssa-signatory")
    assert closed["userErrors"] == []

    clock.frozen = dt.date(2024, 7, 12)
    third = await active(api, BOULANGERIE, C, GROUPS, "3/2024", by="mandatary")
    assert third["status"] == "ACTIVE"

    clock.frozen = dt.date(2024, 11, 5)
    bankrupt = await _mutation(
        api,
        "recordBankruptcy",
        {
            "principalNumber": BOULANGERIE,
            "publishedOn": "2024-11-05",
            "curatorNiss": "85073003328",
            "curatorName": "Me Curator",
        },
        "nsso-officer",
    )
    assert bankrupt["userErrors"] == []

    clock.frozen = dt.date(2024, 12, 1)
    assert await _each_quarter(api, "DMFA") == {
        quarter: {(C, "MANDATE", "SOLE")} for quarter in (f"{q}/{y}" for y, q in QUARTERS)
    }
    assert await _each_quarter(api, "DIMONA") == {
        **{f"{q}/2023": {(A, "MANDATE", "MASTER")} for q in range(1, 5)},
        **{f"{q}/2024": {(B, "MANDATE", "MASTER")} for q in (1, 2)},  # B ended 2/2024; its delegation with it
        **{f"{q}/2024": {(C, "MANDATE", "MASTER")} for q in (3, 4)},
    }

    clock.frozen = dt.date(2024, 11, 25)
    answered = await _mutation(
        api, "recordCuratorAnswer", {"principalNumber": BOULANGERIE, "answer": "NO_ANSWER"}, "nsso-officer"
    )
    assert answered["userErrors"] == []
    clock.frozen = dt.date(2025, 1, 10)
    mandate = await api('{ mandate(reference: "%s") { status endQuarter } }' % third["reference"], as_="nsso-officer")
    assert mandate["data"]["mandate"] == {"status": "CLOSED", "endQuarter": "4/2024"}
    assert await _competent(api, "DIMONA", dt.date(2025, 1, 10)) == set()  # nobody holds Dimona after the bankruptcy
    assert await _competent(api, "DIMONA", dt.date(2024, 11, 15)) == {(C, "MANDATE", "MASTER")}
