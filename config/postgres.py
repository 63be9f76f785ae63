"""The PostgreSQL connection of the pool: reset on release only when a statement may have left session state.

asyncpg's pool resets every connection it takes back: a round trip running `pg_advisory_unlock_all();
CLOSE ALL; UNLISTEN *; RESET ALL`. Tortoise releases the connection after each statement outside a
transaction, so that round trip followed nearly every statement (5-12 % of the server's CPU in the
scale issue). It exists to drop what a request may leave in the session for the next one: settings
(`SET`, `set_config(..., false)`), session advisory locks, `LISTEN`, open cursors, prepared
statements, temporary tables.

This connection notes, before sending it, whether a statement can leave such state, and resets on
release only then. A statement is plain, and leaves none, when its text is one statement (no `;`
inside) beginning with a data or transaction keyword (SELECT, INSERT, ..., COMMIT) and naming no
function that changes the session (`set_config`, the session advisory locks, temporary tables,
`dblink`); anything else (SET, LISTEN, DECLARE, PREPARE, DO, CREATE TEMP ..., a multi-statement
script) makes the next release reset as asyncpg does. The registry's requests send only the ORM's
statements, which are plain; the values of a statement travel as parameters, never in its text, so
a request's input cannot make a statement look plain. What a release always does stays: an open
transaction is rolled back and listener callbacks are dropped (asyncpg's `Connection._reset`, no
round trip when no transaction is open). tests/api/test_pool.py proves both the skip and the reset;
tests/bench/pool_reset.py measures the CPU per request before and after.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import asyncpg

_PLAIN_START = re.compile(
    r"\s*(SELECT|INSERT|UPDATE|DELETE|WITH|VALUES|TABLE|SHOW|BEGIN|START|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b",
    re.IGNORECASE,
)
_SESSION_WORDS = re.compile(r"set_config|advisory|\btemp(orary)?\b|dblink", re.IGNORECASE)


@functools.lru_cache(maxsize=2048)
def leaves_no_session_state(query: str) -> bool:
    """Whether the statement `query` is plain: it cannot leave state in the session for the next request."""
    body = query.strip().rstrip(";")
    return ";" not in body and bool(_PLAIN_START.match(body)) and not _SESSION_WORDS.search(body)


class ResetWhenNeeded(asyncpg.Connection):
    """A pooled connection whose release resets the session only after a statement that is not plain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._session_touched = False

    def _note(self, query: str) -> None:
        if not self._session_touched and not leaves_no_session_state(query):
            self._session_touched = True

    async def execute(self, query: str, *args: Any, timeout: float | None = None) -> str:
        self._note(query)  # the simple-query protocol (no arguments) bypasses _get_statement
        return await super().execute(query, *args, timeout=timeout)

    async def _get_statement(self, query: str, *args: Any, **kwargs: Any) -> Any:
        self._note(query)  # every extended-protocol statement: fetch*, execute with arguments, prepare, cursor
        return await super()._get_statement(query, *args, **kwargs)  # type: ignore[misc]

    def get_reset_query(self) -> str:
        return super().get_reset_query() if self._session_touched else ""

    async def reset(self, *, timeout: float | None = None) -> None:
        await super().reset(timeout=timeout)
        self._session_touched = False
