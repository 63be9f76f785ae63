"""The spreadsheet export keeps the server's memory flat (R-SRCH-5): 100 000 mandates exported over HTTP.

    python -m tests.bench.export_memory [--mandates 100000] [--database-url URL] [--reuse]

Loads N synthetic mandates with tests/bench/generate.py (SQLite file .data/bench-export.sqlite3,
recreated, unless --database-url names another empty database; --reuse keeps what an earlier run
loaded), starts `mandates serve` (uvicorn, one process), then, as an NSSO officer (who sees every
mandate), downloads first a small export and then the export of every mandate, one row a mandate
group. It prints the server's resident memory (VmRSS) before, and its peak (VmHWM, reset with
/proc/PID/clear_refs before each download) during each download, and checks the workbook's rows.
A flat memory means the 100 000-mandate export peaks about where the small one does.
Linux only (/proc). Synthetic data: fictitious enterprises and persons.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
from openpyxl import load_workbook

from config.settings import ROOT, Settings
from config.tokens import mint

TODAY = "2026-11-16"  # the day tests/bench/generate.py makes its data consistent with
OFFICER_NISS = "83102078837"  # the demo officer (config/demo/personas.json)


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (peak since the last reset) of a process, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> None:
    """Resets the process's VmHWM to its current RSS (Linux ≥ 4.0, same user)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def download(base: str, token: str, params: dict, pid: int) -> dict:
    """One export, streamed to a temporary file, with the server's memory sampled meanwhile."""
    reset_peak(pid)
    before = memory_kb(pid)["VmRSS"]
    samples, done = [], threading.Event()

    def sample():
        while not done.is_set():
            samples.append(memory_kb(pid)["VmRSS"])
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    size = 0
    first_byte = None
    with (
        tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as out,
        httpx.stream(
            "GET",
            f"{base}/exports/mandates.xlsx",
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            timeout=600,
        ) as response,
    ):
        response.raise_for_status()
        for chunk in response.iter_bytes(1 << 16):
            first_byte = first_byte or time.perf_counter() - started
            out.write(chunk)
            size += len(chunk)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    peak = memory_kb(pid)["VmHWM"]
    sheet = load_workbook(out.name, read_only=True).active
    rows = sum(1 for _ in sheet.iter_rows(values_only=True)) - 1  # without the heading
    os.unlink(out.name)
    return {
        "rows": rows,
        "bytes": size,
        "seconds": seconds,
        "first_byte": first_byte,
        "rss_before_kb": before,
        "peak_kb": max([peak, *samples]),
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


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m tests.bench.export_memory", description=__doc__.split("\n\n")[0])
    cli.add_argument("--mandates", type=int, default=100_000)
    cli.add_argument("--database-url", help="an empty database (default: .data/bench-export.sqlite3, recreated)")
    cli.add_argument("--reuse", action="store_true", help="keep the data an earlier run loaded")
    args = cli.parse_args(argv)

    data = ROOT / ".data"
    data.mkdir(exist_ok=True)
    sqlite = data / "bench-export.sqlite3"
    url = args.database_url or f"sqlite://{sqlite}"
    manifest = data / "bench-export-manifest.json"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MANDATES_PRODUCTION")}
    env.update(MANDATES_DATABASE_URL=url, MANDATES_CLOCK=TODAY, MANDATES_JWT_SECRET=secrets.token_hex(32))

    if not (args.reuse and manifest.is_file()):
        if not args.database_url:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        print(f"== loading {args.mandates} mandates into {url}", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.bench.generate",
                "--mandates",
                str(args.mandates),
                "--today",
                TODAY,
                "--fresh",
                "0",
                "--manifest",
                str(manifest),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
    loaded = json.loads(manifest.read_text(encoding="utf-8"))

    with served(env, free_port(), data / "bench-export-server.log") as (base, pid):
        time.sleep(2)  # the start-up sweep
        settings = replace(Settings(), jwt_secret=env["MANDATES_JWT_SECRET"])
        token = mint(settings, OFFICER_NISS, "nsso:officer", name="Benchmark officer")
        idle = memory_kb(pid)["VmRSS"]
        print(f"== server pid {pid}, resident memory when idle: {idle / 1024:.1f} MiB", flush=True)

        small = download(base, token, {"statuses": "REJECTED"}, pid)
        full = download(base, token, {}, pid)
        again = download(base, token, {}, pid)
        groups = loaded["mandate_groups"]
        print(
            f"{'export':<34}{'rows':>9}{'MiB':>8}{'seconds':>9}{'1st byte':>10}{'RSS before':>12}{'peak RSS':>10}"
            f"{'peak - before':>15}"
        )
        for label, run in (
            ("small (statuses=REJECTED)", small),
            (f"all {loaded['mandates']} mandates", full),
            ("all, again", again),
        ):
            print(
                f"{label:<34}{run['rows']:>9}{run['bytes'] / 2**20:>8.1f}{run['seconds']:>9.1f}"
                f"{run['first_byte']:>10.1f}"
                f"{run['rss_before_kb'] / 1024:>10.1f}Mi{run['peak_kb'] / 1024:>8.1f}"
                f"Mi{(run['peak_kb'] - run['rss_before_kb']) / 1024:>13.1f}Mi"
            )
        ok = full["rows"] == groups == again["rows"]
        growth = (full["peak_kb"] - small["peak_kb"]) / 1024
        print(f"rows exported {full['rows']} for {groups} mandate groups: {'OK' if ok else 'MISMATCH'}")
        print(
            f"peak of the full export minus peak of the small one: {growth:+.1f}"
            f" MiB ({dt.datetime.now():%Y-%m-%d %H:%M})"
        )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
