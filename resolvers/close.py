"""Closing a mandate: an end quarter on some or all of its open groups (RULES.md §14, §24).

Either party's signatory closes an ACTIVE or IDENTIFICATION mandate (guidelines §4.1) within the
windows of §14; an officer closes ex officio or by derogation (R-CLO-1, R-CLO-10). The end may not lie
after a party's activity (R-ENT-8). The mandate keeps its status until the last end has passed and
reads CLOSED after it (R-LIFE-7, `current_status`).

A late closure (E < T) with a reason is listed for the NSSO's review by its history event: action
LATE_CLOSURE, naming who asked, the reason code and text; the groups also show `closureReason`
(R-CLO-5, R-CLO-6, R-CLO-9).

A mandate manager may ask, in the same request, for the new version of the authorisation that shows the
closure (R-PDF-8): it is issued for the revision the closure produces, to be signed and uploaded.
"""

from __future__ import annotations

import datetime as dt

from tortoise.transactions import in_transaction

from config.messages import Keyed
from models import closure
from models.closure import ClosureReason, Requester
from models.errors import ErrorCode, RuleViolation, Words
from models.quarter import Quarter, quarter_or_none
from models.status import FINALISED
from models.tables import Mandate, MandateGroup
from resolvers.actions import check_no_actions
from resolvers.activity import check_closure_activity
from resolvers.authorisations import NewVersion, issue_authorisation
from resolvers.context import UseCase
from resolvers.journal import joined, record
from resolvers.languages import group_names
from resolvers.lookup import acting_party, find_mandate, require_party_signatory
from resolvers.places import principal_holdings, refresh_end_quarter
from resolvers.statuses import current_status


async def close_mandate(
    uc: UseCase,
    mandate_id: str,
    end_quarter: Quarter,
    groups: list[str] | None,
    reason: ClosureReason | None,
    reason_text: str | None,
    new_version: NewVersion | None = None,
) -> Mandate:
    """Close the chosen groups; with `new_version`, also issue the authorisation reflecting the closure, in the
    same transaction: a refusal of either leaves nothing written (R-PDF-8)."""
    today, now = uc.clock.today(), uc.clock.now()
    async with in_transaction():
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)  # locks the principal's places too
        requester = await _requester(uc, mandate)
        status = current_status(mandate, today)
        if status not in FINALISED:  # IDENTIFICATION too, under the same windows (guidelines §4.1)
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.close.not_active", rules=("R-MOD-1",), status=status)
        check_closure_activity(mandate, end_quarter)  # R-ENT-8
        rows = await MandateGroup.filter(mandate_id=mandate.id).order_by("id")
        chosen = _chosen(uc, rows, groups)
        decision = closure.check_closure(
            requester, today, max(Quarter(row.start_quarter) for row in chosen), end_quarter, reason, reason_text
        )
        await _check_places(uc, mandate, rows, {row.group_code for row in chosen}, end_quarter, today)
        if decision.late:
            # Every group of the mandate, not only the chosen ones: acting for one group binds the whole mandate
            # (R-CLO-11).
            codes = {row.group_code for row in rows}
            await check_no_actions(
                mandate.principal_id, mandate.mandatary_id, codes, (end_quarter + 1).first_day, today
            )
        await MandateGroup.filter(id__in=[row.id for row in chosen]).update(
            end_quarter=end_quarter.index,
            closure_reason=decision.reason.value if decision.reason else None,
            closure_text=decision.text,
        )
        await refresh_end_quarter(mandate)
        if decision.late and (decision.reason or decision.text) and mandate.late_closure_since is None:
            mandate.late_closure_since = now  # listed for the officers' assessment (R-CLO-5, R-CLO-6)
            await mandate.save(update_fields=["late_closure_since"])
        await record(
            mandate,
            uc.actor,
            "LATE_CLOSURE" if decision.late else "CLOSURE",
            now,
            detail=_detail(uc, requester, [row.group_code for row in chosen], decision),
        )
        if new_version is not None:
            await issue_authorisation(uc, mandate, new_version)
    return mandate


async def _requester(uc: UseCase, mandate: Mandate) -> Requester:
    """An officer, or a signatory of the party the actor manages the mandate for (R-USR-4, R-CLO-1, R-CLO-2).

    A curator registered as the principal's signatory closes as the principal (R-EMP-4).
    """
    if uc.actor.is_officer:
        return Requester.OFFICER
    party = acting_party(uc.actor, mandate)
    await require_party_signatory(mandate, party, uc.actor.niss)
    return Requester(party.value)


def _chosen(uc: UseCase, rows: list[MandateGroup], groups: list[str] | None) -> list[MandateGroup]:
    """The ticked groups (R-MOD-3), by default every open one; each must still be open (R-CLO-15)."""
    if groups is None:
        chosen = [row for row in rows if row.end_quarter is None]
        if not chosen:
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.close.all_ended", ("groups",), rules=("R-CLO-15",))
        return chosen
    by_code = {row.group_code: row for row in rows}
    named = [group.code for group in uc.catalogue.resolve(groups)]
    missing = [code for code in named if code not in by_code]
    if missing:
        raise RuleViolation(
            ErrorCode.GROUP_NOT_IN_MANDATE, "api.close.groups_not_held", ("groups",), groups=", ".join(missing)
        )
    ended = [f"{code} ends {Quarter(end)}" for code in named if (end := by_code[code].end_quarter) is not None]
    if ended:
        raise RuleViolation(
            ErrorCode.INVALID_TRANSITION, "api.close.end_set", ("groups",), rules=("R-CLO-15",), groups=", ".join(ended)
        )
    return [by_code[code] for code in named]


async def _check_places(
    uc: UseCase, mandate: Mandate, rows: list[MandateGroup], chosen: set[str], end: Quarter, today: dt.date
) -> None:
    """Master Dimona and Flexi keep pace with the DmfA (R-UNQ-9); a Dimona or Flexi left without its
    DmfA becomes secondary only where that place is free (R-UNQ-7)."""
    before = {row.group_code: (Quarter(row.start_quarter), quarter_or_none(row.end_quarter)) for row in rows}
    after = {code: (start, end if code in chosen else old_end) for code, (start, old_end) in before.items()}
    requires = {code: uc.catalogue[code].requires for code in before}
    closure.check_masters_kept({code: span[1] for code, span in after.items()}, requires)
    holdings = None
    for master, companions in requires.items():
        for code in companions:
            if code not in before:
                continue
            span = closure.newly_secondary(after[code][1], before[master], after[master])
            if span is None:
                continue
            if holdings is None:
                holdings = await principal_holdings(
                    mandate.principal_id, uc.catalogue, today, exclude_mandate=mandate.id
                )
            closure.check_secondary_free(uc.catalogue[code], span, holdings)


def _detail(uc: UseCase, requester: Requester, codes: list[str], decision: closure.Closure) -> Keyed:
    """What ends when, who asked, the reason given; a late closure with a reason is listed for the NSSO's
    review (R-CLO-5, R-CLO-6, R-CLO-9)."""
    given = decision.reason or decision.text
    late = Words("notice.detail.late_closure") if decision.late else None
    return joined(
        Words(
            "notice.detail.closure",
            {
                "groups": [group_names(uc.catalogue[code]) for code in codes],
                "end": decision.end,
                "last_day": decision.end.last_day,
                "requester": requester,
            },
        ),
        Words("notice.detail.closure_reason", {"reason": decision.reason}) if decision.reason else None,
        Words("notice.detail.closure_text", {"text": decision.text}) if decision.text else None,
        late,
        Words("notice.detail.late_review") if late and given else None,
    )
