"""The sweep runs once across every replica and worker, off the serving event loop (R-EXP-2).

Once: a run holds, for its whole duration, PostgreSQL's session advisory lock `pg_try_advisory_lock`
(on its own connection) or, on SQLite, an exclusive `flock` on a file next to the database; a process
that finds it held skips that run. Off the serving loop: `mandates serve` starts one sweeper process
(one per server, whatever its workers) with its own event loop and connections, so a sweep neither
stalls requests between its awaits nor dies with a worker. tests/bench/sweep_replicas.py measured
request latency during a sweep of 1,544 changes on the serving loop, in a thread of the server (its
own loop and Tortoise context, the GIL shared with the serving loop: the slowest sweep and the worst
99th percentile in every run) and in a process (the best median; on a 2-core machine shared with
other work the tail is within noise of the loop). `mandates sweep` takes the same lock;
MANDATES_SWEEP_INTERVAL_SECONDS=0 leaves the sweep to it, run from a timer.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import multiprocessing
import os
import signal
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict

import asyncpg

from config import metrics
from config.catalogue import load_catalogue
from config.clock import Clock
from config.database import close_database, open_database
from config.delivery import Worker
from config.logging import configure_logging, tagged
from config.settings import Settings
from models.catalogue import Catalogue
from resolvers.languages import use_default_language
from resolvers.sweep import SweepReport, sweep

log = logging.getLogger("mandates.sweep")

LOCK_KEY = 0x6D616E64_73776570  # "mandswep": the sweep's advisory lock, one per database


@contextlib.asynccontextmanager
async def exclusive(database_url: str) -> AsyncIterator[bool]:
    """Whether this process holds the sweep's lock, held until the block ends."""
    if database_url.startswith(("postgres://", "postgresql://")):
        connection = await asyncpg.connect(database_url.split("?", 1)[0])
        try:
            held = await connection.fetchval("SELECT pg_try_advisory_lock($1)", LOCK_KEY)
            try:
                yield held
            finally:
                if held:
                    await connection.execute("SELECT pg_advisory_unlock($1)", LOCK_KEY)
        finally:
            await connection.close()
    elif database_url.startswith("sqlite://") and not database_url.startswith("sqlite://:memory:"):
        with open(f"{database_url.removeprefix('sqlite://')}.sweep-lock", "a") as file:  # noqa: ASYNC230 (a local lock file)
            try:
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(file, fcntl.LOCK_UN)
    else:
        yield True  # an in-memory database lives in one process only


async def sweep_once(clock: Clock, database_url: str, catalogue: Catalogue) -> SweepReport | None:
    """One run under the lock, logged and counted with what it changed; None when another process held it."""
    with tagged(f"sweep-{uuid.uuid4().hex[:12]}"):
        begin = time.perf_counter()
        try:
            async with exclusive(database_url) as held:
                if not held:
                    log.info("sweep skipped: another process is sweeping")
                    metrics.sweep_ran("skipped")
                    return None
                report = await sweep(clock, catalogue)
        except Exception:
            log.exception("sweep failed")
            metrics.sweep_ran("failed")
            raise
        seconds = time.perf_counter() - begin
        changes = asdict(report)
        log.info("sweep", extra={"fields": {**changes, "duration_ms": round(seconds * 1000, 1)}})
        metrics.sweep_ran("done", changes, seconds)
        return report


class Sweeper:
    """The server's background process, started by `mandates serve` (one per server, whatever its number
    of workers): the periodic sweep and the outbox's delivery worker (config/delivery.py), off the
    serving loop. The delivery needs no lock of its own: its claims take each message once across
    processes and replicas (resolvers/outbox.py)."""

    def __init__(self, settings: Settings):
        context = multiprocessing.get_context("spawn")
        self._process = context.Process(
            target=_sweep_forever, args=(settings, os.getpid()), name="mandates-sweep", daemon=True
        )

    def start(self) -> None:
        self._process.start()

    def stop(self) -> None:
        """SIGTERM: the sweeper ends after the run under way (each change is its own transaction)."""
        self._process.terminate()
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def _sweep_forever(settings: Settings, server: int) -> None:
    """The background process: a sweep every MANDATES_SWEEP_INTERVAL_SECONDS and a delivery run every
    MANDATES_DELIVERY_INTERVAL_SECONDS (each when not 0), until the server stops it or ends."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group: the server stops it
    configure_logging()
    use_default_language(settings.default_language)  # a spawned process: the sweep's notices need it too

    def pause(seconds: float) -> bool:
        """Waits for the next run; True when the process should end instead."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if stop.wait(min(left, 1.0)) or os.getppid() != server:
                return True
        return stop.is_set()

    async def every(seconds: float, job: Callable[[], Awaitable[object]]) -> None:
        while not stop.is_set():
            with contextlib.suppress(Exception):  # logged by the job; retried at the next interval
                await job()
            if await asyncio.to_thread(pause, seconds):
                return

    async def run() -> None:
        catalogue = load_catalogue(settings.catalogue_path)
        await open_database(settings.database_url, settings.database_busy_seconds, settings.database_pool)
        try:
            jobs = []
            if settings.sweep_interval_seconds > 0:
                clock = Clock(settings.clock)
                jobs.append(
                    every(settings.sweep_interval_seconds, lambda: sweep_once(clock, settings.database_url, catalogue))
                )
            if settings.delivery_interval_seconds > 0:
                jobs.append(
                    every(settings.delivery_interval_seconds, Worker(settings, Clock(settings.clock)).run_logged)
                )
            await asyncio.gather(*jobs)
        finally:
            await close_database()
            metrics.process_ended()

    asyncio.run(run())
