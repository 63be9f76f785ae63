"""Slow clients against a real server (hardening item 6): `mandates serve` on a free port of 127.0.0.1.

A client trickling its header lines and one trickling its body are each cut off (408, connection
closed) once MANDATES_HEADER_TIMEOUT_SECONDS or MANDATES_BODY_TIMEOUT_SECONDS has passed, and one
that connects and says nothing is closed, while the other requests are served meanwhile.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

import httpx
import pytest

from config.settings import ROOT
from tests.conftest import TEST_SECRET
from tests.serving import free_port

TIMEOUT = 1.0


@pytest.fixture
def server(tmp_path):
    port = free_port()
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("MANDATES_") and key != "DATABASE_URL"
    }
    environment.update(
        PYTHONPATH=str(ROOT),
        MANDATES_DATABASE_URL=f"sqlite://{tmp_path / 'registry.sqlite3'}",
        MANDATES_DATA_DIR=str(tmp_path / "data"),
        MANDATES_JWT_SECRET=TEST_SECRET,
        MANDATES_HEADER_TIMEOUT_SECONDS=str(TIMEOUT),
        MANDATES_BODY_TIMEOUT_SECONDS=str(TIMEOUT),
    )
    subprocess.run(
        [sys.executable, "-m", "config.cli", "migrate"], cwd=tmp_path, env=environment, check=True, capture_output=True
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "config.cli", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read().decode()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def _trickle(base: str, opening: bytes, drip: bytes, limit: float = 8.0) -> tuple[float, bytes]:
    """Sends the server at `base` `opening`, then `drip` every 0.2 s until it closes; how long that took and what it
    said."""
    reader, writer = await asyncio.open_connection("127.0.0.1", urlsplit(base).port)
    started = time.monotonic()
    received = b""

    async def drip_forever():
        writer.write(opening)
        while True:
            await asyncio.sleep(0.2)
            writer.write(drip)
            await writer.drain()

    dripping = asyncio.create_task(drip_forever())
    try:
        while chunk := await asyncio.wait_for(reader.read(4096), limit):
            received += chunk
    except ConnectionResetError:
        pass
    finally:
        dripping.cancel()
        writer.close()
    return time.monotonic() - started, received


async def _served_meanwhile(base: str) -> list[tuple[int, float]]:
    """Ordinary requests during the trickling: their status and how long each took."""
    results = []
    async with httpx.AsyncClient(base_url=base, timeout=5) as client:
        for _ in range(6):
            started = time.monotonic()
            response = await client.post("/graphql", json={"query": "{ __typename }"})
            results.append((response.status_code, time.monotonic() - started))
            health = await client.get("/healthz")
            results.append((health.status_code, 0.0))
            await asyncio.sleep(0.25)
    return results


async def test_hardening_trickling_headers_and_bodies_are_cut_off_while_others_are_served(server):
    headers, body, silent, served = await asyncio.gather(
        _trickle(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", b"X-Slow: 1\r\n"),
        _trickle(
            server,
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
            b" ",
        ),
        _trickle(server, b"", b""),
        _served_meanwhile(server),
    )
    for seconds, _ in (headers, silent):
        assert TIMEOUT - 0.3 <= seconds < TIMEOUT + 1.5, seconds
    assert headers[1].startswith(b"HTTP/1.1 408 ") and headers[1].endswith(b"The request headers came too slowly."), (
        headers[1]
    )
    assert silent[1] == b""
    seconds, said = body
    assert TIMEOUT - 0.3 <= seconds < TIMEOUT + 1.5, seconds
    assert said.startswith(b"HTTP/1.1 408 "), said
    assert b'"code": "REQUEST_TIMEOUT"' in said and b"connection: close" in said
    assert [status for status, _ in served] == [200] * 12
    assert max(seconds for _, seconds in served) < 2.0  # served while the tricklers were still on


async def test_hardening_a_slow_but_steady_client_within_the_timeouts_is_served(server):
    """The bounds are for the whole header block and body, not each read: a request arriving in pieces in time is
    served."""
    body = b'{"query": "{ __typename }"}'
    opening = (
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    )
    reader, writer = await asyncio.open_connection("127.0.0.1", urlsplit(server).port)
    for piece in (opening[:20], opening[20:], body[:10], body[10:]):
        writer.write(piece)
        await asyncio.sleep(0.15)
    response = await asyncio.wait_for(reader.read(4096), 5)
    writer.close()
    assert response.startswith(b"HTTP/1.1 200 "), response
    assert b'"__typename":"Query"' in response.replace(b" ", b"")
