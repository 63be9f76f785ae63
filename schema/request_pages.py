"""The officers' lists of enterprise-side requests, one page at a time (API.md "NSSO officer operations"):
employer identification requests (WIDE, R-WIDE-1..3) and service-provider requests (R-SPID-2).

Both lists are Relay connections of the same shape, oldest first: the generic types below are named after
their node, `<Node>Edge` and `<Node>Connection`, so each kind of request keeps its own types in the schema.
"""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry
from strawberry.types import Info

from schema import types
from schema.connections import connection

R = TypeVar("R")


@strawberry.type(description="A request in a page, with its cursor.")
class Edge(Generic[R]):
    cursor: str = strawberry.field(description="Opaque; pass it as `after` to page from here.")
    node: R = strawberry.field(description="The request.")


@strawberry.type(description="A page of requests, oldest first (Relay connection).")
class Connection(Generic[R]):
    edges: list[Edge[R]] = strawberry.field(description="The page's requests, oldest first.")
    page_info: types.PageInfo = strawberry.field(description=types.PAGE_INFO)
    counting: strawberry.Private[types.Counting]
    total_count = types.counted_total("How many requests match over all pages.")


async def request_page(info: Info, query, node_type, first: int | None, after: str | None):
    """The page of the ordered `query` of requests, each an edge of `node_type`."""
    return await connection(info, query, Connection, Edge, node_type, first, after)
