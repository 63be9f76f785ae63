"""Mandate references: a series and a number, "M2026-17" (R-CRE-5, R-SRCH-8).

Sorting "by series of reference numbers" is by series, then by number as a number, so M2024-9
comes before M2024-10 (the database sorts on the two columns, not on the text).
"""

from __future__ import annotations

import re

from models.errors import ErrorCode, RuleViolation

_PATTERN = re.compile(r"^M(\d{4})-(\d{1,9})$", re.ASCII)


def format_reference(series: int, number: int) -> str:
    return f"M{series}-{number}"


def parse_reference(text: str) -> tuple[int, int]:
    match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise RuleViolation(ErrorCode.INVALID_INPUT, "api.reference.invalid", ("reference",), text=text)
    return int(match.group(1)), int(match.group(2))
