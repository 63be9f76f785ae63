"""Uploads (hardening item 4): who may upload is settled before a byte of the PDF is parsed, and the
parsing runs off the event loop, at most MANDATES_UPLOAD_WORKERS at a time, so that other clients
keep being answered while large uploads are verified."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from dataclasses import replace

import httpx
import pytest
import uvicorn

import documents.pool
from config.asgi import create_app
from config.database import close_database, open_migrated
from config.demo import DEMO_DIR
from resolvers.ids import encode_id
from resolvers.reference_data import load_reference
from tests.api.authorisation_steps import UPLOADERS, Signers, issued_pdf, padded, post_upload, upload
from tests.api.helpers import PROVIDER, codes, created, niss
from tests.conftest import Api
from tests.serving import free_port

GARBAGE = b"%PDF-1.7\n" + os.urandom(4096)  # would be AUTHORISATION_NOT_PDF if it were parsed


@pytest.fixture
def parsed(monkeypatch) -> list[int]:
    """The sizes of the files given to the PDF verification, in the order it got them."""
    calls: list[int] = []
    real = documents.pool.inspect

    async def counted(source, *args):
        calls.append(source.seek(0, os.SEEK_END))
        return await real(source, *args)

    monkeypatch.setattr(documents.pool, "inspect", counted)
    return calls


async def _mandate(api) -> dict:
    return await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")


async def test_hardening_upload_to_an_unknown_mandate_is_refused_without_parsing(api, parsed):
    payload = await upload(
        api, "employer-director", encode_id("Mandate", 999999), GARBAGE
    )  # a well-formed ID of no row
    assert codes(payload) == ["NOT_FOUND"] and parsed == []


async def test_hardening_upload_by_a_caller_of_no_party_is_refused_without_parsing(api, parsed):
    mandate = await _mandate(api)
    payload = await upload(api, "employer-manager", mandate["id"], GARBAGE)  # another employer's manager
    assert codes(payload) == ["NOT_FOUND"] and parsed == []  # its existence is not disclosed


@pytest.mark.parametrize("persona", ["employer-consult", "nsso-officer"])
async def test_hardening_upload_by_a_caller_without_the_right_is_refused_without_parsing(api, parsed, persona):
    mandate = await _mandate(api)
    response = await post_upload(api, persona, mandate["id"], GARBAGE)
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN" and parsed == []


async def test_hardening_a_partys_upload_is_parsed_once(api, parsed):
    mandate = await _mandate(api)
    assert codes(await upload(api, "employer-director", mandate["id"], GARBAGE)) == ["AUTHORISATION_NOT_PDF"]
    assert parsed == [len(GARBAGE)]


class Server(uvicorn.Server):
    """uvicorn serving the app on a free port of 127.0.0.1 in a thread of its own, on a database file of its own."""

    def __init__(self, app):
        self.port = free_port()
        super().__init__(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.should_exit = True
        self.thread.join(timeout=30)


def _with_reference(url: str) -> None:
    async def load():
        await open_migrated(url)
        try:
            await load_reference((DEMO_DIR / "reference.json").read_text(encoding="utf-8"))
        finally:
            await close_database()

    # On a thread of its own: the ORM's connections belong to the event loop that opened them.
    worker = threading.Thread(target=asyncio.run, args=(load(),))
    worker.start()
    worker.join()


async def _answered_meanwhile(api: Api, busy: asyncio.Task) -> int:
    """How many `{ __typename }` requests were answered while `busy` ran (their latency is the bench's,
    tests/bench/uploads.py, not asserted here: a shared machine's wall time would make it flaky)."""
    count = 0
    while not busy.done():
        response = await api.raw("{ __typename }")
        assert response.json() == {"data": {"__typename": "Query"}}
        count += 1
        await asyncio.sleep(0.02)
    return count


async def test_hardening_other_clients_are_answered_while_four_10_mb_uploads_are_verified(
    settings, clock, eid_ca, tmp_path, monkeypatch
):
    workers = 2
    running, most = 0, 0
    real = documents.pool.inspect

    async def observed(*args):
        nonlocal running, most
        running += 1
        most = max(most, running)
        try:
            return await real(*args)
        finally:
            running -= 1

    monkeypatch.setattr(documents.pool, "inspect", observed)
    served = replace(settings, database_url=f"sqlite://{tmp_path / 'served.sqlite3'}", upload_workers=workers)
    _with_reference(served.database_url)
    signers = Signers(eid_ca[0], eid_ca[1])
    with Server(create_app(served, clock)) as base:
        async with (
            httpx.AsyncClient(base_url=base, timeout=120) as client,
            httpx.AsyncClient(base_url=base, timeout=120) as other,
        ):
            api = Api(client)
            files = []
            for group in ["PMP", "SIGEDIS", "BELPARCEL", "WORKS_DECLARATIONS"]:
                mandate = await created(
                    api, "employer-director", mandataryNumber=PROVIDER, groups=[group], startQuarter="3/2024"
                )
                pdf = padded(await issued_pdf(api, "employer-director", mandate["id"]), 10_000_000, 10_000)
                files.append((mandate["id"], await signers.sign(pdf, "PrincipalSignature", niss("employer-director"))))
            uploads = asyncio.ensure_future(
                asyncio.gather(*(upload(api, who, m, data) for who, (m, data) in zip(UPLOADERS, files)))
            )
            probes = await _answered_meanwhile(Api(other), uploads)
            payloads = await uploads
    assert all(len(data) > 9_900_000 for _, data in files)
    assert [p["mandate"]["status"] for p in payloads] == ["PENDING"] * 4
    assert most == workers  # at most MANDATES_UPLOAD_WORKERS at a time, and that many used
    assert probes >= 5, f"only {probes} {{ __typename }} answered while the uploads were verified"
