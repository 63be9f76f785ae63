"""Bearer JWTs (API.md, Authentication): minted with the configured secret, checked strictly.

`iss`, `aud`, `iat` and `exp` are required and checked; the algorithm is the configured one only,
so `none` (and any algorithm confusion) is refused. A token over 8 KB is refused before it is
decoded, and one whose lifetime (`exp - iat`) exceeds MANDATES_TOKEN_MAX_MINUTES is refused: a
leaked long-lived token would otherwise stay usable for days.

An external identity provider (RS256/ES256) writes its claims its own way; settings say where to read
them: the NISS (MANDATES_JWT_NISS_CLAIM, e.g. `national_number` when `sub` is an opaque ID), the
enterprise (MANDATES_JWT_ENTERPRISE_CLAIM), the name, and the provider's scopes or roles
(MANDATES_JWT_ROLES_CLAIM: a space-separated string such as `scope`, or a list such as `scp` or
`roles`; `realm_access.roles` reads a nested claim) with MANDATES_JWT_ROLE_MAP turning them into the
registry's rights. Values the map does not name (`openid`, `profile`, another application's roles)
are ignored; a token that grants none of the registry's rights is refused. Keys come from
MANDATES_JWT_PUBLIC_KEY or the provider's JWKS (config/jwks.py).

Checking a signature costs more than the rest of a small request, and a client sends the same token
with every request: with a fixed key (the HS256 secret or MANDATES_JWT_PUBLIC_KEY) a token once
verified is remembered (`Verified`) and taken again without its signature checked while its time
window (iat, nbf, exp) still holds, at most VERIFIED_SECONDS. With a JWKS every request is checked:
the provider may withdraw a key.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import jwt

from config.jwks import JwksCache, UnknownKey
from config.settings import Settings, SettingsError
from models.identifiers import is_enterprise_number, is_niss, normalise_enterprise_number
from resolvers.access import SCOPES, Actor

MAX_TOKEN_BYTES = 8 * 1024
VERIFIED_TOKENS = 4096  # tokens remembered per process, the least recently used forgotten first
VERIFIED_SECONDS = 60.0  # a remembered token is checked in full again after this long


class InvalidToken(Exception):
    """Missing, malformed, expired or foreign token: a top-level UNAUTHENTICATED error."""


def mint(
    settings: Settings,
    niss: str,
    scope: str,
    enterprise: str | None = None,
    name: str | None = None,
    minutes: int | None = None,
) -> str:
    if settings.jwt_algorithm != "HS256":
        raise RuntimeError(
            "Tokens can be minted only with the HS256 secret; an external identity provider issues the others."
        )
    now = dt.datetime.now(dt.UTC)
    claims: dict[str, object] = {
        "sub": niss,
        settings.jwt_niss_claim: niss,
        "scope": scope,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + dt.timedelta(minutes=minutes or settings.token_minutes),
    }
    if enterprise:
        claims[settings.jwt_enterprise_claim] = normalise_enterprise_number(enterprise)
    if name:
        claims[settings.jwt_name_claim] = name
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def role_map(settings: Settings) -> dict[str, frozenset[str]]:
    """The registry's rights of each of the provider's scopes or roles (MANDATES_JWT_ROLE_MAP)."""
    pairs = settings.jwt_role_map if settings.jwt_role_map is not None else tuple((right, right) for right in SCOPES)
    if unknown := sorted({right for _, right in pairs} - set(SCOPES)):
        raise SettingsError(
            [f"MANDATES_JWT_ROLE_MAP: {', '.join(unknown)} is not a right of the registry ({', '.join(SCOPES)})."]
        )
    rights: dict[str, set[str]] = {}
    for value, right in pairs:
        rights.setdefault(value, set()).add(right)
    return {value: frozenset(granted) for value, granted in rights.items()}


@dataclass(frozen=True)
class Verified:
    """A token whose signature and claims were checked, and the POSIX times between which PyJWT would
    accept it again: from its `iat` (and `nbf`) to its `exp`, cut to VERIFIED_SECONDS after the check."""

    actor: Actor
    valid_from: float
    valid_until: float


class TokenVerifier:
    """`clock`: POSIX seconds, for the remembered tokens' windows (PyJWT reads its own clock)."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.time):
        self.settings, self.clock = settings, clock
        self.role_map = role_map(settings)
        self._verified: OrderedDict[str, Verified] = OrderedDict()
        self._jwks = (
            JwksCache(
                settings.jwt_jwks_url,
                settings.jwt_algorithm,
                refresh_seconds=settings.jwks_refresh_seconds,
                wait_seconds=settings.jwks_wait_seconds,
                min_refresh_seconds=settings.jwks_min_refresh_seconds,
            )
            if settings.jwt_jwks_url
            else None
        )

    async def _key(self, token: str):
        if self._jwks is not None:
            try:
                return await self._jwks.key(token)
            except UnknownKey as error:
                raise InvalidToken(f"Invalid token: {error}.") from None
        if self.settings.jwt_algorithm.startswith("HS"):
            return self.settings.jwt_secret
        return self.settings.jwt_public_key

    async def verify(self, authorization: str | None) -> Actor | None:
        """The actor of an `Authorization: Bearer ...` header; None when there is no header.

        Raises InvalidToken, or config.jwks.KeysUnavailable when the provider's keys cannot be had in time."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise InvalidToken("The Authorization header must be 'Bearer <token>'.")
        if len(token) > MAX_TOKEN_BYTES:
            raise InvalidToken(f"Invalid token: it is longer than {MAX_TOKEN_BYTES} bytes.")
        now = self.clock()
        known = self._verified.get(token)
        if known is not None and known.valid_from <= now < known.valid_until:
            self._verified.move_to_end(token)
            return known.actor
        try:
            claims = jwt.decode(
                token,
                await self._key(token),
                algorithms=[self.settings.jwt_algorithm],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                options={"require": ["iss", "aud", "iat", "exp"]},
            )
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise InvalidToken(f"Invalid token: {error}") from None
        lifetime = int(claims["exp"]) - int(claims["iat"])  # PyJWT has checked that both are whole numbers
        if lifetime > self.settings.token_max_minutes * 60:
            raise InvalidToken(
                f"Invalid token: it is valid for longer than {self.settings.token_max_minutes} minutes; ask for a "
                f"shorter-lived token."
            )
        actor = _actor(self.settings, self.role_map, claims)
        if self._jwks is None:
            self._remember(token, actor, claims, now)
        return actor

    def _remember(self, token: str, actor: Actor, claims: dict, now: float) -> None:
        """PyJWT (leeway 0) refuses a token whose `iat` or `nbf` is after now, or whose `exp` is not."""
        valid_from = max(int(claims["iat"]), int(claims.get("nbf", 0)))
        self._verified[token] = Verified(actor, valid_from, min(int(claims["exp"]), now + VERIFIED_SECONDS))
        if len(self._verified) > VERIFIED_TOKENS:
            self._verified.popitem(last=False)


def _claim(claims: dict, name: str) -> object:
    """The claim `name`, or, when there is none of that name, the nested claim its dots spell out."""
    if name in claims:
        return claims[name]
    value: object = claims
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def rights(mapping: dict[str, frozenset[str]], granted: object) -> frozenset[str]:
    """The registry's rights of the provider's scopes or roles: a space-separated string or a list of strings.

    What the role map does not name is ignored (`openid`, `profile`, another application's roles)."""
    if isinstance(granted, str):
        values = granted.split()
    elif isinstance(granted, list):
        values = [value for value in granted if isinstance(value, str)]
    else:
        values = []
    return frozenset(right for value in values for right in mapping.get(value, ()))


def _actor(settings: Settings, mapping: dict[str, frozenset[str]], claims: dict) -> Actor:
    niss_claim, enterprise_claim = settings.jwt_niss_claim, settings.jwt_enterprise_claim
    niss, enterprise = _claim(claims, niss_claim), _claim(claims, enterprise_claim)
    scopes = rights(mapping, _claim(claims, settings.jwt_roles_claim))
    if not isinstance(niss, str) or not is_niss(niss):
        raise InvalidToken(f"Invalid token: '{niss_claim}' is not a NISS.")
    if enterprise is not None and (not isinstance(enterprise, str) or not is_enterprise_number(enterprise)):
        raise InvalidToken(f"Invalid token: '{enterprise_claim}' is not an enterprise number.")
    if not scopes:
        raise InvalidToken(
            f"Invalid token: '{settings.jwt_roles_claim}' grants none of the registry's rights ({', '.join(SCOPES)})."
        )
    name = _claim(claims, settings.jwt_name_claim)
    return Actor(
        niss=niss,
        name=name if isinstance(name, str) else None,
        enterprise_number=normalise_enterprise_number(enterprise) if enterprise else None,
        scopes=scopes,
    )
