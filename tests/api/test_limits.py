"""Abuse limits (hardening item 7): the token bucket, and each limited operation answering HTTP 429
with `Retry-After` to a viewer over its limits while other viewers are served."""

from __future__ import annotations

import asyncio
import os
import threading
from dataclasses import replace

import pytest

import documents.pool
from config.asgi import create_app
from resolvers.limits import Bucket, Limit, Limiter, RateLimited, take
from tests.api.authorisation_steps import post_upload
from tests.api.delegation_steps import COMPETENT
from tests.api.helpers import BOULANGERIE, LOGISTIQUE, PROVIDER, created
from tests.api.test_export import get as export
from tests.conftest import token

# --- the token bucket (pure) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bucket", "now", "per_minute", "after", "wait"),
    [
        (None, 100.0, 60, Bucket(59.0, 100.0), 0.0),  # a new viewer starts with a full burst
        (Bucket(0.0, 100.0), 100.0, 60, Bucket(0.0, 100.0), 1.0),  # empty: one token a second at 60/min
        (Bucket(0.0, 100.0), 100.5, 60, Bucket(0.5, 100.5), 0.5),  # half a token: half a second to wait
        (Bucket(0.0, 100.0), 101.0, 60, Bucket(0.0, 101.0), 0.0),  # refilled just enough
        (Bucket(0.0, 100.0), 130.0, 6, Bucket(2.0, 130.0), 0.0),  # 6/min: 3 tokens in 30 s, one spent
        (Bucket(0.25, 0.0), 0.0, 6, Bucket(0.25, 0.0), 7.5),  # 0.75 token missing at 0.1/s
        (Bucket(3.0, 0.0), 3600.0, 6, Bucket(5.0, 3600.0), 0.0),  # never more than the burst
        (Bucket(1.0, 50.0), 40.0, 60, Bucket(0.0, 40.0), 0.0),  # a clock going back refills nothing
    ],
)
def test_hardening_token_bucket(bucket, now, per_minute, after, wait):
    assert take(bucket, now, per_minute) == (after, pytest.approx(wait))


def test_hardening_limiter_counts_running_requests_per_viewer_and_operation():
    now = [0.0]
    limiter = Limiter(
        {"export": Limit(per_minute=0, concurrent=1), "search": Limit(per_minute=2, concurrent=0)}, clock=lambda: now[0]
    )
    slot = limiter.acquire("export", "A")
    with pytest.raises(RateLimited) as refused:
        limiter.acquire("export", "A")
    assert refused.value.retry_after == 1
    limiter.acquire("export", "B").release()  # another viewer
    slot.release()
    slot.release()  # twice is harmless
    with limiter.acquire("export", "A"):
        pass
    limiter.acquire("search", "A"), limiter.acquire("search", "A")
    with pytest.raises(RateLimited) as refused:
        limiter.acquire("search", "A")
    assert refused.value.retry_after == 30
    now[0] = 30.0
    limiter.acquire("search", "A")


# --- through HTTP ------------------------------------------------------------------------------------


@pytest.fixture
async def app(reference, clock, settings):
    """Two requests a minute for every limited operation, one at a time."""
    limits = {
        "limit_search_per_minute": 2,
        "limit_export_per_minute": 2,
        "limit_upload_per_minute": 2,
        "limit_competence_per_minute": 2,
        "limit_concurrent": 1,
    }
    return create_app(replace(settings, **limits), clock, manage_database=False)


def _refused_graphql(response) -> int:
    assert response.status_code == 429, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert int(response.headers["Retry-After"]) == error["extensions"]["retryAfter"] >= 1
    return error["extensions"]["retryAfter"]


async def _graphql(api, query: str, variables: dict, as_: str):
    return await api.raw(query, variables, headers={"Authorization": f"Bearer {token(as_)}"})


SEARCH = "query($n: String) { mandates(filter: {principalNumber: $n}) { totalCount } }"


async def test_hardening_search_page_over_the_rate_is_429(api):
    for _ in range(2):
        assert (await _graphql(api, SEARCH, {"n": LOGISTIQUE}, "employer-director")).status_code == 200
    assert _refused_graphql(await _graphql(api, SEARCH, {"n": LOGISTIQUE}, "employer-director")) == 30
    served = await _graphql(api, SEARCH, {"n": BOULANGERIE}, "employer-manager")
    assert served.status_code == 200 and served.json()["data"]["mandates"]["totalCount"] == 0


async def test_hardening_the_rate_limits_message_is_in_the_language_asked(api):
    """Issue 13: the message from the catalogue in the request's language, the code and the wait for programs."""
    headers = {"Authorization": f"Bearer {token('employer-director')}", "Accept-Language": "de"}
    for _ in range(2):
        assert (await api.raw(SEARCH, {"n": LOGISTIQUE}, headers=headers)).status_code == 200
    refused = await api.raw(SEARCH, {"n": LOGISTIQUE}, headers=headers)
    assert _refused_graphql(refused) == 30
    assert refused.json()["errors"][0]["message"] == "Zu viele Anfragen: bitte versuchen Sie es in 30 Sekunden erneut."
    for _ in range(2):
        await api.client.get("/exports/mandates.xlsx", headers={**headers, "Accept-Language": "nl"})
    export_refused = await api.client.get("/exports/mandates.xlsx", headers={**headers, "Accept-Language": "nl"})
    assert export_refused.status_code == 429
    assert export_refused.json()["errors"][0]["message"] == "Te veel aanvragen: probeer opnieuw over 30 seconden."


async def test_hardening_competence_over_the_rate_is_429(api):
    ask = {"principal": LOGISTIQUE, "group": "DMFA", "on": "2024-05-10"}
    for _ in range(2):
        assert (await _graphql(api, COMPETENT, ask, "employer-director")).status_code == 200
    _refused_graphql(await _graphql(api, COMPETENT, ask, "employer-director"))
    # another person of the same enterprise is another viewer
    assert (await _graphql(api, COMPETENT, ask, "employer-competence")).status_code == 200


async def test_hardening_export_over_the_rate_is_429(api):
    for _ in range(2):
        assert (await export(api, "employer-director")).status_code == 200
    refused = await export(api, "employer-director")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "30"
    assert refused.json()["errors"][0]["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 30}
    assert (await export(api, "employer-manager")).status_code == 200


async def test_hardening_an_export_whose_client_is_gone_gives_its_slot_back(api, app):
    """One export at a time (limit_concurrent=1): a client gone before the first byte does not keep it."""
    sent = []

    async def gone(message):
        sent.append(message["type"])
        raise OSError("the client is gone")

    async def receive():
        await asyncio.sleep(5)
        return {"type": "http.disconnect"}

    authorization = f"Bearer {token('employer-director')}".encode()
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/exports/mandates.xlsx",
        "raw_path": b"/exports/mandates.xlsx",
        "query_string": b"",
        "headers": [(b"authorization", authorization)],
        "scheme": "http",
        "server": ("testserver", 80),
        "root_path": "",
    }
    await app(scope, receive, gone)  # a client gone is no error of ours: the request log records it as 499
    assert sent and sent[0] == "http.response.start"
    assert (await export(api, "employer-director")).status_code == 200


async def test_hardening_upload_over_the_rate_is_429(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    garbage = b"%PDF-1.7\n" + os.urandom(1024)
    for _ in range(2):
        assert (await post_upload(api, "employer-director", mandate["id"], garbage)).status_code == 200
    _refused_graphql(await post_upload(api, "employer-director", mandate["id"], garbage))
    other = await post_upload(api, "provider-signatory", mandate["id"], garbage)
    assert other.json()["data"]["uploadAuthorisation"]["userErrors"][0]["code"] == "AUTHORISATION_NOT_PDF"


async def test_hardening_a_viewers_second_upload_at_once_is_429(api, monkeypatch):
    """One at a time (limit_concurrent=1): the first upload is held in its verification meanwhile."""
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    entered, release = threading.Event(), threading.Event()
    real = documents.pool.inspect

    async def held(*args):
        entered.set()
        release.wait(30)  # on the pool's thread: the server's event loop keeps running
        return await real(*args)

    monkeypatch.setattr(documents.pool, "inspect", held)
    garbage = b"%PDF-1.7\n" + os.urandom(1024)
    first = asyncio.ensure_future(post_upload(api, "employer-director", mandate["id"], garbage))
    assert await asyncio.to_thread(entered.wait, 30)
    try:
        assert _refused_graphql(await post_upload(api, "employer-director", mandate["id"], garbage)) == 1
        served = await _graphql(api, SEARCH, {"n": LOGISTIQUE}, "employer-director")  # another operation
        assert served.status_code == 200
    finally:
        release.set()
    assert (await first).status_code == 200
