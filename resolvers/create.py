"""Creating a mandate: the "Data introduction" step (R-CRE-1..5, R-ENT-2..12, R-UNQ-*, R-CHG-*)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from models import creation
from models import identification as identification_rules
from models.catalogue import ApplicationGroup
from models.errors import ErrorCode, RuleViolation, Words
from models.places import plan_places
from models.quarter import Quarter
from models.reference import format_reference
from models.signing import Party
from models.status import MandateStatus, finalise_before
from models.tables import (
    Branch,
    EmployerIdentificationRequest,
    Enterprise,
    ForeignEntityRegistration,
    Mandate,
    MandateGroup,
)
from resolvers.activity import activity_of
from resolvers.branch import find_branch
from resolvers.context import UseCase
from resolvers.journal import record
from resolvers.languages import group_names
from resolvers.lookup import find_enterprise, own_enterprise
from resolvers.places import principal_holdings
from resolvers.references import next_reference
from resolvers.rows import insert_objects


@dataclass(frozen=True)
class NewMandate:
    """The encoder names the other side; its own enterprise is the one it acts for (R-CRE-1, R-CRE-3)."""

    groups: list[str]
    start_quarter: Quarter
    principal_number: str | None = None
    mandatary_number: str | None = None
    branch_code: str | None = None


async def create_mandate(uc: UseCase, new: NewMandate) -> Mandate:
    uc.actor.require_manager()
    groups = uc.catalogue.resolve(new.groups)
    today, now = uc.clock.today(), uc.clock.now()
    async with in_transaction():
        principal, mandatary, encoder = await _parties(uc, new)  # the principal read under its lock
        branch = await _branch(mandatary, new.branch_code)
        creation.check_start(new.start_quarter, today)
        creation.check_companions(groups)
        creation.check_parties(activity_of(principal), activity_of(mandatary), new.start_quarter, None, today)
        await _check_identified(principal, groups)  # R-FOR-1, R-WIDE-5, R-FOR-4
        holdings = await principal_holdings(principal.id, uc.catalogue, today)
        replacements = plan_places(groups, mandatary.id, new.start_quarter, holdings, window_day=today)
        mandate, rows = await insert_mandate(
            principal,
            mandatary,
            groups,
            new.start_quarter,
            MandateStatus.TO_BE_FINALISED,
            encoder,
            now,
            branch=branch,
            replaces_other_mandatary=bool(replacements),
        )
        await record(
            mandate,
            uc.actor,
            "CREATED",
            now,
            detail=Words(
                "notice.detail.created",
                {
                    "encoder": encoder,
                    "groups": [group_names(group) for group in groups],
                    "start": new.start_quarter,
                    "date": mandate.finalise_before,
                },
            ),
            first=True,
            groups=rows,
        )
    return mandate


async def _parties(uc: UseCase, new: NewMandate) -> tuple[Enterprise, Enterprise, Party]:
    """The actor's enterprise on one side, the named enterprise on the other; the principal is read under its
    row lock (`lock_principal`), which serialises the changes to its places (R-UNQ-12)."""
    if (new.principal_number is None) == (new.mandatary_number is None):
        raise RuleViolation(
            ErrorCode.INVALID_INPUT,
            "api.create.other_party",
            ("mandataryNumber",) if new.mandatary_number is not None else ("principalNumber",),
        )
    own = await own_enterprise(uc.actor, lock=new.mandatary_number is not None)
    if new.mandatary_number is not None:
        other = await find_enterprise(new.mandatary_number, ("mandataryNumber",), by=("ssa_number",))
        principal, mandatary, encoder = own, other, Party.PRINCIPAL
    else:
        assert new.principal_number is not None  # refused above: exactly one of the numbers is given
        other = await find_enterprise(new.principal_number, ("principalNumber",), by=("nsso_number",), lock=True)
        principal, mandatary, encoder = other, own, Party.MANDATARY
    if principal.id == mandatary.id:
        raise RuleViolation(ErrorCode.SAME_PARTY, "api.create.same_party", ("mandataryNumber",))
    field = ("mandataryNumber",) if encoder is Party.PRINCIPAL else ("principalNumber",)
    creation.check_mandatary(mandatary.name, mandatary.is_service_provider, mandatary.is_social_secretariat, field)
    return principal, mandatary, encoder


async def _branch(mandatary: Enterprise, code: str | None) -> Branch | None:
    """An SSA's branch when its head office does not manage the file (R-ENT-3, R-SSA-2)."""
    if not code:
        return None
    if not mandatary.is_social_secretariat:
        raise RuleViolation(
            ErrorCode.INVALID_BRANCH, "api.create.branch_unknown", ("branchCode",), branch=code, ssa=mandatary.name
        )
    return await find_branch(mandatary, code)


async def _check_identified(principal: Enterprise, groups: list[ApplicationGroup]) -> None:
    """A principal unknown in the CBE takes an in-app mandate only once the NSSO registered it
    (`resolvers/foreign_entities.py`) or it is linked to an identification request
    (`resolvers/employer_identification.py`): R-FOR-1, R-WIDE-5, R-FOR-4 (see the rule)."""
    if principal.known_in_cbe:
        return
    identification_rules.check_principal_identified(
        known_in_cbe=False,
        nsso_number=principal.nsso_number,
        linked_to_request=await EmployerIdentificationRequest.filter(principal_id=principal.id).exists(),
        registered_by_nsso=await ForeignEntityRegistration.filter(enterprise_id=principal.id).exists(),
        nsso_initiated_groups=any(group.nsso_initiator for group in groups),
    )


async def insert_mandate(
    principal: Enterprise,
    mandatary: Enterprise,
    groups: list[ApplicationGroup],
    start: Quarter,
    status: MandateStatus,
    encoder: Party,
    now: dt.datetime,
    *,
    branch: Branch | None = None,
    replaces_other_mandatary: bool = False,
) -> tuple[Mandate, list[MandateGroup]]:
    """The mandate's rows: the next reference of the year's series (R-CRE-5), every group from `start`,
    and the 60-day limit from the creation day (R-EXP-1). Called once the creation's rules have passed, so
    that a refused creation takes no number."""
    series, number = await next_reference(now.year)
    mandate = Mandate(
        series=series,
        number=number,
        reference=format_reference(series, number),
        principal=principal,
        mandatary=mandatary,
        branch=branch,
        status=status,
        encoder=encoder,
        start_quarter=start.index,
        created_at=now,
        finalise_before=finalise_before(now.date()),
        replaces_other_mandatary=replaces_other_mandatary,
    )
    await insert_objects([mandate])
    rows = [
        MandateGroup(mandate=mandate, principal=principal, group_code=group.code, start_quarter=start.index)
        for group in groups
    ]
    await insert_objects(rows)
    return mandate, rows
