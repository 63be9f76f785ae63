"""Registration as a service provider (RULES.md §20: R-SPID-1..3, R-USR-5).

A company's CBE representative asks the NSSO to register it as a non-approved service provider,
declaring the conditions; an officer approves (the company may then be named as mandatary, R-ENT-12)
or refuses with a reason. The rules are `models/identification.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from config.messages import text
from models import identification as rules
from models.errors import ErrorCode, RuleViolation
from models.identification import Declaration, ProviderDecision, ProviderRequestStatus
from models.tables import Enterprise, ProviderIdentificationRequest
from resolvers.access import Forbidden
from resolvers.context import UseCase
from resolvers.ids import decode_id
from resolvers.journal import channel_for, notify_one
from resolvers.languages import recipient_language
from resolvers.lookup import own_enterprise, signatory_register
from resolvers.places import lock_principal


async def request_provider_identification(
    uc: UseCase, declarations: Iterable[Declaration]
) -> ProviderIdentificationRequest:
    """« Identification »: a CBE representative of the company, whatever its function, asks the NSSO
    to register it as a non-approved service provider, declaring the conditions (R-SPID-1, R-SPID-2,
    R-USR-5). Anyone else gets FORBIDDEN."""
    uc.actor.require_manager()
    declared = list(declarations)
    async with in_transaction():
        company = await own_enterprise(uc.actor)
        await lock_principal(company.id)  # one pending request per company, even under concurrent requests
        if not rules.may_request_provider_identification(await signatory_register(company), uc.actor.niss):
            raise Forbidden("api.forbidden.legal_representative")  # R-SPID-1
        rules.check_provider_request(
            known_in_cbe=company.known_in_cbe,
            is_service_provider=company.is_service_provider,
            is_social_secretariat=company.is_social_secretariat,
            pending=await ProviderIdentificationRequest.filter(
                enterprise_id=company.id, status=ProviderRequestStatus.SUBMITTED
            ).exists(),
            declared=declared,
        )
        return await ProviderIdentificationRequest.create(
            enterprise=company,
            applicant_niss=uc.actor.niss,
            applicant_name=uc.actor.name,
            declarations=sorted({d.value for d in declared}),
            status=ProviderRequestStatus.SUBMITTED,
            submitted_at=uc.clock.now(),
        )


async def decide_provider_identification(
    uc: UseCase, request_id: str, decision: ProviderDecision, reason: str | None
) -> ProviderIdentificationRequest:
    """The officer's decision: APPROVE makes the company a SERVICE_PROVIDER, which may then be named
    as mandatary (R-ENT-12); REFUSE states the reason (R-SPID-2). The company is told in its e-Box."""
    uc.actor.require_officer()
    key = decode_id(request_id, "ProviderIdentificationRequest", ("requestId",))
    now = uc.clock.now()
    async with in_transaction():
        found = await ProviderIdentificationRequest.get_or_none(id=key)
        if found is None:
            raise RuleViolation(ErrorCode.NOT_FOUND, "api.identification.request_not_found", ("requestId",))
        await lock_principal(found.enterprise_id)
        request = await ProviderIdentificationRequest.select_for_update().get(id=key)
        company = await Enterprise.get(id=request.enterprise_id)
        request.status = rules.decide_provider_request(request.status, decision, reason)
        request.reason = (reason or "").strip() or None
        request.decided_at, request.decided_by_niss = now, uc.actor.niss
        await request.save()
        if request.status is ProviderRequestStatus.APPROVED:
            company.is_service_provider = True
            await company.save(update_fields=["is_service_provider"])
            subject, body = "notice.provider.registered_subject", "notice.provider.registered_body"
        else:
            subject, body = "notice.provider.refused_subject", "notice.provider.refused_body"
        language = recipient_language(company)
        await notify_one(
            company,
            channel_for(company, is_mandatary=True),
            text(language, subject),
            text(language, body, reason=request.reason),
            now,
        )
    return request


def provider_requests(statuses: list[ProviderRequestStatus]) -> QuerySet[ProviderIdentificationRequest]:
    """Officers' list of service-provider requests, oldest first (R-SPID-2)."""
    return ProviderIdentificationRequest.filter(status__in=[s.value for s in statuses]).order_by("submitted_at", "id")
