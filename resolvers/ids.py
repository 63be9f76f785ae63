"""Global IDs (`Node.id`): opaque, so that they reveal no row count and cannot be walked.

An ID is one AES block, encrypted under a key derived (HKDF-SHA256) from `MANDATES_ID_SECRET`,
written in base64url without padding (22 characters). The block holds a 4-byte tag of the type
name, the row's integer key (4 bytes, big-endian) and 8 zero check bytes. AES is a keyed
permutation: consecutive keys give unrelated IDs, sharing no prefix or order. An ID not made with
the key (forged, altered, or a neighbour guessed) decrypts to a block whose check bytes are zero
with probability 2^-64: it names nothing (INVALID_ID, or null from `node(id:)`).

The codec is the process's, set from the settings by the app and the CLI (`use_secret`); until
then it is the development default's, which production refuses (config.settings).

Page cursors (`seal_cursor`) are sealed under another key derived from the same secret, with AES-GCM:
a cursor carries the sort values of the row it points after, which nobody may read or alter.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import os
import threading
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from tortoise.fields import CharField
from tortoise.models import Model

from config.settings import DEV_ID_SECRET
from models.errors import ErrorCode, RuleViolation

MAX_KEY = 2**31 - 1  # integer primary keys (PostgreSQL `integer`): a larger key names no row
CHECK = bytes(8)


@functools.cache
def _tag(type_name: str) -> bytes:
    return hashlib.sha256(type_name.encode()).digest()[:4]


class _Codec:
    """AES-256 under a key derived from the secret, one block at a time (ECB on one block is the bare
    keyed permutation). Its two contexts are made once and reused, under a lock for threads."""

    def __init__(self, secret: str):
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"mandates global ids").derive(secret.encode())
        cipher = Cipher(algorithms.AES(key), modes.ECB())
        self._encryptor, self._decryptor, self._lock = cipher.encryptor(), cipher.decryptor(), threading.Lock()
        cursor_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"mandates cursors")
        self.cursors = AESGCM(cursor_key.derive(secret.encode()))

    def seal(self, block: bytes) -> bytes:
        with self._lock:
            return self._encryptor.update(block)

    def open(self, sealed: bytes) -> bytes:
        with self._lock:
            return self._decryptor.update(sealed)


_codec = _Codec(DEV_ID_SECRET)


def use_secret(secret: str) -> None:
    """Encode and decode global IDs under `secret` from now on (MANDATES_ID_SECRET)."""
    global _codec
    _codec = _Codec(secret)


def encode_id(type_name: str, key: int) -> str:
    sealed = _codec.seal(_tag(type_name) + int(key).to_bytes(4, "big") + CHECK)
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()


class GlobalId:
    """A row's global ID, encoded when written into an answer: graphql-core writes an ID that is no text with
    `str()` (graphql.type.scalars.serialize_id), so a node whose `id` the query does not ask costs no encryption
    (a search page's mandates and their parties: 40 per page)."""

    __slots__ = ("key", "type_name")

    def __init__(self, type_name: str, key: int) -> None:
        self.type_name, self.key = type_name, key

    def __str__(self) -> str:
        return encode_id(self.type_name, self.key)

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other) if isinstance(other, GlobalId | str) else NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))


def parse_id(text: str, kinds: Iterable[str]) -> tuple[str, int] | None:
    """The type name (one of `kinds`) and integer key of a global ID; None for anything else."""
    if not isinstance(text, str) or len(text) != 22 or not text.isascii():
        return None
    try:
        sealed = base64.b64decode(text + "==", altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(sealed) != 16 or base64.urlsafe_b64encode(sealed).rstrip(b"=").decode() != text:
        return None  # one spelling per ID: spare bits set in the last character are not another spelling
    block = _codec.open(sealed)
    key = int.from_bytes(block[4:8], "big")
    if block[8:] != CHECK or key > MAX_KEY:
        return None
    return next(((kind, key) for kind in kinds if _tag(kind) == block[:4]), None)


def decode_id(text: str, type_name: str, field: tuple[str, ...]) -> int:
    """The integer key of a global ID of `type_name`; INVALID_ID for anything else."""
    parsed = parse_id(text, (type_name,))
    if parsed is None:
        raise RuleViolation(ErrorCode.INVALID_ID, "api.ids.invalid", field, text=text, type=type_name)
    return parsed[1]


NONCE = 12  # AES-GCM's nonce, random per cursor


def seal_cursor(content: bytes) -> str:
    """An opaque, tamper-proof cursor holding `content` (base64url, no padding)."""
    nonce = os.urandom(NONCE)
    return base64.urlsafe_b64encode(nonce + _codec.cursors.encrypt(nonce, content, None)).rstrip(b"=").decode()


def open_cursor(text: str) -> bytes | None:
    """The content of a cursor `seal_cursor` made; None for anything else (malformed, forged, altered)."""
    if not isinstance(text, str) or not text.isascii():
        return None
    try:
        sealed = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return _codec.cursors.decrypt(sealed[:NONCE], sealed[NONCE:], None)
    except (binascii.Error, ValueError, InvalidTag):
        return None


def fits(model: type[Model], column: str, value: str) -> bool:
    """Whether a text can be stored in (so can match) a column: a longer one names no row."""
    return len(value) <= text_length(model, column)


def text_length(model: type[Model], column: str) -> int:
    """The most characters a text column holds."""
    field = model._meta.fields_map[column]
    if not isinstance(field, CharField):
        raise TypeError(f"{model.__name__}.{column} is not a text column")
    return field.max_length
