"""Web-admin sessions kept in Redis. The signed cookie holds only a random id: a logout
deletes the id, so a copy of the cookie (kept, stolen, replayed) no longer opens anything.

Redis holds the id's hash, not the id; each use pushes the expiry back (idle timeout).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from redis.asyncio import Redis

from core.settings import Settings


@dataclass(frozen=True)
class AdminSessions:
    redis: Redis
    prefix: str
    ttl_seconds: int

    @classmethod
    def from_settings(cls, redis: Redis, settings: Settings) -> AdminSessions:
        return cls(
            redis,
            prefix=f"{settings.rate_limit_key_prefix}:admin-session",
            ttl_seconds=max(60, int(settings.admin_session_ttl.total_seconds())),
        )

    def _key(self, session_id: str) -> str:
        return f"{self.prefix}:{hashlib.sha256(session_id.encode()).hexdigest()}"

    async def start(self, user_id: int) -> str:
        session_id = secrets.token_urlsafe(32)
        await self.redis.set(self._key(session_id), user_id, ex=self.ttl_seconds)
        return session_id

    async def user_id(self, session_id: str) -> int | None:
        """The signed-in user, or None for an ended, expired or unknown session."""
        raw = await self.redis.getex(self._key(session_id), ex=self.ttl_seconds)
        return int(raw) if raw is not None else None

    async def end(self, session_id: str) -> None:
        await self.redis.delete(self._key(session_id))
