"""Database faults as clients see them: typed, retryable errors instead of "Unexpected error.".

A writer that waited `MANDATES_DATABASE_BUSY_SECONDS` for the write lock in vain (SQLite's
"database is locked"; on PostgreSQL a lock, deadlock or serialisation failure) is DATABASE_BUSY;
a database that cannot be reached or went away is SERVICE_UNAVAILABLE. Both are HTTP 503 with
Retry-After; the transaction was rolled back, so nothing was written and the request can be sent
again. `database_fault` recognises them along an exception's chain (Tortoise wraps the driver's);
GraphQL types them in schema/errors.py, and `DatabaseFaults` answers them for the other endpoints
(the export, the PDF links).
"""

from __future__ import annotations

import errno
import logging
import socket
import sqlite3
from dataclasses import dataclass

import asyncpg.exceptions as pg
from starlette.types import ASGIApp, Receive, Scope, Send
from tortoise.exceptions import DBConnectionError

from config.refusals import Refusal, refusing

log = logging.getLogger("mandates.errors")


@dataclass(frozen=True)
class Fault:
    code: str
    message: str
    retry_after_seconds: int


DATABASE_BUSY = Fault("DATABASE_BUSY", "The registry is busy. Nothing was saved; please try again in a moment.", 1)
SERVICE_UNAVAILABLE = Fault(
    "SERVICE_UNAVAILABLE", "The registry's database does not answer. Nothing was saved; please try again later.", 5
)
FAULTS = {fault.code: fault for fault in (DATABASE_BUSY, SERVICE_UNAVAILABLE)}


class DatabaseFaults:
    """Outside GraphQL: a database fault raised before the response started is a 503 as in GraphQL."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        await refusing(self.app, scope, receive, send, _refusal)


def _refusal(error: Exception) -> Refusal | None:
    fault = database_fault(error)
    if fault is None:
        return None
    log.warning("database fault %s: %s", fault.code, type(error).__name__)
    return Refusal(503, fault.code, fault.message, headers=((b"retry-after", str(fault.retry_after_seconds).encode()),))


_BUSY = (
    pg.LockNotAvailableError,
    pg.DeadlockDetectedError,
    pg.SerializationError,
    pg.TooManyConnectionsError,
    pg.QueryCanceledError,
)
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
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
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
