"""The fragment bomb against a real server: how long the query of N nested fragments takes, and how
long a concurrent `{ __typename }` waits behind it (hardening item 1).

    python -m tests.bench.fragment_bomb [--levels 17 20 21 40] [--viewers anonymous authenticated] [--timeout 30]
    [--port 8110]

For each N, a fresh `mandates serve` (uvicorn, one worker, an empty SQLite database in a temporary
directory) receives `fragment F<k> on Query { ...F<k-1> ...F<k-1> }` up to F<N> (about 1.6 KB at
N = 40: 2^N paths for a guard that expands fragments), without a token and then with one (the
tighter anonymous limits refuse it for its spreads, the authenticated ones for its expanded size);
a quarter of a second after each bomb a `{ __typename }` is sent. Both times are printed, with the
HTTP status and error code of the bomb.
A request still unanswered after --timeout seconds is printed as such; the server is then killed
(SIGTERM, then SIGKILL after 3 s: a server busy in a guard does not stop on SIGTERM).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from config.settings import Settings
from config.tokens import mint

ROOT = Path(__file__).resolve().parents[2]


def fragment_bomb(levels: int) -> str:
    """`{ ...F<levels> }` where each fragment spreads the previous one twice."""
    fragments = ["fragment F0 on Query { __typename }"]
    fragments += [f"fragment F{k} on Query {{ ...F{k - 1} ...F{k - 1} }}" for k in range(1, levels + 1)]
    return f"query Bomb {{ ...F{levels} }}\n" + "\n".join(fragments)


SECRET = "fragment-bomb-bench-secret-0000000000000000"  # this run's server only


def start_server(port: int, directory: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "MANDATES_JWT_SECRET": SECRET,
        "MANDATES_DATABASE_URL": f"sqlite://{directory}/bench.sqlite3",
        "MANDATES_DATA_DIR": directory,
        "MANDATES_SWEEP_INTERVAL_SECONDS": "86400",
    }
    subprocess.run(
        [sys.executable, "-m", "config.cli", "migrate"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    return subprocess.Popen(
        [sys.executable, "-m", "config.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop_server(server: subprocess.Popen) -> str:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(3)
        return "stopped on SIGTERM"
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        return "IGNORED SIGTERM (killed)"


async def wait_for_health(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit("the server exited before answering /healthz")
            try:
                if (await client.get(f"{url}/healthz", timeout=2)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("the server did not answer /healthz within 60 s")


async def timed_post(
    client: httpx.AsyncClient, url: str, query: str, timeout: float, delay: float = 0.0, headers: dict | None = None
) -> tuple[float, str]:
    await asyncio.sleep(delay)
    started = time.perf_counter()
    try:
        response = await client.post(f"{url}/graphql", json={"query": query}, timeout=timeout, headers=headers)
    except httpx.TimeoutException:
        return time.perf_counter() - started, f"no answer within {timeout:.0f} s"
    body = response.json()
    code = body["errors"][0].get("extensions", {}).get("code") if body.get("errors") else "ok"
    return time.perf_counter() - started, f"HTTP {response.status_code} {code}"


async def measure(levels: int, port: int, timeout: float, viewer: str) -> None:
    url = f"http://127.0.0.1:{port}"
    query = fragment_bomb(levels)
    settings = Settings(jwt_secret=SECRET)
    headers = (
        {"Authorization": f"Bearer {mint(settings, '85073003328', 'mandates:manage', enterprise='0403170701')}"}
        if viewer == "authenticated"
        else {}
    )
    with tempfile.TemporaryDirectory() as directory:
        server = start_server(port, directory)
        try:
            await wait_for_health(url, server)
            async with httpx.AsyncClient() as bomb_client, httpx.AsyncClient() as typename_client:
                (bomb_time, bomb), (typename_time, typename) = await asyncio.gather(
                    timed_post(bomb_client, url, query, timeout, headers=headers),
                    timed_post(typename_client, url, "{ __typename }", timeout, delay=0.25),
                )
        finally:
            stopped = stop_server(server)
    print(
        f"{levels:>3} levels ({len(query.encode()):>5} bytes, {viewer:>13}): bomb {bomb_time * 1000:9.1f} ms ({bomb}); "
        f"concurrent {{ __typename }} {typename_time * 1000:9.1f} ms ({typename}); server {stopped}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[17, 20, 21, 40])
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument(
        "--viewers", nargs="+", choices=["anonymous", "authenticated"], default=["anonymous", "authenticated"]
    )
    args = parser.parse_args()
    for levels in args.levels:
        for viewer in args.viewers:
            asyncio.run(measure(levels, args.port, args.timeout, viewer))


if __name__ == "__main__":
    main()
