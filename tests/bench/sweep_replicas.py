"""The sweep across replicas, and request latency while it runs (operations item 2). Prints figures.

    python -m tests.bench.sweep_replicas --template observe_bench_tpl --database observe_bench [--replicas 3] [--day
    2027-03-16]

The template database holds data made by `python -m tests.bench.generate` (consistent with its
--today); each scenario runs on a fresh copy of it (CREATE DATABASE ... TEMPLATE), with a clock
--day far enough ahead that thousands of mandates are due:

- alone:  one process sweeps (resolvers.sweep.sweep);
- before: --replicas processes sweep at once without a lock, as every server process did;
- after:  --replicas processes run config.sweeper.sweep_once (the advisory lock): one sweeps.
- latency: GET /readyz (the serving loop and its pool) while a sweep runs on the serving event loop
  (as before), in a thread of the server with its own loop and Tortoise context, or in a process of
  its own (config.sweeper.Sweeper, now), against a baseline without a sweep.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict

import asyncpg

from config.catalogue import load_catalogue
from config.clock import Clock
from config.database import close_database, open_database
from config.settings import Settings

CATALOGUE = load_catalogue(Settings().catalogue_path)  # names the groups in the sweep's notifications

SERVER = "postgres://postgres@127.0.0.1:5432"


async def _fresh_copy(server: str, template: str, database: str) -> str:
    connection = await asyncpg.connect(f"{server}/postgres")
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        await connection.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')
    finally:
        await connection.close()
    return f"{server}/{database}"


def worker(mode: str, url: str, day: dt.date) -> None:
    """One replica's run: prints {"seconds": ..., "report": ...} (report null when it skipped)."""
    from config.sweeper import sweep_once
    from resolvers.sweep import sweep

    async def run():
        await open_database(url)
        try:
            begin = time.perf_counter()
            report = await (sweep(Clock(day), CATALOGUE) if mode == "plain" else sweep_once(Clock(day), url, CATALOGUE))
            return {"seconds": round(time.perf_counter() - begin, 2), "report": asdict(report) if report else None}
        finally:
            await close_database()

    print(json.dumps(asyncio.run(run())))


def replicas(args, mode: str, count: int) -> None:
    url = asyncio.run(_fresh_copy(args.server, args.template, args.database))
    command = [
        sys.executable,
        "-m",
        "tests.bench.sweep_replicas",
        "--worker",
        mode,
        "--url",
        url,
        "--day",
        args.day.isoformat(),
    ]
    begin = time.perf_counter()
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) for _ in range(count)
    ]
    results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in processes]
    wall = time.perf_counter() - begin
    print(f"{mode:>6} x{count}: wall {wall:6.2f} s")
    for result in results:
        report = result["report"]
        changed = (
            "skipped (lock held elsewhere)" if report is None else ", ".join(f"{k} {v}" for k, v in report.items())
        )
        print(f"          one process {result['seconds']:6.2f} s: {changed}")


async def _latency(url: str, day: dt.date, mode: str) -> dict:
    import httpx
    from tortoise.context import TortoiseContext

    from config.asgi import create_app
    from config.database import tortoise_config
    from config.settings import Settings
    from resolvers.sweep import sweep

    await open_database(url)
    app = create_app(Settings(database_url=url), Clock(day), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:

        async def sample(until) -> list[float]:
            times = []
            while not until():
                begin = time.perf_counter()
                assert (await client.get("/readyz")).status_code == 200
                times.append((time.perf_counter() - begin) * 1000)
            return times

        deadline = time.perf_counter() + 3
        baseline = await sample(lambda: time.perf_counter() > deadline)
        begin = time.perf_counter()
        if mode == "loop":
            task = asyncio.create_task(sweep(Clock(day), CATALOGUE))
            during = await sample(task.done)
        elif mode == "process":
            command = [
                sys.executable,
                "-m",
                "tests.bench.sweep_replicas",
                "--worker",
                "locked",
                "--url",
                url,
                "--day",
                day.isoformat(),
            ]
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            during = await sample(lambda: process.poll() is not None)
        else:  # a thread with its own event loop and Tortoise context (connections are per context)

            async def in_thread():
                async with TortoiseContext() as context:
                    await context.init(config=tortoise_config(url))
                    await sweep(Clock(day), CATALOGUE)

            thread = threading.Thread(target=lambda: asyncio.run(in_thread()))
            thread.start()
            during = await sample(lambda: not thread.is_alive())
        seconds = time.perf_counter() - begin
    await close_database()

    def figures(times: list[float]) -> str:
        ordered = sorted(times)
        return (
            f"n {len(times):5d}  p50 {statistics.median(ordered):6.1f}"
            f" ms  p99 {ordered[int(len(ordered) * 0.99)]:7.1f} ms  max {ordered[-1]:7.1f} ms"
        )

    return {"mode": mode, "sweep_seconds": round(seconds, 2), "baseline": figures(baseline), "during": figures(during)}


def latency(args, mode: str) -> None:
    url = asyncio.run(_fresh_copy(args.server, args.template, args.database))
    result = asyncio.run(_latency(url, args.day, mode))
    where = {"loop": "the serving loop", "thread": "a thread of the server", "process": "a process of its own"}[mode]
    print(f"latency, sweep on {where} ({result['sweep_seconds']} s):")
    print(f"          without a sweep  {result['baseline']}")
    print(f"          during the sweep {result['during']}")


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m tests.bench.sweep_replicas", description=__doc__.split("\n\n")[0])
    cli.add_argument("--server", default=SERVER)
    cli.add_argument("--template", default="observe_bench_tpl")
    cli.add_argument("--database", default="observe_bench")
    cli.add_argument("--replicas", type=int, default=3)
    cli.add_argument("--day", type=dt.date.fromisoformat, default=dt.date(2027, 3, 16), help="the sweep's today")
    cli.add_argument("--worker", choices=("plain", "locked"), help=argparse.SUPPRESS)
    cli.add_argument("--url", help=argparse.SUPPRESS)
    cli.add_argument("--scenarios", default="alone,before,after,loop,thread,process", help="which of them to run")
    args = cli.parse_args(argv)
    if args.worker:
        worker(args.worker, args.url, args.day)
        return 0
    scenarios = {
        "alone": lambda: replicas(args, "plain", 1),
        "before": lambda: replicas(args, "plain", args.replicas),
        "after": lambda: replicas(args, "locked", args.replicas),
        "loop": lambda: latency(args, "loop"),
        "thread": lambda: latency(args, "thread"),
        "process": lambda: latency(args, "process"),
    }
    for name in args.scenarios.split(","):
        scenarios[name]()
    return 0


if __name__ == "__main__":
    sys.exit(main())
