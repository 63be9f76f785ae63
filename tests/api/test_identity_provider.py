"""Tokens of an external OpenID Connect provider (issue 12, item 4): RS256 tokens whose keys come from
a JWKS served by the test on 127.0.0.1, the NISS in a claim other than `sub`, the provider's own scopes
mapped to the registry's rights, `openid` ignored; the key set fetched off the request path.

The provider (`Provider`) is a real HTTP server on a free port, in a thread of its own; it can answer
with an error, or stall until the test releases it, so the registry's event loop is never helped.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from config.settings import Settings, SettingsError
from config.tokens import TokenVerifier, rights, role_map
from tests.conftest import PERSONAS, SETTINGS

DIRECTOR = PERSONAS["employer-director"]
VIEWER = "{ viewer { niss name enterprise { enterpriseNumber } canManage isOfficer } }"
STALL_SECONDS = 5.0


class Provider:
    """An identity provider's JWKS endpoint: its keys, what it answers, how often it was asked."""

    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.status = 200
        self.stall: threading.Event | None = None  # set: the answer waits for it (at most STALL_SECONDS)
        self.asked = 0
        self.answered = 0
        self.raw: bytes | None = None  # set: the answer instead of the key set
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider.asked += 1
                if provider.stall is not None:
                    provider.stall.wait(STALL_SECONDS)
                body = provider.raw or json.dumps({"keys": [provider.jwk(kid) for kid in provider.keys]}).encode()
                self.send_response(provider.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                provider.answered += 1

            def log_message(self, *args) -> None:  # the test's output stays quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/protocol/openid-connect/certs"

    def add_key(self, kid: str) -> None:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self, kid: str) -> dict:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.keys[kid].public_key(), as_dict=True)
        return {**public, "kid": kid, "use": "sig", "alg": "RS256"}

    def token(self, kid: str | None, key_of: str | None = None, **overrides) -> str:
        """A Keycloak-like access token: `sub` an opaque ID, the NISS in `national_number`, scopes as a list."""
        now = dt.datetime.now(dt.UTC)
        claims = {
            "sub": "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
            "national_number": DIRECTOR["niss"],
            "name": DIRECTOR["name"],
            "organisation": {"enterprise_number": DIRECTOR["enterprise"].replace(".", "")},
            "scp": ["openid", "profile", "email", "mahis.manage"],
            "iss": SETTINGS.jwt_issuer,
            "aud": SETTINGS.jwt_audience,
            "iat": int(now.timestamp()),
            "exp": int((now + dt.timedelta(minutes=5)).timestamp()),
            **overrides,
        }
        key = self.keys[key_of or kid or next(iter(self.keys))]
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid} if kid else None)


@pytest.fixture
def provider():
    provider = Provider()
    provider.add_key("k1")
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    yield provider
    if provider.stall is not None:
        provider.stall.set()
    provider.server.shutdown()
    provider.server.server_close()


def provider_settings(settings: Settings, provider: Provider, **overrides) -> Settings:
    return replace(
        settings,
        jwt_algorithm="RS256",
        jwt_jwks_url=provider.url,
        jwt_niss_claim="national_number",
        jwt_enterprise_claim="organisation.enterprise_number",
        jwt_roles_claim="scp",
        jwt_role_map=(("mahis.manage", "mandates:manage"), ("mahis.read", "mandates:consult")),
        **{"jwks_min_refresh_seconds": 0.0, **overrides},
    )


async def _client(settings: Settings, clock):
    from config.asgi import create_app

    app = create_app(settings, clock, manage_database=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def _viewer(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {token}"})


def _code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


async def test_identity_provider_token_with_the_niss_outside_sub_and_openid_among_the_scopes(
    reference, clock, settings, provider
):
    async with await _client(provider_settings(settings, provider), clock) as client:
        response = await _viewer(client, provider.token("k1"))
        assert response.status_code == 200, response.text
        viewer = response.json()["data"]["viewer"]
        assert viewer["niss"] == DIRECTOR["niss"]
        assert viewer["enterprise"]["enterpriseNumber"] == DIRECTOR["enterprise"]
        assert (viewer["canManage"], viewer["isOfficer"]) == (True, False)
        # Only the provider's scopes the map names count: openid, profile and email alone grant nothing.
        refused = await _viewer(client, provider.token("k1", scp=["openid", "profile", "mandates:manage"]))
        assert _code(refused) == "UNAUTHENTICATED"
        assert "'scp'" in refused.json()["errors"][0]["extensions"]["reason"]
        # `sub` is an opaque ID: a token without the NISS claim is no one.
        anonymous = await _viewer(client, provider.token("k1", national_number=None))
        assert _code(anonymous) == "UNAUTHENTICATED"
    assert provider.asked == 1  # the key set was fetched once, then kept


def test_identity_provider_scope_string_or_list_unknown_values_ignored():
    mapping = role_map(SETTINGS)  # no MANDATES_JWT_ROLE_MAP: the registry's own names
    assert rights(mapping, "openid profile mandates:manage personal-data:read") == {
        "mandates:manage",
        "personal-data:read",
    }
    assert rights(mapping, ["openid", "nsso:officer", 7]) == {"nsso:officer"}
    assert rights(mapping, None) == frozenset()
    custom = role_map(replace(SETTINGS, jwt_role_map=(("admin", "nsso:officer"), ("admin", "personal-data:read"))))
    assert rights(custom, ["admin", "mandates:manage"]) == {"nsso:officer", "personal-data:read"}


def test_identity_provider_role_map_naming_no_right_of_the_registry_is_refused_at_start():
    with pytest.raises(SettingsError, match="MANDATES_JWT_ROLE_MAP"):
        TokenVerifier(replace(SETTINGS, jwt_role_map=(("admin", "root:all"),)))
    settings = Settings.from_env({"MANDATES_JWT_ROLE_MAP": " mahis.manage = mandates:manage , admin=nsso:officer "})
    assert settings.jwt_role_map == (("mahis.manage", "mandates:manage"), ("admin", "nsso:officer"))
    with pytest.raises(SettingsError, match="MANDATES_JWT_ROLE_MAP"):
        Settings.from_env({"MANDATES_JWT_ROLE_MAP": "mahis.manage"})
    with pytest.raises(SettingsError, match="MANDATES_JWT_ROLE_MAP"):
        Settings.from_env({"MANDATES_JWT_ROLE_MAP": " , "})


async def test_identity_provider_key_rotation_one_refresh_for_an_unknown_key(reference, clock, settings, provider):
    async with await _client(provider_settings(settings, provider), clock) as client:
        assert (await _viewer(client, provider.token("k1"))).json()["data"]["viewer"]["canManage"]
        provider.add_key("k2")
        del provider.keys["k1"]
        response = await _viewer(client, provider.token("k2"))
        assert response.json()["data"]["viewer"]["niss"] == DIRECTOR["niss"]
        assert provider.asked == 2
        # The retired key is gone with the refresh; a key the provider never published is refused.
        provider.add_key("k1")  # a new private key under the old name: not the one the registry holds
        assert _code(await _viewer(client, provider.token("k2", key_of="k1"))) == "UNAUTHENTICATED"


async def test_identity_provider_unknown_keys_fetch_at_most_once_per_interval(reference, clock, settings, provider):
    async with await _client(provider_settings(settings, provider, jwks_min_refresh_seconds=60.0), clock) as client:
        assert (await _viewer(client, provider.token("k1"))).status_code == 200
        provider.add_key("made-up")
        for _ in range(3):
            assert _code(await _viewer(client, provider.token("made-up"))) == "UNAUTHENTICATED"
        assert provider.asked == 1


async def test_identity_provider_failing_refresh_keeps_the_keys_in_hand(reference, clock, settings, provider):
    async with await _client(provider_settings(settings, provider, jwks_refresh_seconds=0.001), clock) as client:
        assert (await _viewer(client, provider.token("k1"))).status_code == 200
        provider.status = 500
        for _ in range(3):
            await asyncio.sleep(0.01)
            response = await _viewer(client, provider.token("k1"))
            assert response.json()["data"]["viewer"]["niss"] == DIRECTOR["niss"]
        assert provider.asked >= 2  # refreshes were tried, in the background


async def test_identity_provider_down_from_the_start_is_a_503(reference, clock, settings, provider):
    provider.status = 500
    async with await _client(provider_settings(settings, provider), clock) as client:
        response = await _viewer(client, provider.token("k1"))
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert _code(response) == "IDENTITY_PROVIDER_UNAVAILABLE"
        export = await client.get("/exports/mandates.xlsx", headers={"Authorization": f"Bearer {provider.token('k1')}"})
        assert (export.status_code, _code(export)) == (503, "IDENTITY_PROVIDER_UNAVAILABLE")


async def test_identity_provider_stalling_jwks_blocks_no_other_request(reference, clock, settings, provider):
    """The key set's endpoint stalls for 5 s: /healthz and `{ __typename }` are answered while it stalls,
    the token waiting for the keys gets a 503 after MANDATES_JWKS_WAIT_SECONDS, and once the provider
    answers the same token is accepted."""
    provider.stall = threading.Event()
    async with await _client(provider_settings(settings, provider, jwks_wait_seconds=1.0), clock) as client:
        token = provider.token("k1")
        waiting = asyncio.create_task(_viewer(client, token))
        while provider.asked == 0:  # the fetch has reached the provider, which holds it
            await asyncio.sleep(0.005)
        answered_during_the_stall = []
        for _ in range(5):
            health = await client.get("/healthz")
            typename = await client.post("/graphql", json={"query": "{ __typename }"})
            assert (health.status_code, typename.json()) == (200, {"data": {"__typename": "Query"}})
            answered_during_the_stall.append(provider.answered == 0 and not waiting.done())
        assert all(answered_during_the_stall)
        refused = await waiting
        assert (refused.status_code, _code(refused)) == (503, "IDENTITY_PROVIDER_UNAVAILABLE")
        assert provider.answered == 0  # refused on the registry's own deadline, the provider still stalling
        provider.stall.set()
        response = await _viewer(client, token)
        assert response.json()["data"]["viewer"]["niss"] == DIRECTOR["niss"]
        assert provider.asked == 1  # the waiting request and this one shared the one fetch


async def test_identity_provider_one_key_without_kid_and_malformed_tokens(reference, clock, settings, provider):
    async with await _client(provider_settings(settings, provider), clock) as client:
        response = await _viewer(client, provider.token(None))  # a provider with one key may leave `kid` out
        assert response.json()["data"]["viewer"]["niss"] == DIRECTOR["niss"]
        garbage = await client.post("/graphql", json={"query": VIEWER}, headers={"Authorization": "Bearer a.b.c"})
        assert _code(garbage) == "UNAUTHENTICATED"


@pytest.mark.parametrize("answer", [b"x" * 300 * 1024, b"[]", b'{"keys": []}', b"not json"])
async def test_identity_provider_key_set_not_usable_is_not_taken(reference, clock, settings, provider, answer):
    provider.raw = answer
    async with await _client(provider_settings(settings, provider), clock) as client:
        response = await _viewer(client, provider.token("k1"))
    assert (response.status_code, _code(response)) == (503, "IDENTITY_PROVIDER_UNAVAILABLE")
