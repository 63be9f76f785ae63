"""The sweep runs once across every replica and worker, off the serving event loop (R-EXP-2).

Once: a run holds, for its whole duration, PostgreSQL's session advisory lock `pg_try_advisory_lock`
(on its own connection) or, on SQLite, an exclusive `flock` on a file next to the database; a process
that finds it held skips that run. Off the loop: the server sweeps in a thread of its own with its own
event loop and its own Tortoise context (connections are per context), so a long sweep does not stall
requests (tests/bench/sweep_replicas.py measures both). `mandates sweep` takes the same lock.
MANDATES_SWEEP_INTERVAL_SECONDS=0 leaves the sweep to `mandates sweep` run from a timer.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import asdict
from pathlib import Path

import asyncpg
from tortoise.context import TortoiseContext

from config import metrics
from config.clock import Clock
from config.database import tortoise_config
from config.logging import tagged
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
        with open(Path(database_url.removeprefix("sqlite://")).with_suffix(".sweep-lock"), "a") as file:
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


async def sweep_once(clock: Clock, database_url: str) -> SweepReport | None:
    """One run under the lock, logged and counted with what it changed; None when another process held it."""
    with tagged(f"sweep-{uuid.uuid4().hex[:12]}"):
        begin = time.perf_counter()
        try:
            async with exclusive(database_url) as held:
                if not held:
                    log.info("sweep skipped: another process is sweeping")
                    metrics.sweep_ran("skipped")
                    return None
                report = await sweep(clock)
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
    """The server's periodic sweep: a thread with its own event loop and Tortoise context."""

    def __init__(self, clock: Clock, database_url: str, interval: int):
        self.clock, self.database_url, self.interval = clock, database_url, interval
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), name="mandates-sweep", daemon=True)

    def start(self) -> None:
        """Returns once the thread's connections are open. Called before the server takes requests:
        opening a Tortoise context initialises the (shared) model classes again."""
        self._thread.start()
        self._ready.wait()
        if self._failure is not None:
            raise self._failure

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)

    async def _run(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        async with TortoiseContext() as context:
            try:
                await context.init(config=tortoise_config(self.database_url))
            except BaseException as error:
                self._failure = error
                raise
            finally:
                self._ready.set()
            while not self._stop.is_set():
                with contextlib.suppress(Exception):  # logged by sweep_once; retried at the next interval
                    await sweep_once(self.clock, self.database_url)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), self.interval)
