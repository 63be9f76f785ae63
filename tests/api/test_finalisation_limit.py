"""The 60-day limit and the sweep (RULES.md §11): R-EXP-1, R-EXP-2, R-EXP-3 through GraphQL.

What the sweep persists and notifies (R-EXP-2, R-LIFE-7) is proved on the use case: tests/usecases/test_sweep.py.

The sweep is the use case `resolvers.sweep.sweep(clock, CATALOGUE)` (what `mandates sweep` and the server's timer
run); everything else goes through GraphQL. Stored statuses are read through Tortoise only to show
what the sweep changes: GraphQL already shows CANCELLED/CLOSED before it runs.
"""

from __future__ import annotations

import datetime as dt

from config.catalogue import load_catalogue
from config.settings import Settings
from models.tables import Mandate
from resolvers.sweep import SweepReport, sweep
from tests.api.authorisation_steps import issued_pdf, request, upload
from tests.api.helpers import (
    DASHBOARD,
    PROVIDER,
    SSA,
    codes,
    created,
    key,
    niss,
    read,
    sign,
)

CATALOGUE = load_catalogue(Settings().catalogue_path)  # names the groups in the sweep's notifications

CREATED_ON, DAY_60, DAY_61 = dt.date(2024, 1, 1), dt.date(2024, 3, 1), dt.date(2024, 3, 2)  # 2024 is a leap year


async def stored(mandate: dict) -> str:
    """The status the database holds (what the sweep persists), as opposed to the status read as of today."""
    row = await Mandate.get(id=key(mandate["id"]))
    return row.status.value


async def dashboard(api, as_: str) -> dict:
    result = await api(DASHBOARD, as_=as_)
    assert "errors" not in result, result
    return result["data"]["dashboard"]


async def _in_flight(api, clock) -> tuple[dict, dict]:
    """Created on 2024-01-01: one TO_BE_FINALISED (SIGEDIS with the SSA), one PENDING (PMP with the provider)."""
    clock.frozen = CREATED_ON
    unsigned = await created(api, "employer-director", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="1/2024")
    pending = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="1/2024")
    assert (await sign(api, "employer-director", pending["id"]))["mandate"]["status"] == "PENDING"
    assert unsigned["finaliseBefore"] == pending["finaliseBefore"] == "2024-03-01"
    return unsigned, pending


async def test_r_exp_1_on_day_60_the_mandate_is_still_open_and_signable(api, clock):
    unsigned, pending = await _in_flight(api, clock)
    clock.frozen = DAY_60
    # Not cancelled on its last day; warned now since no sweep ran in the 7 days before.
    assert await sweep(clock, CATALOGUE) == SweepReport(cancelled=0, closed=0, warned=2)
    assert (await read(api, "employer-director", unsigned["reference"]))["status"] == "TO_BE_FINALISED"
    assert (await read(api, "provider-signatory", pending["reference"]))["status"] == "PENDING"
    blocks = await dashboard(api, "employer-director")
    assert (blocks["toBeFinalised"]["count"], blocks["pending"]["count"]) == (1, 1)
    payload = await sign(api, "provider-signatory", pending["id"])
    assert payload["userErrors"] == []
    assert payload["mandate"]["status"] == "ACTIVE"
    assert (await sign(api, "employer-director", unsigned["id"]))["mandate"]["status"] == "PENDING"


async def test_r_exp_2_on_day_61_it_reads_cancelled_before_the_sweep_and_leaves_the_dashboard(api, clock):
    unsigned, pending = await _in_flight(api, clock)
    clock.frozen = DAY_61
    for persona in ("employer-director", "provider-signatory"):
        assert (await read(api, persona, pending["reference"]))["status"] == "CANCELLED"
    assert (await read(api, "ssa-signatory", unsigned["reference"]))["status"] == "CANCELLED"
    assert (await stored(unsigned), await stored(pending)) == ("TO_BE_FINALISED", "PENDING")  # the sweep has not run
    for persona in ("employer-director", "provider-signatory", "ssa-signatory"):
        blocks = await dashboard(api, persona)
        assert [(blocks[b]["count"], blocks[b]["colour"]) for b in ("toBeFinalised", "pending")] == [
            (0, "WHITE"),
            (0, "WHITE"),
        ], persona
    listed = await api("{ mandates(filter: {statuses: [CANCELLED]}) { totalCount } }", as_="employer-director")
    assert listed["data"]["mandates"]["totalCount"] == 2


async def test_r_exp_3_a_lapsed_mandate_cannot_be_resumed(api, clock, signers):
    """No signature, no upload (eID or paper), no new authorisation, before and after the sweep."""
    unsigned, pending = await _in_flight(api, clock)
    paper = await issued_pdf(api, "employer-director", unsigned["id"], method="HANDWRITTEN")
    electronic = await issued_pdf(api, "provider-signatory", pending["id"], method="EID")
    signed = await signers.sign(electronic, "MandatarySignature", niss("provider-signatory"))
    clock.frozen = DAY_61
    for _ in ("before the sweep", "after the sweep"):
        assert codes(await sign(api, "provider-signatory", pending["id"])) == ["INVALID_TRANSITION"]
        assert codes(await sign(api, "employer-director", unsigned["id"])) == ["INVALID_TRANSITION"]
        assert codes(await upload(api, "provider-signatory", pending["id"], signed)) == ["INVALID_TRANSITION"]
        assert codes(await upload(api, "employer-director", unsigned["id"], paper)) == ["INVALID_TRANSITION"]
        assert codes(await request(api, "employer-director", unsigned["id"], "HANDWRITTEN")) == ["INVALID_TRANSITION"]
        assert codes(await request(api, "provider-signatory", pending["id"], "EID")) == ["INVALID_TRANSITION"]
        await sweep(clock, CATALOGUE)
    after = await read(api, "employer-director", pending["reference"])
    assert (after["status"], len(after["signatures"])) == ("CANCELLED", 1)


async def test_r_exp_2_to_be_validated_and_rejected_mandates_are_not_swept(api, clock):
    """A signed (paper) version was entered in time: the officer's review is not bound by the 60 days."""
    clock.frozen = CREATED_ON
    waiting = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="1/2024")
    refused = await created(api, "employer-director", mandataryNumber=SSA, groups=["SIGEDIS"], startQuarter="1/2024")
    for mandate in (waiting, refused):
        scan = await issued_pdf(
            api, "employer-director", mandate["id"], method="HANDWRITTEN"
        )  # the issued PDF as the scan
        assert (await upload(api, "employer-director", mandate["id"], scan))["mandate"]["status"] == "TO_BE_VALIDATED"
    rejected = await api(
        (
            'mutation($id: ID!) { reviewAuthorisation(input: {mandateId: $id, decision: "REJECT", reason: "Unsigned"}) '
            "{ mandate { status } } }"
        ),
        {"id": refused["id"]},
        as_="nsso-officer",
    )
    assert rejected["data"]["reviewAuthorisation"]["mandate"]["status"] == "REJECTED"
    clock.frozen = dt.date(2024, 2, 23)
    assert (await sweep(clock, CATALOGUE)).warned == 0
    clock.frozen = dt.date(2024, 4, 1)
    assert await sweep(clock, CATALOGUE) == SweepReport(cancelled=0, closed=0, warned=0)
    assert (await read(api, "employer-director", waiting["reference"]))["status"] == "TO_BE_VALIDATED"
    assert (await read(api, "employer-director", refused["reference"]))["status"] == "REJECTED"
    assert (await stored(waiting), await stored(refused)) == ("TO_BE_VALIDATED", "REJECTED")
    blocks = await dashboard(api, "employer-director")
    assert blocks["rejected"]["count"] == 1
