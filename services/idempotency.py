"""Retries that name the same booking: an idempotency key, scoped to whoever sent it.

A key is remembered per caller (a verified token's user, else the client address) with a
fingerprint of the request body. The same caller, key and body get the same booking id; the
same key with another body is refused; another caller's key never reaches this booking.
Booking ids themselves are always random (services/booking_ids.py).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from redis.asyncio import Redis

from services.booking_ids import new_booking_id

KEEP_SECONDS = 24 * 3600


class IdempotencyConflict(ValueError):
    """The key was used before with a different request."""


def fingerprint(body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyKeys:
    def __init__(self, redis: Redis, *, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def booking_id(self, caller: str, key: str, request_fingerprint: str) -> str:
        """The booking id this caller's key stands for: new on first use, then the same."""
        slot = self._slot(caller, key)
        fresh = f"{new_booking_id()}:{request_fingerprint}"
        await self._redis.set(slot, fresh, nx=True, ex=KEEP_SECONDS)
        stored = await self._redis.get(slot)
        if stored is None:  # expired between the two calls: take it now
            await self._redis.set(slot, fresh, ex=KEEP_SECONDS)
            stored = fresh
        text = stored.decode() if isinstance(stored, bytes) else str(stored)
        booking_id, _, seen = text.partition(":")
        if seen != request_fingerprint:
            raise IdempotencyConflict("this Idempotency-Key was used with a different request")
        return booking_id

    def _slot(self, caller: str, key: str) -> str:
        digest = hashlib.sha256(f"{caller}\n{key}".encode()).hexdigest()[:40]
        return f"{self._prefix}:idem:{digest}"
