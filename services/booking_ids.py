"""Booking ids: short, unguessable, easy to read aloud (Crockford base32, no I/L/O/U)."""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10  # 50 bits: a booking id doubles as the guest's capability to view/cancel it


def new_booking_id() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def is_booking_id(value: str) -> bool:
    return len(value) == LENGTH and all(c in ALPHABET for c in value)
