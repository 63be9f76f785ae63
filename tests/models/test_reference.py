"""Mandate references: R-CRE-5 (format) and R-SRCH-8 (sort by series, then number) (models/reference.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import ErrorCode, RuleViolation
from models.reference import format_reference, parse_reference


@pytest.mark.parametrize(
    ("series", "number", "text"),
    [(2024, 1, "M2024-1"), (2024, 123, "M2024-123"), (2026, 17, "M2026-17"), (2023, 500, "M2023-500")],
)
def test_r_cre_5_reference_is_series_dash_number_not_zero_padded(series, number, text):
    assert format_reference(series, number) == text
    assert parse_reference(text) == (series, number)


@given(st.integers(1000, 9999), st.integers(1, 999_999_999))
def test_r_cre_5_format_and_parse_round_trip(series, number):
    assert parse_reference(format_reference(series, number)) == (series, number)


@given(
    st.tuples(st.integers(1000, 9999), st.integers(1, 999_999_999)),
    st.tuples(st.integers(1000, 9999), st.integers(1, 999_999_999)),
)
def test_r_cre_5_distinct_series_and_numbers_give_distinct_references(a, b):
    assert (format_reference(*a) == format_reference(*b)) == (a == b)


def test_r_srch_8_sort_by_series_then_number():
    references = ["M2024-10", "M2023-500", "M2024-9", "M2024-100", "M2022-7"]
    assert sorted(references, key=parse_reference) == ["M2022-7", "M2023-500", "M2024-9", "M2024-10", "M2024-100"]
    assert sorted(references) != sorted(references, key=parse_reference)  # plain text order differs


def test_r_srch_8_surrounding_blanks_are_ignored():
    assert parse_reference("  M2024-9 ") == (2024, 9)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "M2024",
        "M2024-",
        "M24-1",
        "m2024-1",
        "X2024-1",
        "M2024_1",
        "M2024-1a",
        "2024-1",
        "M2024-1234567890",  # more than nine digits
        "M2024--1",
        "M2024-٩",  # Arabic-Indic digit
        None,
        20241,
    ],
)
def test_r_cre_5_bad_references_are_invalid_input(text):
    with pytest.raises(RuleViolation) as caught:
        parse_reference(text)
    assert caught.value.code is ErrorCode.INVALID_INPUT
    assert caught.value.field == ("reference",)
