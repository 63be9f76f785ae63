"""The SQLite engine for Tortoise, with write transactions that wait for the write lock.

Tortoise opens its transactions with a deferred `BEGIN`: the transaction reads first, and its first
write must then upgrade the read lock. When another process holds the write lock at that moment,
SQLite answers "database is locked" at once, without calling its busy handler (waiting there could
deadlock), and the client saw "Unexpected error.". `BEGIN IMMEDIATE` takes the write lock first, so
a transaction waits up to `busy_timeout` (MANDATES_DATABASE_BUSY_SECONDS) for the other writer;
one process serialises its own transactions anyway (Tortoise keeps one connection behind a lock).

Reads do not queue behind that lock (issue 11, item 8). Tortoise's client has one connection: every
statement of the process waited for the one before it, and a read for the end of any transaction.
The database is in WAL mode (Tortoise's default pragma), where readers and the one writer do not
block one another, so a `SELECT` outside a transaction runs on one of up to `readers` read-only
connections (`PRAGMA query_only`, MANDATES_DATABASE_POOL_MAX), each with its own thread; it sees
what was committed when it starts, as on PostgreSQL. Everything else (writes, DDL, every statement
of a transaction, reads included) stays on the single writer connection, serialised by its lock and
`BEGIN IMMEDIATE`. An in-memory database has no readers: each connection would be a new database.
Used as the engine `config.sqlite` by config/database.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Sequence
from typing import Any

import aiosqlite
from tortoise.backends.base.client import TransactionalDBClient, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
    translate_exceptions,
)
from tortoise.connection import get_connections
from tortoise.exceptions import OperationalError


class ImmediateTransaction(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            if self._connection.in_transaction:  # one the sqlite3 module opened implicitly; else a round trip saved
                await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:  # "database is locked" after busy_timeout
            raise OperationalError(error) from error


class ImmediateTransactionContext(SqliteTransactionContext):
    """Tortoise's context, which also undoes its own set-up when BEGIN fails (the connection lock
    and the current-connection variable would otherwise stay taken: every later query failed)."""

    async def __aenter__(self) -> TransactionalDBClient:
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
            self.token = get_connections().set(self.connection_name, self.connection)
            try:
                await self.connection.begin()
            except BaseException:
                get_connections().reset(self.token)
                raise
        except BaseException:
            self._trxlock.release()
            raise
        return self.connection


class ImmediateSqliteClient(SqliteClient):
    def __init__(self, file_path: str, readers: int = 0, **kwargs: Any) -> None:
        super().__init__(file_path, **kwargs)
        in_memory = file_path == ":memory:" or "mode=memory" in file_path
        self.readers = 0 if in_memory else readers
        self._reader_slots = asyncio.Semaphore(max(self.readers, 1))
        self._idle_readers: list[aiosqlite.Connection] = []
        self._all_readers: list[aiosqlite.Connection] = []

    def _in_transaction(self) -> TransactionContext:
        return ImmediateTransactionContext(ImmediateTransaction(self), self._lock)

    def _on_a_reader(self, query: str) -> bool:
        # Until the writer has connected (and set WAL mode), everything goes its way.
        return bool(self.readers) and self._connection is not None and query.lstrip()[:6].upper() == "SELECT"

    @translate_exceptions
    async def execute_query(self, query: str, values: list | None = None) -> tuple[int, Sequence[dict]]:
        if not self._on_a_reader(query):
            return await super().execute_query(query, values)
        rows = await self._read(query, values)
        return len(rows), rows

    @translate_exceptions
    async def execute_query_dict(self, query: str, values: list | None = None) -> list[dict]:
        if not self._on_a_reader(query):
            return await super().execute_query_dict(query, values)
        return list(map(dict, await self._read(query, values)))

    async def _read(self, query: str, values: list | None) -> Sequence[Any]:
        query = query.replace("\x00", "'||CHAR(0)||'")  # as Tortoise's own execute_query
        async with self._reader() as connection:
            self.log.debug("%s: %s", query, values)
            return list(await connection.execute_fetchall(query, values))

    @contextlib.asynccontextmanager
    async def _reader(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._reader_slots:
            connection = self._idle_readers.pop() if self._idle_readers else await self._open_reader()
            try:
                yield connection
            finally:
                self._idle_readers.append(connection)

    async def _open_reader(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(self.filename, isolation_level=None)
        connection._conn.row_factory = sqlite3.Row
        for pragma in ("query_only=ON", f"busy_timeout={self.pragmas.get('busy_timeout', 5000)}"):
            await (await connection.execute(f"PRAGMA {pragma}")).close()
        self._all_readers.append(connection)
        return connection

    async def close(self) -> None:
        readers, self._all_readers, self._idle_readers = self._all_readers, [], []
        for connection in readers:
            await connection.close()
        await super().close()


client_class = ImmediateSqliteClient
