"""Server CPU per request of `make bench`'s scenarios, in process, against a generated database.

    python -m tests.bench.page_cpu --manifest .data/bench-sqlite-manifest.json [--requests 300] [--profile node]

Sends tests/bench/wrk.py's bodies (typename, search_filtered, search_unfiltered, node, competence, create: the
same queries, tokens and ids) through the whole ASGI app with raw ASGI messages (no network, no client library),
one at a time, and prints each scenario's process CPU per request after a warm-up, its ratio to `{ __typename }`
(the cost `make bench` divides by, without wrk and the kernel's share) and the statements it sent per request
(counted on Tortoise's query log in a separate run, as logging costs CPU). With --profile SCENARIO, prints that
scenario's cProfile (cumulative CPU time, or PAGE_CPU_PROFILE_ORDER=tottime) instead, to find what dominates.
PostgreSQL's backends' CPU is not in the process's: it is printed beside it, read from /proc as wrk.py does (same
machine); SQLite's is in the process's, as it runs there.

`create` WRITES to the database: a mandate for a fresh employer per request, as wrk.py makes them, but taken from
the other end of the manifest's fresh employers (wrk.py takes them from the start) and remembered in a file beside
the manifest (`<manifest>.page-cpu-create`), so that no two runs name the same employer. Run it on a copy.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import json
import logging
import os
import pstats
import time
from dataclasses import replace
from pathlib import Path
from typing import Self

from config.asgi import create_app
from config.database import close_database, open_database
from config.settings import Settings
from config.tokens import mint
from resolvers.ids import encode_id, use_secret
from tests.bench import wrk
from tests.bench.validation_cache import request

SECRET = "page-cpu-bench-secret-000000000000000000000"
PROFILE_ORDER = os.environ.get("PAGE_CPU_PROFILE_ORDER", "cumulative")  # or tottime: where the time is spent
WARM_UP, COUNTED = 20, 10  # requests before the measure (caches, plans), and after it with the statements counted


async def answered(app, body: bytes, headers: list[tuple[bytes, bytes]], name: str) -> None:
    parts: list[bytes] = []
    check(name, await request(app, body, headers, parts), parts)


def check(name: str, status: int, parts: list[bytes]) -> None:
    """The answer of a request that must succeed: HTTP 200, data, no GraphQL error, no userError (as wrk.py's
    scripts check)."""
    answer = json.loads(b"".join(parts))
    data = answer.get("data") or {}
    if (
        status != 200
        or "errors" in answer
        or not data
        or any(isinstance(field, dict) and field.get("userErrors") for field in data.values())
    ):
        raise SystemExit(f"{name}: {status} {answer}")


class Statements(logging.Handler):
    """Counts the statements Tortoise sends (its clients log each at DEBUG on `tortoise.db_client`)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def __enter__(self) -> Self:
        logger = logging.getLogger("tortoise.db_client")
        self.logger_level = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logger = logging.getLogger("tortoise.db_client")
        logger.removeHandler(self)
        logger.setLevel(self.logger_level)


def fresh_number(fresh: dict, n: int) -> str:
    """The n-th fresh employer's CBE number, as wrk.py's create script writes it (R-ENT-7)."""
    base = fresh["first_base"] + n % fresh["count"]
    return f"{base:08d}{97 - base % 97:02d}"


def creations(manifest: dict, manifest_path: Path, count: int) -> list[bytes]:
    """`count` createMandate bodies for employers no earlier run named, from the last fresh one down."""
    fresh, used_file = manifest["fresh_principals"], manifest_path.with_name(manifest_path.name + ".page-cpu-create")
    used = int(used_file.read_text()) if used_file.exists() else 0
    if used + count > fresh["count"] // 2:  # wrk.py takes them from the start: stay in the upper half
        raise SystemExit(f"create: the fresh employers of {manifest_path} are used up (remove {used_file})")
    used_file.write_text(str(used + count))
    return [
        wrk.body(
            wrk.CREATE,
            {
                "input": {
                    "groups": ["PMP"],
                    "startQuarter": manifest["next_quarter"],
                    "principalNumber": fresh_number(fresh, fresh["count"] - 1 - used - i),
                }
            },
        ).encode()
        for i in range(count)
    ]


def bodies(manifest: dict, principal: str) -> dict[str, list[bytes]]:
    busiest = manifest["busiest"]
    ids = busiest["sample_mandate_ids"]
    on = manifest["today"]
    return {
        "typename": [wrk.body("{ __typename }").encode()],
        "search_filtered": [wrk.body(wrk.SEARCH_FILTERED, {"period": manifest["current_quarter"]}).encode()],
        "search_unfiltered": [wrk.body(wrk.SEARCH_UNFILTERED).encode()],
        "node": [wrk.body(wrk.NODE, {"id": encode_id("Mandate", i)}).encode() for i in ids],
        "competence": [wrk.body(wrk.COMPETENCE, {"principal": principal, "on": on}).encode()],
    }


async def main(
    manifest_path: Path,
    requests: int,
    profile: str | None,
    only: list[str],
    database_url: str | None,
    principal: str | None,
) -> None:
    manifest = json.loads(manifest_path.read_text())
    settings = replace(
        Settings.from_env(), jwt_secret=SECRET, id_secret=SECRET, limit_search_per_minute=0, limit_concurrent=1000
    )
    use_secret(settings.id_secret)
    busiest, crowded = manifest["busiest"], manifest["crowded_principal"]
    asker = {"enterprise_number": principal, "signatory_niss": crowded["signatory_niss"]} if principal else crowded

    def headers(person: dict) -> list[tuple[bytes, bytes]]:
        token = mint(
            settings, person["signatory_niss"], "mandates:manage", enterprise=person["enterprise_number"], minutes=60
        )
        return [(b"content-type", b"application/json"), (b"authorization", f"Bearer {token}".encode())]

    as_provider, as_principal = headers(busiest), headers(asker)
    url = database_url or manifest["database_url"]
    backends = wrk.Backends(url if url.startswith(("postgres://", "postgresql://")) else None)
    await open_database(url)
    app = create_app(settings, manage_database=False)
    scenarios = bodies(manifest, asker["enterprise_number"])
    if "create" in only:  # it writes: only when asked for
        scenarios["create"] = creations(manifest, manifest_path, WARM_UP + requests + COUNTED)
    try:
        cpu: dict[str, float] = {}
        statements: dict[str, float] = {}
        database: dict[str, float] = {}  # PostgreSQL's backends' CPU (from /proc, as wrk.py measures it)
        for name, texts in scenarios.items():
            if only and name not in only:
                continue
            who = as_principal if name == "competence" else as_provider  # the principal asks, as in wrk.py
            sent = itertools.count()
            for _ in range(WARM_UP):
                await answered(app, texts[next(sent) % len(texts)], who, name)
            profiler = cProfile.Profile(time.process_time) if profile else None  # CPU, not the waits
            backends_before = await backends.sample_async()
            started = time.process_time()
            if profiler:
                profiler.enable()
            answers: list[list[bytes]] = [[] for _ in range(requests)]
            statuses = [await request(app, texts[next(sent) % len(texts)], who, parts) for parts in answers]
            if profiler:
                profiler.disable()
            cpu[name] = (time.process_time() - started) / requests * 1000
            database[name] = wrk.Backends.seconds(backends_before, await backends.sample_async()) / requests * 1000
            for status, parts in zip(statuses, answers, strict=True):  # checked once the clock stopped
                check(name, status, parts)
            if profiler:
                pstats.Stats(profiler).sort_stats(PROFILE_ORDER).print_stats(60)
            with Statements() as counted:
                for _ in range(COUNTED):
                    await answered(app, texts[next(sent) % len(texts)], who, name)
            statements[name] = counted.count / COUNTED
        for name, ms in cpu.items():
            ratio = f"{cpu['typename'] / ms:.3f}" if "typename" in cpu else "-"
            print(
                f"{name:<18} {ms:7.3f} ms CPU per request   ratio to typename {ratio}   "
                f"{statements[name]:5.1f} statements per request"
                + (f"   PostgreSQL {database[name]:6.3f} ms CPU per request" if backends.url else "")
            )
    finally:
        await close_database()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", choices=wrk.SCENARIOS)
    parser.add_argument("--only", nargs="*", choices=wrk.SCENARIOS, default=[], help="these scenarios only")
    parser.add_argument("--database-url", help="another copy of the manifest's data (default: the manifest's)")
    parser.add_argument("--principal", help="competence: this principal asks about itself (default: the crowded one)")
    args = parser.parse_args()
    only = [args.profile] if args.profile else args.only
    asyncio.run(main(args.manifest, args.requests, args.profile, only, args.database_url, args.principal))
