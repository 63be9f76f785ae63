"""Relay paging with `first`/`after` and `last`/`before`, `first` capped (API.md conventions).

Cursors are opaque offsets into the ordered result ("arrayconnection:N", as Strawberry's own
ListConnection writes them).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Annotated

import strawberry

from models.errors import ErrorCode, RuleViolation

PREFIX = "arrayconnection:"

# The paging arguments of every connection field, described once.
First = Annotated[
    int | None,
    strawberry.argument(
        description=(
            "At most this many items, from the start or after `after`: 0 to 100 (INVALID_INPUT otherwise); 100 when "
            "neither first nor last is given."
        )
    ),
]
After = Annotated[
    str | None,
    strawberry.argument(
        description="A cursor of this list (an edge's `cursor`, `pageInfo.endCursor`): the items after it."
    ),
]
Last = Annotated[
    int | None, strawberry.argument(description="At most this many items, from the end or before `before`: 0 to 100.")
]
Before = Annotated[
    str | None, strawberry.argument(description="A cursor of this list (`pageInfo.startCursor`): the items before it.")
]


def cursor_for(offset: int) -> str:
    return base64.b64encode(f"{PREFIX}{offset}".encode()).decode()


def offset_of(cursor: str, field: str) -> int:
    try:
        text = base64.b64decode(cursor, validate=True).decode()
        if text.startswith(PREFIX) and text[len(PREFIX) :].isdigit():
            return int(text[len(PREFIX) :])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise RuleViolation(ErrorCode.INVALID_INPUT, "api.pagination.cursor", (field,), cursor=cursor)


@dataclass(frozen=True)
class Window:
    offset: int
    limit: int


def window(
    first: int | None, after: str | None, last: int | None, before: str | None, total: int | None, cap: int
) -> Window:
    """The slice the arguments ask for. `last`/`before` need `total` to count back from the end."""
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= cap:
            raise RuleViolation(ErrorCode.INVALID_INPUT, "api.pagination.range", (name,), name=name, cap=cap)
    start = offset_of(after, "after") + 1 if after else 0
    end = offset_of(before, "before") if before else (total if total is not None else start + (first or cap))
    if first is not None:
        end = min(end, start + first)
    elif last is None:
        end = min(end, start + cap)
    if last is not None:
        start = max(start, end - last)
    return Window(start, max(0, end - start))
