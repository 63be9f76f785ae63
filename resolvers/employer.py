"""The employer's own events, recorded by NSSO officers: deletion of the employer identification,
bankruptcy and the curator's answer, the definitive NSSO number, and the annulment of a mandate
(R-EMP-1..6, R-DEL-6, R-ANN-1, R-ANN-2, R-WIDE-2, R-WIDE-6, R-EMP-3).

The rules are `models/employer.py`; each use case takes the principal's lock, since it changes
every effective mandate of that principal at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from config.messages import Keyed
from models.employer import (
    CuratorAnswer,
    DeletionRequester,
    GroupSpan,
    annulled_status,
    annulment_period,
    check_deletable,
    check_identifiable,
    closed_by_curator,
    closed_by_deletion,
    require_reason,
)
from models.errors import ErrorCode, RuleViolation, Words
from models.identifiers import normalise_niss
from models.quarter import Quarter, quarter_or_none
from models.status import EFFECTIVE, Event, MandateStatus, next_status
from models.tables import (
    Bankruptcy,
    Delegation,
    EmployerDeletion,
    Enterprise,
    Mandate,
    MandateGroup,
    NssoNumberAssignment,
    SigningCompetence,
)
from resolvers.actions import check_no_actions
from resolvers.columns import values_of
from resolvers.context import UseCase
from resolvers.employer_identification import conclude_identification
from resolvers.ids import fits
from resolvers.journal import group_ends, record
from resolvers.lookup import find_mandate, looks_like_cbe_number
from resolvers.places import locked_principal, refresh_end_quarter
from resolvers.statuses import any_status, current_status

PRINCIPAL_FIELD = ("principalNumber",)


@dataclass(frozen=True)
class EmployerOutcome:
    """The principal after the event, and the mandates the event changed."""

    enterprise: Enterprise
    mandates: list[Mandate]


async def delete_employer(
    uc: UseCase, principal_number: str, deletion_date: dt.date, requested_by: DeletionRequester
) -> EmployerOutcome:
    """Record the deletion of the employer identification number (R-EMP-1); the employer-only groups
    of its effective mandates end on the last day of the deletion quarter (R-EMP-2, R-CLU-6). Their
    delegations end with them (R-DEL-6, R-DEL-5); other groups go on; a technical extension runs
    from the new end (R-COMP-5).
    """
    uc.actor.require_officer()
    async with in_transaction():
        principal = await locked_principal(principal_number)
        check_deletable(principal.nsso_number, principal.deleted_on)
        principal.deleted_on = deletion_date
        await principal.save(update_fields=["deleted_on"])
        await EmployerDeletion.create(
            principal=principal,
            deletion_date=deletion_date,
            requested_by=requested_by,
            recorded_by_niss=uc.actor.niss,
            recorded_at=uc.clock.now(),
        )
        changed = await _close_groups(
            uc,
            principal,
            lambda spans: closed_by_deletion(spans, deletion_date),
            "EMPLOYER_DELETED",
            Words("notice.detail.employer_deleted", {"date": deletion_date, "requester": requested_by}),
        )
    return EmployerOutcome(principal, changed)


async def record_bankruptcy(
    uc: UseCase, principal_number: str, published_on: dt.date, curator_niss: str, curator_name: str
) -> EmployerOutcome:
    """The curator takes the bankrupt company's place: registered as a holder of the competence to
    sign for the principal, it then acts under the principal's rules (R-EMP-4).
    """
    uc.actor.require_officer()
    niss = normalise_niss(curator_niss, ("curatorNiss",))
    name = (curator_name or "").strip()
    if not name or not fits(SigningCompetence, "name", name):
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.employer.curator_name", ("curatorName",))
    if published_on > uc.clock.today():
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.employer.bankruptcy_published", ("publishedOn",))
    async with in_transaction():
        principal = await locked_principal(principal_number)
        await SigningCompetence.update_or_create(enterprise=principal, niss=niss, defaults={"name": name})
        await Bankruptcy.create(
            principal=principal,
            published_on=published_on,
            curator_niss=niss,
            curator_name=name,
            recorded_at=uc.clock.now(),
        )
    return EmployerOutcome(principal, [])


async def record_curator_answer(uc: UseCase, principal_number: str, answer: CuratorAnswer) -> EmployerOutcome:
    """The curator's answer to the NSSO's letter: DELETE or NO_ANSWER ends every group of the
    principal's effective mandates on the last day of the quarter the answer is recorded in
    (R-EMP-5); CONTINUE leaves them valid until a party ends them under the general rules (R-EMP-6).
    """
    uc.actor.require_officer()
    today = uc.clock.today()
    async with in_transaction():
        principal = await locked_principal(principal_number)
        bankruptcy = await Bankruptcy.filter(principal_id=principal.id, answer__isnull=True).order_by("-id").first()
        if bankruptcy is None:
            raise RuleViolation(ErrorCode.BANKRUPTCY_NOT_RECORDED, "api.employer.no_bankruptcy", PRINCIPAL_FIELD)
        bankruptcy.answer, bankruptcy.answered_on = answer, today
        await bankruptcy.save(update_fields=["answer", "answered_on"])
        changed = await _close_groups(
            uc,
            principal,
            lambda spans: closed_by_curator(answer, spans, today),
            "CURATOR_ANSWERED",
            Words(
                "notice.detail.curator_answered",
                {"curator": bankruptcy.curator_name, "answer": answer, "date": bankruptcy.published_on},
            ),
        )
    return EmployerOutcome(principal, changed)


async def assign_nsso_number(uc: UseCase, principal_number: str, nsso_number: str) -> EmployerOutcome:
    """The definitive NSSO number ends the identification: every IDENTIFICATION mandate of the
    principal becomes ACTIVE, its employer-only groups activated (R-WIDE-6, R-WIDE-2). A deleted
    employer identified again keeps its closed mandates closed (R-EMP-3).
    """
    uc.actor.require_officer()
    number = (nsso_number or "").strip()
    if not number or not fits(Enterprise, "nsso_number", number) or looks_like_cbe_number(number):
        raise RuleViolation(
            ErrorCode.INVALID_INPUT, "api.employer.nsso_number_invalid", ("nssoNumber",), number=nsso_number
        )
    now = uc.clock.now()
    async with in_transaction():
        principal = await locked_principal(principal_number)
        check_identifiable(principal.nsso_number, principal.deleted_on)
        await conclude_identification(principal, now)  # refused while a request is blocked (R-WIDE-3)
        if await Enterprise.filter(nsso_number=number).exclude(id=principal.id).exists():
            raise RuleViolation(
                ErrorCode.INVALID_INPUT, "api.employer.nsso_number_taken", ("nssoNumber",), number=number
            )
        principal.nsso_number, principal.deleted_on = number, None
        await principal.save(update_fields=["nsso_number", "deleted_on"])
        await NssoNumberAssignment.create(
            principal=principal, nsso_number=number, assigned_by_niss=uc.actor.niss, assigned_at=now
        )
        waiting = (
            await Mandate.filter(principal_id=principal.id, status=MandateStatus.IDENTIFICATION)
            .select_for_update()
            .prefetch_related("principal", "mandatary")
        )
        for mandate in waiting:
            mandate.status = next_status(MandateStatus.IDENTIFICATION, Event.EMPLOYER_IDENTIFIED)
            await mandate.save(update_fields=["status"])
            await record(
                mandate,
                uc.actor,
                "EMPLOYER_IDENTIFIED",
                now,
                detail=Words("notice.detail.employer_identified", {"number": number}),
            )
    return EmployerOutcome(principal, list(waiting))


async def annul_mandate(uc: UseCase, mandate_id: str, reason: str) -> Mandate:
    """Annulment, as if there had never been a mandate: officers only, case by case (R-ANN-1), at
    least under the conditions of a late closure over the whole validity of the mandate (R-ANN-2).
    The mandate becomes CANCELLED and stays in the history; its delegations are cancelled (R-DEL-5);
    both parties, and the delegates, are notified.
    """
    uc.actor.require_officer()
    text = require_reason(reason)
    today, now = uc.clock.today(), uc.clock.now()
    async with in_transaction():
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)
        status = annulled_status(current_status(mandate, today))
        groups = set(await values_of(mandate.groups.all(), "group_code"))
        first_day, last_day = annulment_period(Quarter(mandate.start_quarter), today)
        try:
            await check_no_actions(mandate.principal_id, mandate.mandatary_id, groups, first_day, last_day)
        except RuleViolation as violation:
            raise RuleViolation(
                violation.code, violation.key, ("mandateId",), rules=violation.rules, **violation.params
            ) from None
        mandate.status = status
        await mandate.save(update_fields=["status"])
        delegations = (
            await Delegation.filter(mandate_id=mandate.id)
            .exclude(status=MandateStatus.CANCELLED)
            .prefetch_related("delegate")
        )
        await Delegation.filter(id__in=[d.id for d in delegations]).update(status=MandateStatus.CANCELLED, ended_at=now)
        await record(
            mandate,
            uc.actor,
            "ANNULLED",
            now,
            detail=Words("notice.detail.annulled", {"reason": text}),
            also_notify=tuple({d.delegate_id: d.delegate for d in delegations}.values()),
            delegations=tuple(d.id for d in delegations),
        )
    return mandate


async def _close_groups(
    uc: UseCase,
    principal: Enterprise,
    plan: Callable[[list[GroupSpan]], dict[str, Quarter]],
    action: str,
    why: Keyed,
) -> list[Mandate]:
    """End, per effective mandate of the principal, the groups `plan` names; history and both parties notified."""
    today, now = uc.clock.today(), uc.clock.now()
    mandates = await (
        Mandate.filter(
            any_status(list(EFFECTIVE), today), principal_id=principal.id
        )  # as of today: every group ended is CLOSED
        .select_for_update()
        .order_by("id")
        .prefetch_related("principal", "mandatary")
    )
    rows_of: dict[int, list[MandateGroup]] = {mandate.id: [] for mandate in mandates}
    for row in await MandateGroup.filter(mandate_id__in=list(rows_of)).order_by("id"):
        rows_of[row.mandate_id].append(row)
    changed = []
    for mandate in mandates:
        rows = rows_of[mandate.id]
        spans = [
            GroupSpan(
                row.group_code,
                Quarter(row.start_quarter),
                quarter_or_none(row.end_quarter),
                bool(group and group.employer_only),
            )
            for row in rows
            for group in [uc.catalogue.get(row.group_code)]
        ]
        ends = plan(spans)
        if not ends:
            continue
        for row in rows:
            if row.group_code in ends:
                row.end_quarter = ends[row.group_code].index
                await row.save(update_fields=["end_quarter"])
        await refresh_end_quarter(mandate)
        listed = [group_ends(uc.catalogue[code], end) for code, end in ends.items()]
        await record(
            mandate, uc.actor, action, now, detail=Words("notice.detail.groups_closed", {"why": why, "ended": listed})
        )
        changed.append(mandate)
    return changed
