"""Global IDs are opaque (hardening item 2): they reveal no order or row count, a tampered or walked
ID names nothing, and every node type round-trips through node(id:).
"""

from __future__ import annotations

import base64
import itertools
import json
import os

import pytest

from config.demo import DEMO_DIR
from config.settings import DEV_ID_SECRET
from resolvers import ids
from resolvers.ids import encode_id, parse_id
from tests.api.authorisation_steps import request
from tests.api.helpers import PROVIDER, SIGN, codes, created
from tests.api.node_steps import ask, build_world

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _raw(global_id: str) -> bytes:
    return base64.urlsafe_b64decode(global_id + "==")


async def test_hardening_consecutive_rows_ids_share_no_order_or_prefix(api):
    """The reference enterprises, rows 1, 2, 3...: their IDs look unrelated, and none shows its key or type."""
    numbers = [
        e["enterpriseNumber"]
        for e in json.loads((DEMO_DIR / "reference.json").read_text(encoding="utf-8"))["enterprises"]
    ]
    query = "{ %s }" % " ".join(f'e{i}: enterprise(number: "{n}") {{ id }}' for i, n in enumerate(numbers))
    found = (await ask(api, "unrelated consult-only user", query)).values()
    by_key = sorted((parse_id(e["id"], ("Enterprise",))[1], e["id"]) for e in found)
    keys, global_ids = [k for k, _ in by_key], [g for _, g in by_key]
    assert keys == list(range(1, len(numbers) + 1))  # consecutive rows...
    assert all(len(g) == 22 and set(g) <= set(ALPHABET) for g in global_ids)
    for a, b in itertools.pairwise(global_ids):
        assert a[:2] != b[:2] and a[-2:] != b[-2:]  # ...share no visible prefix or suffix...
    assert sorted(global_ids) != global_ids  # ...nor their order
    for global_id, key in zip(global_ids, keys):
        raw = _raw(global_id)
        assert b"Enterprise" not in raw and key.to_bytes(4, "big") not in raw


def test_hardening_the_same_row_under_another_secret_is_another_id():
    """The IDs are keyed: without MANDATES_ID_SECRET nobody computes a neighbour's."""
    mine = encode_id("Mandate", 1)
    try:
        ids.use_secret("another-deployment-s-secret")
        theirs = encode_id("Mandate", 1)
        assert theirs != mine and parse_id(mine, ("Mandate",)) is None
    finally:
        ids.use_secret(DEV_ID_SECRET)
    assert parse_id(theirs, ("Mandate",)) is None and parse_id(mine, ("Mandate",)) == ("Mandate", 1)


def _tampered(global_id: str) -> list[str]:
    """Every one-character change, the walked neighbours of its bytes, and the former transparent form."""
    out = set()
    for i, char in enumerate(global_id):
        for other in (ALPHABET[(ALPHABET.index(char) + 1) % 64], ALPHABET[(ALPHABET.index(char) + 17) % 64]):
            out.add(global_id[:i] + other + global_id[i + 1 :])
    raw = bytearray(_raw(global_id))
    for i in (3, 7, 15):  # the block read as a counter, walked by one
        walked = bytearray(raw)
        walked[i] = (walked[i] + 1) % 256
        out.add(base64.urlsafe_b64encode(bytes(walked)).rstrip(b"=").decode())
    out.add(base64.b64encode(f"Mandate:{parse_id(global_id, ('Mandate',))[1]}".encode()).decode())
    out.add(base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode())
    out.discard(global_id)
    return sorted(out)


async def test_hardening_a_tampered_or_walked_id_names_nothing(api):
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    assert (await ask(api, "principal manager", NODE, {"id": mandate["id"]}))["node"]["id"] == mandate["id"]
    for forged in _tampered(mandate["id"]):
        assert parse_id(forged, ("Mandate", "Enterprise")) is None, forged
        assert (await ask(api, "principal manager", NODE, {"id": forged}))["node"] is None, forged
    # The use cases refuse it as no ID at all, not as a hidden mandate.
    (forged, *_) = _tampered(mandate["id"])
    result = await api(SIGN, {"id": forged}, as_="employer-director")
    assert codes(result["data"]["signMandate"]) == ["INVALID_ID"]


async def test_hardening_every_node_type_round_trips_through_node(api, clock):
    world = await build_world(api, clock)
    for kind, global_id in world.ids.items():
        assert (await ask(api, "NSSO officer", NODE, {"id": global_id}))["node"] == {
            "__typename": kind,
            "id": global_id,
        }
        # An ID is its type's only: the same key under another type is another ID.
        key = parse_id(global_id, (kind,))[1]
        other = "Mandate" if kind != "Mandate" else "Enterprise"
        assert encode_id(other, key) != global_id and parse_id(global_id, (other,)) is None


@pytest.mark.parametrize("text", ["", "short", "A" * 22, "A" * 21 + "=", "!" * 22, "é" * 22, "A" * 23])
def test_hardening_malformed_ids_name_nothing(text):
    assert parse_id(text, ("Mandate",)) is None


async def test_hardening_download_links_name_the_authorisation_by_its_opaque_id(api):
    """A PDF link shows no row key either; a link whose ID is changed fetches nothing."""
    mandate = await created(api, "employer-director", mandataryNumber=PROVIDER, groups=["PMP"], startQuarter="3/2024")
    issued = await request(api, "employer-director", mandate["id"])
    authorisation = issued["authorisation"]
    url = authorisation["downloadUrl"]
    assert url.startswith(f"/authorisations/{authorisation['id']}.pdf?")
    response = await api.client.get(url)
    assert response.status_code == 200 and authorisation["id"] in response.headers["content-disposition"]
    key = parse_id(authorisation["id"], ("Authorisation",))[1]
    for named in (str(key), encode_id("Mandate", key), _tampered_once(authorisation["id"])):
        assert (await api.client.get(url.replace(authorisation["id"], named, 1))).status_code == 403, named


def _tampered_once(global_id: str) -> str:
    return global_id[:5] + ALPHABET[(ALPHABET.index(global_id[5]) + 1) % 64] + global_id[6:]
