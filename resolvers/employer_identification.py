"""Employer identification requests, WIDE (RULES.md §21: R-WIDE-1..5).

A provider files an identification request for its client under a validated mandate, or the employer
files its own (R-WIDE-1, R-WIDE-2, R-WIDE-4). The officer's review of the linked paper authorisation
reaches the requests through two hooks called by `resolvers/authorisations.py`: a refusal blocks them
and no NSSO number is assigned meanwhile, accepting the replacement unblocks them (R-WIDE-3, R-PAP-4);
`resolvers/employer.py` concludes them when it assigns the definitive NSSO number.
The rules are `models/identification.py`.
"""

from __future__ import annotations

import datetime as dt

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models import identification as rules
from models.authorisation import paper_allowed
from models.employer import check_identifiable
from models.errors import ErrorCode, RuleViolation, Words
from models.identification import DIMONA, OPEN, IdentificationStatus
from models.quarter import Quarter
from models.status import EFFECTIVE, MandateStatus
from models.tables import EmployerIdentificationRequest, Enterprise, Mandate, MandateGroup
from resolvers.columns import values_of
from resolvers.context import UseCase
from resolvers.lookup import find_mandate, own_enterprise
from resolvers.places import PRINCIPAL_FIELD, locked_principal
from resolvers.statuses import current_status


async def submit_employer_identification(
    uc: UseCase, principal_number: str, mandate_id: str | None, paper_tolerance: bool
) -> EmployerIdentificationRequest:
    """An identification request for a principal that is not (or no longer) an NSSO employer.

    Filed by the principal itself (always possible), or by a provider holding a validated mandate of
    the principal with at least Dimona, or, while paper is accepted, whose handwritten scan awaits the
    officer (R-WIDE-1, R-WIDE-2, R-WIDE-4). Filing again re-links a blocked request to another mandate.
    """
    uc.actor.require_manager()
    now, today = uc.clock.now(), uc.clock.today()
    async with in_transaction():
        principal = await locked_principal(principal_number)
        check_identifiable(principal.nsso_number, principal.deleted_on)
        filer = await own_enterprise(uc.actor)
        provider, mandate = None, None
        if filer.id != principal.id:
            if not (filer.is_service_provider or filer.is_social_secretariat):
                raise RuleViolation(
                    ErrorCode.NOT_A_SERVICE_PROVIDER,
                    "api.identification.filer_not_provider",
                    PRINCIPAL_FIELD,
                    filer=filer.name,
                )
            provider = filer
            candidates = await _supporting_candidates(uc, principal, provider, mandate_id, today)
            mandate = rules.supporting_mandate(candidates, paper_allowed(paper_tolerance, principal.known_in_cbe))
        mandate_key = mandate.mandate_id if mandate else None
        existing = await (
            EmployerIdentificationRequest.filter(principal_id=principal.id, status__in=[s.value for s in OPEN])
            .filter(**({"provider_id": provider.id} if provider else {"provider_id__isnull": True}))
            .order_by("-id")
            .first()
        )
        if existing is not None:
            existing.status = rules.refiled_status(existing.status, existing.mandate_id, mandate_key)
            existing.mandate_id, existing.blocked_reason, existing.blocked_at = mandate_key, None, None
            await existing.save()
            return existing
        return await EmployerIdentificationRequest.create(
            principal=principal,
            provider=provider,
            mandate_id=mandate_key,
            status=IdentificationStatus.SUBMITTED,
            filed_by_niss=uc.actor.niss,
            created_at=now,
        )


async def _supporting_candidates(
    uc: UseCase, principal: Enterprise, provider: Enterprise, mandate_id: str | None, today: dt.date
) -> list[rules.SupportingMandate]:
    """The provider's mandates for the principal that could support the request: the one named, or all."""
    if mandate_id is not None:
        named = await find_mandate(uc.actor, mandate_id)
        if (named.principal_id, named.mandatary_id) != (principal.id, provider.id):
            raise RuleViolation(
                ErrorCode.VALIDATED_MANDATE_REQUIRED,
                "api.identification.not_your_mandate",
                ("mandateId",),
                rules=("R-WIDE-1",),
            )
        mandates = [named]
    else:
        mandates = await Mandate.filter(
            principal_id=principal.id,
            mandatary_id=provider.id,
            status__in=[s.value for s in EFFECTIVE | {MandateStatus.TO_BE_VALIDATED}],
        ).order_by("id")
    current = Quarter.containing(today).index
    dimona = set(
        await values_of(
            MandateGroup.filter(mandate_id__in=[m.id for m in mandates], group_code=DIMONA).filter(
                Q(end_quarter__isnull=True) | Q(end_quarter__gte=current)
            ),
            "mandate_id",
        )
    )
    return [rules.SupportingMandate(m.id, current_status(m, today), m.id in dimona) for m in mandates]


async def block_linked_requests(mandate: Mandate, reason: str, at: dt.datetime) -> Words | None:
    """R-WIDE-3: the refusal of a mandate's paper authorisation blocks the identification requests
    filed under it. Returns the sentence the refusal's notification adds (None when none); no NSSO number
    is granted until a replacement authorisation is accepted (R-PAP-4)."""
    requests = await EmployerIdentificationRequest.filter(
        mandate_id=mandate.id, status=IdentificationStatus.SUBMITTED
    ).select_for_update()
    for request in requests:
        request.status = rules.blocked_by_refusal(request.status)
        request.blocked_reason, request.blocked_at = reason, at
        await request.save(update_fields=["status", "blocked_reason", "blocked_at"])
    return Words("notice.detail.requests_blocked") if requests else None


async def unblock_linked_requests(mandate: Mandate) -> Words | None:
    """R-WIDE-3, R-PAP-4: accepting the replacement authorisation unblocks them. Returns the sentence the
    acceptance's notification adds (None when none)."""
    requests = await EmployerIdentificationRequest.filter(
        mandate_id=mandate.id, status=IdentificationStatus.BLOCKED
    ).select_for_update()
    for request in requests:
        request.status = rules.unblocked_by_acceptance(request.status)
        request.blocked_reason = request.blocked_at = None
        await request.save(update_fields=["status", "blocked_reason", "blocked_at"])
    return Words("notice.detail.requests_unblocked") if requests else None


async def conclude_identification(principal: Enterprise, at: dt.datetime) -> None:
    """Before the definitive NSSO number: refused while a request of the principal is blocked
    (R-WIDE-3); its open requests are then DONE. The caller holds the principal's lock."""
    requests = await EmployerIdentificationRequest.filter(
        principal_id=principal.id, status__in=[s.value for s in OPEN]
    ).select_for_update()
    rules.check_not_blocked(request.status for request in requests)
    await EmployerIdentificationRequest.filter(id__in=[r.id for r in requests]).update(
        status=IdentificationStatus.DONE, done_at=at
    )


def employer_requests(statuses: list[IdentificationStatus]) -> QuerySet[EmployerIdentificationRequest]:
    """Officers' list of employer identification requests, oldest first (R-WIDE-1..3)."""
    return EmployerIdentificationRequest.filter(status__in=[s.value for s in statuses]).order_by("created_at", "id")
