"""Which statements may leave session state, so that releasing their connection resets it (config/postgres.py)."""

from __future__ import annotations

import pytest

from config.postgres import leaves_no_session_state

PLAIN = [
    'SELECT "code","label" FROM "legal_form" ORDER BY "code" ASC',
    'INSERT INTO "mandate" ("template_version","state") VALUES ($1,$2) RETURNING "id"',
    'UPDATE "mandate" SET "state"=$1 WHERE "id"=$2',
    'DELETE FROM "grant" WHERE "mandate_id"=$1',
    "  with x as (select 1) select * from x",
    "BEGIN ISOLATION LEVEL READ COMMITTED;",
    "COMMIT;",
    "ROLLBACK;",
    "SAVEPOINT tortoise_savepoint_1;",
    "RELEASE SAVEPOINT tortoise_savepoint_1;",
    "SELECT 1",
]
SESSION = [
    "SET application_name = 'x'",
    "set statement_timeout to 0",
    "SELECT set_config('application_name', 'x', false)",
    "SELECT pg_advisory_lock($1)",
    "SELECT pg_try_advisory_lock_shared(1)",
    "LISTEN mandates",
    "DECLARE c CURSOR WITH HOLD FOR SELECT 1",
    "PREPARE p AS SELECT 1",
    "CREATE TEMP TABLE t (x int)",
    "SELECT * INTO TEMPORARY t FROM mandate",
    "SELECT 1; SET application_name = 'x'",
    "DO $$ BEGIN PERFORM set_config('a.b', 'c', false); END $$",
    "DISCARD ALL",
    "TRUNCATE mandate; INSERT INTO mandate SELECT * FROM snapshot.mandate;",
]


@pytest.mark.parametrize("query", PLAIN)
def test_scale_4_a_plain_statement_needs_no_reset(query):
    assert leaves_no_session_state(query)


@pytest.mark.parametrize("query", SESSION)
def test_scale_4_a_statement_that_may_leave_session_state_makes_the_release_reset(query):
    assert not leaves_no_session_state(query)
