"""The SQLite engine for Tortoise, with write transactions that wait for the write lock.

Tortoise opens its transactions with a deferred `BEGIN`: the transaction reads first, and its first
write must then upgrade the read lock. When another process holds the write lock at that moment,
SQLite answers "database is locked" at once, without calling its busy handler (waiting there could
deadlock), and the client saw "Unexpected error.". `BEGIN IMMEDIATE` takes the write lock first, so
a transaction waits up to `busy_timeout` (MANDATES_DATABASE_BUSY_SECONDS) for the other writer;
one process serialises its own transactions anyway (Tortoise keeps one connection behind a lock).
Used as the engine `config.sqlite` by config/database.py.
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import TransactionalDBClient, TransactionContext
from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionContext, SqliteTransactionWrapper
from tortoise.connection import get_connections
from tortoise.exceptions import OperationalError


class ImmediateTransaction(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
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
    def _in_transaction(self) -> TransactionContext:
        return ImmediateTransactionContext(ImmediateTransaction(self), self._lock)


client_class = ImmediateSqliteClient
