#!/usr/bin/env bash
# `make bench` (scale item 9): BENCH_MANDATES synthetic mandates and as many enterprises (default 1 000 000)
# on PostgreSQL and on SQLite, each served by `mandates serve` with one worker, then two, and measured
# over HTTP with wrk at 1, 8 and 32 clients (tests/bench/wrk.py: the scenarios, Lua scripts, CPU from
# /proc). Prints the table, then `ratio <database> <scenario> <value>` at 8 clients and one worker, and
# the machine's load average at the start and the end, and the floor under the ratios (tests/bench/floor.py).
#
#   BENCH_MANDATES=100000 BENCH_DB=sqlite bash tests/bench/run.sh
#
# BENCH_DB: "postgres sqlite" (default) or one of them. SQLite: .data/bench.sqlite3, recreated.
# PostgreSQL: $BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/mandates_bench), its public schema
# dropped and recreated; never the `test` database of the test suite. BENCH_WORKERS ("1 2"), BENCH_CLIENTS
# (1,8,32), BENCH_SECONDS (5 per measurement), BENCH_PORT (8765), BENCH_CLOCK (the day the data is
# consistent with) tune it; BENCH_REUSE=1 measures the data of the previous run again (no generation); PYTHON overrides the interpreter (default .venv/bin/python, else python3).
# wrk comes from Debian's packages (apt-get install -y wrk) when it is missing.
set -uo pipefail
cd "$(dirname "$0")/../.."

N="${BENCH_MANDATES:-1000000}"
DATABASES="${BENCH_DB:-postgres sqlite}"
WORKERS="${BENCH_WORKERS:-1 2}"
CLIENTS="${BENCH_CLIENTS:-1,8,32}"
SECONDS_PER_RUN="${BENCH_SECONDS:-5}"
PORT="${BENCH_PORT:-8765}"
CLOCK="${BENCH_CLOCK:-2026-11-16}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/mandates_bench}"
if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
export MANDATES_JWT_SECRET="${MANDATES_JWT_SECRET:-$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')}"
export MANDATES_ID_SECRET="${MANDATES_ID_SECRET:-$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')}"
export MANDATES_CLOCK="$CLOCK"
# The abuse limits per viewer would measure themselves: every request of a scenario comes from one viewer.
export MANDATES_LIMIT_SEARCH_PER_MINUTE=0 MANDATES_LIMIT_COMPETENCE_PER_MINUTE=0 MANDATES_LIMIT_CONCURRENT=1000
mkdir -p .data
RESULTS=".data/bench-results"
mkdir -p "$RESULTS"
SERVER=""

if ! command -v wrk >/dev/null; then
  echo "== installing wrk from Debian's packages"
  if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null; else sudo apt-get install -y wrk >/dev/null; fi \
    || { echo "run.sh: wrk is missing and could not be installed (apt-get install wrk)"; exit 1; }
fi

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
  "$PYTHON" - "$1" <<'PY'
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
PY
}

wait_for_health() {  # URL PID: 0 once it answers; 1 after 120 s or when the process has died
  "$PYTHON" - "$1" "$2" <<'PY'
import os, sys, time, urllib.request
deadline = time.monotonic() + 120
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
PY
}

echo "== bench: $N mandates, databases: $DATABASES, workers: $WORKERS, clients: $CLIENTS, ${SECONDS_PER_RUN} s each"
echo "== load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
status=0
files=()
for database in $DATABASES; do
  PG_ARG=()
  case "$database" in
    sqlite)
      [ "${BENCH_REUSE:-}" = 1 ] || rm -f .data/bench.sqlite3 .data/bench.sqlite3-wal .data/bench.sqlite3-shm
      URL="sqlite://$PWD/.data/bench.sqlite3" ;;
    postgres)
      if [ "${BENCH_REUSE:-}" = 1 ]; then true; else reset_postgres "$PG_URL"; fi
      case $? in
        0) ;;
        3) echo "== PostgreSQL at $PG_URL does not answer: its benchmark is SKIPPED"; continue ;;
        *) status=1; continue ;;
      esac
      URL="$PG_URL"; PG_ARG=(--pg-url "$PG_URL") ;;
    *) echo "run.sh: unknown database '$database'"; status=1; continue ;;
  esac
  MANIFEST=".data/bench-$database-manifest.json"
  RESULT="$RESULTS/$database.jsonl"
  rm -f "$RESULT"
  if [ "${BENCH_REUSE:-}" = 1 ] && [ -f "$MANIFEST" ]; then
    echo "== $database: measuring the data of the previous run again (BENCH_REUSE=1, $MANIFEST)"
  else
    rm -f "${RESULT%.jsonl}.create-offset"  # the fresh employers taken by createMandate so far
    echo "== $database: generating $N mandates and $N enterprises (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    if ! /usr/bin/time -f "  generator: %e s elapsed, peak memory %M kB" \
        "$PYTHON" -m tests.bench.generate --mandates "$N" --today "$CLOCK" --manifest "$MANIFEST" --database-url "$URL"; then
      status=1; continue
    fi
  fi
  files+=("$RESULT")
  for workers in $WORKERS; do
    LOG=".data/bench-$database-$workers-server.log"
    echo "== $database: mandates serve --workers $workers --port $PORT, log in $LOG"
    MANDATES_DATABASE_URL="$URL" "$PYTHON" -m config.cli serve --host 127.0.0.1 --port "$PORT" --workers "$workers" \
      >"$LOG" 2>&1 &
    SERVER=$!
    if ! wait_for_health "http://127.0.0.1:$PORT/healthz" "$SERVER"; then
      echo "run.sh: the server did not answer /healthz (see $LOG)"
      stop_server; status=1; continue
    fi
    sleep 2  # let the start-up sweep finish
    "$PYTHON" -m tests.bench.wrk measure --url "http://127.0.0.1:$PORT" --database "$database" --workers "$workers" \
      --clients "$CLIENTS" --seconds "$SECONDS_PER_RUN" --pid "$SERVER" --manifest "$MANIFEST" --results "$RESULT" \
      "${PG_ARG[@]}" || status=1
    stop_server
  done
done
echo
if [ "${#files[@]}" -gt 0 ]; then "$PYTHON" -m tests.bench.wrk report "${files[@]}" || status=1; fi
echo
echo "== the floor: graphql-core alone over answers in memory (tests/bench/floor.py), on this machine now"
"$PYTHON" -m tests.bench.floor || status=1
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
