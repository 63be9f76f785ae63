"""The coverage floor of `make test` (tests/coverage_floor.py): per-package sums of coverage.py's report."""

from __future__ import annotations

from tests.coverage_floor import per_package, percent


def summary(lines: int, run: int, branches: int, taken: int) -> dict:
    return {
        "summary": {"num_statements": lines, "covered_lines": run, "num_branches": branches, "covered_branches": taken}
    }


def test_code_health_coverage_is_summed_per_package_over_its_files_lines_and_branches():
    files = {
        "models/quarter.py": summary(100, 95, 20, 18),
        "models/places.py": summary(50, 40, 10, 5),
        "resolvers/close.py": summary(10, 10, 0, 0),
        "tests/conftest.py": summary(10, 0, 0, 0),  # not a measured package
    }
    totals = per_package(files)
    assert totals["models"] == (150, 135, 30, 23)
    assert totals["resolvers"] == (10, 10, 0, 0)
    assert totals["migrations"] == (0, 0, 0, 0) and "tests" not in totals
    assert round(percent(*totals["models"]), 2) == round(100 * 158 / 180, 2)  # 87.78: below a 90 % floor
    assert percent(*totals["migrations"]) == 100.0  # nothing to measure
