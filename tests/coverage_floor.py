"""The coverage floor of `make test`: line and branch coverage of each package, from the data of the
SQLite run (`coverage run -m pytest`), printed as a table; exits 1 when a package is below the floor.

A package's figure is coverage.py's own: (lines run + branches taken) / (lines + branches), summed
over the package's files.

    .venv/bin/python tests/coverage_floor.py [FLOOR]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import coverage

PACKAGES = ("models", "resolvers", "schema", "config", "documents", "migrations")
FLOOR = 90.0


def per_package(files: dict) -> dict[str, tuple[int, int, int, int]]:
    """(lines, lines run, branches, branches taken) of each package, from coverage's JSON report."""
    totals = {package: [0, 0, 0, 0] for package in PACKAGES}
    for path, data in files.items():
        package = Path(path).parts[0]
        if package not in totals:
            continue
        summary = data["summary"]
        for i, key in enumerate(("num_statements", "covered_lines", "num_branches", "covered_branches")):
            totals[package][i] += summary[key]
    return {package: tuple(numbers) for package, numbers in totals.items()}


def percent(lines: int, run: int, branches: int, taken: int) -> float:
    return 100.0 * (run + taken) / (lines + branches) if lines + branches else 100.0


def main(floor: float = FLOOR) -> int:
    measured = coverage.Coverage()
    measured.load()
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "coverage.json"
        measured.json_report(outfile=str(report))
        files = json.loads(report.read_text(encoding="utf-8"))["files"]
    below = []
    print(f"{'package':<12}{'lines':>7}{'missed':>8}{'branches':>10}{'missed':>8}{'cover':>9}")
    for package, (lines, run, branches, taken) in per_package(files).items():
        figure = percent(lines, run, branches, taken)
        print(f"{package:<12}{lines:>7}{lines - run:>8}{branches:>10}{branches - taken:>8}{figure:>8.1f}%")
        if figure < floor:
            below.append(f"{package} {figure:.1f} %")
    if below:
        print(f"coverage below the floor of {floor:g} %: {', '.join(below)}")
        return 1
    print(f"every package at or above the floor of {floor:g} % (line and branch coverage)")
    return 0


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1]) if len(sys.argv) > 1 else FLOOR))
