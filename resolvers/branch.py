"""An SSA's branch change: entered by the SSA itself, no other formality (R-SSA-1, R-SSA-2, R-SSA-4)."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from models.errors import ErrorCode, RuleViolation
from models.signing import Party
from models.status import MandateStatus
from models.tables import Branch, Mandate
from resolvers.access import Forbidden
from resolvers.context import UseCase
from resolvers.ids import fits
from resolvers.journal import record
from resolvers.lookup import acting_party, find_mandate
from resolvers.statuses import current_status

TERMINAL = {MandateStatus.CLOSED, MandateStatus.CANCELLED, MandateStatus.REJECTED}


async def change_branch(uc: UseCase, mandate_id: str, branch_code: str) -> Mandate:
    async with in_transaction():
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)
        if acting_party(uc.actor, mandate) is not Party.MANDATARY or not mandate.mandatary.is_social_secretariat:
            raise Forbidden("Only the social secretariat holding the mandate changes its branch (R-SSA-1).")
        if current_status(mandate, uc.clock.today()) in TERMINAL:
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, f"A mandate in status {mandate.status.value} keeps its branch (R-SSA-4).")
        code = (branch_code or "").strip()
        branch = await Branch.get_or_none(enterprise_id=mandate.mandatary_id, code=code) if fits(Branch, "code", code) else None
        if branch is None:
            raise RuleViolation(ErrorCode.INVALID_BRANCH, f"'{branch_code}' is not a branch of {mandate.mandatary.name}.", ("branchCode",))
        if branch.id == mandate.branch_id:
            raise RuleViolation(ErrorCode.INVALID_BRANCH, f"The mandate is already managed by branch {branch.code}.", ("branchCode",))
        mandate.branch = branch
        mandate.revision += 1  # an authorisation issued before names the old branch (R-PDF-5)
        await mandate.save(update_fields=["branch_id", "revision"])
        await record(mandate, uc.actor, "BRANCH_CHANGED", uc.clock.now(), detail=f"The file is now managed by branch {branch.code} — {branch.name}.")
    return mandate
