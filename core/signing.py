"""Webhook signatures: Kaspi (timestamp + raw body) and Meta (raw body), constant-time checks.

Header values are compared as ASCII bytes: a header with other characters (or longer than
any genuine one) is simply not a match, never an error.
"""

from __future__ import annotations

import hashlib
import hmac

# Longer than any signature, timestamp or secret token we send or expect.
MAX_HEADER_CHARS = 256


def header_bytes(value: str | None, limit: int = MAX_HEADER_CHARS) -> bytes | None:
    """The header as ASCII bytes; None when absent, empty, oversized or not ASCII."""
    if not value or len(value) > limit or not value.isascii():
        return None
    return value.encode("ascii")


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time equality of a header (or query value) with a configured secret."""
    raw = header_bytes(given, max(MAX_HEADER_CHARS, len(expected)))
    return raw is not None and hmac.compare_digest(raw, expected.encode())


def kaspi_signature(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_kaspi_signature(
    secret: str,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    *,
    now: float,
    tolerance_seconds: int,
) -> str | None:
    """None when the request is authentic; otherwise the reason it is refused."""
    if not timestamp or not signature:
        return "missing_signature"
    stamp = header_bytes(timestamp)
    if stamp is None or not stamp.isdigit():  # int() would also take " 1_000" or "١٢٣"
        return "bad_timestamp"
    if abs(now - int(stamp)) > tolerance_seconds:
        return "stale_timestamp"
    given = header_bytes(signature.strip().lower())
    expected = kaspi_signature(secret, stamp.decode(), body).encode()
    if given is None or not hmac.compare_digest(expected, given):
        return "bad_signature"
    return None


def meta_signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def verify_meta_signature(app_secret: str, header: str | None, body: bytes) -> bool:
    return same_secret(header, meta_signature(app_secret, body))
