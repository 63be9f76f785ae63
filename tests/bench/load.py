"""Measure the running server over HTTP: requests per second and p50/p99 latency, scenario by scenario.

    python -m tests.bench.load --url http://127.0.0.1:8765 --seconds 15 --concurrency 8 [--pid PID]

Scenarios, in turn, each for `--seconds` with `--concurrency` requests in flight (keep-alive):
`{ __typename }` (the floor: HTTP, GraphQL and token check), the dashboard of the busiest
mandatary, a filtered search page of 20 as that mandatary, and createMandate by its signatory
(a fresh principal each time, PMP from next quarter). Every response must be HTTP 200 with no
GraphQL error and no userError; the others are counted as failures.

The busiest mandatary, its signatory, the fresh principals and the quarters come from the
manifest of tests/bench/generate.py. Tokens are minted with MANDATES_JWT_SECRET, which the
server must share. Only 127.0.0.1/localhost URLs are accepted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx

from config.settings import Settings
from config.tokens import mint

DEFAULT_MANIFEST = Path(__file__).resolve().parents[2] / ".data" / "bench-manifest.json"
MAX_REQUESTS = 100_000  # per scenario, whatever the duration
WARM_UP = 5

TYPENAME = "{ __typename }"
DASHBOARD = """{ dashboard {
  toBeFinalised { count colour mandateId } pending { count colour mandateId } rejected { count colour mandateId } } }"""
SEARCH = """query Search($period: Quarter!) {
  mandates(filter: {statuses: [ACTIVE], groups: ["DIMONA"], period: $period}, first: 20) {
    totalCount edges { node { reference status principal { name } groups { group { code } } } } } }"""
CREATE = """mutation Create($input: CreateMandateInput!) {
  createMandate(input: $input) { mandate { reference status } userErrors { code field message rules } } }"""


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    first_failure: str | None = None
    server_cpu: float | None = None  # seconds of server CPU during the measured part
    sample: object = None
    elapsed: float = 0.0
    note: str = ""

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)] * 1000 if ordered else float("nan")


def rss_mb(pid: int | None) -> str:
    if not pid:
        return "-"
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return f"{int(line.split()[1]) / 1024:.0f} MB"
    except OSError:
        pass
    return "?"


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time the process has used so far (Linux /proc), or None."""
    if not pid:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def problem(body: dict, mutation: str | None) -> str | None:
    """Why a response is a failure, or None."""
    if body.get("errors"):
        return json.dumps(body["errors"])[:300]
    if mutation:
        payload = (body.get("data") or {}).get(mutation) or {}
        if payload.get("userErrors") or not payload.get("mandate"):
            return json.dumps(payload)[:300]
    return None


async def run_scenario(
    client: httpx.AsyncClient, result: Result, make_request, seconds: float, concurrency: int, mutation=None, pid=None
) -> Result:
    """`make_request()` gives (query, variables), or None when the scenario has run out of inputs."""

    async def one(record: bool) -> bool:
        request = make_request()
        if request is None:
            result.note = "inputs exhausted"
            return False
        query, variables = request
        started = time.perf_counter()
        try:
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            why = f"HTTP {response.status_code}" if response.status_code != 200 else problem(response.json(), mutation)
            body = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError) as error:
            why, body = f"{type(error).__name__}: {error}", None
        latency = time.perf_counter() - started
        if result.sample is None and body is not None:
            result.sample = body.get("data")
        if record:
            result.latencies.append(latency)
            if why:
                result.failures += 1
                result.first_failure = result.first_failure or why
        elif why:
            result.first_failure = result.first_failure or f"(warm-up) {why}"
        return True

    for _ in range(WARM_UP):
        await one(record=False)
    deadline = time.perf_counter() + seconds
    started, cpu_before = time.perf_counter(), cpu_seconds(pid)

    async def worker():
        while time.perf_counter() < deadline and len(result.latencies) < MAX_REQUESTS:
            if not await one(record=True):
                return

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    cpu_after = cpu_seconds(pid)
    if cpu_before is not None and cpu_after is not None:
        result.server_cpu = cpu_after - cpu_before
    return result


async def main_async(args) -> int:
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    busiest = manifest["busiest"]
    settings = Settings.from_env()
    token = mint(
        settings,
        busiest["signatory_niss"],
        "mandates:manage",
        enterprise=busiest["enterprise_number"],
        name=busiest["signatory_name"],
        minutes=120,
    )
    fresh = iter(manifest["fresh_principals"])

    def create_request():
        principal = next(fresh, None)
        if principal is None:
            return None
        return CREATE, {
            "input": {"groups": ["PMP"], "startQuarter": manifest["next_quarter"], "principalNumber": principal}
        }

    scenarios = {
        "typename": ("{ __typename }", lambda: (TYPENAME, {}), None),
        "dashboard": ("dashboard (busiest)", lambda: (DASHBOARD, {}), None),
        "search": ("search page of 20", lambda: (SEARCH, {"period": manifest["current_quarter"]}), None),
        "create": ("createMandate", create_request, "createMandate"),
    }
    chosen = [name for name in args.scenarios.split(",") if name]
    unknown = set(chosen) - set(scenarios)
    if unknown:
        print(f"load: unknown scenario(s) {sorted(unknown)}; choose among {list(scenarios)}", file=sys.stderr)
        return 2
    print(
        f"load: {args.url}, {args.seconds:g} s per scenario, concurrency {args.concurrency}; "
        f"busiest mandatary {busiest['enterprise_number']} ({busiest['mandates']} mandates); server RSS before: "
        f"{rss_mb(args.pid)}",
        flush=True,
    )
    results = []
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=args.url, headers=headers, limits=limits, timeout=60) as client:
        for name in chosen:
            label, make_request, mutation = scenarios[name]
            result = await run_scenario(
                client, Result(label), make_request, args.seconds, args.concurrency, mutation, args.pid
            )
            results.append(result)
            print(f"  {label}: {len(result.latencies)} requests, sample {json.dumps(result.sample)[:240]}", flush=True)
    # cpu ms/req: the server's own CPU per request (from /proc, with --pid): steadier than req/s on a busy machine.
    print(f"\n{'scenario':<22}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'failures':>10}{'cpu ms/req':>12}")
    for r in results:
        rate = len(r.latencies) / r.elapsed if r.elapsed else 0
        cpu = f"{r.server_cpu * 1000 / len(r.latencies):.1f}" if r.server_cpu is not None and r.latencies else "-"
        print(
            f"{r.name:<22}{len(r.latencies):>9}{rate:>9.1f}{r.percentile(0.5):>9.1f}{r.percentile(0.99):>9.1f}"
            f"{r.failures:>10}{cpu:>12}  {r.note}"
        )
    for r in results:
        if r.first_failure:
            print(f"first failure in {r.name}: {r.first_failure}")
    loadavg = Path("/proc/loadavg")
    average = " ".join(loadavg.read_text().split()[:3]) if loadavg.exists() else "-"
    print(f"server RSS after: {rss_mb(args.pid)}; load average {average}")
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "scenario": r.name,
                        "requests": len(r.latencies),
                        "rps": round(len(r.latencies) / r.elapsed, 1) if r.elapsed else 0,
                        "p50_ms": round(r.percentile(0.5), 1),
                        "p99_ms": round(r.percentile(0.99), 1),
                        "failures": r.failures,
                        "server_cpu_ms_per_request": round(r.server_cpu * 1000 / len(r.latencies), 2)
                        if r.server_cpu is not None and r.latencies
                        else None,
                    }
                    for r in results
                ],
                indent=1,
            )
        )
    return 1 if any(r.failures or not r.latencies for r in results) else 0


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m tests.bench.load", description=__doc__.split("\n\n")[0])
    cli.add_argument("--url", default="http://127.0.0.1:8765")
    cli.add_argument("--seconds", type=float, default=15)
    cli.add_argument("--concurrency", type=int, default=8)
    cli.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    cli.add_argument("--pid", type=int, help="the server's process id, to report its resident memory")
    cli.add_argument("--scenarios", default="typename,dashboard,search,create")
    cli.add_argument("--json", type=Path, help="also write the table as JSON here")
    args = cli.parse_args(argv)
    if urlparse(args.url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        print("load: only a server on this machine (127.0.0.1) is measured", file=sys.stderr)
        return 2
    if not 0 < args.seconds <= 600 or not 0 < args.concurrency <= 64:
        print("load: --seconds must be in (0, 600] and --concurrency in (0, 64]", file=sys.stderr)
        return 2
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
