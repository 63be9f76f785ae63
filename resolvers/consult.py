"""Consulting a rejection: it stops counting on the dashboard, for the consulting side only (R-DASH-5).

Consulting is open to both roles of R-USR-2: a user with the consult right only clears the block too.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from models.errors import ErrorCode, RuleViolation, Words
from models.signing import Party
from models.status import MandateStatus
from models.tables import Mandate
from resolvers.context import UseCase
from resolvers.journal import record
from resolvers.lookup import consulting_party, find_mandate


async def mark_rejection_consulted(uc: UseCase, mandate_id: str) -> Mandate:
    async with in_transaction():
        mandate = await find_mandate(uc.actor, mandate_id, for_update=True)
        party = consulting_party(uc.actor, mandate)
        if mandate.status is not MandateStatus.REJECTED:
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "api.consult.not_rejected", ("mandateId",))
        column = (
            "rejection_consulted_by_principal_at" if party is Party.PRINCIPAL else "rejection_consulted_by_mandatary_at"
        )
        if getattr(mandate, column) is None:
            now = uc.clock.now()
            setattr(mandate, column, now)
            await mandate.save(update_fields=[column])
            await record(
                mandate,
                uc.actor,
                "REJECTION_CONSULTED",
                now,
                detail=Words("notice.detail.consulted", {"party": party}),
                notify=False,
            )
    return mandate
