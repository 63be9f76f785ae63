"""The spreadsheet export streams (issue 11, item 7): 100 000 mandates exported over HTTP, on SQLite and PostgreSQL.

    python -m tests.bench.export_stream [--mandates 100000] [--database sqlite|postgres|both]
        [--pg-url postgres://postgres@127.0.0.1:5432/io_bench] [--reuse]
    python -m tests.bench.export_stream --database sqlite|postgres --bench-manifest M --database-url URL \
        [--params statuses=CLOSED]

For each database: loads N synthetic mandates with tests/bench/generate.py (SQLite: the file
.data/bench-stream.sqlite3, recreated; PostgreSQL: the database of --pg-url, its schema recreated;
--reuse keeps what an earlier run loaded), starts `mandates serve` (uvicorn, one process), then, as
an NSSO officer (who sees every mandate), downloads a small export and then the export of every
mandate (one row a mandate group) while one client sends `{ __typename }` back to back.
It prints, per export: rows, size, the first byte and the total time, the server's CPU time (what
the export costs whatever the machine's load), the server's resident memory
before and its peak (VmHWM, reset through /proc/PID/clear_refs before each download), and the
`{ __typename }` p50/p99 during the export beside the same measure with the server idle; then
`uptime`'s load average. A flat memory means the full export peaks about where the small one does.

With --bench-manifest, the data of `make bench` (the manifest tests/bench/generate.py wrote, and a
copy of its database at --database-url: nothing is loaded or written) is exported as its busiest
mandatary's signatory sees it (at 1 000 000 mandates, `--params statuses=CLOSED` gives about 100 000
rows): the scale issue's case. The last line checks the issue's four targets: first byte < 1 s,
total < 15 s, flat memory (peak growth < 64 MiB over the small export), `{ __typename }` p99 < 200 ms
meanwhile.

Linux only (/proc). Synthetic data: fictitious enterprises and persons.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Self

import httpx
from openpyxl import load_workbook

from config.settings import ROOT, Settings
from config.tokens import mint

TODAY = "2026-11-16"  # the day tests/bench/generate.py makes its data consistent with
OFFICER_NISS = "83102078837"  # the demo officer (config/demo/personas.json)
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/io_bench"
# The scale issue's targets for the export of about 100 000 rows (issue 11, item 7).
FIRST_BYTE_S, TOTAL_S, PEAK_GROWTH_MIB, TYPENAME_P99_MS = 1.0, 15.0, 64.0, 200.0


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (peak since the last reset) of a process, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user + system): what an export costs the server, whatever the machine's load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak(pid: int) -> None:
    """Resets the process's VmHWM to its current RSS (Linux ≥ 4.0, same user)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


class Typenames:
    """One client sending `{ __typename }` back to back until stopped, keeping each latency (seconds)."""

    def __init__(self, base: str):
        self.base, self.latencies, self.stop = base, [], threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=60) as client:
            while not self.stop.is_set():
                started = time.perf_counter()
                response = client.post(f"{self.base}/graphql", json={"query": "{ __typename }"})
                self.latencies.append(time.perf_counter() - started)
                response.raise_for_status()

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.stop.set()
        self.thread.join()


def idle_typenames(base: str, seconds: float = 3.0) -> list[float]:
    with Typenames(base) as probe:
        time.sleep(seconds)
    return probe.latencies


def download(base: str, token: str, params: dict, pid: int, count_rows: bool) -> dict:
    """One export, streamed to a temporary file, with the server's memory and `{ __typename }` measured meanwhile."""
    reset_peak(pid)
    before = memory_kb(pid)["VmRSS"]
    samples, done = [], threading.Event()

    def sample():
        while not done.is_set():
            samples.append(memory_kb(pid)["VmRSS"])
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    size, first_byte, cpu = 0, None, cpu_seconds(pid)
    with (
        Typenames(base) as probe,
        tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as out,
    ):
        started = time.perf_counter()
        with httpx.stream(
            "GET",
            f"{base}/exports/mandates.xlsx",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            timeout=600,
        ) as response:
            response.raise_for_status()
            for chunk in response.iter_raw(1 << 16):
                first_byte = first_byte or time.perf_counter() - started
                out.write(chunk)
                size += len(chunk)
        seconds = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu
    done.set()
    sampler.join()
    peak = memory_kb(pid)["VmHWM"]
    rows = None
    if count_rows:
        sheet = load_workbook(out.name, read_only=True).active
        rows = sum(1 for _ in sheet.iter_rows(values_only=True)) - 1  # without the heading
    os.unlink(out.name)
    return {
        "rows": rows,
        "bytes": size,
        "seconds": seconds,
        "first_byte": first_byte,
        "cpu": cpu,
        "rss_before_kb": before,
        "peak_kb": max([peak, *samples]),
        "typename": probe.latencies,
    }


@contextlib.contextmanager
def served(env: dict[str, str], port: int, log_path: Path) -> Iterator[tuple[str, int]]:
    """`mandates serve` (uvicorn, one process) with `env` on 127.0.0.1:`port`, once it answers: its address and pid."""
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "config.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the server did not start: see {log_path}")
                time.sleep(0.3)
            yield base, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


async def _recreate_schema(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


def load(env: dict[str, str], url: str, mandates: int, manifest: Path) -> None:
    if url.startswith("sqlite://"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.removeprefix('sqlite://')}{suffix}").unlink(missing_ok=True)
    else:
        asyncio.run(_recreate_schema(url))
    print(f"== loading {mandates} mandates into {url}", flush=True)
    command = ["-m", "tests.bench.generate", "--mandates", str(mandates), "--today", TODAY, "--fresh", "0"]
    subprocess.run([sys.executable, *command, "--manifest", str(manifest)], cwd=ROOT, env=env, check=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def viewer_token(settings: Settings, loaded: dict, busiest: bool) -> str:
    """An NSSO officer's token (every mandate), or the busiest mandatary's signatory's (its own mandates)."""
    if not busiest:
        return mint(settings, OFFICER_NISS, "nsso:officer", name="Benchmark officer")
    person = loaded["busiest"]
    return mint(
        settings, person["signatory_niss"], "mandates:manage", enterprise=person["enterprise_number"], name="Signatory"
    )


def expected_rows(label: str, url: str, loaded: dict, busiest: bool, params: dict[str, str]) -> int | None:
    """The rows the export must have: every mandate group of the mandates it covers. Known from the
    manifest for an officer's unfiltered export; counted in the database for the busiest mandatary's
    (only with the `statuses` criterion, the one --params is meant for)."""
    if not busiest:
        return None if params else loaded["mandate_groups"]
    if set(params) - {"statuses"}:
        return None
    statuses = [s for s in params.get("statuses", "").split(",") if s]
    where = "e.enterprise_number = $1" + (" AND m.status = ANY($2)" if statuses else "")
    query = (
        "SELECT count(*) FROM mandate_group g JOIN mandate m ON m.id = g.mandate_id "
        f"JOIN enterprise e ON e.id = m.mandatary_id WHERE {where}"
    )
    values: list = [loaded["busiest"]["enterprise_number"], *([statuses] if statuses else [])]
    if label == "postgres":
        import asyncpg

        async def count() -> int:
            connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
            try:
                return await connection.fetchval(query, *values)
            finally:
                await connection.close()

        return asyncio.run(count())
    import sqlite3

    marks = ",".join("?" * len(statuses))
    lite = query.replace("$1", "?").replace("= ANY($2)", f"IN ({marks})")
    with contextlib.closing(sqlite3.connect(f"file:{url.removeprefix('sqlite://')}?mode=ro", uri=True)) as db:
        return db.execute(lite, [values[0], *statuses]).fetchone()[0]


def bench(label: str, url: str, args: argparse.Namespace) -> bool:
    data = ROOT / ".data"
    busiest = args.bench_manifest is not None
    manifest = args.bench_manifest or data / f"bench-stream-{label}.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MANDATES_PRODUCTION")}
    env.update(MANDATES_DATABASE_URL=url, MANDATES_CLOCK=TODAY, MANDATES_JWT_SECRET=secrets.token_hex(32))
    env.update(MANDATES_LIMIT_EXPORT_PER_MINUTE="0", MANDATES_SWEEP_INTERVAL_SECONDS="0")
    if not busiest and not (args.reuse and manifest.is_file()):
        load(env, url, args.mandates, manifest)
    loaded = json.loads(manifest.read_text(encoding="utf-8"))
    params = dict(pair.split("=", 1) for pair in args.params)
    expected = expected_rows(label, url, loaded, busiest, params)

    with served(env, free_port(), data / f"bench-stream-{label}-server.log") as (base, pid):
        token = viewer_token(replace(Settings(), jwt_secret=env["MANDATES_JWT_SECRET"]), loaded, busiest)
        idle = idle_typenames(base)
        print(f"== {label}: server pid {pid}, resident memory when idle {memory_kb(pid)['VmRSS'] / 1024:.1f} MiB")
        small = download(base, token, {"statuses": "REJECTED"}, pid, count_rows=True)
        full = download(base, token, params, pid, count_rows=True)
        load_average = Path("/proc/loadavg").read_text().split()[:3]
    print(
        f"{'export':<28}{'rows':>8}{'MiB':>7}{'1st byte s':>11}{'total s':>9}{'CPU s':>7}"
        f"{'RSS before':>12}{'peak RSS':>10}"
        f"{'typename p50/p99 ms':>21}{'requests':>9}"
    )
    print(
        f"{'(idle server)':<28}{'':>66}{ms(percentile(idle, 0.5)):>10}/{ms(percentile(idle, 0.99)):<10}{len(idle):>9}"
    )
    criteria = " ".join(args.params) or "all"
    for name, run in (
        ("small (statuses=REJECTED)", small),
        (f"busiest: {criteria}" if busiest else f"{criteria} of {loaded['mandates']} mandates", full),
    ):
        probe = run["typename"]
        print(
            f"{name:<28}{run['rows'] if run['rows'] is not None else '-':>8}{run['bytes'] / 2**20:>7.1f}"
            f"{run['first_byte']:>11.2f}{run['seconds']:>9.1f}{run['cpu']:>7.1f}"
            f"{run['rss_before_kb'] / 1024:>10.1f}Mi{run['peak_kb'] / 1024:>8.1f}Mi"
            f"{ms(percentile(probe, 0.5)):>10}/{ms(percentile(probe, 0.99)):<10}{len(probe):>9}"
        )
    ok = expected is None or full["rows"] == expected
    print(f"rows exported {full['rows']} for {expected} mandate groups: {'OK' if ok else 'MISMATCH'}")
    growth_mib = (full["peak_kb"] - small["peak_kb"]) / 1024
    p99_ms = percentile(full["typename"], 0.99) * 1000
    targets = (
        ("first byte", full["first_byte"] < FIRST_BYTE_S, f"{full['first_byte']:.2f} s < {FIRST_BYTE_S:g} s"),
        ("total", full["seconds"] < TOTAL_S, f"{full['seconds']:.1f} s < {TOTAL_S:g} s"),
        ("flat memory", growth_mib < PEAK_GROWTH_MIB, f"peak growth {growth_mib:+.1f} MiB < {PEAK_GROWTH_MIB:g} MiB"),
        ("typename p99", p99_ms < TYPENAME_P99_MS, f"{p99_ms:.0f} ms < {TYPENAME_P99_MS:g} ms"),
    )
    print(
        f"targets {label} {full['rows']} rows: "
        + "; ".join(f"{name} {shown} {'met' if met else 'MISSED'}" for name, met, shown in targets)
    )
    print(
        f"result {label} first_byte_s={full['first_byte']:.2f} total_s={full['seconds']:.1f}"
        f" server_cpu_s={full['cpu']:.1f}"
        f" peak_growth_mib={(full['peak_kb'] - small['peak_kb']) / 1024:+.1f}"
        f" typename_p99_ms={ms(percentile(full['typename'], 0.99))} idle_p99_ms={ms(percentile(idle, 0.99))}"
        f" load_average={','.join(load_average)} mean_typename_ms={ms(statistics.fmean(full['typename']))}"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m tests.bench.export_stream", description=__doc__.split("\n\n")[0])
    cli.add_argument("--mandates", type=int, default=100_000)
    cli.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    cli.add_argument(
        "--pg-url", default=DEFAULT_PG_URL, help="a database for the benchmark only: its schema is dropped"
    )
    cli.add_argument("--reuse", action="store_true", help="keep the data an earlier run loaded")
    cli.add_argument(
        "--bench-manifest", type=Path, help="export `make bench`'s data as its busiest mandatary (no loading)"
    )
    cli.add_argument("--database-url", help="with --bench-manifest: the copy of that data to read")
    cli.add_argument(
        "--params", nargs="*", default=[], help="criteria of the large export, e.g. statuses=CLOSED groups=DMFA"
    )
    args = cli.parse_args(argv)
    if args.bench_manifest and (args.database == "both" or not args.database_url):
        cli.error("--bench-manifest needs one --database and its --database-url")
    (ROOT / ".data").mkdir(exist_ok=True)
    urls = {"sqlite": f"sqlite://{ROOT / '.data' / 'bench-stream.sqlite3'}", "postgres": args.pg_url}
    if args.database_url:
        urls[args.database] = args.database_url
    chosen = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    results = [bench(label, urls[label], args) for label in chosen]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
