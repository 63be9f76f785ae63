"""Database faults as clients see them: typed, retryable errors instead of "Unexpected error.".

A writer that waited `MANDATES_DATABASE_BUSY_SECONDS` for the write lock in vain (SQLite's
"database is locked"; on PostgreSQL a lock, deadlock or serialisation failure) is DATABASE_BUSY;
a database that cannot be reached or went away is SERVICE_UNAVAILABLE. Both are HTTP 503 with
Retry-After; the transaction was rolled back, so nothing was written and the request can be sent
again. `database_fault` recognises them along an exception's chain (Tortoise wraps the driver's).
"""

from __future__ import annotations

import errno
import socket
import sqlite3
from dataclasses import dataclass

import asyncpg.exceptions as pg
from tortoise.exceptions import DBConnectionError


@dataclass(frozen=True)
class Fault:
    code: str
    message: str
    retry_after_seconds: int


DATABASE_BUSY = Fault("DATABASE_BUSY", "The registry is busy. Nothing was saved; please try again in a moment.", 1)
SERVICE_UNAVAILABLE = Fault("SERVICE_UNAVAILABLE", "The registry's database does not answer. Nothing was saved; please try again later.", 5)
FAULTS = {fault.code: fault for fault in (DATABASE_BUSY, SERVICE_UNAVAILABLE)}

_BUSY = (pg.LockNotAvailableError, pg.DeadlockDetectedError, pg.SerializationError, pg.TooManyConnectionsError, pg.QueryCanceledError)
_UNREACHABLE = (
    pg.PostgresConnectionError,
    pg.AdminShutdownError,
    pg.CrashShutdownError,
    pg.CannotConnectNowError,
    DBConnectionError,
    ConnectionError,  # refused, reset, broken pipe
    socket.gaierror,  # the host name does not resolve
    TimeoutError,  # asyncpg's connect timeout
)
_NETWORK_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ETIMEDOUT, errno.EADDRNOTAVAIL}


def database_fault(error: BaseException | None) -> Fault | None:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if fault := _fault(error):
            return fault
        error = error.__cause__ or error.__context__
    return None


def _fault(error: BaseException) -> Fault | None:
    text = str(error)
    if isinstance(error, sqlite3.OperationalError):
        if "locked" in text or "busy" in text:
            return DATABASE_BUSY
        return SERVICE_UNAVAILABLE if "unable to open database" in text else None
    if isinstance(error, _BUSY):
        return DATABASE_BUSY
    if isinstance(error, _UNREACHABLE) or (isinstance(error, pg.InterfaceError) and "closed" in text):
        return SERVICE_UNAVAILABLE
    if type(error) is OSError and (error.errno in _NETWORK_ERRNOS or text.startswith("Multiple exceptions")):
        return SERVICE_UNAVAILABLE  # asyncio's connection attempts to every address of the host failed
    return None
