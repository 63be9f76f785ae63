"""Letters by post (R-NOT-3): in the recipient's language as far as its registered address tells.

Belgium's language areas follow the postal codes: 1000-1299 is bilingual Brussels (the letter is
in French and Dutch), 1300-1499 and 4000-7999 are French-speaking but for the German-speaking
community's codes, 1500-3999 and 8000-9999 Dutch-speaking. An address without a Belgian postal code
gets the letter in the three national languages, unless it ends with a country of one of them.
"""

from __future__ import annotations

import re

FRENCH, DUTCH, GERMAN = "fr", "nl", "de"
# The German-speaking community's postal codes (Eupen, Kelmis, Lontzen, Raeren, Amel, Büllingen, Burg-Reuland,
# Bütgenbach, Sankt Vith).
GERMAN_CODES = frozenset(
    {
        4700,
        4701,
        4710,
        4711,
        4720,
        4721,
        4728,
        4730,
        4731,
        4750,
        4760,
        4761,
        4770,
        4771,
        4780,
        4782,
        4783,
        4784,
        4790,
        4791,
    }
)

POSTAL_CODE = re.compile(r"(?<!\d)(\d{4})(?!\d)\s+\S")

WORDS = {
    FRENCH: {"title": "Registre des mandats - notification", "date": "Date", "reference": "Référence"},
    DUTCH: {"title": "Mandatenregister - kennisgeving", "date": "Datum", "reference": "Referentie"},
    GERMAN: {"title": "Mandatsregister - Mitteilung", "date": "Datum", "reference": "Referenz"},
}


# An address abroad whose last part names a country of one of the national languages.
COUNTRIES = {
    "germany": GERMAN,
    "deutschland": GERMAN,
    "austria": GERMAN,
    "france": FRENCH,
    "netherlands": DUTCH,
    "nederland": DUTCH,
}


def languages_of(address: str) -> tuple[str, ...]:
    """The languages of a letter to `address`: its country's when abroad, else from its last Belgian postal code."""
    country = COUNTRIES.get(address.rsplit(",", 1)[-1].strip().lower())
    if country:
        return (country,)
    codes = [int(code) for code in POSTAL_CODE.findall(address)]
    if not codes:
        return FRENCH, DUTCH, GERMAN
    code = codes[-1]
    if 1000 <= code <= 1299:
        return FRENCH, DUTCH
    if code in GERMAN_CODES:
        return (GERMAN,)
    if 1300 <= code <= 1499 or 4000 <= code <= 7999:
        return (FRENCH,)
    return (DUTCH,)


def heading(languages: tuple[str, ...], key: str) -> str:
    """A word of the letter's frame in its languages: "Date / Datum"."""
    return " / ".join(dict.fromkeys(WORDS[language][key] for language in languages))
