"""The scenarios of `make bench` measured with wrk, and the table they make (scale item 9).

    python -m tests.bench.wrk measure --url http://127.0.0.1:8140 --database sqlite --workers 1 \
        --clients 1,8,32 --pid PID --manifest M --results R [--seconds 5] [--pg-url URL]
    python -m tests.bench.wrk report R...

`measure` writes one Lua script per scenario (POST bodies, the bearer token, a check of each answer)
under .data/bench-lua/, runs wrk for every scenario at every number of clients against a running
server, and appends to the results file (JSON lines): requests per second, p50 and p99 latency, the
answers that failed, the server's CPU per request (user + system of the server process and all its
descendants, from /proc) and, on PostgreSQL, the CPU of the database's backends (from /proc, by the
pids in pg_stat_activity). `report` prints the table, each scenario's ratio to `{ __typename }` in the
same run (same database, workers and clients), then `ratio <database> <scenario> <value>` at 8 clients
and one worker.

The scenarios: `typename`; `dashboard_busiest` (the mandatary holding the most mandates) and
`dashboard_small` (an employer with a few); `search_filtered` (a page of 20, DIMONA, ACTIVE, the
current quarter) and `search_unfiltered` (a page of 20, no filter), both as the busiest mandatary with
totalCount; `node` (a mandate of the busiest mandatary with its groups and history, a different one
each time); `create` (createMandate by the busiest mandatary's signatory for a fresh employer each time);
`competence` (competentMandataries of the principal holding the most mandates among those with a DmfA
provider today, DMFA, today: one mandatary, as R-UNQ-3 allows). Tokens are minted with MANDATES_JWT_SECRET
and global ids made with MANDATES_ID_SECRET: the server shares both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from config.settings import ROOT, Settings
from config.tokens import mint
from resolvers.ids import encode_id, use_secret

LUA_DIR = ROOT / ".data" / "bench-lua"
SCENARIOS = (
    "typename",
    "dashboard_busiest",
    "dashboard_small",
    "search_filtered",
    "search_unfiltered",
    "node",
    "create",
    "competence",
)
DASHBOARD = "{ dashboard { toBeFinalised { count colour mandateId } pending { count colour mandateId } "
DASHBOARD += "rejected { count colour mandateId } } }"
PAGE = "totalCount edges { cursor node { reference status createdAt principal { name } groups { group { code } } } }"
SEARCH_FILTERED = (
    'query Search($period: Quarter!) { mandates(filter: {statuses: [ACTIVE], groups: ["DIMONA"], period: $period}, '
    f"first: 20) {{ {PAGE} }} }}"
)
SEARCH_UNFILTERED = f"{{ mandates(first: 20) {{ {PAGE} }} }}"
NODE = (
    "query Node($id: ID!) { node(id: $id) { ... on Mandate { reference status principal { name } mandatary { name } "
    "groups { group { code } startQuarter endQuarter } history { at action detail } } } }"
)
CREATE = (
    "mutation Create($input: CreateMandateInput!) { createMandate(input: $input) { mandate { reference status } "
    "userErrors { code field message } } }"
)
COMPETENCE = (
    "query Competence($principal: String!, $on: Date!) { competentMandataries(principalNumber: $principal, "
    'group: "DMFA", on: $on) { mandatary { name } role via } }'
)

# Shared by every script: answers that are not HTTP 200 with data and no GraphQL error (and, for a mutation,
# no userError) count as failures; done() prints one JSON line that `measure` reads.
LUA_TAIL = r"""
local threads = {}
counter = 0
failures = 0
first_failure = ""
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  offset = tonumber(args[1] or "0")
  nthreads = tonumber(args[2] or "1")
end
function response(status, headers, body)
  local bad = status ~= 200 or body:find('"errors"', 1, true) ~= nil or body:find('"data"', 1, true) == nil
  if MUTATION and not bad then
    bad = body:find('"userErrors":[]', 1, true) == nil
  end
  if bad then
    failures = failures + 1
    if first_failure == "" then first_failure = (status .. " " .. body:sub(1, 300)):gsub('[%c"\\]', " ") end
  end
end
function done(summary, latency, requests)
  local failed, first = 0, ""
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    if first == "" then first = thread:get("first_failure") end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "failures": %d, ' ..
    '"socket_errors": %d, "first_failure": "%s"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    failed + e.connect + e.read + e.write + e.status + e.timeout, e.connect + e.read + e.write + e.timeout,
    first))
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for this ASCII text


def body(query: str, variables: dict | None = None) -> str:
    return json.dumps({"query": query, "variables": variables or {}}, separators=(",", ":"))


def script(token: str, bodies: list[str] | None = None, dynamic: str = "", mutation: bool = False) -> str:
    """A wrk script: a fixed body, bodies taken in turn, or a `dynamic` Lua expression of `n` for the body."""
    head = [
        'wrk.method = "POST"',
        'wrk.headers["Content-Type"] = "application/json"',
        f'wrk.headers["Authorization"] = "Bearer {token}"',
        f"MUTATION = {'true' if mutation else 'false'}",
    ]
    if dynamic:
        head.append(
            f"function request()\n  local n = offset + id + nthreads * counter\n  counter = counter + 1\n"
            f"  return wrk.format(nil, nil, nil, {dynamic})\nend"
        )
    elif bodies and len(bodies) > 1:
        head.append("bodies = {" + ",\n".join(lua_string(b) for b in bodies) + "}")
        head.append(
            "function request()\n  local n = offset + id + nthreads * counter\n  counter = counter + 1\n"
            "  return wrk.format(nil, nil, nil, bodies[n % #bodies + 1])\nend"
        )
    else:
        head.append(f"wrk.body = {lua_string((bodies or [''])[0])}")
    return "\n".join(head) + "\n" + LUA_TAIL


def scripts(manifest: dict, settings: Settings) -> dict[str, Path]:
    busiest, small = manifest["busiest"], manifest["small_employer"]
    crowded = manifest["crowded_principal"]

    def token(person: dict, name: str | None = None) -> str:
        return mint(
            settings,
            person["signatory_niss"],
            "mandates:manage",
            enterprise=person["enterprise_number"],
            name=name,
            minutes=12 * 60 - 20,
        )  # the longest a token may live, less a margin

    provider = token(busiest, busiest["signatory_name"])
    fresh = manifest["fresh_principals"]
    create_template = body(
        CREATE, {"input": {"groups": ["PMP"], "startQuarter": manifest["next_quarter"], "principalNumber": "NUMBER"}}
    )
    before, after = create_template.split("NUMBER")
    # The n-th fresh employer's CBE number: its base, then 97 - base mod 97 (R-ENT-7).
    base = f"{fresh['first_base']} + n % {fresh['count']}"
    number = f"(function(b) return string.format('%08d%02d', b, 97 - b % 97) end)({base})"
    texts = {
        "typename": script(provider, [body("{ __typename }")]),
        "dashboard_busiest": script(provider, [body(DASHBOARD)]),
        "dashboard_small": script(token(small), [body(DASHBOARD)]),
        "search_filtered": script(provider, [body(SEARCH_FILTERED, {"period": manifest["current_quarter"]})]),
        "search_unfiltered": script(provider, [body(SEARCH_UNFILTERED)]),
        "node": script(provider, [body(NODE, {"id": encode_id("Mandate", i)}) for i in busiest["sample_mandate_ids"]]),
        "create": script(provider, dynamic=f"{lua_string(before)} .. {number} .. {lua_string(after)}", mutation=True),
        "competence": script(
            token(crowded), [body(COMPETENCE, {"principal": crowded["enterprise_number"], "on": manifest["today"]})]
        ),
    }
    LUA_DIR.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, text in texts.items():
        paths[name] = LUA_DIR / f"{name}.lua"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of a process and all its live descendants."""
    parents, times = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            times[int(entry.name)] = int(fields[11]) + int(fields[12])
    family, changed = {root}, True
    while changed:
        grown = family | {pid for pid, parent in parents.items() if parent in family}
        changed, family = grown != family, grown
    return sum(times.get(pid, 0) for pid in family) / os.sysconf("SC_CLK_TCK")


class Backends:
    """The CPU of the PostgreSQL backends serving the bench database (same machine), by pid."""

    def __init__(self, url: str | None):
        self.url = url.replace("postgres://", "postgresql://", 1) if url else None

    def sample(self) -> dict[int, int]:
        return asyncio.run(self.sample_async())

    async def sample_async(self) -> dict[int, int]:
        """The same, from a running event loop (tests/bench/page_cpu.py)."""
        if not self.url:
            return {}
        import asyncpg

        connection = await asyncpg.connect(self.url)
        try:
            rows = await connection.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        finally:
            await connection.close()
        ticks = {}
        for pid in [row["pid"] for row in rows]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks[pid] = int(fields[11]) + int(fields[12])
            except OSError:
                continue  # not on this machine, or gone
        return ticks

    @staticmethod
    def seconds(before: dict[int, int], after: dict[int, int]) -> float:
        return sum(t - before.get(pid, 0) for pid, t in after.items()) / os.sysconf("SC_CLK_TCK")


def settle(pid: int, backends: Backends, limit: float = 90) -> float:
    """Waits until the server and its database are idle (under 10 % of a core for half a second): what a run
    left queued (wrk stops, the server finishes the requests it took) must not be charged to the next one."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        cpu, pg = tree_cpu(pid), backends.sample()
        time.sleep(0.5)
        if tree_cpu(pid) - cpu + Backends.seconds(pg, backends.sample()) < 0.05:
            break
    return time.perf_counter() - started


def run_wrk(url: str, script_path: Path, clients: int, seconds: float, offset: int) -> dict:
    threads = 1 if clients == 1 else 2
    command = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(clients),
        "-d",
        f"{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(script_path),
        f"{url}/graphql",
        "--",
        str(offset),
        str(threads),
    ]
    completed = subprocess.run(command, check=False, capture_output=True, text=True, timeout=seconds + 60)
    for line in completed.stdout.splitlines():
        if line.startswith("BENCHJSON "):
            return json.loads(line.removeprefix("BENCHJSON "))
    raise SystemExit(f"wrk gave no figures: {completed.stdout[-500:]} {completed.stderr[-500:]}")


def measure(args) -> int:
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    settings = Settings.from_env()
    if settings.id_secret:
        use_secret(settings.id_secret)
    paths = scripts(manifest, settings)
    backends = Backends(args.pg_url)
    offsets = args.results.with_suffix(".create-offset")
    offset = int(offsets.read_text()) if offsets.exists() else 0
    chosen = [s for s in args.scenarios.split(",") if s]
    for scenario in chosen:  # warm-up: caches, connections, the first statements' plans
        warm = run_wrk(args.url, paths[scenario], 2, 1, offset)
        offset += 2 * warm["requests"] + 10 if scenario == "create" else 0
    for clients in [int(c) for c in args.clients.split(",")]:
        for scenario in chosen:
            waited = settle(args.pid, backends)
            cpu_before, pg_before = tree_cpu(args.pid), backends.sample()
            figures = run_wrk(args.url, paths[scenario], clients, args.seconds, offset)
            cpu, pg = tree_cpu(args.pid) - cpu_before, Backends.seconds(pg_before, backends.sample())
            if scenario == "create":
                offset += 2 * figures["requests"] + 10  # threads take every other number, at their own pace
                offsets.write_text(str(offset))
            done = figures["requests"]
            row = {
                "database": args.database,
                "workers": args.workers,
                "clients": clients,
                "scenario": scenario,
                "requests": done,
                "rps": round(max(0, done - figures["failures"]) / (figures["duration_us"] / 1e6), 1),  # answered well
                "p50_ms": round(figures["p50_us"] / 1000, 2),
                "p99_ms": round(figures["p99_us"] / 1000, 2),
                "failures": figures["failures"],
                "first_failure": figures["first_failure"],
                "server_cpu_ms": round(cpu * 1000 / done, 2) if done else None,
                "database_cpu_ms": round(pg * 1000 / done, 2) if done and args.pg_url else None,
                "load_average": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
                "settled_s": round(waited, 1),  # the wait for the previous run's backlog (at most 90 s)
            }
            with args.results.open("a", encoding="utf-8") as out:
                out.write(json.dumps(row) + "\n")
            print(line(row, None), flush=True)
    offsets.write_text(str(offset))
    return 0


HEADER = (
    f"{'database':<9}{'workers':>8}{'clients':>8}  {'scenario':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
    f"{'cpu ms':>8}{'db ms':>8}{'ratio':>7}{'failed':>8}  load"
)


def line(row: dict, ratio: float | None) -> str:
    def figure(value, width, digits=1):
        return f"{value:>{width}.{digits}f}" if isinstance(value, int | float) else f"{'-':>{width}}"

    return (
        f"{row['database']:<9}{row['workers']:>8}{row['clients']:>8}  {row['scenario']:<18}{figure(row['rps'], 9)}"
        f"{figure(row['p50_ms'], 9)}{figure(row['p99_ms'], 9)}{figure(row['server_cpu_ms'], 8, 2)}"
        f"{figure(row['database_cpu_ms'], 8, 2)}{figure(ratio, 7, 3)}{row['failures']:>8}  {row['load_average']}"
    )


def report(args) -> int:
    rows = [json.loads(text) for path in args.results if path.exists() for text in path.read_text().splitlines()]
    floor = {(r["database"], r["workers"], r["clients"]): r["rps"] for r in rows if r["scenario"] == "typename"}

    def ratio(row: dict) -> float | None:
        base = floor.get((row["database"], row["workers"], row["clients"]))
        return row["rps"] / base if base else None

    print(HEADER)
    for row in rows:
        print(line(row, ratio(row)))
    for row in rows:
        if row["first_failure"]:
            print(
                f"first failure {row['database']} {row['workers']}w {row['clients']}c {row['scenario']}: "
                f"{row['first_failure'][:200]}"
            )
    print()
    for row in rows:
        if row["workers"] == 1 and row["clients"] == 8 and row["scenario"] != "typename":
            value = ratio(row)
            print(
                f"ratio {row['database']} {row['scenario']} {value:.3f}"
                if value is not None
                else f"ratio {row['database']} {row['scenario']} -"
            )
    return 0


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m tests.bench.wrk", description=__doc__.split("\n\n")[0])
    commands = cli.add_subparsers(dest="command", required=True)
    run = commands.add_parser("measure")
    run.add_argument("--url", required=True)
    run.add_argument("--database", required=True)
    run.add_argument("--workers", type=int, required=True)
    run.add_argument("--clients", default="1,8,32")
    run.add_argument("--seconds", type=float, default=5)
    run.add_argument("--pid", type=int, required=True, help="the server's process id (its descendants count too)")
    run.add_argument("--pg-url", help="the PostgreSQL database, to measure its backends' CPU")
    run.add_argument("--manifest", type=Path, required=True)
    run.add_argument("--results", type=Path, required=True)
    run.add_argument("--scenarios", default=",".join(SCENARIOS))
    table = commands.add_parser("report")
    table.add_argument("results", type=Path, nargs="+")
    args = cli.parse_args(argv)
    if args.command == "report":
        return report(args)
    started = time.perf_counter()
    status = measure(args)
    print(f"wrk: {args.database}, {args.workers} worker(s) measured in {time.perf_counter() - started:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
