"""Conversation state per phone in Redis, forgotten after a day of silence."""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

STATE_TTL_SECONDS = 24 * 3600
DEDUPE_TTL_SECONDS = 3 * 24 * 3600  # longer than Meta retries a webhook


class ConversationStore:
    def __init__(self, redis: Redis, namespace: str) -> None:
        self._redis = redis
        self._ns = namespace

    def _key(self, wa_id: str) -> str:
        return f"{self._ns}:state:{wa_id}"

    async def load(self, wa_id: str) -> dict[str, Any] | None:
        raw = await self._redis.get(self._key(wa_id))
        if raw is None:
            return None
        data: dict[str, Any] = json.loads(raw)
        return data

    async def save(self, wa_id: str, state: dict[str, Any]) -> None:
        await self._redis.set(
            self._key(wa_id), json.dumps(state, ensure_ascii=False), ex=STATE_TTL_SECONDS
        )

    async def first_time(self, message_id: str) -> bool:
        """True for a message id not seen before (Meta retries deliver the same id again)."""
        fresh = await self._redis.set(
            f"{self._ns}:seen:{message_id}", "1", nx=True, ex=DEDUPE_TTL_SECONDS
        )
        return bool(fresh)

    async def forget(self, message_id: str) -> None:
        """Processing failed: a retry of this message must be handled after all."""
        await self._redis.delete(f"{self._ns}:seen:{message_id}")
