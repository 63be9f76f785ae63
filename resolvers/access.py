"""Who acts, and what they may see and do (R-USR-1, R-USR-2, R-USR-6, R-SRCH-1)."""

from __future__ import annotations

from dataclasses import dataclass

from models.signing import Party

MANAGE = "mandates:manage"
CONSULT = "mandates:consult"
OFFICER = "nsso:officer"
INTEGRATION = "integration:actions"
PERSONAL_DATA = "personal-data:read"  # the NISS of every person the token's other scopes reach (resolvers.visibility)
SCOPES = (MANAGE, CONSULT, OFFICER, INTEGRATION, PERSONAL_DATA)


class Forbidden(Exception):
    """The actor is known but may not do this: a top-level FORBIDDEN error. `key` names its message in the
    catalogue (config/locale/*.po), written in the reader's language (schema/errors.py)."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key
        self.params: dict[str, object] = {}


@dataclass(frozen=True)
class Actor:
    """The person a bearer token names, acting for one enterprise (none for NSSO officers)."""

    niss: str
    name: str | None
    enterprise_number: str | None  # ten digits
    scopes: frozenset[str]

    @property
    def is_officer(self) -> bool:
        return OFFICER in self.scopes

    @property
    def can_manage(self) -> bool:
        return MANAGE in self.scopes and self.enterprise_number is not None

    @property
    def can_consult(self) -> bool:
        """Either role of a person acting for an enterprise: consulting is part of managing (R-USR-2)."""
        return bool({MANAGE, CONSULT} & self.scopes) and self.enterprise_number is not None

    @property
    def is_integration(self) -> bool:
        return INTEGRATION in self.scopes

    def require_manager(self) -> None:
        """Creating, signing, closing: the manage role of a person acting for an enterprise (R-USR-2)."""
        if not self.can_manage:
            raise Forbidden("api.forbidden.manage")

    def require_consulter(self) -> None:
        """Reading a mandate's outcome for an enterprise: the consult or the manage role (R-USR-2, R-DASH-5)."""
        if not self.can_consult:
            raise Forbidden("api.forbidden.consult")

    def require_officer(self) -> None:
        if not self.is_officer:
            raise Forbidden("api.forbidden.officer")

    def party_in(self, principal_number: str, mandatary_number: str) -> Party | None:
        """The side the actor's enterprise stands on in a mandate, if any."""
        if self.enterprise_number == principal_number:
            return Party.PRINCIPAL
        if self.enterprise_number == mandatary_number:
            return Party.MANDATARY
        return None
