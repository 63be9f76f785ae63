"""A row's global ID encoded when written (resolvers.ids.GlobalId): the same text as encode_id, equal to it,
written so by graphql-core into an answer (hardening: global IDs stay as they are)."""

from __future__ import annotations

from graphql.type.scalars import serialize_id

from resolvers.ids import GlobalId, encode_id, parse_id


def test_hardening_a_lazy_global_id_is_the_encoded_id():
    lazy = GlobalId("Mandate", 575)
    text = encode_id("Mandate", 575)
    assert str(lazy) == text == serialize_id(lazy)
    assert lazy == text and text == lazy and hash(lazy) == hash(text)
    assert lazy != GlobalId("Mandate", 576) and lazy != GlobalId("Enterprise", 575)
    assert parse_id(str(lazy), ("Mandate",)) == ("Mandate", 575)
