#!/usr/bin/env bash
# `make bench`: N synthetic mandates (default 100 000) on SQLite, then on PostgreSQL, each measured
# over HTTP against `mandates serve` (uvicorn, one worker) by tests/bench/load.py.
#
#   bash tests/bench/run.sh [N]
#
# SQLite: .data/bench.sqlite3, recreated. PostgreSQL: $BENCH_PG_URL (default
# postgres://postgres@127.0.0.1:5432/mandates_bench), its public schema dropped and recreated; never
# the `test` database of the test suite. PYTHON overrides the interpreter (default .venv/bin/python,
# else python3); BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_PORT, BENCH_CLOCK, BENCH_DATABASES tune it.
set -uo pipefail
cd "$(dirname "$0")/../.."

N="${1:-100000}"
if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
PORT="${BENCH_PORT:-8765}"
SECONDS_PER_SCENARIO="${BENCH_SECONDS:-15}"
CONCURRENCY="${BENCH_CONCURRENCY:-8}"
CLOCK="${BENCH_CLOCK:-2026-11-16}"  # the day the generated data is consistent with (nothing to sweep)
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/mandates_bench}"
DATABASES="${BENCH_DATABASES:-sqlite postgres}"
export MANDATES_JWT_SECRET="${MANDATES_JWT_SECRET:-$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')}"
export MANDATES_CLOCK="$CLOCK"
mkdir -p .data
SERVER=""

stop_server() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill "$SERVER"
    for _ in $(seq 1 50); do kill -0 "$SERVER" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$SERVER" 2>/dev/null && kill -9 "$SERVER"
    wait "$SERVER" 2>/dev/null
  fi
  SERVER=""
}
trap stop_server EXIT INT TERM

reset_postgres() {
  "$PYTHON" - "$1" <<'EOF'
import asyncio, sys
from urllib.parse import urlparse, urlunparse
import asyncpg

async def main(url):
    url = url.replace("postgres://", "postgresql://", 1)
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if name in ("", "test", "postgres", "template0", "template1"):
        sys.exit(f"run.sh: refusing to reset the database '{name}': use a database of its own (mandates_bench)")
    try:
        admin = await asyncpg.connect(urlunparse(parts._replace(path="/postgres")), timeout=3)
    except (OSError, asyncpg.PostgresError, asyncio.TimeoutError):
        sys.exit(3)
    if not await admin.fetchval("select 1 from pg_database where datname = $1", name):
        await admin.execute(f'create database "{name}"')
    await admin.close()
    connection = await asyncpg.connect(url, timeout=5)
    await connection.execute("drop schema if exists public cascade; create schema public")
    await connection.close()

asyncio.run(main(sys.argv[1]))
EOF
}

wait_for_health() {  # URL PID: 0 once it answers; 1 after 60 s or when the process has died
  "$PYTHON" - "$1" "$2" <<'EOF'
import os, sys, time, urllib.request
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        os.kill(int(sys.argv[2]), 0)
    except OSError:
        sys.exit(1)
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.3)
sys.exit(1)
EOF
}

status=0
for database in $DATABASES; do
  case "$database" in
    sqlite)
      rm -f .data/bench.sqlite3 .data/bench.sqlite3-wal .data/bench.sqlite3-shm
      URL="sqlite://$PWD/.data/bench.sqlite3" ;;
    postgres)
      reset_postgres "$PG_URL"
      case $? in
        0) ;;
        3) echo "== PostgreSQL at $PG_URL does not answer: its benchmark is SKIPPED"; continue ;;
        *) status=1; continue ;;
      esac
      URL="$PG_URL" ;;
    *) echo "run.sh: unknown database '$database'"; status=1; continue ;;
  esac
  MANIFEST=".data/bench-$database-manifest.json"
  echo "== $database: generating $N mandates"
  if ! MANDATES_DATABASE_URL="$URL" "$PYTHON" -m tests.bench.generate --mandates "$N" --today "$CLOCK" --manifest "$MANIFEST"; then
    status=1; continue
  fi
  echo "== $database: mandates serve --port $PORT (MANDATES_CLOCK=$CLOCK), log in .data/bench-$database-server.log"
  MANDATES_DATABASE_URL="$URL" "$PYTHON" -m config.cli serve --host 127.0.0.1 --port "$PORT" >".data/bench-$database-server.log" 2>&1 &
  SERVER=$!
  if ! wait_for_health "http://127.0.0.1:$PORT/healthz" "$SERVER"; then
    echo "run.sh: the server did not answer /healthz (see .data/bench-$database-server.log)"
    stop_server; status=1; continue
  fi
  sleep 2  # let the start-up sweep finish
  "$PYTHON" -m tests.bench.load --url "http://127.0.0.1:$PORT" --seconds "$SECONDS_PER_SCENARIO" \
    --concurrency "$CONCURRENCY" --manifest "$MANIFEST" --pid "$SERVER" --json ".data/bench-$database-results.json" || status=1
  stop_server
done
exit "$status"
