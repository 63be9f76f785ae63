"""Global IDs (`Node.id`): base64 of "Type:key", as Relay and Strawberry write them."""

from __future__ import annotations

import base64
import binascii

from models.errors import ErrorCode, RuleViolation

MAX_KEY = 2**31 - 1  # integer primary keys (PostgreSQL `integer`): a larger key names no row


def encode_id(type_name: str, key: int | str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def parse_id(text: str) -> tuple[str, int] | None:
    """The type name and integer key of a global ID; None for anything malformed or out of range."""
    try:
        kind, _, key = base64.b64decode(text, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        return None
    if not (key.isascii() and key.isdigit()) or len(key) > 10 or int(key) > MAX_KEY:
        return None
    return kind, int(key)


def decode_id(text: str, type_name: str, field: tuple[str, ...]) -> int:
    """The integer key of a global ID of `type_name`; INVALID_ID for anything else."""
    parsed = parse_id(text)
    if parsed is None or parsed[0] != type_name:
        raise RuleViolation(ErrorCode.INVALID_ID, f"'{text}' is not the ID of a {type_name}.", field)
    return parsed[1]


def fits(model, column: str, value: str) -> bool:
    """Whether a text can be stored in (so can match) a column: a longer one names no row."""
    return len(value) <= model._meta.fields_map[column].max_length
