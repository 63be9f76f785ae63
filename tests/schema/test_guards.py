"""The measure of a document (schema/guards.py), table-driven: depth as Strawberry's depth limiter
counted it, aliases and fields once fragments are expanded, spreads as written, in linear time."""

from __future__ import annotations

import pytest
from graphql import parse

from schema.guards import Cost, QueryLimits, QueryRefused, check, measure
from tests.bench.fragment_bomb import fragment_bomb

CASES = [
    ("{ __typename }", Cost(depth=0, aliases=0, fields=1), 0),
    ("{ a { b } }", Cost(depth=1, aliases=0, fields=2), 0),
    ("{ a { b { c } } d }", Cost(depth=2, aliases=0, fields=4), 0),
    ("{ x: a { y: b } z: a { b } }", Cost(depth=1, aliases=3, fields=4), 0),
    ("{ ...F ...F } fragment F on Query { a { b } }", Cost(depth=1, aliases=0, fields=4), 2),  # F is compared once
    ("{ ...F a { c } } fragment F on Query { a { b } }", Cost(depth=1, aliases=0, fields=4, overlaps=2), 1),
    (
        "{ a { b } a { b c } x: a }",
        Cost(depth=1, aliases=1, fields=6, overlaps=3),
        0,
    ),  # one pair of a, with 2 subfields
    ("{ a { ...F } } fragment F on A { b { c } }", Cost(depth=2, aliases=0, fields=3), 1),
    ("{ ... on Query { x: a { b } } }", Cost(depth=1, aliases=1, fields=2), 0),
    (
        "{ __schema { types { fields { name } } } }",
        Cost(depth=0, aliases=0, fields=4),
        0,
    ),  # introspection adds no depth
    ("{ ...Missing }", Cost(depth=0, aliases=0, fields=0), 1),  # left to validation
    (fragment_bomb(3), Cost(depth=0, aliases=0, fields=8), 7),
    (fragment_bomb(40), Cost(depth=0, aliases=0, fields=2**40), 81),
]


@pytest.mark.parametrize(("query", "cost", "spreads"), CASES)
def test_measure(query, cost, spreads):
    measured = measure(parse(query), milliseconds=1000)
    assert list(measured.operations.values()) == [cost]
    assert measured.spreads == spreads


def test_overlaps_count_each_definition_once():
    document = "{ a a ...F ...F } fragment F on Query { a b b }"
    measured = measure(parse(document), milliseconds=1000)
    # The operation, F merged in once: a three times (3 pairs), b twice (1 pair, an upper bound:
    # graphql-core compares F's own fields with each other only in F); F itself: b twice, 1 pair.
    assert measured.operations[None].overlaps == 4
    assert measured.overlaps == 5


def test_measure_is_linear_in_the_fragments_not_in_their_expansion():
    # 2**250 fields cannot have been walked one by one: the count is summed per fragment, once each
    # (the speed itself is shown by tests/bench/fragment_bomb, not asserted here).
    measured = measure(parse(fragment_bomb(250), max_tokens=None), milliseconds=1000)
    assert measured.operations["Bomb"].fields == 2**250


def test_a_long_chain_of_fragments_does_not_exhaust_the_stack():
    chain = (
        "{ ...F0 } "
        + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(3000))
        + " fragment F3000 on Query { __typename }"
    )
    assert measure(parse(chain, max_tokens=None), milliseconds=1000).spreads == 3001


@pytest.mark.parametrize(
    "query",
    [
        "{ ...A } fragment A on Query { ...A }",
        "{ ...A } fragment A on Query { a { ...B } } fragment B on A { ... on A { ...A } }",
    ],
)
def test_a_fragment_cycle_is_refused(query):
    with pytest.raises(QueryRefused, match="spreads itself"):
        measure(parse(query), milliseconds=1000)


LIMITS = QueryLimits(depth=2, aliases=1, fields=5, spreads=2, tokens=100, bytes=1000, milliseconds=5)


@pytest.mark.parametrize(
    ("query", "refusal"),
    [
        ("{ a { b { c } } }", None),
        ("{ a { b { c { d } } } }", "maximum operation depth of 2"),
        ("{ x: a y: b }", "2 aliases"),
        ("{ a b c d e f }", "6 fields"),
        ("{ a a a a a }", "same names 10 times over"),
        ("{ ...F ...F ...F } fragment F on Query { a }", "3 times"),
        ("query Small { a } query Big { a b c d e f }", "operation Big asks for 6 fields"),
    ],
)
def test_check_against_limits(query, refusal):
    cost = measure(parse(query), milliseconds=1000)
    if refusal is None:
        check(cost, LIMITS, None)
        return
    with pytest.raises(QueryRefused, match=refusal):
        check(cost, LIMITS, None)


def test_only_the_chosen_operation_counts():
    cost = measure(parse("query Small { a } query Big { a b c d e f }"), milliseconds=1000)
    check(cost, LIMITS, "Small")
    with pytest.raises(QueryRefused):
        check(cost, LIMITS, "Big")
