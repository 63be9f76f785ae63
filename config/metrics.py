"""Prometheus metrics at /metrics (README, Operations): HTTP requests, GraphQL operations by name and
outcome, latency histograms, the database pool, the sweep, uploaded authorisations and their verdicts
(that counter is the use case's own, in resolvers/authorisations.py, which imports no web framework;
it lands in the same registry).

With several workers each process writes its samples to MANDATES_METRICS_DIR (prometheus_client's
multiprocess mode, switched on by `mandates serve`, which empties the folder at start) and /metrics
adds them up. Without it (tests, `uvicorn config.asgi:app`) the samples are this process's own.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator

from graphql import GraphQLError
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.requests import Request
from starlette.responses import Response
from strawberry.extensions import SchemaExtension
from tortoise import connections

from config.logging import current_request

HTTP_REQUESTS = Counter(
    "mandates_http_requests_total", "HTTP requests by route, method and status.", ["route", "method", "status"]
)
HTTP_SECONDS = Histogram("mandates_http_request_duration_seconds", "HTTP request latency by route.", ["route"])
OPERATIONS = Counter(
    "mandates_graphql_operations_total",
    "GraphQL operations by operation name and outcome (ok, refused, error).",
    ["operation", "outcome"],
)
OPERATION_SECONDS = Histogram(
    "mandates_graphql_operation_duration_seconds", "GraphQL operation latency by operation name.", ["operation"]
)
POOL = Gauge(
    "mandates_database_pool_connections",
    "Database pool connections (size, idle, max), summed over live processes.",
    ["state"],
    multiprocess_mode="livesum",
)
SWEEP_RUNS = Counter(
    "mandates_sweep_runs_total",
    "Sweep runs by outcome (done, skipped: another process held the lock, failed).",
    ["outcome"],
)
SWEEP_CHANGES = Counter(
    "mandates_sweep_changes_total",
    "Rows the sweep changed (cancelled, closed, warned, delegations_cancelled).",
    ["change"],
)
SWEEP_SECONDS = Histogram(
    "mandates_sweep_duration_seconds",
    "Duration of the sweeps that ran.",
    buckets=(0.1, 0.5, 1, 5, 10, 30, 60, 300, 900),
)
DELIVERIES = Counter(
    "mandates_deliveries_total",
    "Tries of the outbox's messages by channel and outcome (sent, retry, dead).",
    ["channel", "outcome"],
)

# A client names its operations: only a GraphQL name is kept, and past this many distinct names in a
# process the rest count as "(other)", so that no client can grow the metrics without bound.
OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
MAX_OPERATION_NAMES = 200
_names: set[str] = set()


def process_ended() -> None:
    """A worker's live gauges (the pool) stop counting once it ends."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        multiprocess.mark_process_dead(os.getpid())


def http_request(route: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(route, method, str(status)).inc()
    HTTP_SECONDS.labels(route).observe(seconds)


def sweep_ran(outcome: str, changes: dict[str, int] | None = None, seconds: float | None = None) -> None:
    SWEEP_RUNS.labels(outcome).inc()
    for change, count in (changes or {}).items():
        SWEEP_CHANGES.labels(change).inc(count)
    if seconds is not None:
        SWEEP_SECONDS.observe(seconds)


def delivered(channel: str, outcome: str) -> None:
    DELIVERIES.labels(channel, outcome).inc()


def _observe_pool() -> None:
    """What asyncpg's pool tells (Tortoise keeps it as the client's `_pool`); SQLite has none."""
    try:
        pool = getattr(connections.get("default"), "_pool", None)
    except Exception:  # noqa: BLE001 (no database opened in this context)
        return
    if pool is not None:
        POOL.labels("size").set(pool.get_size())
        POOL.labels("idle").set(pool.get_idle_size())
        POOL.labels("max").set(pool.get_max_size())


async def metrics(request: Request) -> Response:
    """GET /metrics: the Prometheus text format, added up over the workers in multiprocess mode."""
    _observe_pool()
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


class OperationMetrics(SchemaExtension):
    """Counts each GraphQL operation by name and outcome, times it, and tells the access line.

    Listed before schema.errors.ErrorPolicy, so it sees the errors typed: `refused` for a typed code
    (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, a rule's code, or `userErrors` in a mutation's
    payload), `error` for INTERNAL_SERVER_ERROR."""

    def on_operation(self) -> Iterator[None]:
        begin = time.perf_counter()
        codes = ["INTERNAL_SERVER_ERROR"]  # unless the operation ends with a result or a typed error
        try:
            yield
            result = self.execution_context.result
            errors = getattr(result, "errors", None) or []
            codes = [str((e.extensions or {}).get("code")) for e in errors] + _user_error_codes(
                getattr(result, "data", None)
            )
        except GraphQLError as error:
            codes = [str((error.extensions or {}).get("code"))]
            raise
        finally:
            operation = self._operation_name()
            outcome = "error" if "INTERNAL_SERVER_ERROR" in codes else "refused" if codes else "ok"
            OPERATIONS.labels(operation, outcome).inc()
            OPERATION_SECONDS.labels(operation).observe(time.perf_counter() - begin)
            request = current_request()
            if request is not None:
                request.operation, request.outcome, request.codes = operation, outcome, codes
            _observe_pool()

    def _operation_name(self) -> str:
        context = self.execution_context
        if context.graphql_document is None:
            return "(invalid)"
        try:
            name = context.operation_name
        except RuntimeError:
            return "(invalid)"
        if not name:
            return "(anonymous)"
        if not OPERATION_NAME.fullmatch(name):
            return "(invalid)"
        if name not in _names and len(_names) >= MAX_OPERATION_NAMES:
            return "(other)"
        _names.add(name)
        return name


def _user_error_codes(data: object) -> list[str]:
    """The codes of a mutation's `userErrors` (rule refusals, R-* codes), when the client selected them."""
    if not isinstance(data, dict):
        return []
    return [
        str(error.get("code"))
        for payload in data.values()
        if isinstance(payload, dict)
        for error in payload.get("userErrors") or ()
        if isinstance(error, dict)
    ]
