"""tests/bench/floor.py stays true to the schema: each scenario's query of wrk.py validates against
schema.graphql and executes over its answer in memory without an error (a renamed field would fail here,
not silently in the bench)."""

from __future__ import annotations

from tests.bench import floor, wrk


def test_floor_executes_every_scenario_of_the_bench_against_the_schema() -> None:
    costs = floor.execute_ms(requests=1)
    assert set(costs) == set(wrk.SCENARIOS)
    assert all(ms > 0 for ms in costs.values())
