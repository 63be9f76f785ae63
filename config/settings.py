"""Settings, from environment variables only (documented in the README's Settings table).

Every variable is read through the table `VARIABLES` (its name, the field it sets, how its text is
read), so that a bad value is refused at start-up with a message naming the variable, never a
traceback; all problems are reported together (`SettingsError`). `Settings.check` then applies the
rules between settings and, with `MANDATES_PRODUCTION=1`, the production rules (`PRODUCTION_RULES`):
a development default is labelled as one and refused in production.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from config.messages import DEFAULT_LANGUAGE, LANGUAGES

# Where the code lives: the checkout, or site-packages once the wheel is installed (read only, never written).
ROOT = Path(__file__).resolve().parent.parent
# Running from a source checkout (pyproject.toml beside the packages), not from an installed wheel.
CHECKOUT = (ROOT / "pyproject.toml").is_file()
DEV_JWT_SECRET = "development-only-secret-change-me-0000000000"  # DEVELOPMENT DEFAULT, refused in production
DEV_LINK_SECRET = "development-only-link-secret-change-me-00000"  # DEVELOPMENT DEFAULT, refused in production
DEV_ID_SECRET = "development-only-global-id-secret-change-me"  # DEVELOPMENT DEFAULT, refused in production
DEVELOPMENT_SECRETS = frozenset({DEV_JWT_SECRET, DEV_LINK_SECRET, DEV_ID_SECRET})
JWT_ALGORITHMS = ("HS256", "RS256", "ES256")
REVOCATION_MODES = ("hard-fail", "soft-fail")
MIN_SECRET_BYTES = 32


def default_data_dir(env=os.environ) -> Path:
    """The data directory when MANDATES_DATA_DIR is unset, never inside site-packages: the checkout's
    `.data` when running from a checkout, else the XDG data directory ($XDG_DATA_HOME/mandates, by
    default ~/.local/share/mandates), the same wherever the command is started."""
    if CHECKOUT:
        return ROOT / ".data"
    xdg = env.get("XDG_DATA_HOME", "")
    return (Path(xdg) if Path(xdg).is_absolute() else Path.home() / ".local" / "share") / "mandates"


def sqlite_in(data_dir: Path) -> str:
    """The default database: a SQLite file in the data directory."""
    return f"sqlite://{data_dir / 'mandates.sqlite3'}"


class SettingsError(RuntimeError):
    """Settings the registry cannot start with; each problem names its variable."""

    def __init__(self, problems: list[str], heading: str = "the settings are refused:"):
        super().__init__(heading + "\n" + "\n".join(f"  - {problem}" for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    database_url: str = sqlite_in(default_data_dir())
    clock: dt.date | None = None  # MANDATES_CLOCK: freezes "today" for demonstrations and tests
    production: bool = False
    jwt_algorithm: str = "HS256"
    jwt_secret: str = DEV_JWT_SECRET
    jwt_public_key: str | None = None  # PEM, for RS256/ES256 tokens of an external identity provider
    jwt_jwks_url: str | None = None
    jwt_issuer: str = "mandates"
    jwt_audience: str = "mandates-api"
    # Where the identity provider's tokens carry the person, the enterprise and the rights (config/tokens.py).
    jwt_niss_claim: str = "sub"
    jwt_enterprise_claim: str = "ent"
    jwt_name_claim: str = "name"
    jwt_roles_claim: str = "scope"
    jwt_role_map: tuple[tuple[str, str], ...] | None = None  # (provider's value, registry right); None: the same names
    jwks_refresh_seconds: float = 600.0  # keys this old are refreshed in the background (config/jwks.py)
    jwks_wait_seconds: float = 2.0  # how long a token with a key not in hand waits for the key set
    jwks_min_refresh_seconds: float = 10.0  # unknown key IDs start at most one fetch in this time
    token_minutes: int = 60
    token_max_minutes: int = 12 * 60  # MANDATES_TOKEN_MAX_MINUTES: longer-lived tokens (exp - iat) are refused
    catalogue_path: Path = ROOT / "config" / "reference" / "application_groups.json"
    holidays_path: Path = ROOT / "config" / "reference" / "holidays.json"
    # What one GraphQL request may cost (schema/guards.py): with a valid token, then without one.
    max_query_depth: int = 12
    max_query_tokens: int = 2000
    max_aliases: int = 30
    max_query_fields: int = 1000  # fields once fragments are expanded
    max_fragment_spreads: int = 300
    max_query_bytes: int = 16384
    anonymous_max_query_depth: int = 6
    anonymous_max_query_tokens: int = 500
    anonymous_max_aliases: int = 5
    anonymous_max_query_fields: int = 300
    anonymous_max_fragment_spreads: int = 20
    anonymous_max_query_bytes: int = 4096
    query_guard_milliseconds: float = 5.0  # CPU time the guard may spend measuring one document
    graphiql: bool | None = None  # MANDATES_GRAPHIQL; None: on, except in production
    introspection: bool | None = None  # MANDATES_INTROSPECTION; None: on, except in production
    behind_tls: bool = False  # MANDATES_BEHIND_TLS: clients reach the registry over HTTPS only (HSTS)
    page_size_max: int = 100
    # MANDATES_COUNT_BOUND: a search's totalCount is exact up to this many mandates, a lower bound beyond
    # (countIsLowerBound): counting further would read as many rows as match, up to the whole registry.
    # 500: a filtered count reads up to the bound + 1 matches per side; at 1000 it was most of a filtered
    # search's database CPU (issue 11), and a list of 500 is already one to refine or export (R-SRCH-5).
    count_bound: int = 500
    sweep_interval_seconds: int = 3600
    signing_key: Path | None = None  # MANDATES_SIGNING_KEY: the registry's seal key (PEM, RSA)
    signing_cert: Path | None = None  # MANDATES_SIGNING_CERT; both unset: a development pair under .data/
    eid_trust_roots: Path | None = None  # MANDATES_EID_TRUST_ROOTS: PEM bundle of the eID/itsme CAs
    # MANDATES_EID_REVOCATION: signer certificates whose revocation cannot be established are refused (hard-fail)
    # or accepted with a note (soft-fail); None: hard-fail in production, soft-fail otherwise (documents.verification)
    eid_revocation: str | None = None
    eid_revocation_timeout_seconds: float = 10.0  # each CRL or OCSP request of the revocation check
    paper_tolerance: bool = True  # MANDATES_PAPER_TOLERANCE: the transitional acceptance of paper (R-SIGN-9)
    link_secret: str = DEV_LINK_SECRET
    link_minutes: int = 15
    id_secret: str = DEV_ID_SECRET  # MANDATES_ID_SECRET: the key of the opaque global IDs (resolvers.ids)
    # MANDATES_DEFAULT_LANGUAGE: the notifications of an enterprise that stored no language (resolvers.languages)
    default_language: str = DEFAULT_LANGUAGE
    max_upload_bytes: int = 10 * 1024 * 1024
    upload_workers: int = 1  # MANDATES_UPLOAD_WORKERS: uploaded PDFs verified at once per process, off the event loop
    # Abuse limits per viewer and process (resolvers/limits.py): requests a minute (also the burst), 0 for none.
    limit_search_per_minute: int = 120
    limit_export_per_minute: int = 6
    limit_upload_per_minute: int = 12
    limit_competence_per_minute: int = 600
    limit_concurrent: int = 2  # a viewer's requests of one limited operation running at once
    # MANDATES_DATA_DIR: the SQLite database and the development seal pair
    data_dir: Path = default_data_dir()  # noqa: RUF009 (computed once, at import)
    metrics_dir: Path = (
        default_data_dir() / "metrics"
    )  # MANDATES_METRICS_DIR: the workers' samples, emptied by `mandates serve`
    # Faults: how long a writer waits for SQLite's write lock, how long /healthz waits for the database.
    database_busy_seconds: float = 5.0
    # PostgreSQL: the connections each process keeps open (asyncpg's pool, config/database.py).
    database_pool_min: int = 1
    database_pool_max: int = 5
    health_timeout_seconds: float = 2.0
    # Slow clients (`mandates serve`): the whole header block, then the whole body, must arrive in time.
    header_timeout_seconds: float = 10.0
    body_timeout_seconds: float = 60.0
    keep_alive_seconds: int = 5
    limit_concurrency: int | None = None  # uvicorn answers 503 beyond this many connections
    # The outbox (config/delivery.py): how often the worker looks, how long a try may take, the retry policy.
    delivery_interval_seconds: float = 5.0  # 0: no delivery worker in the server (run `mandates deliver`)
    delivery_timeout_seconds: float = 10.0
    delivery_max_attempts: int = 8
    delivery_backoff_seconds: float = 30.0
    delivery_backoff_max_seconds: float = 6 * 3600.0
    ebox_url: str | None = None  # MANDATES_EBOX_URL: the e-Box publication endpoint; unset, e-Box messages wait
    ebox_token: str | None = None  # MANDATES_EBOX_TOKEN: the bearer token sent to it
    smtp_host: str | None = None  # MANDATES_SMTP_HOST; unset, e-mails wait
    smtp_port: int = 25
    smtp_sender: str = "mandates@localhost"
    smtp_tls: str = "starttls"  # none, starttls or tls
    post_dir: Path | None = None  # MANDATES_POST_DIR: where `mandates print-letters` writes; default data_dir/post

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings of the environment, checked; a `SettingsError` lists every bad variable."""
        env = os.environ if env is None else env
        values, problems = {}, []
        for variable in VARIABLES:
            text = variable.text(env)
            if text is None:
                continue
            try:
                values[variable.field] = variable.read(text)
            except ValueError as error:
                problems.append(f"{variable.name}: {error}")
        if problems:
            raise SettingsError(problems)
        # The default database lives in the data directory (never inside site-packages).
        values.setdefault("data_dir", default_data_dir(env))
        values.setdefault("database_url", sqlite_in(values["data_dir"]))
        values.setdefault("metrics_dir", values["data_dir"] / "metrics")
        settings = cls(**values)
        settings.check()
        return settings

    @property
    def database_pool(self) -> tuple[int, int]:
        """The least and most connections of a process's PostgreSQL pool (config/database.py)."""
        return self.database_pool_min, self.database_pool_max

    @property
    def eid_revocation_hard_fail(self) -> bool:
        """Whether an eID signature whose revocation cannot be established is refused (MANDATES_EID_REVOCATION)."""
        return self.eid_revocation == "hard-fail" if self.eid_revocation is not None else self.production

    @property
    def post_folder(self) -> Path:
        """Where the day's letters are written for the print shop."""
        return self.post_dir or self.data_dir / "post"

    @property
    def graphiql_on(self) -> bool:
        """GraphiQL at GET /graphql: off in production unless MANDATES_GRAPHIQL=1."""
        return self.graphiql if self.graphiql is not None else not self.production

    @property
    def introspection_on(self) -> bool:
        """`__schema`, `__type` and GET /schema.graphql: off in production unless
        MANDATES_INTROSPECTION=1 (the console needs none: console/js/schema.js is generated)."""
        return self.introspection if self.introspection is not None else not self.production

    def check(self) -> None:
        """The rules between settings, and the production rules when MANDATES_PRODUCTION is on."""
        rules = RULES + (PRODUCTION_RULES if self.production else ())
        problems = [problem for rule in rules if (problem := rule(self))]
        if problems:
            raise SettingsError(
                problems, "MANDATES_PRODUCTION=1 refuses to start:" if self.production else "the settings are refused:"
            )

    def effective(self) -> list[tuple[str, str]]:
        """Each variable with the value in use, secrets masked (`mandates config`)."""
        return [(variable.name, variable.show(getattr(self, variable.field))) for variable in VARIABLES]


# Readers: each turns a variable's text into its value or raises ValueError in plain words.


def _text(text: str) -> str:
    return text


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{text!r} is not 1 or 0 (nor true/false, yes/no, on/off).")


def _integer(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    def read(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number.") from None
        if value < minimum or (maximum is not None and value > maximum):
            raise ValueError(
                f"{value} is outside {minimum}..{maximum}." if maximum is not None else f"{value} is below {minimum}."
            )
        return value

    return read


def _optional_integer(text: str) -> int | None:
    """A positive number, or 0 for none."""
    value = _integer(0)(text)
    return value or None


def _seconds(maximum: float) -> Callable[[str], float]:
    def read(text: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            raise ValueError(f"{text!r} is not a number of seconds.") from None
        if not 0 < value <= maximum:
            raise ValueError(f"{value} is outside the range above 0 and up to {maximum} seconds.")
        return value

    return read


def _seconds_or_zero(maximum: float) -> Callable[[str], float]:
    """A number of seconds, or 0 for never."""
    within = _seconds(maximum)

    def read(text: str) -> float:
        return 0.0 if text.strip() in {"0", "0.0"} else within(text)

    return read


def _choice(*allowed: str) -> Callable[[str], str]:
    def read(text: str) -> str:
        value = text.strip().lower()
        if value not in allowed:
            raise ValueError(f"{text!r} is not one of {', '.join(allowed)}.")
        return value

    return read


def _milliseconds(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a number of milliseconds.") from None
    if not 0 < value <= 1000:
        raise ValueError(f"{value} is outside the range above 0 and up to 1000 milliseconds.")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD.") from None


def _database_url(text: str) -> str:
    if not text.startswith(("sqlite://", "postgres://", "postgresql://")):
        raise ValueError("the address must start with sqlite://, postgres:// or postgresql://.")
    return text


def _web_address(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in {"https", "http"} or not parts.netloc:
        raise ValueError(f"{text!r} is not an https:// address.")
    return text


def _file(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise ValueError(f"there is no file {text}.")
    return path


def _file_parsed_by(parse: Callable[[bytes], Any], kind: str) -> Callable[[str], Path]:
    def read(text: str) -> Path:
        path = _file(text)
        try:
            parse(path.read_bytes())
        except (ValueError, TypeError, UnicodeDecodeError):
            raise ValueError(f"{text} is not {kind}.") from None
        return path

    return read


def _role_map(text: str) -> tuple[tuple[str, str], ...]:
    """`provider-value=registry-right` pairs separated by commas, e.g. `mahis.manage=mandates:manage`
    (which rights the registry knows is checked by config/tokens.py, which knows them)."""
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        value, equals, right = (side.strip() for side in item.partition("="))
        if not equals or not value or not right:
            raise ValueError(f"{item!r} is not written provider-value=registry-right.")
        pairs.append((value, right))
    if not pairs:
        raise ValueError("no provider-value=registry-right pair.")
    return tuple(pairs)


def _role_map_shown(value: tuple[tuple[str, str], ...] | None) -> str:
    return "(the registry's own names)" if value is None else ",".join(f"{value}={right}" for value, right in value)


def _pem_public_key(text: str) -> str:
    """A PEM given inline or as a file path."""
    pem = text if text.lstrip().startswith("-----BEGIN") else _file(text).read_text()
    try:
        serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError):
        raise ValueError("this is not a PEM public key.") from None
    return pem


def _certificates(data: bytes) -> None:
    if not x509.load_pem_x509_certificates(data):
        raise ValueError("no certificate")


_json_file = _file_parsed_by(json.loads, "a JSON file")
_private_key_file = _file_parsed_by(
    lambda data: serialization.load_pem_private_key(data, password=None), "an unencrypted PEM private key"
)
_certificate_file = _file_parsed_by(x509.load_pem_x509_certificate, "a PEM certificate")
_certificates_file = _file_parsed_by(_certificates, "a bundle of PEM certificates")


def _masked(value: Any) -> str:
    if not value:
        return "(unset)"
    label = "development default" if value in DEVELOPMENT_SECRETS else f"{len(value.encode())} bytes"
    return f"******** ({label})"


def _url_masked(value: str) -> str:
    """A database address without its password."""
    parts = urlsplit(value)
    if parts.password is None:
        return value
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:********@{host}"))


def _plain(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _pem_shown(value: str | None) -> str:
    return "(unset)" if value is None else f"(a PEM public key, {len(value.encode())} bytes)"


@dataclass(frozen=True)
class Variable:
    """One environment variable: the Settings field it sets, how its text is read and shown."""

    name: str
    field: str
    read: Callable[[str], Any]
    show: Callable[[Any], str] = _plain
    aliases: tuple[str, ...] = ()

    def text(self, env: Mapping[str, str]) -> str | None:
        """The variable's text; unset or empty means the default."""
        for name in (self.name, *self.aliases):
            if env.get(name):
                return env[name]
        return None


DAY_MINUTES = 24 * 60
VARIABLES: tuple[Variable, ...] = (
    Variable("MANDATES_DATABASE_URL", "database_url", _database_url, _url_masked, aliases=("DATABASE_URL",)),
    Variable("MANDATES_CLOCK", "clock", _date),
    Variable("MANDATES_PRODUCTION", "production", _flag),
    Variable("MANDATES_JWT_ALGORITHM", "jwt_algorithm", _text),  # checked by RULES
    Variable("MANDATES_JWT_SECRET", "jwt_secret", _text, _masked),
    Variable("MANDATES_JWT_PUBLIC_KEY", "jwt_public_key", _pem_public_key, _pem_shown),
    Variable("MANDATES_JWT_JWKS_URL", "jwt_jwks_url", _web_address),
    Variable("MANDATES_JWT_ISSUER", "jwt_issuer", _text),
    Variable("MANDATES_JWT_AUDIENCE", "jwt_audience", _text),
    Variable("MANDATES_JWT_NISS_CLAIM", "jwt_niss_claim", _text),
    Variable("MANDATES_JWT_ENTERPRISE_CLAIM", "jwt_enterprise_claim", _text),
    Variable("MANDATES_JWT_NAME_CLAIM", "jwt_name_claim", _text),
    Variable("MANDATES_JWT_ROLES_CLAIM", "jwt_roles_claim", _text),
    Variable("MANDATES_JWT_ROLE_MAP", "jwt_role_map", _role_map, _role_map_shown),
    Variable("MANDATES_JWKS_REFRESH_SECONDS", "jwks_refresh_seconds", _seconds(DAY_MINUTES * 60)),
    Variable("MANDATES_JWKS_WAIT_SECONDS", "jwks_wait_seconds", _seconds(60)),
    Variable("MANDATES_JWKS_MIN_REFRESH_SECONDS", "jwks_min_refresh_seconds", _seconds(3600)),
    Variable("MANDATES_TOKEN_MINUTES", "token_minutes", _integer(1, DAY_MINUTES)),
    Variable("MANDATES_TOKEN_MAX_MINUTES", "token_max_minutes", _integer(1, 7 * DAY_MINUTES)),
    Variable("MANDATES_CATALOGUE", "catalogue_path", _json_file),
    Variable("MANDATES_HOLIDAYS", "holidays_path", _json_file),
    Variable("MANDATES_MAX_QUERY_DEPTH", "max_query_depth", _integer(1, 100)),
    Variable("MANDATES_MAX_QUERY_TOKENS", "max_query_tokens", _integer(1, 1_000_000)),
    Variable("MANDATES_MAX_ALIASES", "max_aliases", _integer(0, 10_000)),
    Variable("MANDATES_MAX_QUERY_FIELDS", "max_query_fields", _integer(1, 1_000_000)),
    Variable("MANDATES_MAX_FRAGMENT_SPREADS", "max_fragment_spreads", _integer(0, 100_000)),
    Variable("MANDATES_MAX_QUERY_BYTES", "max_query_bytes", _integer(16, 10_000_000)),
    Variable("MANDATES_ANONYMOUS_MAX_QUERY_DEPTH", "anonymous_max_query_depth", _integer(1, 100)),
    Variable("MANDATES_ANONYMOUS_MAX_QUERY_TOKENS", "anonymous_max_query_tokens", _integer(1, 1_000_000)),
    Variable("MANDATES_ANONYMOUS_MAX_ALIASES", "anonymous_max_aliases", _integer(0, 10_000)),
    Variable("MANDATES_ANONYMOUS_MAX_QUERY_FIELDS", "anonymous_max_query_fields", _integer(1, 1_000_000)),
    Variable("MANDATES_ANONYMOUS_MAX_FRAGMENT_SPREADS", "anonymous_max_fragment_spreads", _integer(0, 100_000)),
    Variable("MANDATES_ANONYMOUS_MAX_QUERY_BYTES", "anonymous_max_query_bytes", _integer(16, 10_000_000)),
    Variable("MANDATES_QUERY_GUARD_MILLISECONDS", "query_guard_milliseconds", _milliseconds),
    Variable("MANDATES_GRAPHIQL", "graphiql", _flag),
    Variable("MANDATES_INTROSPECTION", "introspection", _flag),
    Variable("MANDATES_BEHIND_TLS", "behind_tls", _flag),
    Variable("MANDATES_SWEEP_INTERVAL_SECONDS", "sweep_interval_seconds", _integer(0)),  # 0: no sweeper in the server
    Variable("MANDATES_SIGNING_KEY", "signing_key", _private_key_file),
    Variable("MANDATES_SIGNING_CERT", "signing_cert", _certificate_file),
    Variable("MANDATES_EID_TRUST_ROOTS", "eid_trust_roots", _certificates_file),
    Variable("MANDATES_EID_REVOCATION", "eid_revocation", _choice(*REVOCATION_MODES)),
    Variable("MANDATES_EID_REVOCATION_TIMEOUT_SECONDS", "eid_revocation_timeout_seconds", _seconds(120)),
    Variable("MANDATES_PAPER_TOLERANCE", "paper_tolerance", _flag),
    Variable("MANDATES_LINK_SECRET", "link_secret", _text, _masked),
    Variable("MANDATES_ID_SECRET", "id_secret", _text, _masked),
    Variable("MANDATES_DEFAULT_LANGUAGE", "default_language", _choice(*LANGUAGES)),
    Variable("MANDATES_LINK_MINUTES", "link_minutes", _integer(1, DAY_MINUTES)),
    Variable("MANDATES_MAX_UPLOAD_BYTES", "max_upload_bytes", _integer(1)),
    Variable("MANDATES_UPLOAD_WORKERS", "upload_workers", _integer(1, 64)),
    Variable("MANDATES_COUNT_BOUND", "count_bound", _integer(1, 1_000_000)),
    Variable("MANDATES_LIMIT_SEARCH_PER_MINUTE", "limit_search_per_minute", _integer(0)),
    Variable("MANDATES_LIMIT_EXPORT_PER_MINUTE", "limit_export_per_minute", _integer(0)),
    Variable("MANDATES_LIMIT_UPLOAD_PER_MINUTE", "limit_upload_per_minute", _integer(0)),
    Variable("MANDATES_LIMIT_COMPETENCE_PER_MINUTE", "limit_competence_per_minute", _integer(0)),
    Variable("MANDATES_LIMIT_CONCURRENT", "limit_concurrent", _integer(1, 1000)),
    Variable("MANDATES_DATA_DIR", "data_dir", Path),
    Variable("MANDATES_METRICS_DIR", "metrics_dir", Path),
    Variable("MANDATES_DATABASE_BUSY_SECONDS", "database_busy_seconds", _seconds(600)),
    Variable("MANDATES_DATABASE_POOL_MIN", "database_pool_min", _integer(0, 1000)),
    Variable("MANDATES_DATABASE_POOL_MAX", "database_pool_max", _integer(1, 1000)),
    Variable("MANDATES_HEALTH_TIMEOUT_SECONDS", "health_timeout_seconds", _seconds(60)),
    Variable("MANDATES_HEADER_TIMEOUT_SECONDS", "header_timeout_seconds", _seconds(600)),
    Variable("MANDATES_BODY_TIMEOUT_SECONDS", "body_timeout_seconds", _seconds(3600)),
    Variable("MANDATES_KEEP_ALIVE_SECONDS", "keep_alive_seconds", _integer(1, 3600)),
    Variable("MANDATES_LIMIT_CONCURRENCY", "limit_concurrency", _optional_integer),
    Variable("MANDATES_DELIVERY_INTERVAL_SECONDS", "delivery_interval_seconds", _seconds_or_zero(3600)),
    Variable("MANDATES_DELIVERY_TIMEOUT_SECONDS", "delivery_timeout_seconds", _seconds(300)),
    Variable("MANDATES_DELIVERY_MAX_ATTEMPTS", "delivery_max_attempts", _integer(1, 100)),
    Variable("MANDATES_DELIVERY_BACKOFF_SECONDS", "delivery_backoff_seconds", _seconds(86400)),
    Variable("MANDATES_DELIVERY_BACKOFF_MAX_SECONDS", "delivery_backoff_max_seconds", _seconds(7 * 86400)),
    Variable("MANDATES_EBOX_URL", "ebox_url", _web_address),
    Variable("MANDATES_EBOX_TOKEN", "ebox_token", _text, _masked),
    Variable("MANDATES_SMTP_HOST", "smtp_host", _text),
    Variable("MANDATES_SMTP_PORT", "smtp_port", _integer(1, 65535)),
    Variable("MANDATES_SMTP_SENDER", "smtp_sender", _text),
    Variable("MANDATES_SMTP_TLS", "smtp_tls", _choice("none", "starttls", "tls")),
    Variable("MANDATES_POST_DIR", "post_dir", Path),
)

# Rules between settings: each returns its problem, naming the variable, or None.
Rule = Callable[[Settings], "str | None"]


def _is_hs(settings: Settings) -> bool:
    return settings.jwt_algorithm.startswith("HS")


RULES: tuple[Rule, ...] = (
    lambda s: (
        None
        if s.jwt_algorithm in JWT_ALGORITHMS
        else f"MANDATES_JWT_ALGORITHM: {s.jwt_algorithm!r} is not one of {', '.join(JWT_ALGORITHMS)}."
    ),
    lambda s: (
        None
        if s.jwt_algorithm not in ("RS256", "ES256") or s.jwt_public_key or s.jwt_jwks_url
        else (
            f"MANDATES_JWT_PUBLIC_KEY or MANDATES_JWT_JWKS_URL: {s.jwt_algorithm} tokens need the identity provider's "
            f"key or its JWKS address."
        )
    ),
    lambda s: (
        None
        if s.token_minutes <= s.token_max_minutes
        else (
            f"MANDATES_TOKEN_MINUTES: {s.token_minutes} is above MANDATES_TOKEN_MAX_MINUTES ({s.token_max_minutes}); "
            f"such tokens would be refused."
        )
    ),
    lambda s: (
        None
        if s.database_pool_min <= s.database_pool_max
        else (
            f"MANDATES_DATABASE_POOL_MIN: {s.database_pool_min} is above MANDATES_DATABASE_POOL_MAX "
            f"({s.database_pool_max})."
        )
    ),
    lambda s: (
        None
        if bool(s.signing_key) == bool(s.signing_cert)
        else "MANDATES_SIGNING_KEY and MANDATES_SIGNING_CERT: set both, or neither."
    ),
)


def _secret_problem(name: str, secret: str) -> str | None:
    if secret in DEVELOPMENT_SECRETS:
        return f"{name}: the development default is refused in production."
    if len(secret.encode()) < MIN_SECRET_BYTES:
        return f"{name}: at least {MIN_SECRET_BYTES} bytes in production (it has {len(secret.encode())})."
    return None


PRODUCTION_RULES: tuple[Rule, ...] = (
    # The HS256 secret matters only when tokens are HS256.
    lambda s: _secret_problem("MANDATES_JWT_SECRET", s.jwt_secret) if _is_hs(s) else None,
    lambda s: _secret_problem("MANDATES_LINK_SECRET", s.link_secret),
    lambda s: (
        "MANDATES_LINK_SECRET: must differ from MANDATES_JWT_SECRET in production."
        if _is_hs(s) and s.jwt_secret == s.link_secret
        else None
    ),
    lambda s: _secret_problem("MANDATES_ID_SECRET", s.id_secret),
    lambda s: (
        "MANDATES_ID_SECRET: must differ from the other secrets in production."
        if s.id_secret in (s.jwt_secret, s.link_secret)
        else None
    ),
    # Without both, config/keys.py falls back to the development seal pair.
    lambda s: (
        None
        if s.signing_key and s.signing_cert
        else (
            "MANDATES_SIGNING_KEY: the development seal pair is refused in production; set MANDATES_SIGNING_KEY and "
            "MANDATES_SIGNING_CERT."
        )
    ),
    lambda s: (
        None
        if s.eid_trust_roots
        else "MANDATES_EID_TRUST_ROOTS: production needs the eID trust roots (no eID signature would count)."
    ),
    lambda s: None if s.clock is None else "MANDATES_CLOCK: a frozen clock is refused in production; unset it.",
    lambda s: (
        "MANDATES_JWT_JWKS_URL: production fetches the keys over https:// only."
        if s.jwt_jwks_url and not s.jwt_jwks_url.startswith("https://")
        else None
    ),
    lambda s: (
        "MANDATES_EBOX_URL: production sends e-Box messages over https:// only."
        if s.ebox_url and not s.ebox_url.startswith("https://")
        else None
    ),
    lambda s: (
        "MANDATES_SMTP_TLS: production sends e-mail over TLS only (starttls or tls)." if s.smtp_tls == "none" else None
    ),
)
