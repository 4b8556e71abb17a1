"""Booking ids: short, unguessable, easy to read aloud (Crockford base32, no I/L/O/U)."""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10  # 50 bits: a booking id doubles as the guest's capability to view/cancel it


def new_booking_id() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def is_booking_id(value: str) -> bool:
    return len(value) == LENGTH and all(c in ALPHABET for c in value)


def booking_id_for_key(idempotency_key: str) -> str:
    """The same client key always names the same booking, so a retried request is harmless."""
    digest = int.from_bytes(hashlib.sha256(idempotency_key.encode()).digest()[:8], "big")
    return "".join(ALPHABET[(digest >> (5 * i)) & 31] for i in range(LENGTH))
