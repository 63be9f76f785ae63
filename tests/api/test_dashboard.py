"""The home dashboard (RULES.md §26): To be finalised, Pending and Rejected blocks, their colours and links,
and rejections counted until each side consulted them.

Today is 2024-05-10 unless a test moves the clock.
"""

from __future__ import annotations

import datetime as dt

from models.status import MandateStatus
from models.tables import Mandate
from resolvers.dashboard import BOUND
from tests.api.helpers import (
    BOULANGERIE,
    DASHBOARD,
    LOGISTIQUE,
    PROVIDER,
    SSA,
    active,
    codes,
    copies,
    created,
    error_codes,
    key,
    read,
    sign,
)

CONSULTED = """
mutation($id: ID!) {
  markRejectionConsulted(input: {mandateId: $id}) {
    mandate { status rejection { reason consultedByPrincipalAt consultedByMandataryAt } }
    userErrors { code field message rules }
  }
}"""


async def dashboard(api, as_: str) -> dict:
    result = await api(DASHBOARD, as_=as_)
    assert "errors" not in result, result
    return result["data"]["dashboard"]


async def rejected(
    api, as_: str, mandatary: str, groups: list[str], reason: str = "NISS of the principal's signatory missing"
) -> dict:
    """A mandate in status REJECTED.

    No use case rejects yet (the officer's review of handwritten authorisations comes in a later issue),
    so the mandate is created through GraphQL and its row is then set REJECTED directly through Tortoise,
    as the officer's REJECT would leave it (R-PAP-3).
    """
    mandate = await created(api, as_, mandataryNumber=mandatary, groups=groups, startQuarter="3/2024")
    row = await Mandate.get(id=key(mandate["id"]))
    row.status = MandateStatus.REJECTED
    row.rejection_reason = reason
    row.rejected_at = row.created_at
    await row.save(update_fields=["status", "rejection_reason", "rejected_at"])
    return mandate


async def test_r_dash_1_a_mandate_with_two_groups_counts_once_in_its_block(api):
    mandate = await created(
        api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP", "SIGEDIS"], startQuarter="3/2024"
    )
    await sign(api, "employer-director", mandate["id"])
    blocks = await dashboard(api, "employer-director")
    assert blocks["pending"]["count"] == 1
    assert blocks["toBeFinalised"]["count"] == 0
    assert blocks["rejected"]["count"] == 0
    assert [blocks[b]["status"] for b in ("toBeFinalised", "pending", "rejected")] == [
        "TO_BE_FINALISED",
        "PENDING",
        "REJECTED",
    ]


async def test_r_dash_1_counts_per_block_for_the_viewers_enterprise_on_either_side(api):
    """Two mandates to be finalised and one pending for Demo Payroll Partners (as mandatary); active ones are not
    counted;
    another enterprise's mandates are not counted."""
    await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    await created(api, "provider-signatory", principalNumber=BOULANGERIE, groups=["PMP"], startQuarter="3/2024")
    pending = await created(
        api, "provider-signatory", principalNumber=BOULANGERIE, groups=["SIGEDIS"], startQuarter="3/2024"
    )
    await sign(api, "provider-signatory", pending["id"])
    await active(api, LOGISTIQUE, PROVIDER, ["WITA_AMATEUR"], "3/2024")
    await created(
        api, "employer-director", mandataryNumber=SSA, groups=["BELPARCEL"], startQuarter="3/2024"
    )  # not PROVIDER's
    blocks = await dashboard(api, "provider-signatory")
    assert (blocks["toBeFinalised"]["count"], blocks["pending"]["count"], blocks["rejected"]["count"]) == (2, 1, 0)
    principal = await dashboard(api, "employer-director")
    assert (principal["toBeFinalised"]["count"], principal["pending"]["count"]) == (2, 0)
    officer = await dashboard(api, "nsso-officer")
    assert (officer["toBeFinalised"]["count"], officer["pending"]["count"]) == (3, 1)


async def test_r_dash_2_to_be_finalised_and_pending_are_grey_with_mandates_white_without(api):
    empty = await dashboard(api, "employer-director")
    assert [empty[b]["colour"] for b in ("toBeFinalised", "pending", "rejected")] == ["WHITE", "WHITE", "WHITE"]
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    one = await dashboard(api, "employer-director")
    assert (one["toBeFinalised"]["colour"], one["pending"]["colour"]) == ("GREY", "WHITE")
    await sign(api, "employer-director", mandate["id"])
    moved = await dashboard(api, "employer-director")
    assert (moved["toBeFinalised"]["colour"], moved["pending"]["colour"]) == ("WHITE", "GREY")


async def test_r_dash_2_a_lapsed_mandate_leaves_its_block(api, clock):
    """Not finalised in 60 days: CANCELLED, so it is no longer to be finalised (R-EXP-2)."""
    clock.frozen = dt.date(2024, 1, 10)
    await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="1/2024")
    assert (await dashboard(api, "employer-director"))["toBeFinalised"]["colour"] == "GREY"
    clock.frozen = dt.date(2024, 3, 11)
    blocks = await dashboard(api, "employer-director")
    assert (blocks["toBeFinalised"]["count"], blocks["toBeFinalised"]["colour"]) == (0, "WHITE")


async def test_r_dash_3_rejected_is_red_until_consulted(api):
    mandate = await rejected(api, "employer-director", PROVIDER, ["PMP"])
    blocks = await dashboard(api, "employer-director")
    assert (blocks["rejected"]["count"], blocks["rejected"]["colour"]) == (1, "RED")
    assert blocks["toBeFinalised"]["count"] == 0  # a rejected mandate is in the Rejected block only
    payload = (await api(CONSULTED, {"id": mandate["id"]}, as_="employer-director"))["data"]["markRejectionConsulted"]
    assert payload["userErrors"] == []
    after = await dashboard(api, "employer-director")
    assert (after["rejected"]["count"], after["rejected"]["colour"], after["rejected"]["mandateId"]) == (
        0,
        "WHITE",
        None,
    )


async def test_r_dash_5_consultation_by_the_principal_clears_the_principals_side_only(api):
    mandate = await rejected(api, "employer-director", PROVIDER, ["PMP"])
    assert (await dashboard(api, "employer-director"))["rejected"]["count"] == 1
    assert (await dashboard(api, "provider-signatory"))["rejected"]["count"] == 1
    payload = (await api(CONSULTED, {"id": mandate["id"]}, as_="employer-director"))["data"]["markRejectionConsulted"]
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "REJECTED"
    assert payload["mandate"]["rejection"]["reason"] == "NISS of the principal's signatory missing"
    assert payload["mandate"]["rejection"]["consultedByPrincipalAt"].startswith("2024-05-10")
    assert payload["mandate"]["rejection"]["consultedByMandataryAt"] is None
    assert (await dashboard(api, "employer-director"))["rejected"]["count"] == 0
    mandatary_side = await dashboard(api, "provider-signatory")
    assert (mandatary_side["rejected"]["count"], mandatary_side["rejected"]["colour"]) == (1, "RED")
    # The mandatary's consultation then clears its own side.
    second = (await api(CONSULTED, {"id": mandate["id"]}, as_="provider-signatory"))["data"]["markRejectionConsulted"]
    assert second["mandate"]["rejection"]["consultedByMandataryAt"] is not None
    assert (await dashboard(api, "provider-signatory"))["rejected"]["count"] == 0


async def test_r_dash_5_consultation_is_per_side_not_per_person(api):
    """Another user of the principal no longer sees the rejection once one of them consulted it."""
    mandate = await rejected(api, "employer-director", PROVIDER, ["PMP"])
    await api(CONSULTED, {"id": mandate["id"]}, as_="employer-competence")
    assert (await dashboard(api, "employer-consult"))["rejected"]["count"] == 0
    history = (await read(api, "employer-director", mandate["reference"]))["history"]
    assert history[-1]["action"] == "REJECTION_CONSULTED"


async def test_r_dash_5_a_user_with_only_the_consult_right_consults_the_rejection(api):
    """Consulting a rejection is consulting: the consult role clears its side's Rejected block (issue 13, 3)."""
    mandate = await rejected(api, "employer-director", PROVIDER, ["PMP"])
    assert (await dashboard(api, "employer-consult"))["rejected"]["colour"] == "RED"
    payload = (await api(CONSULTED, {"id": mandate["id"]}, as_="employer-consult"))["data"]["markRejectionConsulted"]
    assert payload["userErrors"] == []
    assert payload["mandate"]["rejection"]["consultedByPrincipalAt"] is not None
    assert payload["mandate"]["rejection"]["consultedByMandataryAt"] is None
    assert (await dashboard(api, "employer-consult"))["rejected"]["colour"] == "WHITE"
    assert (await dashboard(api, "provider-signatory"))["rejected"]["colour"] == "RED"


async def test_r_dash_5_an_officer_has_no_side_to_consult_for(api):
    mandate = await rejected(api, "employer-director", PROVIDER, ["PMP"])
    result = await api(CONSULTED, {"id": mandate["id"]}, as_="nsso-officer")
    assert error_codes(result) == ["FORBIDDEN"]


async def test_r_dash_4_a_block_with_one_mandate_links_to_it_with_several_to_the_list(api):
    first = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    one = await dashboard(api, "employer-director")
    assert one["toBeFinalised"]["mandateId"] == first["id"]
    assert one["pending"]["mandateId"] is None  # empty block: no link
    await created(api, "employer-director", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="3/2024")
    two = await dashboard(api, "employer-director")
    assert (two["toBeFinalised"]["count"], two["toBeFinalised"]["mandateId"]) == (2, None)


async def test_r_dash_4_the_rejected_block_links_to_its_one_mandate(api):
    mandate = await rejected(api, "employer-director", PROVIDER, ["PMP"])
    assert (await dashboard(api, "employer-director"))["rejected"]["mandateId"] == mandate["id"]
    await rejected(api, "employer-director", SSA, ["SIGEDIS"])
    blocks = await dashboard(api, "employer-director")
    assert (blocks["rejected"]["count"], blocks["rejected"]["mandateId"]) == (2, None)


async def test_r_dash_5_marking_a_mandate_that_is_not_rejected_is_an_invalid_transition(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    payload = (await api(CONSULTED, {"id": mandate["id"]}, as_="employer-director"))["data"]["markRejectionConsulted"]
    assert codes(payload) == ["INVALID_TRANSITION"]
    assert payload["mandate"] is None
    assert (await read(api, "employer-director", mandate["reference"]))["status"] == "TO_BE_FINALISED"


BOUNDED = """
{ dashboard { toBeFinalised { count countIsLowerBound colour mandateId } pending { count countIsLowerBound } } }"""


async def test_scale_3_a_block_beyond_the_bound_says_so(api):
    """The dashboard counts up to BOUND; beyond, `count` is BOUND and `countIsLowerBound` is true (the console
    shows "99+"); the colour rules only need 0, 1 or more."""
    assert BOUND == 99
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    one = (await api(BOUNDED, as_="employer-director"))["data"]["dashboard"]["toBeFinalised"]
    assert (one["count"], one["countIsLowerBound"]) == (1, False)
    await copies(await Mandate.get(id=key(mandate["id"])), BOUND + 4, MandateStatus.TO_BE_FINALISED)
    blocks = (await api(BOUNDED, as_="provider-signatory"))["data"]["dashboard"]
    assert blocks["toBeFinalised"] == {"count": BOUND, "countIsLowerBound": True, "colour": "GREY", "mandateId": None}
    assert blocks["pending"] == {"count": 0, "countIsLowerBound": False}
