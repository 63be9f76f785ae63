"""Delegations through GraphQL (RULES.md §15): who may call createDelegation and endDelegation (R-DEL-2),
their payloads, the mandate's `delegations`, the notifications (R-DEL-7, R-NOT-1), R-CLU-7.

The rules of delegating (R-DEL-1, R-DEL-3..5, R-LIFE-9) are proved on the use cases themselves:
tests/usecases/test_delegations.py. A (PROVIDER) held DMFA+DIMONA+FLEXI for LOGISTIQUE from 1/2022;
B (SSA) replaced it from 1/2024, so A's groups end 4/2023. Today is 2024-05-10.
"""

from __future__ import annotations

from tests.api.delegation_steps import (
    CREATE_DELEGATION,
    END_DELEGATION,
    FULL_DMFA,
    delegate,
    end_delegation,
    replaced_history,
)
from tests.api.helpers import (
    LOGISTIQUE,
    PROVIDER,
    SSA,
    codes,
    error_codes,
    niss,
    notifications,
    read,
)

DELEGATIONS = (
    '{ mandate(reference: "%s") { delegations { id status fromQuarter toQuarter groups { code } delegate { '
    "enterpriseNumber } } } }"
)


async def delegations_of(api, as_: str, reference: str) -> list[dict]:
    result = await api(DELEGATIONS % reference, as_=as_)
    assert "errors" not in result, result
    return result["data"]["mandate"]["delegations"]


async def test_r_del_2_only_the_main_mandatary_registers_and_ends_its_delegations(api, clock):
    _, main = await replaced_history(api, clock, FULL_DMFA)
    variables = {
        "input": {
            "mandateId": main["id"],
            "delegateNumber": PROVIDER,
            "groups": ["DMFA"],
            "fromQuarter": "1/2023",
            "toQuarter": "4/2023",
        }
    }
    by_principal = await api(CREATE_DELEGATION, variables, as_="employer-director")
    assert error_codes(by_principal) == ["FORBIDDEN"]
    by_delegate = await delegate(api, "provider-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023")
    assert codes(by_delegate) == ["NOT_FOUND"]  # not a party to B's mandate: it does not see it
    by_consult = await api(CREATE_DELEGATION, variables, as_="employer-consult")
    assert error_codes(by_consult) == ["FORBIDDEN"]
    # Neither the principal's signature nor the delegate's acceptance: ACTIVE at once.
    delegation = (await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023"))[
        "delegation"
    ]
    assert (delegation["status"], delegation["delegate"], delegation["mandate"]) == (
        "ACTIVE",
        {"enterpriseNumber": PROVIDER},
        {"reference": main["reference"]},
    )
    listed = await delegations_of(api, "employer-director", main["reference"])
    assert [(d["id"], d["status"], d["fromQuarter"], d["toQuarter"]) for d in listed] == [
        (delegation["id"], "ACTIVE", "1/2023", "4/2023")
    ]
    ended_by_principal = await api(END_DELEGATION, {"id": delegation["id"]}, as_="employer-director")
    assert error_codes(ended_by_principal) == ["FORBIDDEN"]
    assert codes(await end_delegation(api, "provider-signatory", delegation["id"])) == ["NOT_FOUND"]
    ended = await end_delegation(api, "ssa-signatory", delegation["id"])
    assert ended["userErrors"] == [] and ended["delegation"]["status"] == "CANCELLED"
    assert [d["status"] for d in await delegations_of(api, "employer-director", main["reference"])] == ["CANCELLED"]
    twice = await end_delegation(api, "ssa-signatory", delegation["id"])
    assert codes(twice) == ["INVALID_TRANSITION"]


async def test_r_del_2_a_malformed_delegation_id_is_a_user_error(api):
    payload = await end_delegation(api, "ssa-signatory", "not-an-id")
    assert codes(payload) == ["INVALID_ID"]
    assert payload["userErrors"][0]["field"] == ["delegationId"]


async def test_r_clu_7_each_group_says_whether_it_may_be_delegated(api):
    groups = (await api("{ applicationGroups { code delegable } }"))["data"]["applicationGroups"]
    assert len(groups) == 16
    assert [g["code"] for g in groups if not g["delegable"]] == ["WORK_ACCIDENTS_PUBLIATO"]


async def test_r_del_7_creating_and_ending_a_delegation_notifies_principal_mandatary_and_delegate(api, clock):
    """R-NOT-1: delegation events are actions on the main mandate."""
    _, main = await replaced_history(api, clock, FULL_DMFA)
    delegation = (await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023"))[
        "delegation"
    ]
    created_for = [
        n["recipient"]["enterpriseNumber"]
        for n in await notifications(api, "nsso-officer")
        if "delegation created" in n["subject"]
    ]
    assert sorted(created_for) == sorted([LOGISTIQUE, SSA, PROVIDER])
    delegate_box = await notifications(api, "provider-signatory", first=1)
    # The delegate is told, but is no party of the main mandate: the notification does not open it.
    assert (
        delegate_box[0]["channel"] == "EBOX"
        and main["reference"] in delegate_box[0]["subject"]
        and delegate_box[0]["mandate"] is None
    )
    assert "DmfA from 1/2023 to 4/2023: delegated to" in delegate_box[0]["body"]
    await end_delegation(api, "ssa-signatory", delegation["id"])
    ended_for = [
        n["recipient"]["enterpriseNumber"]
        for n in await notifications(api, "nsso-officer")
        if "delegation ended" in n["subject"]
    ]
    assert sorted(ended_for) == sorted([LOGISTIQUE, SSA, PROVIDER])
    history = (await read(api, "ssa-signatory", main["reference"]))["history"]
    assert [(e["action"], e["actorNiss"]) for e in history[-2:]] == [
        ("DELEGATION_CREATED", niss("ssa-signatory")),
        ("DELEGATION_ENDED", niss("ssa-signatory")),
    ]
