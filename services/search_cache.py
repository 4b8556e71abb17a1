"""Search pages cached in Redis.

A page is stored under a key made of the normalised filters, the page and the current
values of the version counters it depends on:

- the catalogue version, bumped when apartments are edited (prices, photos, texts);
- the scope version of its (city, district, class) — "*" where the search leaves one open —
  bumped when an apartment in that scope changes what its card shows (status, rating);
- for searches with dates, one scope version per month of nights asked for, bumped when an
  apartment in that scope takes or frees a night in that month.

A change bumps its counters with `INCR` after the database commit, so later readers look
under new keys and a stale page is never read again; a hold in Almaty in December leaves
Astana's pages and January's alone. Old pages simply expire (TTL).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import SessionFactory
from core.logging import get_logger
from core.metrics import SEARCH_CACHE
from core.settings import Settings
from models import Property
from models.enums import PropertyClass
from services.listing_changes import ListingChange
from services.search import PropertyCard, SearchFilters, SearchPage, search_properties
from services.search_places import city_key, district_key

log = get_logger(__name__)
# Bumped when PropertyCard changes shape, so entries written by older code are never decoded.
# 3: cards carry nights / stay_total; keys carry guests, price range and sort.
FORMAT = 3
ANY = "*"
CARD = "card"
# Scope counters outlive every page written under them many times over: a counter that
# expired (no change for that long) and restarts cannot meet a page that is still alive.
SCOPE_VERSION_TTL_S = 7 * 24 * 3600


def namespace(database_url: str) -> str:
    """Apps that share a Redis but not a database (test sessions, staging) stay apart."""
    return "zg:search:" + hashlib.sha256(database_url.encode()).hexdigest()[:12]


def _norm(value: str | None) -> str:
    return value.strip().lower() if value else ANY


def _city(value: str | None) -> str:
    """A city's scope whichever language names it: "Алматы" and "Almaty" are one."""
    return _norm(city_key(value)) if value else ANY


def _district(value: str | None) -> str:
    return _norm(district_key(value)) if value else ANY


def page_key(filters: SearchFilters, *, page: int, page_size: int) -> str:
    """The same question asked twice gives the same key (city/district match case-blind).

    Every field of SearchFilters is here: two searches that may answer differently never
    share a page.
    """
    normal = {
        "f": FORMAT,
        "city": _city(filters.city),
        "district": _district(filters.district),
        "class": filters.property_class.value if filters.property_class else None,
        "rooms": filters.rooms or None,
        "min_rooms": filters.min_rooms or None,
        "check_in": filters.check_in.isoformat() if filters.check_in else None,
        "check_out": filters.check_out.isoformat() if filters.check_out else None,
        "guests": filters.guests or None,
        "price_min": filters.price_min,
        "price_max": filters.price_max,
        "sort": filters.sort.value,
        "page": page,
        "size": page_size,
    }
    raw = json.dumps(normal, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def months(nights: list[date] | tuple[date, ...]) -> list[str]:
    return sorted({f"{night:%Y-%m}" for night in nights})


def asked_months(filters: SearchFilters) -> list[str]:
    """The months of the nights a dated search asks for (check-out morning excluded)."""
    if not (filters.check_in and filters.check_out) or filters.check_out <= filters.check_in:
        return []
    found: set[str] = set()
    day = filters.check_in
    while day < filters.check_out:
        found.add(f"{day:%Y-%m}")
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)  # next month's 1st
    return sorted(found)


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
        """The catalogue version: every page depends on it."""
        return self._namespace + ":version"

    def _scope_key(self, city: str, district: str, klass: str, bucket: str) -> str:
        return f"{self._namespace}:sv:{city}|{district}|{klass}:{bucket}"

    def _version_keys(self, filters: SearchFilters) -> list[str]:
        scope = (
            _city(filters.city),
            _district(filters.district),
            filters.property_class.value if filters.property_class else ANY,
        )
        buckets = [CARD, *asked_months(filters)]
        return [self.version_key, *(self._scope_key(*scope, bucket) for bucket in buckets)]

    async def _cached(
        self, filters: SearchFilters, *, page: int, page_size: int
    ) -> tuple[str, bytes | None]:
        versions = await self._redis.mget(self._version_keys(filters))
        seen = ".".join((v.decode() if isinstance(v, bytes) else str(v or 0)) for v in versions)
        key = f"{self._namespace}:p:{page_key(filters, page=page, page_size=page_size)}:{seen}"
        cached = await self._redis.get(key)
        return key, cached.encode() if isinstance(cached, str) else cached

    async def search_json(
        self, session: AsyncSession, filters: SearchFilters, *, page: int, page_size: int
    ) -> bytes:
        """The page as JSON (what the API answers), straight from Redis when it can be."""
        if self._ttl > 0:
            try:
                key, cached = await self._cached(filters, page=page, page_size=page_size)
            except RedisError as exc:  # the cache is an optimisation: search goes on without it
                log.warning("search cache unreadable", error=type(exc).__name__)
            else:
                if cached is not None:
                    SEARCH_CACHE.labels("hit").inc()
                    return cached
                SEARCH_CACHE.labels("miss").inc()
                encoded = _encode(
                    await search_properties(session, filters, page=page, page_size=page_size)
                )
                try:
                    await self._redis.set(key, encoded, ex=self._ttl)
                except RedisError as exc:
                    log.warning("search cache not written", error=type(exc).__name__)
                return encoded
        return _encode(await search_properties(session, filters, page=page, page_size=page_size))

    async def search(
        self, session: AsyncSession, filters: SearchFilters, *, page: int, page_size: int
    ) -> SearchPage:
        """services.search.search_properties, answered from Redis when it can be."""
        raw = await self.search_json(session, filters, page=page, page_size=page_size)
        found = _decode(raw)
        if found is None:
            return await search_properties(session, filters, page=page, page_size=page_size)
        return found

    async def invalidate(self) -> None:
        """Every page cached so far is forgotten (its key is never asked for again)."""
        await self._redis.incr(self.version_key)

    async def listing_changed(
        self, change: ListingChange, *, city: str, district: str, property_class: str
    ) -> None:
        """Forgets the pages that could list this apartment: its scopes, its months."""
        buckets = months(change.nights) + ([CARD] if change.card else [])
        scopes = itertools.product(
            (_city(city), ANY), (_district(district), ANY), (property_class, ANY)
        )
        keys = [self._scope_key(*scope, bucket) for scope in scopes for bucket in buckets]
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.incr(key)
                pipe.expire(key, SCOPE_VERSION_TTL_S)
            await pipe.execute()


class SearchInvalidator:
    """The worker's listener for ListingChange: finds the apartment's scope, bumps it."""

    def __init__(self, sessions: SessionFactory, cache: SearchCache) -> None:
        self._sessions = sessions
        self._cache = cache

    async def __call__(self, change: ListingChange) -> None:
        async with self._sessions() as session:
            prop = await session.get(Property, change.property_id)
            if prop is None:
                return
            city, district, klass = prop.city, prop.district, PropertyClass(prop.property_class)
        await self._cache.listing_changed(
            change, city=city, district=district, property_class=klass.value
        )


def _encode(result: SearchPage) -> bytes:
    return json.dumps(asdict(result), ensure_ascii=False).encode()


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
