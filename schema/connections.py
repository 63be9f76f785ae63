"""Relay connections of table rows: a page of an ordered query, with its cursors and total (API.md).

Every connection type is built the same way, `connection_type(edges=, page_info=, counting=)`: its
`totalCount` (types.counted_total) runs `counting`, which counts the query's rows at the first call only
and not at all when no field asks for it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry
from strawberry.types import Info
from tortoise.queryset import QuerySet

from resolvers.mandate_pages import Count
from schema import types
from schema.pagination import cursor_for, window

R = TypeVar("R")


@strawberry.type(description="An item of a list in a page, with its cursor.")
class Edge(Generic[R]):
    cursor: str = strawberry.field(description="Opaque; pass it as `after` to page from here.")
    node: R = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, in the list's order (Relay connection).")
class Connection(Generic[R]):
    """Named after its node in the schema (`<Node>Connection`, `<Node>Edge`): each list keeps its own types."""

    edges: list[Edge[R]] = strawberry.field(description="The page's items, in the list's order.")
    page_info: types.PageInfo = strawberry.field(description=types.PAGE_INFO)
    counting: strawberry.Private[types.Counting]
    total_count = types.counted_total("How many items the list holds over all pages.")


async def page_of(info: Info, query, node_type, first: int | None, after: str | None):
    """The page of the ordered `query` as a `Connection` of `node_type`."""
    return await connection(info, query, Connection, Edge, node_type, first, after)


async def connection(info: Info, query, connection_type, edge_type, node_type, first=None, after=None):
    """One page (`first` after `after`) of the ordered `query` as `connection_type`, each row an `edge_type` of
    `node_type.of(row)`. It reads one row more than it shows, to tell whether a next page follows."""
    page = window(first, after, None, None, None, info.context.page_size_max)
    read = await query.offset(page.offset).limit(page.limit + 1)
    rows = read[: page.limit]
    page_info = types.PageInfo(
        has_next_page=len(read) > page.limit,
        has_previous_page=page.offset > 0,
        start_cursor=cursor_for(page.offset) if rows else None,
        end_cursor=cursor_for(page.offset + len(rows) - 1) if rows else None,
    )
    edges = [edge_type(cursor=cursor_for(page.offset + i), node=node_type.of(row)) for i, row in enumerate(rows)]
    return connection_type(edges=edges, page_info=page_info, counting=once(lambda: _exact(query)))


async def _exact(query: QuerySet) -> Count:
    return Count(await query.count(), is_lower_bound=False)


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
