"""Every action on a mandate checks the parties' activity against the mandate period (R-ENT-8; issue 13,
departure 1): signing, uploading, the officer's acceptance, closing, delegating and branch changes, not
only creation. Today is 2024-05-10 unless a test moves the clock.

An enterprise's activity ends when the reference data says so (`mandates load-reference`); the tests
write the row's `active_until` directly, as a reload would.
"""

from __future__ import annotations

import datetime as dt

from models.tables import Enterprise
from tests.api.authorisation_steps import accept, issued_pdf, review, upload
from tests.api.delegation_steps import FULL_DMFA, delegate, replaced_history
from tests.api.helpers import (
    LOGISTIQUE,
    PROVIDER,
    SSA,
    active,
    codes,
    created,
    read,
    sign,
)

CHANGE = """
mutation($id: ID!, $code: String) {
  changeBranch(input: {mandateId: $id, branchCode: $code}) { mandate { branch { code } } userErrors { code field } }
}"""
CLOSE = """
mutation($input: CloseMandateInput!) {
  closeMandate(input: $input) { mandate { endQuarter } userErrors { code field message } }
}"""


async def activity_ends(number: str, on: dt.date) -> None:
    digits = number.replace(".", "")
    assert await Enterprise.filter(enterprise_number=digits).update(active_until=on) == 1


async def close(api, as_: str, mandate: dict, end: str) -> dict:
    result = await api(CLOSE, {"input": {"mandateId": mandate["id"], "endQuarter": end}}, as_=as_)
    assert "errors" not in result, result
    return result["data"]["closeMandate"]


async def test_r_ent_8_a_provider_whose_activity_ended_cannot_sign_a_pending_mandate(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    assert (await sign(api, "employer-director", mandate["id"]))["mandate"]["status"] == "PENDING"
    await activity_ends(PROVIDER, dt.date(2024, 4, 30))
    refused = await sign(api, "provider-signatory", mandate["id"])
    assert codes(refused) == ["ENTERPRISE_INACTIVE"] and refused["userErrors"][0]["field"] == ["mandateId"]
    assert refused["mandate"] is None
    assert (await read(api, "employer-director", mandate["reference"]))["status"] == "PENDING"


async def test_r_ent_8_signing_refuses_an_open_mandate_beyond_an_announced_end_of_activity(api):
    """Still active today, but the open-ended mandate would outlive the principal's activity."""
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    await activity_ends(LOGISTIQUE, dt.date(2025, 12, 31))
    assert codes(await sign(api, "employer-director", mandate["id"])) == ["PERIOD_OUTSIDE_ACTIVITY"]


async def test_r_ent_8_an_upload_is_refused_once_a_party_is_inactive(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    scan = await issued_pdf(api, "employer-director", mandate["id"], method="HANDWRITTEN")
    await activity_ends(PROVIDER, dt.date(2024, 4, 30))
    refused = await upload(api, "employer-director", mandate["id"], scan)
    assert codes(refused) == ["ENTERPRISE_INACTIVE"]
    assert (await read(api, "employer-director", mandate["reference"]))["status"] == "TO_BE_FINALISED"


async def test_r_ent_8_the_officer_cannot_accept_but_can_reject_once_a_party_is_inactive(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    scan = await issued_pdf(api, "employer-director", mandate["id"], method="HANDWRITTEN")
    assert (await upload(api, "employer-director", mandate["id"], scan))["mandate"]["status"] == "TO_BE_VALIDATED"
    await activity_ends(LOGISTIQUE, dt.date(2024, 5, 1))
    accepted = await accept(api, mandate["id"])
    assert codes(accepted) == ["ENTERPRISE_INACTIVE"]
    rejected = await review(api, mandate["id"], "REJECT", reason="The principal has ceased its activity")
    assert rejected["userErrors"] == [] and rejected["mandate"]["status"] == "REJECTED"


async def test_r_ent_8_a_branch_change_is_refused_once_the_principal_is_inactive(api):
    mandate = await active(api, LOGISTIQUE, SSA, ["PMP"], "2/2024", by="mandatary")
    await activity_ends(LOGISTIQUE, dt.date(2024, 5, 1))
    payload = (await api(CHANGE, {"id": mandate["id"], "code": "ANT"}, as_="ssa-signatory"))["data"]["changeBranch"]
    assert codes(payload) == ["ENTERPRISE_INACTIVE"]
    assert (await read(api, "ssa-signatory", mandate["reference"]))["branch"] is None


async def test_r_ent_8_a_closure_may_not_end_after_a_partys_activity_but_stays_possible_once_it_ended(api, clock):
    mandate = await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    await activity_ends(PROVIDER, dt.date(2024, 9, 30))  # its last quarter: 3/2024
    beyond = await close(api, "employer-director", mandate, "4/2024")
    assert codes(beyond) == ["PERIOD_OUTSIDE_ACTIVITY"] and beyond["userErrors"][0]["field"] == ["endQuarter"]
    assert "3/2024" in beyond["userErrors"][0]["message"]
    clock.frozen = dt.date(2024, 10, 7)  # month 1 of 4/2024: the provider is no longer active
    after = await close(api, "employer-director", mandate, "3/2024")
    assert after["userErrors"] == [] and after["mandate"]["endQuarter"] == "3/2024"


async def test_r_ent_8_delegating_checks_the_main_mandate_and_the_delegate(api, clock):
    _, main = await replaced_history(api, clock, FULL_DMFA)
    await activity_ends(PROVIDER, dt.date(2024, 4, 30))  # the delegate
    refused = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023")
    assert codes(refused) == ["ENTERPRISE_INACTIVE"] and refused["userErrors"][0]["field"] == ["delegateNumber"]
    await Enterprise.filter(enterprise_number=PROVIDER.replace(".", "")).update(active_until=None)
    await activity_ends(LOGISTIQUE, dt.date(2024, 5, 1))  # the main mandate's principal
    refused = await delegate(api, "ssa-signatory", main["id"], PROVIDER, ["DMFA"], "1/2023", "4/2023")
    assert codes(refused) == ["ENTERPRISE_INACTIVE"] and refused["userErrors"][0]["field"] == ["mandateId"]
