"""createMandate with one uvicorn worker and with two, on PostgreSQL (issue 11, item 5).

    .venv/bin/python -m tests.bench.create_workers [--database-url URL] [--mandates N] [--seconds S]

The database (default postgres://postgres@127.0.0.1:5432/mandates_bench_create; never `test`,
`postgres` or a template) has its public schema dropped and is filled by tests/bench/generate.py.
For each worker count, `mandates serve --workers N` is started on --port and measured with wrk
(Debian's `wrk`, installed when missing): `{ __typename }` first, then createMandate by the busiest
mandatary's signatory, each request for a principal of its own (the manifest's fresh principals,
split between wrk's threads by a Lua script, so no request is a duplicate). Every createMandate answer
must carry a mandate and no userError; the others are counted and make the run fail. It prints req/s,
p50, p99, the ratio of createMandate to `{ __typename }` of the same run, the ratio of two workers to
one, and the load average; then checks that the references created are distinct and consecutive.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import asyncpg

from config.settings import Settings
from config.tokens import mint
from tests.bench.generate import cbe_number

ROOT = Path(__file__).resolve().parents[2]
REFUSED_DATABASES = {"", "test", "postgres", "template0", "template1"}
CREATE = (
    "mutation Create($input: CreateMandateInput!) { createMandate(input: $input) { mandate { reference } "
    "userErrors { code } } }"
)

# wrk's Lua: each thread takes every n-th principal from its own offset; a response is a failure unless it
# carries a reference and an empty userErrors.
LUA = r"""
local principals = {}
for line in io.lines(os.getenv("BENCH_PRINCIPALS")) do principals[#principals + 1] = line end
local threads, counter = {}, 1
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  failures, next_index, step = 0, id, tonumber(os.getenv("BENCH_THREADS"))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
end
function request()
  local principal = principals[next_index]
  if principal == nil then principal = "exhausted" end
  next_index = next_index + step
  local body = '{"query":' .. os.getenv("BENCH_QUERY") .. ',"variables":{"input":{"groups":["PMP"],'
    .. '"startQuarter":"' .. os.getenv("BENCH_QUARTER") .. '","principalNumber":"' .. principal .. '"}}}'
  return wrk.format(nil, "/graphql", nil, body)
end
function response(status, headers, body)
  local ok = status == 200 and string.find(body, '"userErrors":[]', 1, true)
  if not ok or not string.find(body, '"reference"', 1, true) then
    failures = failures + 1
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("failures") end
  io.write(string.format("FAILURES %d\n", total))
end
"""
TYPENAME_LUA = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ __typename }"}'
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or sys.exit("create_workers: wrk could not be installed")


async def reset(url: str) -> None:
    url = url.replace("postgres://", "postgresql://", 1)
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if name in REFUSED_DATABASES:
        sys.exit(f"create_workers: refusing to reset the database '{name}': use a database of its own")
    admin = await asyncpg.connect(urlunparse(parts._replace(path="/postgres")), timeout=5)
    if not await admin.fetchval("select 1 from pg_database where datname = $1", name):
        await admin.execute(f'create database "{name}"')
    await admin.close()
    connection = await asyncpg.connect(url, timeout=5)
    await connection.execute("drop schema if exists public cascade; create schema public")
    await connection.close()


async def created_numbers(url: str, series: int) -> list[int]:
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1), timeout=5)
    try:
        rows = await connection.fetch("select number from mandate where series = $1 order by number", series)
    finally:
        await connection.close()
    return [row["number"] for row in rows]


def wait_for_health(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("create_workers: the server stopped (see its log)")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit("create_workers: the server did not answer /healthz")


def wrk(binary: str, port: int, script: str, seconds: float, connections: int, env: dict) -> dict:
    """wrk's figures: req/s, p50 and p99 in ms, the failures the Lua script counted."""
    threads = min(2, connections)
    run = subprocess.run(
        [
            binary,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--latency",
            "-s",
            script,
            f"http://127.0.0.1:{port}/graphql",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, **env, "BENCH_THREADS": str(threads)},
        check=True,
    )
    text = run.stdout

    def milliseconds(label: str) -> float:
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
        if not match:
            return float("nan")
        return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    failures = re.search(r"FAILURES (\d+)", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    requests = re.search(r"(\d+) requests in", text)
    return {
        "rps": float(rate.group(1)) if rate else 0.0,
        "p50": milliseconds("50%"),
        "p99": milliseconds("99%"),
        "requests": int(requests.group(1)) if requests else 0,
        "failures": int(failures.group(1)) if failures else int(non_2xx.group(1)) if non_2xx else 0,
    }


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m tests.bench.create_workers", description=__doc__.split("\n\n")[0])
    cli.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/mandates_bench_create")
    cli.add_argument("--mandates", type=int, default=20_000)
    cli.add_argument("--fresh", type=int, default=40_000, help="principals reserved for the creations")
    cli.add_argument("--seconds", type=float, default=15)
    cli.add_argument("--connections", type=int, default=8)
    cli.add_argument("--port", type=int, default=8120)
    cli.add_argument("--today", default="2026-11-16")
    args = cli.parse_args(argv)
    binary = ensure_wrk()
    asyncio.run(reset(args.database_url))
    work = Path(tempfile.mkdtemp(prefix="create-workers-"))
    manifest_path = work / "manifest.json"
    env = {
        **os.environ,
        "MANDATES_DATABASE_URL": args.database_url,
        "MANDATES_CLOCK": args.today,
        "MANDATES_JWT_SECRET": os.environ.get("MANDATES_JWT_SECRET") or os.urandom(32).hex(),
        "MANDATES_SWEEP_INTERVAL_SECONDS": "0",
        "MANDATES_DATA_DIR": str(work),
    }
    python = sys.executable
    print(f"create_workers: generating {args.mandates} mandates and {args.fresh} fresh principals", flush=True)
    subprocess.run(
        [
            python,
            "-m",
            "tests.bench.generate",
            "--mandates",
            str(args.mandates),
            "--fresh",
            str(args.fresh),
            "--today",
            args.today,
            "--manifest",
            str(manifest_path),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    os.environ.update({k: env[k] for k in ("MANDATES_JWT_SECRET", "MANDATES_CLOCK")})
    busiest = manifest["busiest"]
    token = mint(
        Settings.from_env(),
        busiest["signatory_niss"],
        "mandates:manage",
        enterprise=busiest["enterprise_number"],
        name=busiest["signatory_name"],
        minutes=120,
    )
    (work / "create.lua").write_text(LUA, encoding="utf-8")
    (work / "typename.lua").write_text(TYPENAME_LUA, encoding="utf-8")
    fresh = manifest["fresh_principals"]  # CBE numbers from first_base on (tests/bench/generate.py)
    year = int(args.today[:4])
    before = asyncio.run(created_numbers(args.database_url, year))
    results = {}
    offset = 0
    for workers in (1, 2):
        log = (work / f"server-{workers}.log").open("w")
        server = subprocess.Popen(
            [
                python,
                "-m",
                "config.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(args.port),
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for_health(args.port, server)
            time.sleep(2)
            principals = work / f"principals-{workers}.txt"
            numbers = (cbe_number(fresh["first_base"] + n) for n in range(offset, fresh["count"]))
            principals.write_text("\n".join(numbers) + "\n", encoding="utf-8")
            typename = wrk(binary, args.port, str(work / "typename.lua"), args.seconds, args.connections, {})
            create = wrk(
                binary,
                args.port,
                str(work / "create.lua"),
                args.seconds,
                args.connections,
                {
                    "BENCH_PRINCIPALS": str(principals),
                    "BENCH_TOKEN": token,
                    "BENCH_QUERY": json.dumps(CREATE),
                    "BENCH_QUARTER": manifest["next_quarter"],
                },
            )
            offset += create["requests"] + 64  # each run its own principals
            results[workers] = (typename, create, " ".join(Path("/proc/loadavg").read_text().split()[:3]))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
            log.close()
    print(
        f"\n{'workers':<8}{'scenario':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'failures':>10}{'×typename':>11}"
        f"  load average"
    )
    for workers, (typename, create, load) in results.items():
        for name, figures in (("typename", typename), ("createMandate", create)):
            ratio = figures["rps"] / typename["rps"] if typename["rps"] else 0
            print(
                f"{workers:<8}{name:<16}{figures['rps']:>9.1f}{figures['p50']:>9.1f}{figures['p99']:>9.1f}"
                f"{figures['failures']:>10}{ratio:>11.3f}  {load}"
            )
    scaling = results[2][1]["rps"] / results[1][1]["rps"] if results[1][1]["rps"] else 0
    print(f"createMandate, two workers / one: {scaling:.2f}")
    numbers = asyncio.run(created_numbers(args.database_url, year))
    distinct = len(set(numbers)) == len(numbers)
    made = sum(create["requests"] - create["failures"] for _, create, _ in results.values())
    print(
        f"references of M{year}: {len(before)} before, {len(numbers)} after ({len(numbers) - len(before)} new, "
        f"{made} creations answered); all distinct: {distinct}"
    )
    failed = any(create["failures"] for _, create, _ in results.values()) or not distinct
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
