#!/usr/bin/env bash
# `make test`: every test on SQLite, then the behaviour tests (tests/api) on PostgreSQL when it answers.
# PostgreSQL: $PG_URL (default postgres://postgres@127.0.0.1:5432/test). Its absence is said, not hidden.
set -uo pipefail
cd "$(dirname "$0")/.."
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
PYTEST=(.venv/bin/python -m pytest -q)

bash tests/setup_browser.sh || exit 1

echo "== tests on SQLite (in memory)"
env -u DATABASE_URL -u MANDATES_DATABASE_URL "${PYTEST[@]}" tests
sqlite=$?

if .venv/bin/python tests/pg_ready.py "$PG_URL"; then
  echo "== behaviour tests on PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" "${PYTEST[@]}" tests/api
  postgres=$?
else
  echo "== PostgreSQL at $PG_URL does not answer: the PostgreSQL run is SKIPPED"
  postgres=0
fi
[ "$sqlite" -eq 0 ] && [ "$postgres" -eq 0 ]
