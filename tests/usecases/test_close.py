"""Closing a mandate, called as a use case (resolvers/close.py; RULES.md §14, §24): the windows of
R-CLO-3..10, the action check of R-CLO-11..12, what may be modified (R-CLO-15, R-MOD-1/3/4), Dimona and
Flexi beside the DmfA (R-UNQ-7, R-UNQ-9), R-CHG-6, R-CAL-7, R-LIFE-7/8.

The GraphQL contract of closeMandate (payload, history, notifications, who may call it) stays in
tests/api/test_closure.py. Today is 2024-05-10 unless a test moves the clock.
"""

from __future__ import annotations

import datetime as dt

import pytest

from config.messages import read_kept
from models.closure import ClosureReason
from models.errors import ErrorCode, RuleViolation
from models.places import roles_in
from models.quarter import Quarter, quarter_or_none
from models.status import MandateStatus
from resolvers.close import close_mandate
from resolvers.statuses import current_status
from tests.api.helpers import BOULANGERIE, COOP, LOGISTIQUE, PROVIDER, SSA, niss
from tests.usecases.steps import Acting, acted, active, created, ends, gid, groups_of, history

pytestmark = pytest.mark.asyncio(loop_scope="package")


async def close(
    act: Acting, as_: str, mandate, end: str, *, groups=None, reason: str | None = None, text: str | None = None
):
    return await close_mandate(
        act(as_), gid(mandate), Quarter.parse(end), groups, ClosureReason(reason) if reason else None, text
    )


async def refused(act: Acting, as_: str, mandate, end: str, **fields) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        await close(act, as_, mandate, end, **fields)
    return caught.value


def code(violation: RuleViolation) -> str:
    return violation.code.value


# R-CLO-3..10: the windows (every cell of the table is in tests/models/test_closure.py).


async def test_r_clo_3_either_party_ends_up_to_t_plus_4_without_reason(act, clock):
    clock.frozen = dt.date(2024, 8, 15)
    first = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    second = await active(act, BOULANGERIE, SSA, ["SIGEDIS"], "3/2024")
    assert code(await refused(act, "employer-director", first, "4/2025")) == "CLOSURE_QUARTER_NOT_ALLOWED"
    await close(act, "employer-director", first, "3/2025")
    assert await ends(first) == {"PMP": "3/2025"}
    assert code(await refused(act, "ssa-signatory", second, "4/2025")) == "CLOSURE_QUARTER_NOT_ALLOWED"
    after = await close(act, "ssa-signatory", second, "3/2024")
    assert (str(Quarter(after.end_quarter)), current_status(after, clock.today())) == ("3/2024", MandateStatus.ACTIVE)
    assert (await groups_of(second))["SIGEDIS"].closure_reason is None


async def test_r_clo_4_the_principal_ends_at_t_minus_1_in_month_1_without_formality(act, clock):
    clock.frozen = dt.date(2024, 1, 20)
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "3/2023")
    after = await close(act, "employer-director", mandate, "4/2023")
    assert await ends(mandate) == {"PMP": "4/2023"}
    assert current_status(after, clock.today()) is MandateStatus.CLOSED  # its last end has passed (R-LIFE-7)
    assert (await history(mandate))[-1].action == "LATE_CLOSURE"


async def test_r_clo_5_the_principal_ends_at_t_minus_2_in_month_1_with_a_reason_listed_for_review(act, clock):
    clock.frozen = dt.date(2024, 1, 20)
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "2/2023")
    violation = await refused(act, "employer-director", mandate, "3/2023")
    assert (code(violation), violation.field) == ("REASON_REQUIRED", ("reasonText",))
    await close(act, "employer-director", mandate, "3/2023", text="The shop closed in September")
    assert await ends(mandate) == {"PMP": "3/2023"}
    assert (await groups_of(mandate))["PMP"].closure_text == "The shop closed in September"
    event = (await history(mandate))[-1]
    assert event.action == "LATE_CLOSURE"
    detail = read_kept("en", event.detail) or ""
    assert "The shop closed in September" in detail and "The NSSO will review the reason" in detail


async def test_r_clo_6_the_principal_ends_at_t_minus_1_in_months_2_3_with_a_reason(act, clock):
    clock.frozen = dt.date(2024, 5, 15)
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "4/2023")
    assert code(await refused(act, "employer-director", mandate, "4/2023", text="x")) == "CLOSURE_QUARTER_NOT_ALLOWED"
    assert code(await refused(act, "employer-director", mandate, "1/2024")) == "REASON_REQUIRED"
    await close(act, "employer-director", mandate, "1/2024", text="No staff since January")
    assert await ends(mandate) == {"PMP": "1/2024"}
    assert (await groups_of(mandate))["PMP"].closure_text == "No staff since January"


async def test_r_clo_7_the_mandatary_in_month_1_t_minus_1_freely_t_minus_2_with_a_code(act, clock):
    clock.frozen = dt.date(2024, 1, 20)
    one = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "2/2023")
    two = await active(act, BOULANGERIE, PROVIDER, ["PMP"], "2/2023")
    await close(act, "provider-signatory", one, "4/2023")
    assert await ends(one) == {"PMP": "4/2023"}
    violation = await refused(act, "provider-signatory", two, "3/2023")
    assert (code(violation), violation.field) == ("REASON_REQUIRED", ("reason",))
    await close(act, "provider-signatory", two, "3/2023", reason="DEBTOR_EMPLOYER")
    assert (await groups_of(two))["PMP"].closure_reason == "DEBTOR_EMPLOYER"


async def test_r_clo_8_the_mandatary_in_months_2_3_ends_at_t_minus_1_with_a_code(act, clock):
    clock.frozen = dt.date(2024, 6, 15)
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "3/2023")
    assert code(await refused(act, "provider-signatory", mandate, "1/2024")) == "REASON_REQUIRED"
    assert (
        code(await refused(act, "provider-signatory", mandate, "4/2023", reason="SILENT_EMPLOYER"))
        == "CLOSURE_QUARTER_NOT_ALLOWED"
    )
    await close(act, "provider-signatory", mandate, "1/2024", reason="LATE_NOTICE_BY_EMPLOYER")
    group = (await groups_of(mandate))["PMP"]
    assert (str(Quarter(group.end_quarter)), group.closure_reason) == ("1/2024", "LATE_NOTICE_BY_EMPLOYER")


async def test_r_clo_9_other_needs_a_text(act):
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "4/2023")
    assert (
        code(await refused(act, "provider-signatory", mandate, "1/2024", reason="OTHER", text="  "))
        == "REASON_REQUIRED"
    )
    await close(act, "provider-signatory", mandate, "1/2024", reason="OTHER", text="The employer moved its seat abroad")
    group = (await groups_of(mandate))["PMP"]
    assert (group.closure_reason, group.closure_text) == ("OTHER", "The employer moved its seat abroad")


async def test_r_clo_10_outside_the_windows_only_an_officer_closes_with_a_justification(act):
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "3/2023")
    assert (
        code(await refused(act, "provider-signatory", mandate, "4/2023", reason="SILENT_EMPLOYER"))
        == "CLOSURE_QUARTER_NOT_ALLOWED"
    )
    assert code(await refused(act, "nsso-officer", mandate, "4/2023")) == "REASON_REQUIRED"
    await close(act, "nsso-officer", mandate, "4/2023", text="Argued request of the provider, e-mail of 2 May")
    assert await ends(mandate) == {"PMP": "4/2023"}
    event = (await history(mandate))[-1]
    assert (event.action, event.actor_niss) == ("LATE_CLOSURE", niss("nsso-officer"))
    detail = read_kept("en", event.detail) or ""
    assert "e-mail of 2 May" in detail and "The NSSO will review the reason" in detail


async def test_r_clo_10_the_officers_derogation_still_checks_the_actions(act):
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["DIMONA", "PMP"], "3/2023")
    await acted(act, LOGISTIQUE, PROVIDER, "DIMONA", "DIMONA", "2024-03-01")
    assert code(await refused(act, "nsso-officer", mandate, "4/2023", text="Argued request")) == "ACTIONS_IN_PERIOD"


# R-CLO-11, R-CLO-12: the action check of late closures.


async def test_r_clo_11_an_action_in_one_group_binds_the_whole_mandate(act, clock):
    clock.frozen = dt.date(2024, 4, 5)
    busy = await active(act, LOGISTIQUE, PROVIDER, ["DIMONA", "PMP"], "1/2024")
    idle = await active(act, BOULANGERIE, PROVIDER, ["DIMONA", "PMP"], "1/2024")
    await acted(act, LOGISTIQUE, PROVIDER, "DIMONA", "DIMONA", "2024-04-05")
    await acted(act, BOULANGERIE, PROVIDER, "DIMONA", "DIMONA", "2024-03-28")  # before the released period
    clock.frozen = dt.date(2024, 4, 20)
    violation = await refused(act, "provider-signatory", busy, "1/2024", groups=["PMP"])
    assert (code(violation), violation.field) == ("ACTIONS_IN_PERIOD", ("endQuarter",))
    await close(act, "provider-signatory", idle, "1/2024", groups=["PMP"])
    assert await ends(idle) == {"DIMONA": None, "PMP": "1/2024"}


async def test_r_clo_11_the_check_applies_whoever_asks(act, clock):
    clock.frozen = dt.date(2024, 4, 20)
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["DIMONA", "PMP"], "1/2024")
    await acted(act, LOGISTIQUE, PROVIDER, "DIMONA", "DIMONA", "2024-04-05")
    assert code(await refused(act, "employer-director", mandate, "1/2024")) == "ACTIONS_IN_PERIOD"
    # Not late: the current quarter is not released, the actions do not matter.
    await close(act, "employer-director", mandate, "2/2024")
    assert await ends(mandate) == {"DIMONA": "2/2024", "PMP": "2/2024"}


async def test_r_clo_12_provisions_for_an_earlier_quarter_do_not_block(act, clock):
    clock.frozen = dt.date(2024, 4, 15)
    earlier = await active(act, LOGISTIQUE, SSA, ["DMFA", "DIMONA", "FLEXI"], "3/2023")
    released = await active(act, BOULANGERIE, SSA, ["DMFA", "DIMONA", "FLEXI"], "3/2023")
    await acted(act, LOGISTIQUE, SSA, "DMFA", "PROVISIONS", "2024-02-05", quarter="4/2023")
    await acted(act, BOULANGERIE, SSA, "DMFA", "PROVISIONS", "2024-04-05", quarter="1/2024")
    await close(act, "ssa-signatory", earlier, "4/2023", reason="SILENT_EMPLOYER")
    assert set((await ends(earlier)).values()) == {"4/2023"}
    assert (
        code(await refused(act, "ssa-signatory", released, "4/2023", reason="SILENT_EMPLOYER")) == "ACTIONS_IN_PERIOD"
    )


async def test_r_clo_12_a_drs_counts_by_the_quarter_of_its_risk_date(act, clock):
    clock.frozen = dt.date(2024, 4, 15)
    before = await active(act, LOGISTIQUE, PROVIDER, ["DRS_UNEMPLOYMENT"], "3/2023")
    within = await active(act, BOULANGERIE, PROVIDER, ["DRS_UNEMPLOYMENT"], "3/2023")
    await acted(act, LOGISTIQUE, PROVIDER, "DRS_UNEMPLOYMENT", "DRS", "2024-01-10", risk_date="2023-12-28")
    await acted(act, BOULANGERIE, PROVIDER, "DRS_UNEMPLOYMENT", "DRS", "2023-12-20", risk_date="2024-01-03")
    await close(act, "provider-signatory", before, "4/2023", reason="SILENT_EMPLOYER")
    assert await ends(before) == {"DRS_UNEMPLOYMENT": "4/2023"}
    assert (
        code(await refused(act, "provider-signatory", within, "4/2023", reason="SILENT_EMPLOYER"))
        == "ACTIONS_IN_PERIOD"
    )


# R-CLO-15, R-MOD-1..4: what can be modified.


async def test_r_clo_15_an_end_once_set_is_not_changed(act):
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    await close(act, "employer-director", mandate, "4/2024")
    assert code(await refused(act, "employer-director", mandate, "3/2024", groups=["PMP"])) == "INVALID_TRANSITION"
    assert code(await refused(act, "nsso-officer", mandate, "3/2024")) == "INVALID_TRANSITION"  # no open group left


async def test_r_clo_15_the_mandate_stays_modifiable_while_a_group_is_open(act):
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["PMP", "SIGEDIS"], "2/2024")
    first = await close(act, "employer-director", mandate, "4/2024", groups=["PMP"])
    assert (await ends(mandate), first.end_quarter) == ({"PMP": "4/2024", "SIGEDIS": None}, None)
    second = await close(act, "employer-director", mandate, "3/2024")  # by default: the open groups only
    assert (await ends(mandate), str(Quarter(second.end_quarter))) == ({"PMP": "4/2024", "SIGEDIS": "3/2024"}, "4/2024")


async def test_r_mod_1_only_active_mandates_are_closed(act, clock):
    from resolvers.sign import sign_mandate

    pending = await created(act, "employer-director", ["PMP"], "2/2024", mandatary=PROVIDER)
    assert (await sign_mandate(act("employer-director"), gid(pending))).status is MandateStatus.PENDING
    assert code(await refused(act, "employer-director", pending, "2/2024")) == "INVALID_TRANSITION"
    ended = await active(act, BOULANGERIE, PROVIDER, ["PMP"], "2/2024")
    await close(act, "employer-manager", ended, "2/2024")
    clock.frozen = dt.date(2024, 7, 2)
    assert code(await refused(act, "nsso-officer", ended, "2/2024", text="x")) == "INVALID_TRANSITION"


async def test_r_mod_3_only_the_ticked_groups_change(act):
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["PMP", "SIGEDIS", "BELPARCEL"], "2/2024")
    assert code(await refused(act, "employer-director", mandate, "3/2024", groups=["DIMONA"])) == "GROUP_NOT_IN_MANDATE"
    assert code(await refused(act, "employer-director", mandate, "3/2024", groups=["NOPE"])) == "UNKNOWN_GROUP"
    assert code(await refused(act, "employer-director", mandate, "3/2024", groups=[])) == "GROUPS_REQUIRED"
    await close(act, "employer-director", mandate, "3/2024", groups=["PMP"])
    assert await ends(mandate) == {"PMP": "3/2024", "SIGEDIS": None, "BELPARCEL": None}


async def test_r_mod_4_a_refused_closure_changes_nothing(act):
    """The use case's transaction (a savepoint here) is undone whole: groups, history, notifications."""
    from models.tables import Notification

    mandate = await active(act, LOGISTIQUE, PROVIDER, ["PMP", "SIGEDIS"], "4/2023")
    before = (await ends(mandate), len(await history(mandate)), await Notification.all().count())
    assert code(await refused(act, "employer-director", mandate, "1/2024", groups=["PMP"])) == "REASON_REQUIRED"
    assert (await ends(mandate), len(await history(mandate)), await Notification.all().count()) == before


# R-UNQ-7, R-UNQ-9: Dimona and Flexi beside the DmfA.


async def test_r_unq_9_a_master_dimona_does_not_end_before_the_dmfa(act):
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "2/2024")
    assert (
        code(await refused(act, "provider-signatory", mandate, "2/2024", groups=["DIMONA"])) == "GROUP_REQUIRES_OTHERS"
    )
    assert (
        code(await refused(act, "provider-signatory", mandate, "2/2024", groups=["DIMONA", "FLEXI"]))
        == "GROUP_REQUIRES_OTHERS"
    )
    await close(act, "provider-signatory", mandate, "2/2024")
    assert set((await ends(mandate)).values()) == {"2/2024"}


async def roles(act: Acting, mandate, today: dt.date) -> dict[str, str]:
    spans = {
        code: (Quarter(row.start_quarter), quarter_or_none(row.end_quarter))
        for code, row in (await groups_of(mandate)).items()
    }
    return {code: role.value for code, role in roles_in(act.catalogue, spans, Quarter.containing(today)).items()}


async def test_r_unq_7_ending_only_the_dmfa_keeps_dimona_as_secondary_if_that_place_is_free(act, clock):
    master = await active(act, LOGISTIQUE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "2/2024")
    secondary = await active(act, LOGISTIQUE, SSA, ["DIMONA"], "2/2024")
    assert code(await refused(act, "provider-signatory", master, "2/2024", groups=["DMFA"])) == "SINGLE_MANDATARY_TAKEN"
    # Ending Dimona with the DmfA leaves only Flexi, whose secondary place is free.
    both = await active(act, BOULANGERIE, PROVIDER, ["DMFA", "DIMONA", "FLEXI"], "2/2024")
    await active(act, BOULANGERIE, SSA, ["DIMONA"], "2/2024")
    await close(act, "provider-signatory", both, "2/2024", groups=["DMFA", "DIMONA"])
    assert (await ends(both))["FLEXI"] is None
    # Once the other secondary ends, the DmfA alone may end.
    await close(act, "ssa-signatory", secondary, "2/2024")
    after = await close(act, "provider-signatory", master, "2/2024", groups=["DMFA"])
    assert await ends(master) == {"DMFA": "2/2024", "DIMONA": None, "FLEXI": None}
    assert await roles(act, master, clock.today()) == {"DMFA": "SOLE", "DIMONA": "MASTER", "FLEXI": "MASTER"}  # until E
    clock.frozen = dt.date(2024, 7, 1)
    later = await roles(act, master, clock.today())
    assert (later["DIMONA"], later["FLEXI"], current_status(after, clock.today())) == (
        "SECONDARY",
        "SECONDARY",
        MandateStatus.ACTIVE,
    )


# R-CHG-6: longer retroactivity in two operations.


async def test_r_chg_6_a_late_closure_frees_the_quarters_for_the_new_provider(act, clock):
    clock.frozen = dt.date(2024, 4, 10)
    former = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "1/2023")
    with pytest.raises(RuleViolation) as early:
        await created(act, "ssa-signatory", ["PMP"], "1/2024", principal=LOGISTIQUE)
    assert early.value.code is ErrorCode.RETROACTIVE_START_NOT_ALLOWED
    await close(act, "provider-signatory", former, "4/2023", reason="SILENT_EMPLOYER")
    assert await ends(former) == {"PMP": "4/2023"}
    new = await created(act, "ssa-signatory", ["PMP"], "1/2024", principal=LOGISTIQUE)
    assert str(Quarter(new.start_quarter)) == "1/2024"


# R-CAL-7, R-LIFE-7, R-LIFE-8.


async def test_r_cal_7_a_group_cannot_end_before_it_starts(act):
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")
    assert code(await refused(act, "employer-director", mandate, "2/2024")) == "CLOSURE_QUARTER_NOT_ALLOWED"
    assert code(await refused(act, "nsso-officer", mandate, "2/2024", text="void it")) == "CLOSURE_QUARTER_NOT_ALLOWED"
    await close(act, "employer-director", mandate, "3/2024")
    assert await ends(mandate) == {"PMP": "3/2024"}


async def test_r_life_7_a_closed_mandate_stays_active_until_its_end_passes(act, clock):
    clock.frozen = dt.date(2024, 4, 10)
    mandate = await active(act, LOGISTIQUE, PROVIDER, ["PMP"], "2/2024")
    after = await close(act, "employer-director", mandate, "2/2024")
    assert current_status(after, clock.today()) is MandateStatus.ACTIVE
    assert current_status(after, dt.date(2024, 6, 30)) is MandateStatus.ACTIVE
    assert current_status(after, dt.date(2024, 7, 1)) is MandateStatus.CLOSED


async def test_r_life_8_closing_some_groups_leaves_the_others_and_the_status(act, clock):
    mandate = await active(act, COOP, PROVIDER, ["DIMONA", "PMP"], "2/2024")
    after = await close(act, "coop-managing-director", mandate, "2/2024", groups=["PMP"])
    assert (await ends(mandate), current_status(after, clock.today()), after.end_quarter) == (
        {"DIMONA": None, "PMP": "2/2024"},
        MandateStatus.ACTIVE,
        None,
    )
    assert current_status(after, dt.date(2024, 8, 1)) is MandateStatus.ACTIVE
