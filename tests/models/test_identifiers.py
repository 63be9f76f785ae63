"""Identifiers: CBE enterprise numbers and NISS (R-ENT-6, R-ENT-7; models/identifiers.py)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from models.errors import ErrorCode, RuleViolation
from models.identifiers import (
    format_enterprise_number,
    is_enterprise_number,
    is_niss,
    normalise_enterprise_number,
    normalise_niss,
)


def cbe(first_eight: str) -> str:
    """A CBE number with its modulo-97 check computed independently of the code under test."""
    return first_eight + f"{97 - int(first_eight) % 97:02d}"


def niss(first_nine: str, born_from_2000: bool = False) -> str:
    base = int(("2" if born_from_2000 else "") + first_nine)
    return first_nine + f"{97 - base % 97:02d}"


# Computed by hand: 850731003 -> 97 - 850731003 mod 97 = 28; 2050731003 -> 97 - (2050731003 mod 97) = 26.
NISS_1985 = "85073100328"
NISS_2005 = "05073100326"


def test_r_ent_7_helper_values_are_what_the_rule_says():
    """R-ENT-7: sanity of the hand-computed fixtures (guards the helpers used below)."""
    assert cbe("04031707") == "0403170701"
    assert niss("850731003") == NISS_1985
    assert niss("050731003", born_from_2000=True) == NISS_2005


# R-ENT-7: CBE enterprise numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("0403170701", "0403170701"),
        ("0403.170.701", "0403170701"),
        ("0403 170 701", "0403170701"),
        (" 0403.170.701 ", "0403170701"),
        ("0403-170-701", "0403170701"),
        (cbe("12345678"), cbe("12345678")),  # first digit 1 is allowed
        (cbe("00000097"), "0000009797"),  # first eight divisible by 97: check digits 97
    ],
)
def test_r_ent_7_valid_enterprise_numbers_with_or_without_dots(raw, digits):
    assert is_enterprise_number(raw)
    assert normalise_enterprise_number(raw) == digits


@pytest.mark.parametrize(
    "raw",
    [
        "0403.170.702",  # bad check (R-ENT-7's own example)
        "0403170700",
        cbe("24031707"),  # correct check, but first digit 2
        cbe("94031707"),  # first digit 9
        "403170701",  # 9 digits
        "00403170701",  # 11 digits
        "0403.170.70",
        "",
        "abcdefghij",
        "0403.17O.701",  # letter O
        "0²03170701",  # superscript two is not a digit 0-9
        "0٤٠٣١٧٠٧٠١",  # Arabic-Indic digits
        None,
        403170701,
    ],
)
def test_r_ent_7_invalid_enterprise_numbers_are_refused(raw):
    assert is_enterprise_number(raw) is False
    with pytest.raises(RuleViolation) as caught:
        normalise_enterprise_number(raw, ("mandataryNumber",))
    assert caught.value.code is ErrorCode.INVALID_ENTERPRISE_NUMBER
    assert caught.value.field == ("mandataryNumber",)


@pytest.mark.parametrize(
    ("digits", "shown"),
    [("0403170701", "0403.170.701"), ("0123456749", "0123.456.749"), ("1234567894", "1234.567.894")],
)
def test_r_ent_7_format_enterprise_number_as_the_cbe_shows_it(digits, shown):
    assert format_enterprise_number(digits) == shown
    assert normalise_enterprise_number(shown) == digits


@given(st.integers(0, 19_999_999))
def test_r_ent_7_numbers_with_a_correct_check_always_validate(first_eight):
    number = cbe(f"{first_eight:08d}")
    assert is_enterprise_number(number)
    assert normalise_enterprise_number(format_enterprise_number(number)) == number


@given(st.integers(0, 19_999_999), st.integers(0, 9), st.integers(1, 9))
def test_r_ent_7_changing_one_digit_never_validates(first_eight, position, shift):
    number = cbe(f"{first_eight:08d}")
    digits = list(number)
    digits[position] = str((int(digits[position]) + shift) % 10)
    assert not is_enterprise_number("".join(digits))


# R-ENT-6, R-ENT-7: NISS -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        (NISS_1985, NISS_1985),
        ("85.07.31-003.28", NISS_1985),  # as printed on an eID card
        ("850731 003 28", NISS_1985),
        (NISS_2005, NISS_2005),  # born from 2000: check on "2" + first nine
        (niss("050731003"), niss("050731003")),  # same digits, born in 1905
        (niss("854731003"), niss("854731003")),  # bis number (month + 40)
    ],
)
def test_r_ent_6_r_ent_7_valid_niss_before_and_after_2000(raw, digits):
    assert is_niss(raw)
    assert normalise_niss(raw) == digits


@pytest.mark.parametrize(
    "raw",
    [
        "85073100329",  # wrong check
        "05073100327",  # wrong check under both rules
        "8507310032",  # 10 digits
        "850731003288",  # 12 digits
        "8507310032X",
        "8507310032²",
        "٨٥٠٧٣١٠٠٣٢٨",  # Arabic-Indic digits
        "",
        None,
        85073100328,
    ],
)
def test_r_ent_6_invalid_niss_is_refused(raw):
    assert is_niss(raw) is False
    with pytest.raises(RuleViolation) as caught:
        normalise_niss(raw)
    assert caught.value.code is ErrorCode.INVALID_NISS


@given(st.integers(0, 999_999_999), st.booleans())
def test_r_ent_6_niss_with_a_correct_check_always_validates(first_nine, born_from_2000):
    assert is_niss(niss(f"{first_nine:09d}", born_from_2000))


@given(st.integers(0, 999_999_999), st.booleans(), st.integers(0, 8), st.integers(1, 9))
def test_r_ent_6_changing_one_of_the_first_nine_digits_never_validates(first_nine, born_from_2000, position, shift):
    """R-ENT-6: a changed digit breaks the check, unless it happens to match the other century's check."""
    number = niss(f"{first_nine:09d}", born_from_2000)
    digits = list(number)
    digits[position] = str((int(digits[position]) + shift) % 10)
    changed = "".join(digits)
    other_century = niss(changed[:9], not born_from_2000)
    assume(other_century != changed)
    assert not is_niss(changed)
