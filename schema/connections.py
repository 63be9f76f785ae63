"""Relay connections of table rows: a page of an ordered query, with its cursors and total (API.md)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from strawberry.types import Info

from resolvers.mandate_pages import Count
from schema import types
from schema.pagination import cursor_for, window


async def connection(
    info: Info, query, connection_type, edge_type, node_type, first=None, after=None, last=None, before=None
):
    """One page of the ordered `query` as `connection_type`, each row an `edge_type` of `node_type.of(row)`."""
    total = await query.count()
    page = window(first, after, last, before, total, info.context.page_size_max)
    rows = await query.offset(page.offset).limit(page.limit)
    page_info = types.PageInfo(
        has_next_page=page.offset + len(rows) < total,
        has_previous_page=page.offset > 0,
        start_cursor=cursor_for(page.offset) if rows else None,
        end_cursor=cursor_for(page.offset + len(rows) - 1) if rows else None,
    )
    edges = [edge_type(cursor=cursor_for(page.offset + i), node=node_type.of(row)) for i, row in enumerate(rows)]
    if connection_type is types.MandateConnection:  # its count is a field computed when asked: here, already known
        exact = Count(total, is_lower_bound=False)
        return connection_type(edges=edges, page_info=page_info, counting=once(lambda: _known(exact)))
    return connection_type(edges=edges, page_info=page_info, total_count=total)


async def _known(count: Count) -> Count:
    return count


T = TypeVar("T")


def once(compute: Callable[[], Awaitable[T]]) -> Callable[[], Awaitable[T]]:
    """`compute` run at the first call only, its result shared by every call (e.g. a count two fields read)."""
    lock, done = asyncio.Lock(), list[T]()

    async def value() -> T:
        async with lock:
            if not done:
                done.append(await compute())
        return done[0]

    return value
