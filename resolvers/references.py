"""The next number of a year's reference series (R-CRE-5), taken without serialising creations.

PostgreSQL: one sequence per series, `reference_series_<year>`, created at the series' first creation
and owned by `reference_series.series` (so `TRUNCATE ... RESTART IDENTITY` restarts it). `nextval` takes
no row lock: concurrent creations, in any number of processes, never wait on each other for their
number (issue 11, item 5). A sequence does not roll back, so a creation refused after its number was
taken (a rare conflict at insert) leaves a gap; references stay unique (the table's constraints) and in
creation order. The sequence starts after the highest number the series already holds (rows written by
an earlier version, the bench generator, a restored dump).

SQLite: one writer at a time anyway (the transaction began IMMEDIATE, config/sqlite.py); the series row
is incremented inside the transaction in one statement, which numbers without gaps.
"""

from __future__ import annotations

from typing import Any

from models.tables import Mandate, ReferenceSeries

# pg_advisory_xact_lock's first key for "creating a series' sequence"; the second is the series.
SEQUENCE_LOCK = 0x5EF5


async def next_reference(series: int) -> tuple[int, int]:
    """The series (the creation year) and its next number."""
    db: Any = Mandate._meta.db
    if db.capabilities.dialect == "postgres":
        return series, await _from_sequence(db, series)
    return series, await _from_series_row(db, series)


async def _from_series_row(db: Any, series: int) -> int:
    _, rows = await db.execute_query(
        "UPDATE reference_series SET last_number = last_number + 1 WHERE series = ? RETURNING last_number", [series]
    )
    if rows:
        return int(rows[0]["last_number"])
    await ReferenceSeries.create(series=series, last_number=1)  # the series' first number
    return 1


async def _from_sequence(db: Any, series: int) -> int:
    name = f"reference_series_{int(series)}"  # an int from the clock: safe to write into the statement
    _, rows = await db.execute_query("SELECT nextval(to_regclass($1)) AS n", [name])
    if rows[0]["n"] is not None:
        return int(rows[0]["n"])
    # The series' first creation: concurrent first creations wait here for the one creating it.
    await db.execute_query("SELECT pg_advisory_xact_lock($1, $2)", [SEQUENCE_LOCK, series])
    _, rows = await db.execute_query(
        "SELECT greatest((SELECT max(number) FROM mandate WHERE series = $1), "
        "(SELECT last_number FROM reference_series WHERE series = $1), 0) AS last",
        [series],
    )
    start = int(rows[0]["last"]) + 1
    await db.execute_script(
        f"CREATE SEQUENCE IF NOT EXISTS {name} START WITH {start} MINVALUE 1 OWNED BY reference_series.series"
    )
    _, rows = await db.execute_query("SELECT nextval($1::regclass) AS n", [name])
    return int(rows[0]["n"])
