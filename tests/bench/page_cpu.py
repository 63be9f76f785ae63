"""Server CPU per request of `make bench`'s read scenarios, in process, against a generated database.

    python -m tests.bench.page_cpu --manifest .data/bench-sqlite-manifest.json [--requests 300] [--profile node]

Sends tests/bench/wrk.py's bodies (typename, search_filtered, search_unfiltered, node, competence: the same queries,
tokens and ids) through the whole ASGI app with raw ASGI messages (no network, no client library), one at a
time, and prints each scenario's process CPU per request after a warm-up and its ratio to `{ __typename }`:
the cost `make bench` divides by, without wrk and the kernel's share. With --profile SCENARIO, prints that
scenario's cProfile (cumulative time) instead, to find what dominates. The database's own CPU (PostgreSQL's
backends) is not counted: SQLite's is, as it runs in this process.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import time
from dataclasses import replace
from pathlib import Path

from config.asgi import create_app
from config.database import close_database, open_database
from config.settings import Settings
from config.tokens import mint
from resolvers.ids import encode_id, use_secret
from tests.bench import wrk
from tests.bench.validation_cache import request

SECRET = "page-cpu-bench-secret-000000000000000000000"


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
    await open_database(database_url or manifest["database_url"])
    app = create_app(settings, manage_database=False)
    scenarios = bodies(manifest, asker["enterprise_number"])
    try:
        cpu: dict[str, float] = {}
        for name, texts in scenarios.items():
            if only and name not in only:
                continue
            who = as_principal if name == "competence" else as_provider  # the principal asks, as in wrk.py
            for i in range(20):
                assert await request(app, texts[i % len(texts)], who) == 200, name
            profiler = cProfile.Profile() if profile else None
            started = time.process_time()
            if profiler:
                profiler.enable()
            for i in range(requests):
                await request(app, texts[i % len(texts)], who)
            if profiler:
                profiler.disable()
            cpu[name] = (time.process_time() - started) / requests * 1000
            if profiler:
                pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(60)
        for name, ms in cpu.items():
            ratio = f"{cpu['typename'] / ms:.3f}" if "typename" in cpu else "-"
            print(f"{name:<18} {ms:7.3f} ms CPU per request   ratio to typename {ratio}")
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
