"""An SSA's branch change: entered by the SSA itself, no other formality (R-SSA-1, R-SSA-2, R-SSA-4).

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
from resolvers.context import UseCase
from resolvers.ids import fits
from resolvers.journal import joined, record
from resolvers.lookup import acting_party, find_mandate
from resolvers.statuses import current_status


async def change_branch(uc: UseCase, mandate_id: str, branch_code: str) -> Mandate:
    async with in_transaction():
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)
        if acting_party(uc.actor, mandate) is not Party.MANDATARY or not mandate.mandatary.is_social_secretariat:
            raise Forbidden("api.forbidden.branch_holder")  # R-SSA-1
        status = current_status(mandate, uc.clock.today())
        if status in ENDED:
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.branch.status", rules=("R-SSA-4",), status=status)
        branch = await find_branch(mandate.mandatary, branch_code)
        if branch.id == mandate.branch_id:
            raise RuleViolation(ErrorCode.INVALID_BRANCH, "api.branch.same", ("branchCode",), branch=branch.code)
        await move_to_branch(mandate, branch, uc.actor, uc.clock.now())
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


async def move_to_branch(
    mandate: Mandate, branch: Branch, actor: Actor, at: dt.datetime, *, via: Keyed | None = None
) -> None:
    """The file is now managed by `branch`: history and both parties notified (R-SSA-4).

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
        detail=joined(Words("notice.detail.branch", {"code": branch.code, "name": branch.name}), via),
    )
