"""Steps for the delegation and competence tests through GraphQL: histories built by moving the clock, and the
documents.

A = PROVIDER (the earlier mandatary), B = SSA (the one replacing it), C = PROVIDER2 (never mandated
before 2024). The principal is LOGISTIQUE unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt

from tests.api.helpers import LOGISTIQUE, PROVIDER, SSA, active

TODAY = dt.date(2024, 5, 10)
FULL_DMFA = ["DMFA", "DIMONA", "FLEXI"]

DELEGATION_FIELDS = (
    "id status fromQuarter toQuarter groups { code } delegate { enterpriseNumber } mandate { reference }"
)

CREATE_DELEGATION = f"""
mutation($input: CreateDelegationInput!) {{
  createDelegation(input: $input) {{ delegation {{ {DELEGATION_FIELDS} }} userErrors {{ code field message rules }} }}
}}"""

END_DELEGATION = f"""
mutation($id: ID!) {{
  endDelegation(input: {{delegationId: $id}}) {{ delegation {{ {DELEGATION_FIELDS} }} userErrors {{ code field
    message }} }}
}}"""

COMPETENT = """
query($principal: String!, $group: String!, $on: Date!) {
  competentMandataries(principalNumber: $principal, group: $group, on: $on) {
    mandatary { enterpriseNumber } role via mandate { reference } delegation { id }
  }
}"""


async def replaced_history(api, clock, groups: list[str], *, old: str = PROVIDER, new: str = SSA) -> tuple[dict, dict]:
    """`old` holds `groups` from 1/2022; `new` replaces it from 1/2024 by a change of provider created on
    2023-11-10, so `old`'s groups end 4/2023 (R-CHG-3). The clock is back on TODAY afterwards."""
    clock.frozen = dt.date(2022, 1, 10)
    first = await active(api, LOGISTIQUE, old, groups, "1/2022")
    clock.frozen = dt.date(2023, 11, 10)
    second = await active(api, LOGISTIQUE, new, groups, "1/2024")
    clock.frozen = TODAY
    return first, second


async def delegate(
    api, as_: str, mandate_id: str, delegate_number: str, groups: list[str], start: str, end: str
) -> dict:
    """createDelegation's payload."""
    variables = {
        "input": {
            "mandateId": mandate_id,
            "delegateNumber": delegate_number,
            "groups": groups,
            "fromQuarter": start,
            "toQuarter": end,
        }
    }
    result = await api(CREATE_DELEGATION, variables, as_=as_)
    assert "errors" not in result, result
    return result["data"]["createDelegation"]


async def end_delegation(api, as_: str, delegation_id: str) -> dict:
    result = await api(END_DELEGATION, {"id": delegation_id}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["endDelegation"]
