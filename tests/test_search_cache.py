"""The Redis search cache: pages are served from Redis until a change that could alter them
(a hold or release in their scope and months, an edit, a new rating) moves a version
counter; a stale page is never shown, and unrelated pages stay cached."""

from __future__ import annotations

import dataclasses
import secrets
from datetime import date
from typing import Any

from redis.asyncio import Redis
from temporalio.client import WorkflowExecutionStatus

from models.enums import PropertyClass
from services.listing_changes import ListingChange
from services.search import SearchFilters, SearchSort
from services.search_cache import (
    SearchCache,
    SearchInvalidator,
    asked_months,
    namespace,
    page_key,
)
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

    held = await stack.partner.post(
        "/api/v1/bookings", json=booking_body(prop.id, check_in, check_out)
    )
    assert held.status_code == 201, held.text
    booking_id = held.json()["booking_id"]

    assert await found(stack, district=district, **dates) == [neighbour.id]
    assert await found(stack, district=district) == [prop.id, neighbour.id]  # no dates: listed

    cancelled = await stack.http.post(
        f"/api/v1/bookings/{booking_id}/cancel",
        json={"reason": "other"},
        headers={"X-Guest-Token": held.json()["guest_token"]},
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
        keys = [k async for k in redis.scan_iter(namespace(stack.settings.database_url) + ":p:*")]
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


async def test_a_hold_forgets_only_the_pages_that_could_list_the_apartment(stack):
    owner, _ = await make_owner(stack)
    city, other_city = "Кэш-город-" + secrets.token_hex(3), "Кэш-город-" + secrets.token_hex(3)
    d1, d2, d3 = new_district(), new_district(), new_district()
    held = await make_property(stack, owner, city=city, district=d1, price_per_night=20_000)
    neighbour = await make_property(stack, owner, city=city, district=d2, price_per_night=21_000)
    far = await make_property(stack, owner, city=other_city, district=d3)
    check_in, check_out = await stay(stack, starts_in_days=40, nights=3)
    later_in, later_out = await stay(stack, starts_in_days=100, nights=3)  # another month
    dates = {"check_in": check_in.isoformat(), "check_out": check_out.isoformat()}
    later = {"check_in": later_in.isoformat(), "check_out": later_out.isoformat()}
    pages = {
        "city, dates": {"city": city, **dates},
        "other city, dates": {"city": other_city, **dates},
        "other district, dates": {"district": d2, **dates},
        "city, no dates": {"city": city},
        "city, another month": {"city": city, **later},
    }
    both = [held.id, neighbour.id]
    before = {"other city, dates": [far.id], "other district, dates": [neighbour.id]}
    for name, params in pages.items():
        assert await found(stack, **params) == before.get(name, both), name

    # Written straight to the database, nobody told: only a page asked again shows them.
    sneaky = await make_property(stack, owner, city=city, district=d2, price_per_night=19_000)
    await make_property(stack, owner, city=other_city, district=d3, price_per_night=1_000)
    hold = await stack.partner.post(
        "/api/v1/bookings", json=booking_body(held.id or 0, check_in, check_out)
    )
    assert hold.status_code == 201, hold.text

    assert await found(stack, **pages["city, dates"]) == [sneaky.id, neighbour.id]
    # Pages that cannot list the held apartment for those nights are still served from Redis.
    assert await found(stack, **pages["other city, dates"]) == [far.id]
    assert await found(stack, **pages["other district, dates"]) == [neighbour.id]
    assert await found(stack, **pages["city, no dates"]) == both
    assert await found(stack, **pages["city, another month"]) == both


async def test_a_card_change_forgets_every_page_listing_the_apartment(stack):
    owner, _ = await make_owner(stack)
    city, district = "Кэш-город-" + secrets.token_hex(3), new_district()
    prop = await make_property(stack, owner, city=city, district=district, price_per_night=20_000)
    check_in, check_out = await stay(stack, starts_in_days=40, nights=2)
    dated = {"city": city, "check_in": check_in.isoformat(), "check_out": check_out.isoformat()}
    assert await found(stack, city=city) == [prop.id]
    assert await found(stack, **dated) == [prop.id]
    sneaky = await make_property(stack, owner, city=city, district=district, price_per_night=1)

    redis = Redis.from_url(stack.settings.redis_url)
    try:
        cache = SearchCache.from_settings(redis, stack.settings)
        forget = SearchInvalidator(stack.sessions, cache)
        await forget(ListingChange.of(prop.id or 0))  # nothing changed: nothing forgotten
        assert await found(stack, city=city) == [prop.id]
        await forget(ListingChange.of(prop.id or 0, card=True))  # e.g. a new rating
    finally:
        await redis.aclose()

    assert await found(stack, city=city) == [sneaky.id, prop.id]
    assert await found(stack, **dated) == [sneaky.id, prop.id]


def test_a_dated_search_depends_on_every_month_its_nights_touch():
    def asked(check_in: date, check_out: date) -> list[str]:
        return asked_months(SearchFilters(check_in=check_in, check_out=check_out))

    assert asked(date(2026, 12, 30), date(2027, 1, 1)) == ["2026-12"]  # checks out on the 1st
    assert asked(date(2026, 12, 30), date(2027, 1, 2)) == ["2026-12", "2027-01"]
    assert asked(date(2026, 1, 31), date(2026, 4, 1)) == ["2026-01", "2026-02", "2026-03"]
    assert asked_months(SearchFilters(city="Almaty")) == []


def test_a_city_named_in_any_language_is_one_cached_question():
    keys = {
        page_key(SearchFilters(city=name, district=district), page=1, page_size=10)
        for name, district in [
            ("Almaty", "Медеуский"),
            ("Алматы", "Medeu"),
            ("Алматы қ.", "Медеу ауданы"),
        ]
    }
    assert len(keys) == 1
    assert page_key(SearchFilters(city="Astana"), page=1, page_size=10) != page_key(
        SearchFilters(city="Almaty"), page=1, page_size=10
    )


def test_every_filter_is_part_of_the_page_key():
    """A filter left out of the key would let two different searches share a cached page."""
    other_values: dict[str, Any] = {
        "city": "Astana",
        "district": "Есильский",
        "property_class": PropertyClass.BUSINESS,
        "rooms": 3,
        "check_in": date(2026, 6, 1),
        "check_out": date(2026, 6, 4),
        "min_rooms": 4,
        "guests": 3,
        "price_min": 10_000,
        "price_max": 30_000,
        "sort": SearchSort.RATING,
    }
    assert set(other_values) == {f.name for f in dataclasses.fields(SearchFilters)}
    plain = page_key(SearchFilters(), page=1, page_size=10)
    keys = {
        name: page_key(SearchFilters(**{name: value}), page=1, page_size=10)
        for name, value in other_values.items()
    }
    assert plain not in keys.values()
    assert len(set(keys.values())) == len(keys)
    assert page_key(SearchFilters(sort=SearchSort.PRICE_DESC), page=1, page_size=10) != plain
    assert page_key(SearchFilters(price_min=0), page=1, page_size=10) != plain


async def test_a_change_forgets_the_pages_that_named_its_city_in_another_language(stack):
    """The apartment is stored as "Almaty"; a page asked as "Алматы қ." listed it and must
    be forgotten when its card changes, like the page asked as "Almaty"."""
    owner, _ = await make_owner(stack)
    district = new_district()
    prop = await make_property(stack, owner, city="Almaty", district=district)
    for name in ("Алматы қ.", "Almaty"):
        assert await found(stack, city=name, district=district) == [prop.id]
    sneaky = await make_property(stack, owner, city="Almaty", district=district, price_per_night=1)
    assert await found(stack, city="Алматы қ.", district=district) == [prop.id]  # cached

    redis = Redis.from_url(stack.settings.redis_url)
    try:
        forget = SearchInvalidator(stack.sessions, SearchCache.from_settings(redis, stack.settings))
        await forget(ListingChange.of(prop.id or 0, card=True))
    finally:
        await redis.aclose()

    for name in ("Алматы қ.", "Алматы", "almaty"):
        assert await found(stack, city=name, district=district) == [sneaky.id, prop.id], name
