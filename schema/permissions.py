"""Permission classes (Strawberry's pattern): who may call a field at all (R-USR-1, R-USR-2, R-USR-6).

Finer decisions (which mandate, which party) are the use cases'. Instances are shared between
requests, so they never keep per-request state.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from schema.errors import Unauthenticated

AUTHENTICATION_REQUIRED = "Authentication required: send 'Authorization: Bearer <token>'."


def _actor(info: Info):
    context = info.context
    if context.actor is None:
        raise Unauthenticated(context.token_error or AUTHENTICATION_REQUIRED)
    return context.actor


class IsAuthenticated(BasePermission):
    message = AUTHENTICATION_REQUIRED
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return _actor(info) is not None


class CanManage(BasePermission):
    message = "This needs the right to manage mandates for an enterprise (scope mandates:manage)."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return _actor(info).can_manage


class IsOfficer(BasePermission):
    message = "This is reserved to NSSO officers (scope nsso:officer)."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return _actor(info).is_officer


class CanManageOrIsOfficer(BasePermission):
    """A party's manager, or an NSSO officer acting ex officio (closures: R-CLO-1, R-CLO-10)."""

    message = "This needs the right to manage mandates for an enterprise (scope mandates:manage) or an NSSO officer (scope nsso:officer)."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        actor = _actor(info)
        return actor.can_manage or actor.is_officer


class IsIntegration(BasePermission):
    """The systems that report Dimona, DmfA, WIDE and DRS actions (R-CLO-12)."""

    message = "This is reserved to the integrations that report actions (scope integration:actions)."
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return _actor(info).is_integration
