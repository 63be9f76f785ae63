"""Global IDs (`Node.id`): base64 of "Type:key", as Relay and Strawberry write them."""

from __future__ import annotations

import base64
import binascii

from models.errors import ErrorCode, RuleViolation


def encode_id(type_name: str, key: int | str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def decode_id(text: str, type_name: str, field: tuple[str, ...]) -> int:
    """The integer key of a global ID of `type_name`; INVALID_ID for anything else."""
    try:
        decoded = base64.b64decode(text, validate=True).decode()
        kind, _, key = decoded.partition(":")
        if kind == type_name and key.isdigit() and len(key) < 12:
            return int(key)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        pass
    raise RuleViolation(ErrorCode.INVALID_ID, f"'{text}' is not the ID of a {type_name}.", field)
