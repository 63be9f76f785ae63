"""The floor under `make bench`'s ratios: what graphql-core alone costs to answer each scenario's selection.

    python -m tests.bench.floor [--requests 2000]

Every GraphQL server in Python that executes with graphql-core (Strawberry does) walks the selection field by
field. This bench executes the very queries of tests/bench/wrk.py against the project's own schema
(schema.graphql, built by graphql-core with its default resolvers) over answers already in memory: plain dicts
shaped as the 1M bench data is (20 mandates a page, 2 groups and 1 history event a mandate). No database, no
resolver of ours, no Strawberry, no HTTP: parsing and validation are done once, only `execute` is timed.

It then measures the whole server's `{ __typename }` in process, as tests/bench/validation_cache.py does (access
line and metrics as served), and prints for each scenario the best ratio to `{ __typename }` that any
implementation on graphql-core could reach on this machine if its database and its own code cost nothing:

    ceiling = typename / (typename + execute(scenario) - execute({ __typename }))

`make bench` measures ratios of throughput; with one worker that is bound by the server's CPU, the ratio of
CPU per request is what it approaches (the database's CPU, on the same cores, only lowers it further). With one
worker busy all the time, a request waits for the others' CPU: at 32 clients its mean latency is at least
32 × its floor, printed as the least mean latency there (p99 is above the mean).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graphql import ExecutionResult, build_schema, execute, parse, validate

from tests.bench import wrk
from tests.bench.validation_cache import cpu_ms, served_like, typename_app

ROOT = Path(__file__).resolve().parents[2]
CURSOR = "A" * 60  # a sealed cursor's length: 12 bytes of nonce, the JSON of its keys, 16 of tag, base64url
CREATED = "2026-11-16T09:30:00.000000+00:00"


def _group(code: str) -> dict[str, Any]:
    return {"group": {"code": code}, "startQuarter": "2026-Q1", "endQuarter": None}


def _mandate(i: int) -> dict[str, Any]:
    return {
        "__typename": "Mandate",
        "reference": f"M2026-{100000 + i}",
        "status": "ACTIVE",
        "createdAt": CREATED,
        "principal": {"name": f"Employer {i} SRL"},
        "mandatary": {"name": "Busiest Provider SA"},
        "groups": [_group("DIMONA"), _group("DMFA")],
        "history": [{"at": CREATED, "action": "CREATED", "detail": "Created by the mandatary for Dimona and DmfA."}],
    }


def _page() -> dict[str, Any]:
    return {
        "totalCount": 500,
        "edges": [{"cursor": CURSOR, "node": _mandate(i)} for i in range(20)],
    }


def _block(count: int) -> dict[str, Any]:
    return {"count": count, "colour": "RED", "mandateId": None}


# Each scenario: the query of wrk.py, its variables, and the root value holding the answer.
SCENARIOS: dict[str, tuple[str, dict[str, Any], Callable[[], dict[str, Any]]]] = {
    "typename": ("{ __typename }", {}, dict),
    "dashboard_busiest": (
        wrk.DASHBOARD,
        {},
        lambda: {"dashboard": {"toBeFinalised": _block(99), "pending": _block(99), "rejected": _block(3)}},
    ),
    "dashboard_small": (
        wrk.DASHBOARD,
        {},
        lambda: {"dashboard": {"toBeFinalised": _block(1), "pending": _block(0), "rejected": _block(0)}},
    ),
    "search_filtered": (wrk.SEARCH_FILTERED, {"period": "2026-Q4"}, lambda: {"mandates": _page()}),
    "search_unfiltered": (wrk.SEARCH_UNFILTERED, {}, lambda: {"mandates": _page()}),
    "node": (wrk.NODE, {"id": "x" * 22}, lambda: {"node": _mandate(0)}),
    "create": (
        wrk.CREATE,
        {"input": {"groups": ["PMP"], "startQuarter": "2027-Q1", "principalNumber": "0403170701"}},
        lambda: {"createMandate": {"mandate": {"reference": "M2026-1", "status": "TO_BE_FINALISED"}, "userErrors": []}},
    ),
    "competence": (
        wrk.COMPETENCE,
        {"principal": "0403170701", "on": "2026-11-16"},
        lambda: {"competentMandataries": [{"mandatary": {"name": "Provider SA"}, "role": "SOLE", "via": "MANDATE"}]},
    ),
}


def execute_ms(requests: int) -> dict[str, float]:
    """graphql-core's CPU per `execute` of each scenario, in ms, over answers in memory."""
    schema = build_schema((ROOT / "schema.graphql").read_text())
    costs = {}
    for name, (query, variables, answer) in SCENARIOS.items():
        document = parse(query)
        errors = validate(schema, document)
        assert not errors, (name, errors)
        root = answer()
        result = execute(schema, document, root_value=root, variable_values=variables)
        assert isinstance(result, ExecutionResult) and not result.errors, (name, result)
        started = time.process_time()
        for _ in range(requests):
            execute(schema, document, root_value=root, variable_values=variables)
        costs[name] = (time.process_time() - started) / requests * 1000
    return costs


async def typename_ms(requests: int) -> float:
    """The whole server's CPU per `{ __typename }` with a token, in process (access line and metrics as served)."""
    app, token, body = typename_app()
    headers = [(b"content-type", b"application/json"), (b"authorization", f"Bearer {token}".encode())]
    return await cpu_ms(app, body, headers, requests)


def main(requests: int) -> None:
    costs = execute_ms(requests)
    with tempfile.TemporaryDirectory() as metrics:
        served_like(metrics)
        server = asyncio.run(typename_ms(requests))
    print(f"server {{ __typename }} {server:.3f} ms CPU per request (in process, with a token)")
    for name, ms in costs.items():
        floor = server + ms - costs["typename"]
        print(
            f"{name:<18} graphql-core execute {ms:6.3f} ms; floor {floor:6.3f} ms; ceiling ratio {server / floor:.3f}; "
            f"least mean latency at 32 clients {32 * floor:5.1f} ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    main(parser.parse_args().requests)
