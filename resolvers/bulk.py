"""Bulk writes for the imports: rows streamed into a staging table, then set-based statements.

PostgreSQL receives the rows by `COPY` (asyncpg's copy_records_to_table, which consumes an iterator: the
rows are never all in memory); SQLite by `executemany` in batches. The staging tables are temporary,
all their columns text, and dropped by `Bulk.close` (or with the transaction that made them when it is
rolled back: both databases undo a CREATE with the transaction). Every statement goes through
`execute_query`: Python's sqlite3 commits the open transaction before an `executescript`. The
statements that read them are written once for both databases: `INSERT ... SELECT ... ON CONFLICT DO
UPDATE` and `UPDATE ... FROM` (SQLite 3.33 and later).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

BATCH = 5000  # SQLite rows per executemany: large enough to amortise the call, small enough to stay flat


class Bulk:
    """Staging tables and statements on one transaction's connection."""

    def __init__(self, client: BaseDBAsyncClient):
        self.client = client
        self.postgres = client.capabilities.dialect == "postgres"
        self._staged: list[str] = []

    def day(self, day: dt.date) -> str:
        """A day as an SQL literal of the database's date type (the day comes from a date, never from text)."""
        return f"DATE '{day.isoformat()}'" if self.postgres else f"'{day.isoformat()}'"

    def as_day(self, column: str) -> str:
        """A staged ISO text column read as a day: PostgreSQL casts it, SQLite stores days as ISO texts."""
        return f"CAST({column} AS date)" if self.postgres else column

    async def stage(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        """Create the temporary table `table` (text columns) and stream `rows` into it; the count of rows."""
        await self.run(f"DROP TABLE IF EXISTS {table}")
        await self.run(f"CREATE TEMPORARY TABLE {table} ({', '.join(f'{c} text' for c in columns)})")
        self._staged.append(table)
        counted = _Counted(rows)
        if self.postgres:
            async with self.client.acquire_connection() as connection:
                await connection.copy_records_to_table(table, records=counted, columns=list(columns))
        else:
            insert = f"INSERT INTO {table} VALUES ({', '.join('?' for _ in columns)})"
            iterator = iter(counted)
            while batch := [list(row) for row in islice(iterator, BATCH)]:
                await self.client.execute_many(insert, batch)
        await self._analyse(table)
        return counted.count

    async def derive(self, table: str, select: str) -> None:
        """A temporary table made from staged ones (`CREATE ... AS SELECT`)."""
        await self.run(f"DROP TABLE IF EXISTS {table}")
        await self.run(f"CREATE TEMPORARY TABLE {table} AS {select}")
        self._staged.append(table)
        await self._analyse(table)

    async def _analyse(self, table: str) -> None:
        """PostgreSQL plans a join from its statistics, which a new temporary table lacks until ANALYZE."""
        if self.postgres:
            await self.run(f"ANALYZE {table}")

    async def run(self, statement: str, values: list[Any] | None = None) -> int:
        """One set-based statement; the number of rows it changed."""
        changed, _ = await self.client.execute_query(statement, [self._value(v) for v in values or []] or None)
        return changed

    def _value(self, value: Any) -> Any:
        """asyncpg takes days and instants as they are; SQLite stores them as ISO texts, as Tortoise does."""
        if not self.postgres and isinstance(value, dt.date):
            return value.isoformat()
        return value

    async def many(self, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        """One statement with `$1..$n` (PostgreSQL) or `?` (SQLite) for each of `rows`, in batches."""
        iterator = iter(rows)
        while batch := [[self._value(value) for value in row] for row in islice(iterator, BATCH)]:
            await self.client.execute_many(statement, batch)

    def marks(self, count: int) -> str:
        """`$1, $2, ...` or `?, ?, ...`: the parameter marks of the database."""
        return ", ".join(f"${n}" if self.postgres else "?" for n in range(1, count + 1))

    async def close(self) -> None:
        for table in self._staged:
            await self.run(f"DROP TABLE IF EXISTS {table}")
        self._staged.clear()


class _Counted:
    """Counts the rows an iterator gives while COPY or executemany consumes them."""

    def __init__(self, rows: Iterable[Sequence[Any]]):
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self.rows:
            self.count += 1
            yield row
