"""The guest's capability for an API booking: a secret that goes with the booking's link.

Derived (HMAC-SHA256) from the server's encryption key and the booking id, so nothing is
stored and a booking id alone (in a log, a screenshot) is not enough to cancel. Every
configured key is tried, so rotating ENCRYPTION_KEY keeps old links working while the old
key stays listed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

PURPOSE = b"zhilyego/guest-booking-token/v1\n"


def _token(key: str, booking_id: str) -> str:
    mac = hmac.new(key.encode(), PURPOSE + booking_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:24]).decode().rstrip("=")


def guest_token(keys: list[str], booking_id: str) -> str:
    return _token(keys[0], booking_id)


def is_guest_token(keys: list[str], booking_id: str, token: str | None) -> bool:
    if not token or not token.isascii() or len(token) > 64:
        return False
    presented = token.encode()
    return any(hmac.compare_digest(_token(k, booking_id).encode(), presented) for k in keys)
