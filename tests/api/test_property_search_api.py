"""GET /api/v1/properties: filters, paging, and only apartments free for every night asked.

Each test lists apartments of its own freshly named district, so other tests' apartments
never show up in its answers.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from models.enums import PropertyClass
from tests.support.factories import (
    add_reviews,
    booking_body,
    id_of,
    make_owner,
    make_property,
    stay,
)

SEARCH = "/api/v1/properties"


def new_district() -> str:
    return "Район-" + secrets.token_hex(4)


async def found(stack, **params) -> list[int]:
    response = await stack.http.get(SEARCH, params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_filters_narrow_the_list(stack):
    owner, _ = await make_owner(stack)
    district = new_district()

    async def apartment(city: str, property_class: PropertyClass, rooms: int, price: int) -> int:
        prop = await make_property(
            stack,
            owner,
            city=city,
            district=district,
            property_class=property_class,
            rooms=rooms,
            price_per_night=price,
        )
        assert prop.id is not None
        return prop.id

    comfort_2 = await apartment("Almaty", PropertyClass.COMFORT, 2, 15_000)
    business_2 = await apartment("Almaty", PropertyClass.BUSINESS, 2, 30_000)
    comfort_3 = await apartment("Almaty", PropertyClass.COMFORT, 3, 22_000)
    astana = await apartment("Astana", PropertyClass.COMFORT, 3, 18_000)

    assert await found(stack, district=district) == [comfort_2, astana, comfort_3, business_2]
    assert await found(stack, city="Almaty", district=district) == [
        comfort_2,
        comfort_3,
        business_2,
    ]
    assert await found(stack, city="Almaty", district=district, property_class="comfort") == [
        comfort_2,
        comfort_3,
    ]
    assert await found(
        stack, city="Almaty", district=district, property_class="comfort", rooms=3
    ) == [comfort_3]
    assert await found(stack, city="Astana", district=district, property_class="business") == []


async def test_pages_split_the_list_without_gaps_or_repeats(stack):
    owner, _ = await make_owner(stack)
    district = new_district()
    size = stack.settings.search_page_size
    ids = [
        (await make_property(stack, owner, district=district, price_per_night=10_000 + i)).id
        for i in range(size + 2)
    ]

    first = (await stack.http.get(SEARCH, params={"district": district})).json()
    second = (await stack.http.get(SEARCH, params={"district": district, "page": 2})).json()
    third = (await stack.http.get(SEARCH, params={"district": district, "page": 3})).json()

    assert [p["total"] for p in (first, second, third)] == [size + 2] * 3
    assert [p["page"] for p in (first, second, third)] == [1, 2, 3]
    assert [item["id"] for item in first["items"]] == ids[:size]
    assert [item["id"] for item in second["items"]] == ids[size:]
    assert third["items"] == []


async def test_dates_hide_apartments_with_any_booked_night(stack):
    owner, _ = await make_owner(stack)
    district = new_district()
    check_in, check_out = await stay(stack, starts_in_days=50, nights=3)
    day = timedelta(days=1)

    async def apartment_booked(nights: tuple[date, date] | None) -> int:
        prop = await make_property(stack, owner, district=district)
        assert prop.id is not None
        if nights is not None:
            body = booking_body(prop.id, *nights)
            assert (await stack.partner.post("/api/v1/bookings", json=body)).status_code == 201
        return prop.id

    last_night_taken = await apartment_booked((check_out - day, check_out + day))
    leaves_on_arrival = await apartment_booked((check_in - 2 * day, check_in))
    arrives_on_departure = await apartment_booked((check_out, check_out + 2 * day))
    never_booked = await apartment_booked(None)

    free = await found(
        stack, district=district, check_in=check_in.isoformat(), check_out=check_out.isoformat()
    )

    assert sorted(free) == sorted([leaves_on_arrival, arrives_on_departure, never_booked])
    assert last_night_taken in await found(stack, district=district)


async def test_search_needs_both_dates_in_order(stack):
    check_in, check_out = await stay(stack, starts_in_days=50, nights=3)

    only_one = await stack.http.get(SEARCH, params={"check_in": check_in.isoformat()})
    reversed_ = await stack.http.get(
        SEARCH, params={"check_in": check_out.isoformat(), "check_out": check_in.isoformat()}
    )

    assert [only_one.status_code, reversed_.status_code] == [422, 422]
    assert "check_out" in only_one.json()["detail"]
    assert reversed_.json()["detail"] == "check_out must be after check_in"


async def test_property_card_and_unknown_property(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(
        stack, owner, price_per_night=27_000, cleaning_fee=4_000, min_nights=2, max_nights=9
    )

    card = await stack.http.get(f"{SEARCH}/{prop.id}")
    missing = await stack.http.get(f"{SEARCH}/{2**31 - 1}")

    assert card.status_code == 200
    assert {
        k: card.json()[k]
        for k in ("id", "title", "price_per_night", "cleaning_fee", "min_nights", "max_nights")
    } == {
        "id": prop.id,
        "title": prop.title,
        "price_per_night": 27_000,
        "cleaning_fee": 4_000,
        "min_nights": 2,
        "max_nights": 9,
    }
    assert not any("code" in key for key in card.json())  # access codes never leave the DB
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"


async def test_a_city_is_found_by_any_of_its_names(stack):
    """Stored as "Almaty"; asked in Russian, Kazakh, English, as an address writes it."""
    owner, _ = await make_owner(stack)
    district = new_district()
    almaty = (await make_property(stack, owner, city="Almaty", district=district)).id
    astana = (await make_property(stack, owner, city="Astana", district=district)).id

    for name in ("Almaty", "almaty", "Алматы", "Алматы қ.", "г. Алматы", "Алма-Ата"):
        assert await found(stack, city=name, district=district) == [almaty], name
    for name in ("Астана", "Нур-Султан", "Нұр-Сұлтан", "Astana city"):
        assert await found(stack, city=name, district=district) == [astana], name
    assert await found(stack, city="Атлантида", district=district) == []


async def test_a_district_is_found_by_any_of_its_names(stack):
    """Other tests' apartments share Medeu too: every name must find the same list."""
    owner, _ = await make_owner(stack)
    await make_property(stack, owner, city="Almaty", district="Медеуский")
    totals = [
        (await stack.http.get(SEARCH, params={"city": "Алматы", "district": name})).json()["total"]
        for name in ("Медеуский", "Medeu", "Медеу ауданы", "медеуский район")
    ]
    assert totals[0] >= 1 and len(set(totals)) == 1, totals


async def test_unknown_query_parameters_are_refused_with_the_accepted_ones(stack):
    """A misspelt filter used to be ignored: "ciy=Astana" listed every city."""
    response = await stack.http.get(SEARCH, params={"ciy": "Astana", "gusets": 2})

    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid_request"
    assert body["detail"] == "unknown query parameter(s): ciy, gusets"
    documented = {
        p["name"]
        for p in (await stack.http.get("/openapi.json")).json()["paths"][SEARCH]["get"][
            "parameters"
        ]
        if p["in"] == "query"
    }
    assert set(body["accepted"]) == documented
    assert (await stack.http.get(SEARCH, params={"city": "Astana", "page": 1})).status_code == 200


async def apartments(stack: Any, district: str, *specs: dict[str, Any]) -> list[int]:
    """One apartment of one owner per spec, in `district`; their ids in the same order."""
    owner, _ = await make_owner(stack)
    return [id_of(await make_property(stack, owner, district=district, **spec)) for spec in specs]


async def test_guests_lists_only_apartments_that_sleep_that_many(stack):
    district = new_district()
    two, four, six = await apartments(
        stack,
        district,
        {"max_guests": 2, "price_per_night": 10_000},
        {"max_guests": 4, "price_per_night": 30_000},
        {"max_guests": 6, "price_per_night": 20_000},
    )

    assert await found(stack, district=district) == [two, six, four]
    assert await found(stack, district=district, guests=4) == [six, four]
    assert await found(stack, district=district, guests=6) == [six]
    assert await found(stack, district=district, guests=7) == []
    for bad in (0, 51):
        response = await stack.http.get(SEARCH, params={"district": district, "guests": bad})
        assert response.status_code == 422, bad


async def test_price_range_bounds_the_nightly_price_both_ends_inclusive(stack):
    district = new_district()
    cheap, middle, dear = await apartments(
        stack,
        district,
        {"price_per_night": 10_000},
        {"price_per_night": 20_000},
        {"price_per_night": 30_000},
    )

    assert await found(stack, district=district, price_min=20_000) == [middle, dear]
    assert await found(stack, district=district, price_max=20_000) == [cheap, middle]
    assert await found(stack, district=district, price_min=15_000, price_max=30_000) == [
        middle,
        dear,
    ]
    assert await found(stack, district=district, price_min=20_000, price_max=20_000) == [middle]
    assert await found(stack, district=district, price_min=31_000) == []

    reversed_ = await stack.http.get(
        SEARCH, params={"district": district, "price_min": 30_000, "price_max": 10_000}
    )
    assert reversed_.status_code == 422
    assert reversed_.json() == {
        "error": "invalid_request",
        "detail": "price_min must not exceed price_max",
    }


async def test_sort_orders_cheapest_dearest_and_best_rated_first(stack):
    district = new_district()
    top_cheap, top_dear, twin, middling, unrated = await apartments(
        stack,
        district,
        {"price_per_night": 25_000},
        {"price_per_night": 40_000},
        {"price_per_night": 25_000},  # same price as top_cheap: the id breaks the tie
        {"price_per_night": 15_000},
        {"price_per_night": 10_000},
    )
    for prop_id, ratings in ((top_cheap, [5]), (top_dear, [5, 5]), (twin, [4, 3]), (middling, [4])):
        await add_reviews(stack, prop_id, ratings)

    cheapest_first = [unrated, middling, top_cheap, twin, top_dear]
    assert await found(stack, district=district) == cheapest_first
    assert await found(stack, district=district, sort="price") == cheapest_first
    assert await found(stack, district=district, sort="-price") == [
        top_dear,
        top_cheap,
        twin,
        middling,
        unrated,
    ]
    # 5.0 (cheaper first), 4.0, 3.5, then the apartment nobody has rated yet.
    assert await found(stack, district=district, sort="rating") == [
        top_cheap,
        top_dear,
        middling,
        twin,
        unrated,
    ]
    assert (await stack.http.get(SEARCH, params={"sort": "cheap"})).status_code == 422


async def test_pages_of_different_filters_are_never_shared_by_the_cache(stack):
    """Asked back to back, each filter set gets its own answer, not the page cached first."""
    district = new_district()
    cheap, dear = await apartments(
        stack,
        district,
        {"price_per_night": 10_000, "max_guests": 2},
        {"price_per_night": 50_000, "max_guests": 6},
    )
    assert stack.settings.search_cache_ttl_seconds > 0  # the cache is on

    for _ in range(2):  # the second round is answered from Redis
        assert await found(stack, district=district, price_max=20_000) == [cheap]
        assert await found(stack, district=district, price_min=20_000) == [dear]
        assert await found(stack, district=district, price_min=5_000, price_max=60_000) == [
            cheap,
            dear,
        ]
        assert await found(stack, district=district, guests=3) == [dear]
        assert await found(stack, district=district, sort="-price") == [dear, cheap]
        assert await found(stack, district=district, sort="price") == [cheap, dear]


async def test_dated_cards_carry_the_total_the_hold_charges(stack):
    district = new_district()
    stays_here, too_short = await apartments(
        stack,
        district,
        {"price_per_night": 23_500, "cleaning_fee": 7_000, "min_nights": 2},
        {"price_per_night": 30_000, "cleaning_fee": 5_000, "min_nights": 5},
    )
    check_in, check_out = await stay(stack, starts_in_days=60, nights=3)
    dates = {"check_in": check_in.isoformat(), "check_out": check_out.isoformat()}

    response = await stack.http.get(SEARCH, params={"district": district, **dates})
    assert response.status_code == 200, response.text
    cards = {item["id"]: item for item in response.json()["items"]}
    held = await stack.partner.post(
        "/api/v1/bookings", json=booking_body(stays_here, check_in, check_out)
    )
    undated = (await stack.http.get(SEARCH, params={"district": district})).json()["items"]

    assert held.status_code == 201, held.text
    assert cards[stays_here]["nights"] == 3
    assert cards[stays_here]["stay_total"] == held.json()["total"] == 3 * 23_500 + 7_000
    # A 3-night stay where 5 is the minimum cannot be booked: no total to promise.
    assert (cards[too_short]["nights"], cards[too_short]["stay_total"]) == (3, None)
    assert [(item["nights"], item["stay_total"]) for item in undated] == [(None, None)] * 2
