"""Alphabetical sort keys: names compared without case or accents, the same on every database (R-SRCH-8).

A name's key is its compatibility decomposition without the combining marks, case-folded: "éclair
Conseil" sorts as "eclair conseil", between "bravo services" and "Zeta". The key is stored beside the
name (an indexed column) and compared code point by code point: SQLite's BINARY collation on UTF-8 and
PostgreSQL's "C" collation (migration 0003) order texts alike, whatever the server's locale.
"""

from __future__ import annotations

import unicodedata

# Letters that carry no combining mark to drop but are written as plain letters when sorting.
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})


def sort_key(name: str) -> str:
    """The key `name` sorts by alphabetically: no accents, case-folded, spaces kept."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().translate(LIGATURES)
