"""An SSA's branch change: entered by the SSA itself, no other formality (R-SSA-1, R-SSA-2, R-SSA-4).

"No branch" moves the file back to the head office: the recorded branch must always be where the file
is (guidelines §4.6, R-ENT-3: no branch = head office).

`find_branch` and `move_to_branch` are shared with the officer's bulk import (resolvers/bulk_branches.py, R-SSA-3).
"""

from __future__ import annotations

import datetime as dt

from tortoise.transactions import in_transaction

from config.messages import Keyed
from models.errors import ErrorCode, RuleViolation, Words
from models.signing import Party
from models.status import ENDED
from models.tables import Branch, Enterprise, Mandate
from resolvers.access import Actor, Forbidden
from resolvers.activity import check_mandate_activity
from resolvers.authorisations import NewVersion, issue_authorisation
from resolvers.context import UseCase
from resolvers.ids import fits
from resolvers.journal import joined, record
from resolvers.lookup import acting_party, find_mandate
from resolvers.statuses import current_status


async def change_branch(
    uc: UseCase, mandate_id: str, branch_code: str | None, new_version: NewVersion | None = None
) -> Mandate:
    """Move the file; with `new_version`, also issue the authorisation naming the new branch (or the head office),
    in the same transaction: a refusal of either leaves nothing written (R-PDF-8)."""
    async with in_transaction():
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)
        if acting_party(uc.actor, mandate) is not Party.MANDATARY or not mandate.mandatary.is_social_secretariat:
            raise Forbidden("api.forbidden.branch_holder")  # R-SSA-1
        status = current_status(mandate, uc.clock.today())
        if status in ENDED:
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.branch.status", rules=("R-SSA-4",), status=status)
        check_mandate_activity(mandate, uc.clock.today())  # R-ENT-8
        branch = await branch_or_head_office(mandate.mandatary, branch_code)
        if (branch.id if branch else None) == mandate.branch_id:
            if branch is None:
                raise RuleViolation(ErrorCode.INVALID_BRANCH, "api.branch.same_head_office", ("branchCode",))
            raise RuleViolation(ErrorCode.INVALID_BRANCH, "api.branch.same", ("branchCode",), branch=branch.code)
        await move_to_branch(mandate, branch, uc.actor, uc.clock.now())
        if new_version is not None:
            await issue_authorisation(uc, mandate, new_version)
    return mandate


async def find_branch(ssa: Enterprise, branch_code: str) -> Branch:
    """A branch of this social secretariat, or INVALID_BRANCH: the system checks no more (R-SSA-2)."""
    code = (branch_code or "").strip()
    branch = await Branch.get_or_none(enterprise_id=ssa.id, code=code) if fits(Branch, "code", code) else None
    if branch is None:
        raise RuleViolation(
            ErrorCode.INVALID_BRANCH, "api.branch.unknown", ("branchCode",), branch=branch_code, ssa=ssa.name
        )
    return branch


async def branch_or_head_office(ssa: Enterprise, branch_code: str | None) -> Branch | None:
    """None (the head office) for no code or a blank one (R-ENT-3), else `find_branch`."""
    if branch_code is None or not branch_code.strip():
        return None
    return await find_branch(ssa, branch_code)


async def move_to_branch(
    mandate: Mandate, branch: Branch | None, actor: Actor, at: dt.datetime, *, via: Keyed | None = None
) -> None:
    """The file is now managed by `branch`, or by the head office when None: history and both parties
    notified (R-SSA-4).

    `mandate.principal` and `mandate.mandatary` must be fetched.
    """
    mandate.branch = branch
    mandate.revision += 1  # an authorisation issued before names the old branch (R-PDF-5)
    await mandate.save(update_fields=["branch_id", "revision"])
    await record(
        mandate,
        actor,
        "BRANCH_CHANGED",
        at,
        detail=joined(
            Words("notice.detail.branch", {"code": branch.code, "name": branch.name})
            if branch
            else Words("notice.detail.head_office"),
            via,
        ),
    )
