"""Short-lived signed download links for authorisation PDFs (`Authorisation.downloadUrl`).

A link names the authorisation, the copy (issued or uploaded) and its expiry, with an HMAC of the
three under MANDATES_LINK_SECRET: whoever holds the link may fetch that one file until it expires.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from resolvers.ids import encode_id, parse_id

COPIES = ("issued", "uploaded")
EXPIRES_DIGITS = 12  # a Unix time in seconds has 10 digits until the year 2286


def _mac(secret: str, authorisation_id: int, copy: str, expires: int) -> str:
    message = f"{authorisation_id}:{copy}:{expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_path(secret: str, authorisation_id: int, copy: str, minutes: int, now: float | None = None) -> str:
    """The path names the authorisation by its opaque global ID: a link tells no row count."""
    expires = int((now or time.time()) + minutes * 60)
    named = encode_id("Authorisation", authorisation_id)
    return (
        f"/authorisations/{named}.pdf?copy={copy}&expires={expires}"
        f"&signature={_mac(secret, authorisation_id, copy, expires)}"
    )


def linked_authorisation(named: str) -> int | None:
    """The authorisation a link's path names; None for anything but an Authorisation's global ID."""
    parsed = parse_id(named, ("Authorisation",))
    return parsed[1] if parsed else None


def link_is_valid(
    secret: str, authorisation_id: int, copy: str, expires: str, signature: str, now: float | None = None
) -> bool:
    """Whatever the query string holds, a yes or a no: `expires` must be a few ASCII digits (a
    5 000-digit number, or a digit of another script, is refused before any conversion)."""
    if copy not in COPIES or not (expires.isascii() and expires.isdigit() and len(expires) <= EXPIRES_DIGITS):
        return False
    if int(expires) < (now or time.time()):
        return False
    return hmac.compare_digest(_mac(secret, authorisation_id, copy, int(expires)), signature)
