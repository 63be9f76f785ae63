"""Settings, from environment variables only (documented in the README's Settings table).

A development default is labelled as one; `MANDATES_PRODUCTION=1` refuses to start with any of them.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_JWT_SECRET = "development-only-secret-change-me-0000000000"  # DEVELOPMENT DEFAULT, refused in production
DEV_LINK_SECRET = "development-only-link-secret-change-me-00000"  # DEVELOPMENT DEFAULT, refused in production
DEV_ID_SECRET = "development-only-global-id-secret-change-me"  # DEVELOPMENT DEFAULT, refused in production


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite://{ROOT / '.data' / 'mandates.sqlite3'}"
    clock: dt.date | None = None  # MANDATES_CLOCK: freezes "today" for demonstrations and tests
    production: bool = False
    jwt_algorithm: str = "HS256"
    jwt_secret: str = DEV_JWT_SECRET
    jwt_public_key: str | None = None  # PEM, for RS256/ES256 tokens of an external identity provider
    jwt_jwks_url: str | None = None
    jwt_issuer: str = "mandates"
    jwt_audience: str = "mandates-api"
    token_minutes: int = 60
    catalogue_path: Path = ROOT / "config" / "reference" / "application_groups.json"
    holidays_path: Path = ROOT / "config" / "reference" / "holidays.json"
    max_query_depth: int = 12
    max_query_tokens: int = 2000
    max_aliases: int = 30
    page_size_max: int = 100
    sweep_interval_seconds: int = 3600
    signing_key: Path | None = None  # MANDATES_SIGNING_KEY: the registry's seal key (PEM, RSA)
    signing_cert: Path | None = None  # MANDATES_SIGNING_CERT; both unset: a development pair under .data/
    eid_trust_roots: Path | None = None  # MANDATES_EID_TRUST_ROOTS: PEM bundle of the eID/itsme CAs
    paper_tolerance: bool = True  # MANDATES_PAPER_TOLERANCE: the transitional acceptance of paper (R-SIGN-9)
    link_secret: str = DEV_LINK_SECRET
    link_minutes: int = 15
    id_secret: str = DEV_ID_SECRET  # MANDATES_ID_SECRET: the key of the opaque global IDs (resolvers.ids)
    max_upload_bytes: int = 10 * 1024 * 1024
    data_dir: Path = ROOT / ".data"
    secret_defaults: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        clock = env.get("MANDATES_CLOCK")
        settings = cls(
            database_url=env.get("MANDATES_DATABASE_URL") or env.get("DATABASE_URL") or cls.database_url,
            clock=dt.date.fromisoformat(clock) if clock else None,
            production=_flag("MANDATES_PRODUCTION", False),
            jwt_algorithm=env.get("MANDATES_JWT_ALGORITHM", cls.jwt_algorithm),
            jwt_secret=env.get("MANDATES_JWT_SECRET", DEV_JWT_SECRET),
            jwt_public_key=_read_pem(env.get("MANDATES_JWT_PUBLIC_KEY")),
            jwt_jwks_url=env.get("MANDATES_JWT_JWKS_URL"),
            jwt_issuer=env.get("MANDATES_JWT_ISSUER", cls.jwt_issuer),
            jwt_audience=env.get("MANDATES_JWT_AUDIENCE", cls.jwt_audience),
            token_minutes=_int("MANDATES_TOKEN_MINUTES", cls.token_minutes),
            catalogue_path=Path(env.get("MANDATES_CATALOGUE", cls.catalogue_path)),
            holidays_path=Path(env.get("MANDATES_HOLIDAYS", cls.holidays_path)),
            max_query_depth=_int("MANDATES_MAX_QUERY_DEPTH", cls.max_query_depth),
            max_query_tokens=_int("MANDATES_MAX_QUERY_TOKENS", cls.max_query_tokens),
            sweep_interval_seconds=_int("MANDATES_SWEEP_INTERVAL_SECONDS", cls.sweep_interval_seconds),
            signing_key=_path(env.get("MANDATES_SIGNING_KEY")),
            signing_cert=_path(env.get("MANDATES_SIGNING_CERT")),
            eid_trust_roots=_path(env.get("MANDATES_EID_TRUST_ROOTS")),
            paper_tolerance=_flag("MANDATES_PAPER_TOLERANCE", True),
            link_secret=env.get("MANDATES_LINK_SECRET", DEV_LINK_SECRET),
            link_minutes=_int("MANDATES_LINK_MINUTES", cls.link_minutes),
            id_secret=env.get("MANDATES_ID_SECRET", DEV_ID_SECRET),
            max_upload_bytes=_int("MANDATES_MAX_UPLOAD_BYTES", cls.max_upload_bytes),
            data_dir=Path(env.get("MANDATES_DATA_DIR", cls.data_dir)),
            secret_defaults=_development_defaults(env),
        )
        settings.check()
        return settings

    def check(self) -> None:
        if self.production and (self.secret_defaults or self.clock):
            raise RuntimeError(
                "MANDATES_PRODUCTION is on: set "
                + ", ".join(self.secret_defaults or ("the secrets",))
                + " and unset MANDATES_CLOCK (development defaults are refused)."
            )
        if self.jwt_algorithm.lower() == "none":
            raise RuntimeError("MANDATES_JWT_ALGORITHM=none is never accepted.")


def _development_defaults(env) -> tuple[str, ...]:
    """The secrets left to their development default (refused by MANDATES_PRODUCTION)."""
    defaults = []
    # The HS256 secret matters only when tokens are HS256.
    if "MANDATES_JWT_SECRET" not in env and env.get("MANDATES_JWT_ALGORITHM", "HS256").startswith("HS"):
        defaults.append("MANDATES_JWT_SECRET")
    if "MANDATES_LINK_SECRET" not in env:
        defaults.append("MANDATES_LINK_SECRET")
    if "MANDATES_ID_SECRET" not in env:
        defaults.append("MANDATES_ID_SECRET")
    # Without both, config/keys.py falls back to the development seal pair.
    if "MANDATES_SIGNING_KEY" not in env or "MANDATES_SIGNING_CERT" not in env:
        defaults.append("MANDATES_SIGNING_KEY")
    return tuple(defaults)


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _read_pem(value: str | None) -> str | None:
    """A PEM given inline or as a file path."""
    if not value:
        return None
    return value if value.lstrip().startswith("-----BEGIN") else Path(value).read_text()
