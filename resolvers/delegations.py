"""Delegations: registered and ended by the main mandatary alone, cancelled with the main groups (R-DEL-1..7).

Every change is written in the main mandate's history and notified to the principal, the main
mandatary and the delegate (R-DEL-7, R-NOT-1).
"""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from config.clock import Clock
from config.messages import Keyed
from models import delegation as rules
from models.catalogue import Catalogue
from models.competence import has_effect
from models.errors import ErrorCode, RuleViolation, Words
from models.identifiers import format_enterprise_number
from models.quarter import Quarter, quarter_or_none
from models.signing import Party
from models.status import EFFECTIVE, MandateStatus
from models.tables import Delegation, Enterprise, Mandate, MandateGroup
from resolvers.access import Actor, Forbidden
from resolvers.activity import check_delegate_activity, check_mandate_activity
from resolvers.competence import tenures
from resolvers.context import UseCase
from resolvers.ids import decode_id
from resolvers.journal import record
from resolvers.languages import group_names
from resolvers.lookup import acting_party, find_enterprise, find_mandate
from resolvers.statuses import current_status
from resolvers.visibility import own_enterprise_id, visible_delegations

S = MandateStatus


def delegation_status(row: Delegation, main: Mandate, main_groups: list[MandateGroup], today: dt.date) -> MandateStatus:
    """The delegation's status as of `today`, before the sweep persists it (R-DEL-5).

    `main_groups`: the main mandate's groups; the delegated ones end the delegation with the latest of their ends.
    """
    ends = [group.end_quarter for group in main_groups if group.group_code in row.group_codes]
    known = [end for end in ends if end is not None]
    main_end = None if len(known) < len(ends) else max(known, default=None)
    cancelled = current_status(main, today) is S.CANCELLED
    return rules.delegation_status(row.status, cancelled, quarter_or_none(main_end), today)


async def create_delegation(
    uc: UseCase, mandate_id: str, delegate_number: str, groups: list[str], from_quarter: Quarter, to_quarter: Quarter
) -> Delegation:
    """The main mandatary delegates some of its groups for an earlier period (R-DEL-1, R-DEL-2, R-DEL-4)."""
    requested = uc.catalogue.resolve(groups)
    today, now = uc.clock.today(), uc.clock.now()
    async with in_transaction():
        # for_update also locks the principal: the delegate's tenure and the other delegations are read below.
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)
        _require_main_mandatary(uc.actor, mandate)
        status = current_status(mandate, today)
        if status not in EFFECTIVE:
            raise RuleViolation(
                ErrorCode.INVALID_TRANSITION, "api.delegations.status", rules=("R-LIFE-5", "R-LIFE-9"), status=status
            )
        check_mandate_activity(mandate, today)  # R-ENT-8
        delegate = await find_enterprise(delegate_number, ("delegateNumber",), by=("ssa_number",))
        if delegate.id == mandate.mandatary_id:
            raise RuleViolation(ErrorCode.SAME_PARTY, "api.delegations.self", ("delegateNumber",))
        main = {
            row.group_code: rules.MainGroup(
                Quarter(row.start_quarter),
                quarter_or_none(row.end_quarter),
                has_effect(status, uc.catalogue[row.group_code]),
            )
            for row in await MandateGroup.filter(mandate_id=mandate.id)
        }
        holdings = await tenures(mandate.principal_id, {group.code for group in requested}, uc.catalogue)
        existing = [
            rules.Delegated(frozenset(row.group_codes), Quarter(row.from_quarter), Quarter(row.to_quarter))
            for row in await Delegation.filter(mandate_id=mandate.id, delegate_id=delegate.id, status=S.ACTIVE)
        ]
        rules.check_delegation(requested, main, holdings, delegate.id, from_quarter, to_quarter, today, existing)
        check_delegate_activity(delegate, from_quarter, to_quarter, today)
        row = await Delegation.create(
            mandate=mandate,
            delegate=delegate,
            group_codes=[group.code for group in requested],
            from_quarter=from_quarter.index,
            to_quarter=to_quarter.index,
            status=S.ACTIVE,
            created_at=now,
        )
        await record(
            mandate,
            uc.actor,
            "DELEGATION_CREATED",
            now,
            detail=Words("notice.detail.delegated", {"what": _what(uc.catalogue, row), "delegate": _named(delegate)}),
            also_notify=(delegate,),
            delegations=(row.id,),
        )
    return row


async def end_delegation(uc: UseCase, delegation_id: str) -> Delegation:
    """The main mandatary ends one of its delegations: CANCELLED at once (R-DEL-2, R-DEL-5)."""
    key = decode_id(delegation_id, "Delegation", ("delegationId",))
    today, now = uc.clock.today(), uc.clock.now()
    async with in_transaction():
        found = await (await visible_delegations(uc.actor)).get_or_none(id=key)
        if found is None:
            raise RuleViolation(ErrorCode.NOT_FOUND, "api.delegations.not_found", ("delegationId",))
        mandate = await Mandate.select_for_update().get(id=found.mandate_id).prefetch_related("principal", "mandatary")
        _require_main_mandatary(uc.actor, mandate)
        row = await Delegation.select_for_update().get(id=key).prefetch_related("delegate")
        if delegation_status(row, mandate, await MandateGroup.filter(mandate_id=mandate.id), today) is S.CANCELLED:
            raise RuleViolation(
                ErrorCode.INVALID_TRANSITION, "api.delegations.ended", ("delegationId",), rules=("R-DEL-5",)
            )
        row.status, row.ended_at = S.CANCELLED, now
        await row.save(update_fields=["status", "ended_at"])
        await record(
            mandate,
            uc.actor,
            "DELEGATION_ENDED",
            now,
            detail=Words(
                "notice.detail.delegation_ended", {"what": _what(uc.catalogue, row), "delegate": _named(row.delegate)}
            ),
            also_notify=(row.delegate,),
            delegations=(row.id,),
        )
    return row


async def cancel_ended_delegations(clock: Clock, catalogue: Catalogue) -> int:
    """The sweep's step: persist CANCELLED for the delegations whose main groups have ended or whose main
    mandate is cancelled, and tell the three parties (R-DEL-5, R-DEL-7). Returns how many."""
    today = clock.today()
    current = Quarter.containing(today).index
    due = await (
        Delegation.filter(status=S.ACTIVE)
        .filter(Q(mandate__status=S.CANCELLED.value) | Q(mandate__groups__end_quarter__lt=current))
        .distinct()
        .values_list("id", "mandate_id")
    )
    cancelled = 0
    for key, mandate_id in due:
        async with in_transaction():
            mandate = await Mandate.select_for_update().get(id=mandate_id).prefetch_related("principal", "mandatary")
            row = await Delegation.select_for_update().get(id=key).prefetch_related("delegate")
            if (
                delegation_status(row, mandate, await MandateGroup.filter(mandate_id=mandate_id), today)
                is not S.CANCELLED
                or row.status is S.CANCELLED
            ):
                continue  # a main group still runs, or it changed since it was listed
            row.status, row.ended_at = S.CANCELLED, clock.now()
            await row.save(update_fields=["status", "ended_at"])
            detail = Words(
                "notice.detail.delegation_cancelled",
                {"what": _what(catalogue, row), "delegate": _named(row.delegate)},
            )
            await record(
                mandate,
                None,
                "DELEGATION_CANCELLED",
                row.ended_at,
                detail=detail,
                also_notify=(row.delegate,),
                delegations=(row.id,),
            )
            cancelled += 1
    return cancelled


async def own_delegations(actor: Actor, given: bool) -> QuerySet[Delegation]:
    """The viewer's enterprise's delegations, newest first: those it gave as main mandatary (`given`), or
    those it received as delegate (R-DEL-2, R-COMP-6); none for a viewer acting for no enterprise."""
    own = await own_enterprise_id(actor)
    side = Delegation.filter(mandate__mandatary_id=own) if given else Delegation.filter(delegate_id=own)
    return side.order_by("-id")


def _require_main_mandatary(actor: Actor, mandate: Mandate) -> None:
    """Only the main mandatary registers and manages its delegations (R-DEL-2)."""
    if acting_party(actor, mandate) is not Party.MANDATARY:
        raise Forbidden("api.forbidden.main_mandatary")  # R-DEL-2


def _what(catalogue: Catalogue, row: Delegation) -> Keyed:
    return Words(
        "notice.detail.delegated_groups",
        {
            "groups": [group_names(catalogue[code]) for code in row.group_codes],
            "start": Quarter(row.from_quarter),
            "end": Quarter(row.to_quarter),
        },
    )


def _named(enterprise: Enterprise) -> str:
    return f"{enterprise.name} ({format_enterprise_number(enterprise.enterprise_number)})"
