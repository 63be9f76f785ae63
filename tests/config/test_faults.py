"""Which exceptions are database faults (config/faults.py): table-driven, along the exception chain."""

from __future__ import annotations

import errno
import sqlite3

import asyncpg.exceptions as pg
import pytest
from tortoise.exceptions import IntegrityError, OperationalError

from config.faults import DATABASE_BUSY, SERVICE_UNAVAILABLE, database_fault


def _wrapped(inner: Exception, outer: Exception, *, suppress: bool = False) -> Exception:
    """`outer` raised while handling `inner` (as Tortoise wraps the driver's errors)."""
    try:
        try:
            raise inner
        except Exception:  # noqa: BLE001 (any exception: the test wraps what it is given)
            if suppress:
                raise outer from None
            raise outer
    except Exception as error:  # noqa: BLE001 (returned to the test, whatever it is)
        return error


CASES = {
    "sqlite locked": (sqlite3.OperationalError("database is locked"), DATABASE_BUSY),
    "sqlite locked wrapped by tortoise": (
        _wrapped(sqlite3.OperationalError("database is locked"), OperationalError("database is locked")),
        DATABASE_BUSY,
    ),
    "sqlite cannot open": (sqlite3.OperationalError("unable to open database file"), SERVICE_UNAVAILABLE),
    "sqlite syntax error": (sqlite3.OperationalError('near "SELEC": syntax error'), None),
    "postgres lock timeout": (pg.LockNotAvailableError("canceling statement due to lock timeout"), DATABASE_BUSY),
    "postgres deadlock": (pg.DeadlockDetectedError("deadlock detected"), DATABASE_BUSY),
    "postgres serialization": (pg.SerializationError("could not serialize access"), DATABASE_BUSY),
    "postgres shut down": (
        pg.AdminShutdownError("terminating connection due to administrator command"),
        SERVICE_UNAVAILABLE,
    ),
    "postgres connection lost": (
        pg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        SERVICE_UNAVAILABLE,
    ),
    "connection refused": (ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed"), SERVICE_UNAVAILABLE),
    "every address refused": (OSError("Multiple exceptions: [Errno 111] ..., [Errno 99] ..."), SERVICE_UNAVAILABLE),
    "network unreachable": (OSError(errno.ENETUNREACH, "Network is unreachable"), SERVICE_UNAVAILABLE),
    "connect timeout": (TimeoutError(), SERVICE_UNAVAILABLE),
    "a missing file is no database fault": (FileNotFoundError(errno.ENOENT, "No such file"), None),
    "an integrity error is no fault": (IntegrityError("UNIQUE constraint failed"), None),
    "a bug is no fault": (ValueError("bad"), None),
    "a timeout raised from None does not count": (
        _wrapped(TimeoutError(), RuntimeError("request body timed out"), suppress=True),
        None,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hardening_database_fault_classes(case):
    error, expected = CASES[case]
    assert database_fault(error) is expected
