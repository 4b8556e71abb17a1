"""The Redis search cache: pages are served from Redis until calendar nights change (a
hold, a release) and the version counter moves; a stale page is never shown."""

from __future__ import annotations

import secrets
from typing import Any

from redis.asyncio import Redis
from temporalio.client import WorkflowExecutionStatus

from services.search import SearchFilters
from services.search_cache import SearchCache, namespace
from tests.support.factories import booking_body, eventually, make_owner, make_property, stay

SEARCH = "/api/v1/properties"


def new_district() -> str:
    return "Кэш-" + secrets.token_hex(4)


async def found(stack: Any, **params: Any) -> list[int]:
    response = await stack.http.get(SEARCH, params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_booked_dates_vanish_from_the_same_search_at_once(stack):
    owner, _ = await make_owner(stack)
    district = new_district()
    prop = await make_property(stack, owner, district=district)
    neighbour = await make_property(stack, owner, district=district, price_per_night=30_000)
    check_in, check_out = await stay(stack, starts_in_days=40, nights=3)
    dates = {"check_in": check_in.isoformat(), "check_out": check_out.isoformat()}
    assert prop.id is not None

    assert await found(stack, district=district, **dates) == [prop.id, neighbour.id]
    assert await found(stack, district=district, **dates) == [prop.id, neighbour.id]  # cached

    held = await stack.http.post(
        "/api/v1/bookings", json=booking_body(prop.id, check_in, check_out)
    )
    assert held.status_code == 201, held.text
    booking_id = held.json()["booking_id"]

    assert await found(stack, district=district, **dates) == [neighbour.id]
    assert await found(stack, district=district) == [prop.id, neighbour.id]  # no dates: listed

    cancelled = await stack.http.post(
        f"/api/v1/bookings/{booking_id}/cancel", json={"reason": "other"}
    )
    assert cancelled.status_code == 200, cancelled.text
    # The release frees the nights and bumps the version: the apartment is back.
    await eventually(
        lambda: found(stack, district=district, **dates),
        until=lambda ids: ids == [prop.id, neighbour.id],
    )
    # A cancelled booking's workflow ends by itself: nothing is left to wake up later.
    handle = stack.client.get_workflow_handle(f"booking-{booking_id}")
    await eventually(handle.describe, until=lambda d: d.status != WorkflowExecutionStatus.RUNNING)


async def test_pages_come_from_redis_until_the_version_moves(stack):
    owner, _ = await make_owner(stack)
    district = new_district()
    first = await make_property(stack, owner, district=district, price_per_night=10_000)
    assert await found(stack, district=district) == [first.id]

    # Written straight to the database, so nobody told the cache: the page stays as it was.
    second = await make_property(stack, owner, district=district, price_per_night=11_000)
    assert await found(stack, district=district) == [first.id]
    assert await found(stack, district=district.upper()) == [first.id]  # same question

    redis = Redis.from_url(stack.settings.redis_url)
    try:
        cache = SearchCache.from_settings(redis, stack.settings)
        keys = [k async for k in redis.scan_iter(namespace(stack.settings.database_url) + ":v*")]
        assert keys
        assert 0 < await redis.ttl(keys[0]) <= stack.settings.search_cache_ttl_seconds
        await cache.invalidate()
    finally:
        await redis.aclose()

    assert await found(stack, district=district) == [first.id, second.id]


async def test_search_works_without_redis(stack):
    owner, _ = await make_owner(stack)
    district = new_district()
    prop = await make_property(stack, owner, district=district)
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    cache = SearchCache(dead, database_url=stack.settings.database_url, ttl_seconds=300)
    try:
        async with stack.sessions() as session:
            page = await cache.search(
                session, SearchFilters(district=district), page=1, page_size=10
            )
    finally:
        await dead.aclose()

    assert [card.id for card in page.items] == [prop.id]


def test_apps_sharing_a_redis_but_not_a_database_never_share_pages():
    assert namespace("postgresql+asyncpg://db/a") != namespace("postgresql+asyncpg://db/b")
