"""Start-up validation of every setting (operations item 4) and the production refusals (hardening item 3).

Each case goes through the real start-up path, `mandates config` (config.cli.main reads the
environment as `mandates serve` does): a refused start exits with 2, prints nothing on stdout and
names the variable on stderr, never a traceback.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from config.cli import main
from config.settings import DEV_JWT_SECRET, DEV_LINK_SECRET, VARIABLES, Settings
from tests.documents.pki import cert_pem, make_ca, write_pem

JWT_SECRET = "a-production-jwt-secret-of-40-bytes-0000"
LINK_SECRET = "a-production-link-secret-of-40-bytes-000"
ID_SECRET = "a-production-global-id-secret-of-40-bytes"


@pytest.fixture
def clean(monkeypatch, tmp_path):
    """No MANDATES_* variable from the calling environment; a temporary data folder."""
    import os

    for name in [name for name in os.environ if name.startswith("MANDATES_") or name == "DATABASE_URL"]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("MANDATES_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> dict[str, str]:
    """A seal key and certificate, an eID root bundle and an identity provider's public key, as files."""
    folder = tmp_path_factory.mktemp("pki")
    seal, seal_key = make_ca("Test registry seal")
    eid, _ = make_ca("Test eID Root CA")
    key_pem = seal_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    provider = ec.generate_private_key(ec.SECP256R1()).public_key()
    return {
        "key": str(write_pem(folder / "seal-key.pem", key_pem)),
        "cert": str(write_pem(folder / "seal-cert.pem", cert_pem(seal))),
        "roots": str(write_pem(folder / "eid-roots.pem", cert_pem(eid))),
        "provider": str(
            write_pem(
                folder / "provider.pem",
                provider.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
            )
        ),
    }


@pytest.fixture
def production(clean, pki):
    """A complete production environment, which starts."""
    for name, value in {
        "MANDATES_PRODUCTION": "1",
        "MANDATES_JWT_SECRET": JWT_SECRET,
        "MANDATES_LINK_SECRET": LINK_SECRET,
        "MANDATES_ID_SECRET": ID_SECRET,
        "MANDATES_SIGNING_KEY": pki["key"],
        "MANDATES_SIGNING_CERT": pki["cert"],
        "MANDATES_EID_TRUST_ROOTS": pki["roots"],
    }.items():
        clean.setenv(name, value)
    return clean


def _refused(capsys) -> str:
    """Runs the start-up; returns stderr after checking the start was refused cleanly."""
    assert main(["config"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    return captured.err


def test_hardening_a_complete_production_environment_starts(production, capsys):
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "MANDATES_PRODUCTION=1\n" in out


PRODUCTION_REFUSALS = {
    # case: (variables to set, variables to unset, the variable the message names)
    "jwt secret shorter than 32 bytes": ({"MANDATES_JWT_SECRET": "x" * 31}, (), "MANDATES_JWT_SECRET"),
    "link secret shorter than 32 bytes": ({"MANDATES_LINK_SECRET": "y" * 31}, (), "MANDATES_LINK_SECRET"),
    "secrets equal": ({"MANDATES_LINK_SECRET": JWT_SECRET}, (), "MANDATES_LINK_SECRET"),
    "jwt secret left to its development default": ({}, ("MANDATES_JWT_SECRET",), "MANDATES_JWT_SECRET"),
    "jwt secret set to the development default": ({"MANDATES_JWT_SECRET": DEV_JWT_SECRET}, (), "MANDATES_JWT_SECRET"),
    "jwt secret set to the link development default": (
        {"MANDATES_JWT_SECRET": DEV_LINK_SECRET},
        (),
        "MANDATES_JWT_SECRET",
    ),
    "link secret left to its development default": ({}, ("MANDATES_LINK_SECRET",), "MANDATES_LINK_SECRET"),
    "link secret set to the jwt development default": (
        {"MANDATES_LINK_SECRET": DEV_JWT_SECRET},
        (),
        "MANDATES_LINK_SECRET",
    ),
    "id secret left to its development default": ({}, ("MANDATES_ID_SECRET",), "MANDATES_ID_SECRET"),
    "id secret shorter than 32 bytes": ({"MANDATES_ID_SECRET": "z" * 31}, (), "MANDATES_ID_SECRET"),
    "id secret equal to another secret": ({"MANDATES_ID_SECRET": LINK_SECRET}, (), "MANDATES_ID_SECRET"),
    "unknown algorithm": ({"MANDATES_JWT_ALGORITHM": "HS512"}, (), "MANDATES_JWT_ALGORITHM"),
    "algorithm none": ({"MANDATES_JWT_ALGORITHM": "none"}, (), "MANDATES_JWT_ALGORITHM"),
    "RS256 without key nor JWKS": (
        {"MANDATES_JWT_ALGORITHM": "RS256"},
        (),
        "MANDATES_JWT_PUBLIC_KEY or MANDATES_JWT_JWKS_URL",
    ),
    "ES256 without key nor JWKS": (
        {"MANDATES_JWT_ALGORITHM": "ES256"},
        (),
        "MANDATES_JWT_PUBLIC_KEY or MANDATES_JWT_JWKS_URL",
    ),
    "no eID trust roots": ({}, ("MANDATES_EID_TRUST_ROOTS",), "MANDATES_EID_TRUST_ROOTS"),
    "frozen clock": ({"MANDATES_CLOCK": "2024-05-10"}, (), "MANDATES_CLOCK"),
    "development seal pair": ({}, ("MANDATES_SIGNING_KEY", "MANDATES_SIGNING_CERT"), "MANDATES_SIGNING_KEY"),
    "JWKS over plain http": (
        {"MANDATES_JWT_ALGORITHM": "RS256", "MANDATES_JWT_JWKS_URL": "http://idp.example/jwks.json"},
        (),
        "MANDATES_JWT_JWKS_URL",
    ),
    "e-Box over plain http": ({"MANDATES_EBOX_URL": "http://ebox.example/publish"}, (), "MANDATES_EBOX_URL"),
    "e-mail without TLS": ({"MANDATES_SMTP_TLS": "none"}, (), "MANDATES_SMTP_TLS"),
}


@pytest.mark.parametrize("case", sorted(PRODUCTION_REFUSALS))
def test_hardening_production_start_is_refused_naming_the_setting(production, capsys, case):
    changes, removed, named = PRODUCTION_REFUSALS[case]
    for name, value in changes.items():
        production.setenv(name, value)
    for name in removed:
        production.delenv(name)
    err = _refused(capsys)
    assert f"  - {named}:" in err, err
    assert err.count("\n  - ") == 1, err  # that problem alone
    assert JWT_SECRET not in err and LINK_SECRET not in err


def test_hardening_production_refusals_are_reported_together_under_mandates_production(production, capsys):
    production.delenv("MANDATES_JWT_SECRET")
    production.setenv("MANDATES_CLOCK", "2024-05-10")
    production.delenv("MANDATES_EID_TRUST_ROOTS")
    err = _refused(capsys)
    assert err.startswith("mandates: MANDATES_PRODUCTION=1 refuses to start:")
    assert [line.split(":")[0] for line in err.splitlines()[1:]] == [
        "  - MANDATES_JWT_SECRET",
        "  - MANDATES_EID_TRUST_ROOTS",
        "  - MANDATES_CLOCK",
    ]


def test_hardening_the_same_values_start_outside_production(production, capsys):
    """The production rules apply only with MANDATES_PRODUCTION=1: short secrets and a frozen clock are fine for
    development."""
    production.setenv("MANDATES_PRODUCTION", "0")
    production.setenv("MANDATES_JWT_SECRET", "short")
    production.setenv("MANDATES_CLOCK", "2024-05-10")
    production.delenv("MANDATES_EID_TRUST_ROOTS")
    assert main(["config"]) == 0
    capsys.readouterr()


@pytest.mark.parametrize("variable", ["MANDATES_JWT_PUBLIC_KEY", "MANDATES_JWT_JWKS_URL"])
def test_hardening_production_with_an_identity_provider_needs_no_hs256_secret(production, pki, variable):
    """RS256 tokens never use the HS256 secret, so its development default is no reason to refuse."""
    production.delenv("MANDATES_JWT_SECRET")
    production.setenv("MANDATES_JWT_ALGORITHM", "RS256")
    production.setenv(
        variable, pki["provider"] if variable == "MANDATES_JWT_PUBLIC_KEY" else "https://idp.example/jwks.json"
    )
    settings = Settings.from_env()
    assert settings.production and settings.jwt_algorithm == "RS256"


BAD_VALUES = {
    # variable: (bad value, what the message says)
    "MANDATES_LINK_MINUTES": ("fifteen", "MANDATES_LINK_MINUTES: 'fifteen' is not a whole number."),
    "MANDATES_TOKEN_MINUTES": ("0", "MANDATES_TOKEN_MINUTES: 0 is outside 1..1440."),
    "MANDATES_TOKEN_MAX_MINUTES": ("12h", "MANDATES_TOKEN_MAX_MINUTES: '12h' is not a whole number."),
    "MANDATES_MAX_UPLOAD_BYTES": ("-5", "MANDATES_MAX_UPLOAD_BYTES: -5 is below 1."),
    "MANDATES_DATABASE_POOL_MAX": ("0", "MANDATES_DATABASE_POOL_MAX: 0 is outside 1..1000."),
    "MANDATES_MAX_QUERY_DEPTH": ("1e3", "MANDATES_MAX_QUERY_DEPTH: '1e3' is not a whole number."),
    "MANDATES_PRODUCTION": ("maybe", "MANDATES_PRODUCTION: 'maybe' is not 1 or 0"),
    "MANDATES_PAPER_TOLERANCE": ("2", "MANDATES_PAPER_TOLERANCE: '2' is not 1 or 0"),
    "MANDATES_CLOCK": ("10/05/2024", "MANDATES_CLOCK: '10/05/2024' is not a date written YYYY-MM-DD."),
    "MANDATES_DATABASE_URL": ("mysql://db/x", "MANDATES_DATABASE_URL: the address must start with sqlite://"),
    "MANDATES_JWT_JWKS_URL": (
        "idp.example/jwks",
        "MANDATES_JWT_JWKS_URL: 'idp.example/jwks' is not an https:// address.",
    ),
    "MANDATES_JWT_PUBLIC_KEY": (
        "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----",
        "MANDATES_JWT_PUBLIC_KEY: this is not a PEM public key.",
    ),
    "MANDATES_CATALOGUE": ("{missing}", "MANDATES_CATALOGUE: there is no file {missing}."),
    "MANDATES_HOLIDAYS": ("{not json}", "MANDATES_HOLIDAYS: {not json} is not a JSON file."),
    "MANDATES_EID_TRUST_ROOTS": (
        "{not json}",
        "MANDATES_EID_TRUST_ROOTS: {not json} is not a bundle of PEM certificates.",
    ),
    "MANDATES_SIGNING_KEY": ("{not json}", "MANDATES_SIGNING_KEY: {not json} is not an unencrypted PEM private key."),
    "MANDATES_DATABASE_BUSY_SECONDS": ("-1", "MANDATES_DATABASE_BUSY_SECONDS: -1.0 is outside the range above 0"),
    "MANDATES_HEADER_TIMEOUT_SECONDS": ("ten", "MANDATES_HEADER_TIMEOUT_SECONDS: 'ten' is not a number of seconds."),
    "MANDATES_LIMIT_CONCURRENCY": ("lots", "MANDATES_LIMIT_CONCURRENCY: 'lots' is not a whole number."),
    "MANDATES_SMTP_TLS": ("ssl", "MANDATES_SMTP_TLS: 'ssl' is not one of none, starttls, tls."),
    "MANDATES_DELIVERY_INTERVAL_SECONDS": (
        "-1",
        "MANDATES_DELIVERY_INTERVAL_SECONDS: -1.0 is outside the range above 0",
    ),
    "MANDATES_DELIVERY_MAX_ATTEMPTS": ("0", "MANDATES_DELIVERY_MAX_ATTEMPTS: 0 is outside 1..100."),
    "MANDATES_EBOX_URL": ("ebox.example", "MANDATES_EBOX_URL: 'ebox.example' is not an https:// address."),
    "MANDATES_DEFAULT_LANGUAGE": ("es", "MANDATES_DEFAULT_LANGUAGE: 'es' is not one of en, fr, nl, de."),
}


@pytest.mark.parametrize("variable", sorted(BAD_VALUES))
def test_operations_a_bad_value_is_refused_at_start_up_naming_the_setting(clean, capsys, tmp_path, variable):
    value, message = BAD_VALUES[variable]
    not_json = tmp_path / "not.json"
    not_json.write_text("{ not json", encoding="utf-8")
    files = {"missing": str(tmp_path / "missing.json"), "not json": str(not_json)}
    clean.setenv(variable, value.format_map(files))
    err = _refused(capsys)
    assert message.format_map(files) in err, err


def test_operations_every_bad_value_is_reported_at_once(clean, capsys):
    clean.setenv("MANDATES_LINK_MINUTES", "x")
    clean.setenv("MANDATES_PRODUCTION", "yes please")
    clean.setenv("MANDATES_TOKEN_MINUTES", "20000")
    err = _refused(capsys)
    assert [line.split(":")[0] for line in err.splitlines()[1:]] == [
        "  - MANDATES_PRODUCTION",
        "  - MANDATES_TOKEN_MINUTES",
        "  - MANDATES_LINK_MINUTES",
    ]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"MANDATES_TOKEN_MINUTES": "800"}, "MANDATES_TOKEN_MINUTES: 800 is above MANDATES_TOKEN_MAX_MINUTES (720)"),
        ({"MANDATES_SIGNING_KEY": "{key}"}, "MANDATES_SIGNING_KEY and MANDATES_SIGNING_CERT: set both, or neither."),
        ({"MANDATES_DATABASE_POOL_MIN": "8"}, "MANDATES_DATABASE_POOL_MIN: 8 is above MANDATES_DATABASE_POOL_MAX (5)."),
    ],
)
def test_operations_settings_that_contradict_each_other_are_refused(clean, capsys, pki, changes, named):
    for name, value in changes.items():
        clean.setenv(name, value.format_map(pki))
    assert named in _refused(capsys)


def test_operations_mandates_config_prints_every_setting_with_secrets_masked(production, capsys):
    production.setenv("MANDATES_DATABASE_URL", "postgres://registry:hunter2-password@127.0.0.1:5432/mandates")
    production.setenv("MANDATES_LINK_MINUTES", "20")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    lines = dict(line.split("=", 1) for line in out.splitlines())
    assert list(lines) == [variable.name for variable in VARIABLES]
    assert lines["MANDATES_DATABASE_URL"] == "postgres://registry:********@127.0.0.1:5432/mandates"
    assert lines["MANDATES_JWT_SECRET"] == "******** (40 bytes)"
    assert lines["MANDATES_LINK_SECRET"] == "******** (40 bytes)"
    assert lines["MANDATES_LINK_MINUTES"] == "20"
    assert lines["MANDATES_TOKEN_MAX_MINUTES"] == "720"
    assert lines["MANDATES_CLOCK"] == "(unset)"
    for secret in (JWT_SECRET, LINK_SECRET, "hunter2"):
        assert secret not in out


def test_operations_mandates_config_labels_development_defaults(clean, capsys):
    assert main(["config"]) == 0
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines())
    assert lines["MANDATES_JWT_SECRET"] == lines["MANDATES_LINK_SECRET"] == "******** (development default)"
    assert lines["MANDATES_PRODUCTION"] == "0"
    assert DEV_JWT_SECRET not in str(lines)
