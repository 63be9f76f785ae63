"""900 trickling sockets against the server: do they pin it? Before (plain uvicorn) and after (`mandates serve`).

    python -m tests.bench.slow_clients [--sockets 900] [--seconds 6]

Starts the app twice on a temporary SQLite file: once with uvicorn's defaults (port 8131), once
through `mandates serve` with MANDATES_HEADER_TIMEOUT_SECONDS=2 and MANDATES_BODY_TIMEOUT_SECONDS=2
(port 8132). Each time it opens N connections, half trickling header lines and half trickling a
declared 1000-byte body (one piece a second), sends ordinary GraphQL requests meanwhile, and prints
after `--seconds`: how many trickling connections the server still holds, and the latency of the
ordinary requests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time

import httpx

from config.settings import ROOT

PLAIN = (
    "import uvicorn; from config.asgi import create_app; uvicorn.run(create_app(), host='127.0.0.1', port=8131, "
    "log_level='warning')"
)


def start(command: list[str], port: int, folder: str, extra: dict[str, str]) -> subprocess.Popen:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("MANDATES_")}
    environment.update(
        PYTHONPATH=str(ROOT),
        MANDATES_DATABASE_URL=f"sqlite://{folder}/bench.sqlite3",
        MANDATES_DATA_DIR=folder,
        **extra,
    )
    subprocess.run(
        [sys.executable, "-m", "config.cli", "migrate"],
        cwd=folder,
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    process = subprocess.Popen(
        command, cwd=folder, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


async def trickler(port: int, body: bool, seconds: float, open_at_end: list[bool]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    if body:
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
        )
    else:
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    deadline = time.monotonic() + seconds
    closed = False
    while time.monotonic() < deadline and not closed:
        try:
            closed = (await asyncio.wait_for(reader.read(4096), 1.0)) == b""
        except TimeoutError:
            try:
                writer.write(b" " if body else b"X-Slow: 1\r\n")
                await writer.drain()
            except ConnectionError:
                closed = True
        except ConnectionError:
            closed = True
    open_at_end.append(not closed)
    writer.close()


async def ordinary(port: int, seconds: float) -> list[float]:
    latencies = []
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.monotonic()
            response = await client.post("/graphql", json={"query": "{ __typename }"})
            assert response.status_code == 200, response.text
            latencies.append(time.monotonic() - started)
            await asyncio.sleep(0.1)
    return latencies


async def measure(port: int, sockets: int, seconds: float) -> tuple[int, list[float]]:
    open_at_end: list[bool] = []
    tricklers = [trickler(port, index % 2 == 1, seconds, open_at_end) for index in range(sockets)]
    results = await asyncio.gather(ordinary(port, seconds), *tricklers)
    return sum(open_at_end), results[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=900)
    parser.add_argument("--seconds", type=float, default=6.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        runs = [
            ("uvicorn defaults", [sys.executable, "-c", PLAIN], 8131, {}),
            (
                "mandates serve, 2 s timeouts",
                [sys.executable, "-m", "config.cli", "serve", "--port", "8132"],
                8132,
                {"MANDATES_HEADER_TIMEOUT_SECONDS": "2", "MANDATES_BODY_TIMEOUT_SECONDS": "2"},
            ),
        ]
        for label, command, port, extra in runs:
            process = start(command, port, folder, extra)
            try:
                still_open, latencies = asyncio.run(measure(port, args.sockets, args.seconds))
            finally:
                process.terminate()
                process.wait(timeout=10)
            print(
                f"{label}: {still_open} of {args.sockets} trickling connections still held after {args.seconds:g} s; "
                f"{len(latencies)} ordinary requests meanwhile, median {statistics.median(latencies) * 1000:.0f} ms, "
                f"max {max(latencies) * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main()
