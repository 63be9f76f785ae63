"""What the busiest mandatary's dashboard costs (the scale issue, item 3): statements and time per call.

    python -m tests.bench.dashboard [--manifest .data/bench-manifest.json] [--rounds 50]

Reads the database and the busiest mandatary of tests/bench/generate.py's manifest, calls the dashboard
use case as that enterprise and as an NSSO officer, and prints the statements each call runs (as
Tortoise's client logs them) and the median and 90th-percentile wall time over `--rounds` calls.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import time
from pathlib import Path

from config.catalogue import load_catalogue
from config.clock import Clock
from config.database import close_database, open_database
from config.settings import Settings
from resolvers.access import CONSULT, OFFICER, Actor
from resolvers.context import UseCase
from resolvers.dashboard import dashboard
from tests.api.helpers import statements

DEFAULT_MANIFEST = Path(__file__).resolve().parents[2] / ".data" / "bench-manifest.json"


async def measure(uc: UseCase, rounds: int) -> tuple[int, float, float, str]:
    with statements() as run:
        blocks = await dashboard(uc)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        await dashboard(uc)
        times.append((time.perf_counter() - start) * 1000)
    shown = " ".join(f"{status.value}={block.count}" for status, block in blocks.items())
    return len(run), statistics.median(times), statistics.quantiles(times, n=10)[-1], shown


async def bench(manifest: dict, rounds: int) -> None:
    busiest = manifest["busiest"]
    clock, catalogue = Clock(dt.date.fromisoformat(manifest["today"])), load_catalogue(Settings().catalogue_path)
    viewers = {
        f"busiest mandatary ({busiest['mandates']} mandates)": Actor(
            busiest["signatory_niss"], None, busiest["enterprise_number"], frozenset({CONSULT})
        ),
        "NSSO officer (every mandate)": Actor("00000000097", None, None, frozenset({OFFICER})),
    }
    await open_database(manifest["database_url"])
    try:
        print(f"dashboard on {manifest['database_url'].split(':')[0]}, {manifest['mandates']} mandates")
        for name, actor in viewers.items():
            count, median, p90, shown = await measure(UseCase(actor, clock, catalogue), rounds)
            print(f"  {name:44} {count} statements, median {median:6.2f} ms, p90 {p90:6.2f} ms  [{shown}]")
    finally:
        await close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(bench(json.loads(args.manifest.read_text(encoding="utf-8")), args.rounds))


if __name__ == "__main__":
    main()
