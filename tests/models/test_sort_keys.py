"""Names as they sort (R-SRCH-8): without case or accents, in code point order of the key."""

from __future__ import annotations

import pytest

from models.sort_keys import sort_key


def test_r_srch_8_lower_case_and_accented_names_sort_among_the_others():
    names = ["Zeta", "éclair Conseil", "bravo services", "Alpha"]
    assert sorted(names, key=sort_key) == ["Alpha", "bravo services", "éclair Conseil", "Zeta"]
    assert sorted(names) == ["Alpha", "Zeta", "bravo services", "éclair Conseil"]  # what a plain sort did


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Éclair Conseil", "eclair conseil"),
        ("ÇA VA SPRL", "ca va sprl"),
        ("Straße GmbH", "strasse gmbh"),
        ("Œuvres sociales", "oeuvres sociales"),
        ("Søren & Ærø", "soren & aero"),
        ("ﬁduciaire", "fiduciaire"),  # a ligature character is its letters
    ],
)
def test_r_srch_8_the_key_has_no_case_accent_or_ligature(name, key):
    assert sort_key(name) == key
