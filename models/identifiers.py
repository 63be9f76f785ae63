"""Identifiers of enterprises and persons (R-ENT-4..7).

CBE enterprise number: 10 digits, first digit 0 or 1, the last two = 97 - (first eight mod 97).
NISS (national number or bis number): 11 digits YYMMDDSSSCC, CC = 97 - (first nine mod 97), or,
for people born from 2000, 97 - ("2" followed by the first nine, mod 97).
"""

from __future__ import annotations

import re

from models.errors import ErrorCode, RuleViolation

_SEPARATORS = re.compile(r"[\s.\-/]")


def _digits(raw: str) -> str:
    return _SEPARATORS.sub("", raw) if isinstance(raw, str) else ""


def _ascii_digits(text: str) -> bool:
    """Only 0-9: str.isdigit() also accepts superscripts and other scripts' digits."""
    return text.isascii() and text.isdigit()


def is_enterprise_number(raw: str) -> bool:
    digits = _digits(raw)
    if len(digits) != 10 or not _ascii_digits(digits) or digits[0] not in "01":
        return False
    return 97 - int(digits[:8]) % 97 == int(digits[8:])


def normalise_enterprise_number(raw: str, field: tuple[str, ...] | None = None) -> str:
    """Return the 10 digits of a valid CBE number, accepted with or without dots (R-ENT-7)."""
    if not isinstance(raw, str) or not is_enterprise_number(raw):
        raise RuleViolation(ErrorCode.INVALID_ENTERPRISE_NUMBER, "api.identifiers.enterprise_number", field, raw=raw)
    return _digits(raw)


def format_enterprise_number(digits: str) -> str:
    """0123456749 -> 0123.456.749, the way the CBE shows it."""
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def is_niss(raw: str) -> bool:
    digits = _digits(raw)
    if len(digits) != 11 or not _ascii_digits(digits):
        return False
    check = int(digits[9:])
    return check in (97 - int(digits[:9]) % 97, 97 - int("2" + digits[:9]) % 97)


def normalise_niss(raw: str, field: tuple[str, ...] | None = None) -> str:
    if not isinstance(raw, str) or not is_niss(raw):
        raise RuleViolation(ErrorCode.INVALID_NISS, "api.identifiers.niss", field, raw=raw)
    return _digits(raw)
