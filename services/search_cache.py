"""Search pages cached in Redis.

A page is keyed by the normalised filters, the page and a global version counter; any
change to calendar nights (a hold, a release) or to prices bumps the version with `INCR`,
so later readers look under new keys and a stale page is never read again. Old pages
simply expire (TTL).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from core.logging import get_logger
from core.metrics import SEARCH_CACHE
from core.settings import Settings
from services.search import PropertyCard, SearchFilters, SearchPage, search_properties

log = get_logger(__name__)
# Bumped when PropertyCard changes shape, so entries written by older code are never decoded.
FORMAT = 1


def namespace(database_url: str) -> str:
    """Apps that share a Redis but not a database (test sessions, staging) stay apart."""
    return "zg:search:" + hashlib.sha256(database_url.encode()).hexdigest()[:12]


def page_key(filters: SearchFilters, *, page: int, page_size: int) -> str:
    """The same question asked twice gives the same key (city/district match case-blind)."""
    normal = {
        "f": FORMAT,
        "city": filters.city.lower() if filters.city else None,
        "district": filters.district.lower() if filters.district else None,
        "class": filters.property_class.value if filters.property_class else None,
        "rooms": filters.rooms or None,
        "min_rooms": filters.min_rooms or None,
        "check_in": filters.check_in.isoformat() if filters.check_in else None,
        "check_out": filters.check_out.isoformat() if filters.check_out else None,
        "page": page,
        "size": page_size,
    }
    raw = json.dumps(normal, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


class SearchCache:
    def __init__(self, redis: Redis, *, database_url: str, ttl_seconds: int) -> None:
        self._redis = redis
        self._namespace = namespace(database_url)
        self._ttl = ttl_seconds

    @classmethod
    def from_settings(cls, redis: Redis, settings: Settings) -> SearchCache:
        return cls(
            redis,
            database_url=settings.database_url,
            ttl_seconds=settings.search_cache_ttl_seconds,
        )

    @property
    def version_key(self) -> str:
        return self._namespace + ":version"

    async def search(
        self, session: AsyncSession, filters: SearchFilters, *, page: int, page_size: int
    ) -> SearchPage:
        """services.search.search_properties, answered from Redis when it can be."""
        if self._ttl <= 0:
            return await search_properties(session, filters, page=page, page_size=page_size)
        try:
            version = int(await self._redis.get(self.version_key) or 0)
            key = f"{self._namespace}:v{version}:" + page_key(
                filters, page=page, page_size=page_size
            )
            cached = await self._redis.get(key)
        except RedisError as exc:  # the cache is an optimisation: search goes on without it
            log.warning("search cache unreadable", error=type(exc).__name__)
            return await search_properties(session, filters, page=page, page_size=page_size)
        if cached is not None:
            hit = _decode(cached)
            if hit is not None:
                SEARCH_CACHE.labels("hit").inc()
                return hit
        SEARCH_CACHE.labels("miss").inc()
        result = await search_properties(session, filters, page=page, page_size=page_size)
        try:
            await self._redis.set(key, _encode(result), ex=self._ttl)
        except RedisError as exc:
            log.warning("search cache not written", error=type(exc).__name__)
        return result

    async def invalidate(self) -> None:
        """Every page cached so far is forgotten (its key is never asked for again)."""
        await self._redis.incr(self.version_key)


def _encode(result: SearchPage) -> str:
    return json.dumps(asdict(result), ensure_ascii=False)


def _decode(raw: bytes | str) -> SearchPage | None:
    try:
        data: dict[str, Any] = json.loads(raw)
        return SearchPage(
            items=[PropertyCard(**item) for item in data["items"]],
            page=int(data["page"]),
            page_size=int(data["page_size"]),
            total=int(data["total"]),
        )
    except (ValueError, TypeError, KeyError):
        log.warning("search cache entry unreadable; searching again")
        return None
