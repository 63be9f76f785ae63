"""The connections of table rows (schema/connections.py; API.md: lists that can grow are Relay connections):
a page reads one row more than it shows to tell `hasNextPage`, and `totalCount` is counted once, only when
the query asks for it. Seen on the notifications, any viewer's list."""

from __future__ import annotations

from schema import connections
from tests.api.helpers import LOGISTIQUE, PROVIDER, active

PAGE = """query($after: String) { notifications(first: 1, after: $after) {
  edges { cursor } pageInfo { hasNextPage endCursor } } }"""
COUNTED = """{ notifications(first: 1) { totalCount again: totalCount edges { cursor } } }"""
ALL = """{ notifications(first: 100) { edges { cursor } pageInfo { hasNextPage } } }"""


async def test_api_a_page_without_total_count_counts_nothing_and_a_total_asked_twice_is_counted_once(api, monkeypatch):
    await active(api, LOGISTIQUE, PROVIDER, ["PMP"], "3/2024")  # both parties are notified
    counts = []
    exact = connections._exact

    async def counting(query):
        counts.append(query)
        return await exact(query)

    monkeypatch.setattr(connections, "_exact", counting)
    everything = (await api(ALL, as_="nsso-officer"))["data"]["notifications"]
    assert len(everything["edges"]) >= 2 and everything["pageInfo"]["hasNextPage"] is False
    after, pages = None, []
    while True:
        page = (await api(PAGE, {"after": after}, as_="nsso-officer"))["data"]["notifications"]
        pages.append(len(page["edges"]))
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == [1] * len(everything["edges"])  # the last page is known as such: no empty page after it
    assert counts == []

    counted = (await api(COUNTED, as_="nsso-officer"))["data"]["notifications"]
    assert counted["totalCount"] == counted["again"] == len(everything["edges"])
    assert len(counts) == 1
