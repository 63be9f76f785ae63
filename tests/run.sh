#!/usr/bin/env bash
# `make test`: every test on SQLite, measured by coverage.py (line and branch) with a floor of 90 % per
# package (tests/coverage_floor.py), then the behaviour tests (tests/api) and the use cases
# (tests/usecases) on PostgreSQL when it answers.
# PostgreSQL: $PG_URL (default postgres://postgres@127.0.0.1:5432/test). Its absence is said, not hidden.
set -uo pipefail
cd "$(dirname "$0")/.."
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
PYTEST=(.venv/bin/python -m pytest -q)

bash tests/setup_browser.sh || exit 1

echo "== tests on SQLite (in memory), measured by coverage.py"
rm -f .coverage .coverage.*
env -u DATABASE_URL -u MANDATES_DATABASE_URL .venv/bin/python -m coverage run -m pytest -q tests
sqlite=$?
.venv/bin/python -m coverage combine -q  # the test process's data and its child processes' (pyproject.toml)

echo "== line and branch coverage per package (floor 90 %)"
.venv/bin/python tests/coverage_floor.py
covered=$?

if .venv/bin/python tests/pg_ready.py "$PG_URL"; then
  echo "== behaviour and use-case tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" "${PYTEST[@]}" tests/api tests/usecases
  postgres=$?
else
  echo "== PostgreSQL at $PG_URL does not answer: the PostgreSQL run is SKIPPED"
  postgres=0
fi
[ "$sqlite" -eq 0 ] && [ "$covered" -eq 0 ] && [ "$postgres" -eq 0 ]
