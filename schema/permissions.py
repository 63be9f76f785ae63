"""Permission classes (Strawberry's pattern): who may call a field at all (R-USR-1, R-USR-2, R-USR-6).

Finer decisions (which mandate, which party) are the use cases'. Instances are shared between
requests, so they never keep per-request state.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission
from strawberry.types import Info

from resolvers.limits import RateLimited
from schema.errors import Unauthenticated

# A permission class's `message` is a key of the message catalogue, written in the request's language by
# schema/errors.py.


def _actor(info: Info):
    context = info.context
    if context.actor is None:
        raise Unauthenticated(context.token_error)
    return context.actor


class IsAuthenticated(BasePermission):
    message = "api.unauthenticated"
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return _actor(info) is not None


class CanManage(BasePermission):
    message = "api.forbidden.manage"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return _actor(info).can_manage


class CanConsult(BasePermission):
    """Either role of a person acting for an enterprise, manage or consult only (R-USR-2)."""

    message = "api.forbidden.consult"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return _actor(info).can_consult


class IsOfficer(BasePermission):
    message = "api.forbidden.officer"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return _actor(info).is_officer


class CanManageOrIsOfficer(BasePermission):
    """A party's manager, or an NSSO officer acting ex officio (closures: R-CLO-1, R-CLO-10)."""

    message = "api.forbidden.manage_or_officer"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        actor = _actor(info)
        return actor.can_manage or actor.is_officer


class IsIntegration(BasePermission):
    """The systems that report Dimona, DmfA, WIDE and DRS actions (R-CLO-12)."""

    message = "api.forbidden.integration"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return _actor(info).is_integration


class Limited(FieldExtension):
    """The abuse limits of an expensive field, per viewer (resolvers/limits.py, hardening item 7): over
    them the answer is HTTP 429 with `Retry-After` and an error RATE_LIMITED with its retryAfter.
    Runs after the field's permission classes (Strawberry runs those first), so the viewer is known."""

    def __init__(self, operation: str):
        super().__init__()
        self.operation = operation

    async def resolve_async(self, next_, source: Any, info: Info, **kwargs: Any) -> Any:
        context = info.context
        try:
            slot = context.limiter.acquire(self.operation, _actor(info).niss)
        except RateLimited as refused:
            if context.response is not None:
                context.response.status_code = 429
                context.response.headers["Retry-After"] = str(refused.retry_after)
            raise
        with slot:
            return await next_(source, info, **kwargs)


class CanRegisterWebhooks(BasePermission):
    """Officers, integrations and managers of an enterprise (resolvers/webhooks.py)."""

    message = "api.forbidden.webhooks"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        actor = _actor(info)
        return actor.is_officer or actor.is_integration or actor.can_manage
