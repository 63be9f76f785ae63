"""What a search page costs (the scale issue, item 2): wall time per GraphQL request, in process.

    python -m tests.bench.search [--manifest .data/bench-manifest.json] [--rounds 20]

Reads the database and the busiest mandatary of tests/bench/generate.py's manifest and sends, through
the app with httpx's ASGI transport (no network, one request at a time), the searches a console sends:
the first page of 20 with its count, the next page, a page sorted by the principal's name, the
filtered search of the bench (DIMONA, ACTIVE, this quarter), as the busiest mandatary and as an NSSO
officer. Prints the median and 90th percentile per scenario. It speaks only GraphQL, so the same
script measures another revision of the registry on the same database ("before and after").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path

import httpx

from config.asgi import create_app
from config.database import close_database, open_database
from config.settings import Settings
from config.tokens import mint

DEFAULT_MANIFEST = Path(__file__).resolve().parents[2] / ".data" / "bench-manifest.json"
PAGE = """query($filter: MandateFilter, $orderBy: MandateOrder, $after: String) {
  mandates(filter: $filter, orderBy: $orderBy, first: 20, after: $after) {
    %s pageInfo { endCursor } edges { node { reference status principal { name } } } } }"""


async def bench(manifest: dict, rounds: int) -> None:
    busiest = manifest["busiest"]
    settings = replace(Settings.from_env(), limit_search_per_minute=0)
    tokens = {
        "busiest": mint(
            settings, busiest["signatory_niss"], "mandates:manage", enterprise=busiest["enterprise_number"], minutes=60
        ),
        "officer": mint(settings, "00000000097", "nsso:officer", minutes=60),
    }
    filtered = {"statuses": ["ACTIVE"], "groups": ["DIMONA"], "period": manifest["current_quarter"]}
    scenarios = {
        "first page + totalCount": ({}, None, "totalCount"),
        "first page, no count": ({}, None, ""),
        "second page": ({}, None, ""),
        "by principal name + totalCount": ({}, {"field": "PRINCIPAL_NAME", "direction": "ASC"}, "totalCount"),
        "filtered + totalCount": (filtered, None, "totalCount"),
        "filtered, no count": (filtered, None, ""),
    }
    await open_database(manifest["database_url"])
    app = create_app(settings, manage_database=False)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
            print(f"search on {manifest['database_url'].split(':')[0]}, {manifest['mandates']} mandates")
            for viewer, token in tokens.items():
                headers = {"Authorization": f"Bearer {token}"}
                for name, (criteria, order, count) in scenarios.items():
                    variables: dict = {"filter": criteria, "orderBy": order}
                    if name == "second page":
                        first = await client.post(
                            "/graphql", json={"query": PAGE % "", "variables": variables}, headers=headers
                        )
                        variables["after"] = first.json()["data"]["mandates"]["pageInfo"]["endCursor"]
                    body = {"query": PAGE % count, "variables": variables}
                    times, answer = [], None
                    for _ in range(rounds):
                        start = time.perf_counter()
                        response = await client.post("/graphql", json=body, headers=headers)
                        times.append((time.perf_counter() - start) * 1000)
                        answer = response.json()
                    assert answer is not None and "errors" not in answer, answer
                    total = answer["data"]["mandates"].get("totalCount", "")
                    median, p90 = statistics.median(times), statistics.quantiles(times, n=10)[-1]
                    print(f"  {viewer:8} {name:32} median {median:8.2f} ms, p90 {p90:8.2f} ms  {total}")
    finally:
        await close_database()


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    cli.add_argument("--rounds", type=int, default=20)
    args = cli.parse_args()
    asyncio.run(bench(json.loads(args.manifest.read_text(encoding="utf-8")), args.rounds))


if __name__ == "__main__":
    main()
