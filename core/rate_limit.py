"""Sliding-window rate limits kept in Redis, shared by every API and bot process.

Each key is a sorted set of the timestamps of the requests let through in the last window:
one pipeline trims the old ones, adds this one and counts. A refused request is taken back
out, so a client hammering a closed door does not keep it closed; `retry_after` is when the
oldest counted request leaves the window, i.e. the moment one more would be let through.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from core.logging import get_logger

log = get_logger(__name__)

PREFIX = "ratelimit"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    # Whole seconds until one more request would be let through (0 when allowed).
    retry_after: int


class RateLimiter:
    def __init__(
        self, redis: Redis, *, prefix: str = PREFIX, clock: Callable[[], float] = time.time
    ) -> None:
        self._redis = redis
        self._prefix = prefix
        self._clock = clock

    async def hit(self, scope: str, key: str, *, limit: int, window_seconds: int = 60) -> Decision:
        """Counts one request of `key` in `scope`; `limit` 0 means no limit."""
        if limit <= 0:
            return Decision(allowed=True, limit=0, remaining=0, retry_after=0)
        name = f"{self._prefix}:{scope}:{key}"
        now = self._clock()
        member = f"{now:.6f}:{secrets.token_hex(4)}"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(name, "-inf", now - window_seconds)
                pipe.zadd(name, {member: now})
                pipe.zcard(name)
                pipe.zrange(name, 0, 0, withscores=True)
                pipe.expire(name, window_seconds + 1)
                _, _, count, oldest, _ = await pipe.execute()
            if count <= limit:
                return Decision(True, limit, limit - int(count), 0)
            await self._redis.zrem(name, member)
        except RedisError:
            # Redis down: let traffic through rather than turn every caller away.
            log.warning("rate limiter unavailable", scope=scope, exc_info=True)
            return Decision(True, limit, limit, 0)
        first = float(oldest[0][1]) if oldest else now
        wait = max(1, math.ceil(first + window_seconds - now))
        return Decision(False, limit, 0, wait)

    async def first_refusal(self, scope: str, key: str, *, seconds: int) -> bool:
        """True once per refusal period: whether to tell the client (not every time)."""
        name = f"{self._prefix}:{scope}:told:{key}"
        return bool(await self._redis.set(name, b"1", nx=True, ex=max(1, seconds)))
