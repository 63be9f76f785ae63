"""Verified tokens remembered (config/tokens.py): a client sends the same token with every request, and
checking its signature each time cost more than the rest of a small request (issue 11). The refusals
themselves (expired, not yet valid, foreign...) are tests/api/test_authentication.py's."""

from __future__ import annotations

import time
from dataclasses import replace

import jwt
import pytest

from config import tokens
from config.tokens import VERIFIED_SECONDS, VERIFIED_TOKENS, InvalidToken, TokenVerifier, mint
from tests.conftest import PERSONAS, SETTINGS

DIRECTOR = PERSONAS["employer-director"]


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def decodes(monkeypatch) -> list[str]:
    """The tokens whose signature and claims PyJWT checked, in order."""
    checked: list[str] = []
    decode = jwt.decode

    def counted(token, *args, **kwargs):
        checked.append(token)
        return decode(token, *args, **kwargs)

    monkeypatch.setattr(tokens.jwt, "decode", counted)
    return checked


def _token(minutes: int = 10, name: str | None = None) -> str:
    return mint(
        SETTINGS, DIRECTOR["niss"], "mandates:manage", enterprise=DIRECTOR["enterprise"], name=name, minutes=minutes
    )


async def test_hardening_a_verified_token_is_remembered_and_checked_in_full_again_after_a_minute(decodes):
    clock = Clock()
    verifier = TokenVerifier(SETTINGS, clock)
    token = _token()
    first = await verifier.verify(f"Bearer {token}")
    assert (await verifier.verify(f"Bearer {token}")) == first
    clock.now += VERIFIED_SECONDS - 1
    assert (await verifier.verify(f"Bearer {token}")) == first
    assert decodes == [token]
    clock.now += 1
    assert (await verifier.verify(f"Bearer {token}")) == first
    assert decodes == [token, token]


async def test_hardening_a_remembered_token_is_checked_in_full_again_once_its_exp_has_passed(decodes):
    clock = Clock()
    verifier = TokenVerifier(SETTINGS, clock)
    token = _token(minutes=1)
    exp = jwt.api_jwt.decode(token, options={"verify_signature": False})["exp"]  # not counted
    await verifier.verify(f"Bearer {token}")
    clock.now = exp  # PyJWT refuses a token at its exp: never answered from memory then
    await verifier.verify(f"Bearer {token}")  # PyJWT's own clock has not reached exp: still accepted
    assert decodes == [token, token]


async def test_hardening_a_refused_token_is_never_remembered(decodes):
    verifier = TokenVerifier(SETTINGS)
    foreign = mint(replace(SETTINGS, jwt_secret="another-secret-that-is-long-enough-000000"), DIRECTOR["niss"], "x")
    for _ in range(2):
        with pytest.raises(InvalidToken):
            await verifier.verify(f"Bearer {foreign}")
    assert decodes == [foreign, foreign]


async def test_hardening_the_remembered_tokens_are_bounded_the_least_recently_used_forgotten_first(decodes):
    verifier = TokenVerifier(SETTINGS)
    oldest = _token()
    await verifier.verify(f"Bearer {oldest}")
    for number in range(VERIFIED_TOKENS):  # distinct names, distinct tokens
        await verifier.verify(f"Bearer {_token(name=f'Person {number}')}")
    assert len(verifier._verified) == VERIFIED_TOKENS
    checked = len(decodes)
    await verifier.verify(f"Bearer {oldest}")
    assert len(decodes) == checked + 1
