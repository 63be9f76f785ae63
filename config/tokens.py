"""Bearer JWTs (API.md, Authentication): minted with the configured secret, checked strictly.

`iss`, `aud`, `iat` and `exp` are required and checked; the algorithm is the configured one only,
so `none` (and any algorithm confusion) is refused. A token over 8 KB is refused before it is
decoded, and one whose lifetime (`exp - iat`) exceeds MANDATES_TOKEN_MAX_MINUTES is refused: a
leaked long-lived token would otherwise stay usable for days.
"""

from __future__ import annotations

import datetime as dt

import jwt

from config.settings import Settings
from models.identifiers import is_enterprise_number, is_niss, normalise_enterprise_number
from resolvers.access import SCOPES, Actor

MAX_TOKEN_BYTES = 8 * 1024


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
    claims = {
        "sub": niss,
        "scope": scope,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + dt.timedelta(minutes=minutes or settings.token_minutes),
    }
    if enterprise:
        claims["ent"] = normalise_enterprise_number(enterprise)
    if name:
        claims["name"] = name
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


class TokenVerifier:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url) if settings.jwt_jwks_url else None

    def _key(self, token: str):
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key
        if self.settings.jwt_algorithm.startswith("HS"):
            return self.settings.jwt_secret
        return self.settings.jwt_public_key

    def verify(self, authorization: str | None) -> Actor | None:
        """The actor of an `Authorization: Bearer ...` header; None when there is no header."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise InvalidToken("The Authorization header must be 'Bearer <token>'.")
        if len(token) > MAX_TOKEN_BYTES:
            raise InvalidToken(f"Invalid token: it is longer than {MAX_TOKEN_BYTES} bytes.")
        try:
            claims = jwt.decode(
                token,
                self._key(token),
                algorithms=[self.settings.jwt_algorithm],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                options={"require": ["sub", "iss", "aud", "iat", "exp"]},
            )
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise InvalidToken(f"Invalid token: {error}") from None
        lifetime = int(claims["exp"]) - int(claims["iat"])  # PyJWT has checked that both are whole numbers
        if lifetime > self.settings.token_max_minutes * 60:
            raise InvalidToken(
                f"Invalid token: it is valid for longer than {self.settings.token_max_minutes} minutes; ask for a "
                f"shorter-lived token."
            )
        return _actor(claims)


def _actor(claims: dict) -> Actor:
    niss, enterprise = claims.get("sub"), claims.get("ent")
    scopes = frozenset(str(claims.get("scope", "")).split())
    if not isinstance(niss, str) or not is_niss(niss):
        raise InvalidToken("Invalid token: 'sub' is not a NISS.")
    if enterprise is not None and (not isinstance(enterprise, str) or not is_enterprise_number(enterprise)):
        raise InvalidToken("Invalid token: 'ent' is not an enterprise number.")
    if not scopes or not scopes <= set(SCOPES):
        raise InvalidToken(f"Invalid token: 'scope' must name some of {', '.join(SCOPES)}.")
    name = claims.get("name")
    return Actor(
        niss=niss,
        name=name if isinstance(name, str) else None,
        enterprise_number=normalise_enterprise_number(enterprise) if enterprise else None,
        scopes=scopes,
    )
