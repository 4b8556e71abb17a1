"""Webhook signatures: Kaspi (timestamp + raw body) and Meta (raw body), constant-time checks."""

from __future__ import annotations

import hashlib
import hmac


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
    try:
        sent_at = int(timestamp)
    except ValueError:
        return "bad_timestamp"
    if abs(now - sent_at) > tolerance_seconds:
        return "stale_timestamp"
    expected = kaspi_signature(secret, timestamp, body)
    if not hmac.compare_digest(expected, signature.strip().lower()):
        return "bad_signature"
    return None


def meta_signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def verify_meta_signature(app_secret: str, header: str | None, body: bytes) -> bool:
    return bool(header) and hmac.compare_digest(meta_signature(app_secret, body), header or "")
