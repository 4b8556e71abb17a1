"""Owners set real prices through the API (issue 13, prices): the rules are scoped to the
owner's apartments, validated with a reason, recorded in the price history, and every quote
uses them at once — the quote endpoint's breakdown, the calendar's per-night price, the
search card's stay total (cached pages forgotten) and the hold itself."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from sqlmodel import col, select

from core.clock import today_local
from models import PriceHistory
from tests.support.factories import id_of, make_owner, make_property, saved_booking
from tests.support.lifecycle import book

RULES = {
    "weekend_price": 30_000,
    "discounts": [{"min_nights": 7, "percent": 10}],
    "extra_guest_fee": 2_000,
    "guests_included": 2,
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def next_monday(after_days: int) -> date:
    day = today_local() + timedelta(days=after_days)
    return day + timedelta(days=(7 - day.weekday()) % 7)


async def apartment(stack: Any) -> tuple[Any, str, Any, str]:
    owner, token = await make_owner(stack)
    city = "Город-" + secrets.token_hex(3)
    prop = await make_property(
        stack, owner, city=city, price_per_night=20_000, cleaning_fee=5_000, max_guests=6
    )
    return owner, token, prop, city


async def test_owner_sets_rules_and_every_quote_uses_them_at_once(stack):
    _, token, prop, city = await apartment(stack)
    monday = next_monday(30)
    week = {"check_in": monday.isoformat(), "check_out": (monday + timedelta(days=7)).isoformat()}

    # A search before the edit: cached with the old price.
    search = {"city": city, **week}
    before = (await stack.http.get("/api/v1/properties", params=search)).json()
    assert before["items"][0]["stay_total"] == 7 * 20_000 + 5_000

    saved = await stack.http.put(
        f"/api/v1/properties/{prop.id}/pricing", json=RULES, headers=bearer(token)
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["rules"]["weekend_price"] == 30_000
    assert saved.json()["rules"]["weekend_days"] == [4, 5]  # Friday and Saturday by default

    # Mon..Thu + Sun at 20 000 (100 000) + Fri, Sat at 30 000 (60 000) = 160 000;
    # 7 nights −10 % = −16 000 → 144 000; 4 guests, 2 included: 2 × 2 000 × 7 = 28 000.
    quote = await stack.http.get(
        f"/api/v1/properties/{prop.id}/quote", params={**week, "guests": 4}
    )
    assert quote.status_code == 200, quote.text
    body = quote.json()
    assert [(x["band"], x["price"], x["nights"]) for x in body["lines"]] == [
        ("base", 20_000, 5),
        ("weekend", 30_000, 2),
    ]
    assert (body["discount_percent"], body["discount"]) == (10, 16_000)
    assert (body["extra_guests"], body["extra_guest_fee"]) == (2, 28_000)
    assert body["total"] == 144_000 + 28_000 + 5_000

    after = (await stack.http.get("/api/v1/properties", params=search)).json()
    assert after["items"][0]["stay_total"] == 144_000 + 5_000  # one guest: no extra fee

    calendar = await stack.http.get(
        f"/api/v1/properties/{prop.id}/calendar",
        params={"start": monday.isoformat(), "end": (monday + timedelta(days=7)).isoformat()},
    )
    prices = [n["price"] for n in calendar.json()["nights"]]
    assert prices == [20_000, 20_000, 20_000, 20_000, 30_000, 30_000, 20_000]

    # The hold charges what was quoted (the API helper books for two guests).
    held = await book(stack, id_of(prop), monday, monday + timedelta(days=7))
    row = await saved_booking(stack, held.booking_id)
    assert row.total == 144_000 + 5_000

    async with stack.sessions() as session:
        history = (
            await session.scalars(
                select(PriceHistory)
                .where(col(PriceHistory.property_id) == prop.id)
                .order_by(col(PriceHistory.id))
            )
        ).all()
    assert history[-1].rules is not None and history[-1].rules["weekend_price"] == 30_000
    assert history[-1].new_price == 20_000


async def test_rules_are_scoped_and_validated_with_a_reason(stack):
    _, token, prop, _ = await apartment(stack)
    _, other_token = await make_owner(stack)
    url = f"/api/v1/properties/{prop.id}/pricing"

    assert (await stack.http.get(url)).status_code == 401
    assert (await stack.http.get(url, headers=bearer(other_token))).status_code == 403
    refused = await stack.http.put(url, json=RULES, headers=bearer(other_token))
    assert refused.status_code == 403
    assert (await stack.http.get(url, headers=bearer(token))).json()["rules"]["seasons"] == []

    overlapping = {
        "seasons": [
            {"start": "2027-07-01", "end": "2027-07-31", "price": 30_000},
            {"start": "2027-07-20", "end": "2027-08-31", "price": 28_000},
        ]
    }
    bad = await stack.http.put(url, json=overlapping, headers=bearer(token))
    assert bad.status_code == 422
    assert "seasons overlap" in bad.text
    assert (
        await stack.http.put(url, json={"weekend_days": [9]}, headers=bearer(token))
    ).status_code == 422


async def test_a_season_minimum_and_a_holiday_reach_the_quote_and_the_hold(stack):
    _, token, prop, _ = await apartment(stack)
    start = today_local() + timedelta(days=60)
    rules = {
        "seasons": [
            {
                "start": start.isoformat(),
                "end": (start + timedelta(days=20)).isoformat(),
                "price": 26_000,
                "min_nights": 3,
                "name": "Лето",
            }
        ],
        "dates": [{"night": (start + timedelta(days=1)).isoformat(), "price": 50_000}],
    }
    saved = await stack.http.put(
        f"/api/v1/properties/{prop.id}/pricing", json=rules, headers=bearer(token)
    )
    assert saved.status_code == 200, saved.text

    two = {"check_in": start.isoformat(), "check_out": (start + timedelta(days=2)).isoformat()}
    short = await stack.http.get(f"/api/v1/properties/{prop.id}/quote", params=two)
    assert short.status_code == 422 and "minimum stay is 3 nights" in short.text
    held = await stack.partner.post(
        "/api/v1/bookings",
        json={
            "property_id": prop.id,
            "guests": 1,
            "guest": {"name": "Гость", "phone": "+77015550777", "telegram_id": 555_000_777},
            "channel": "telegram",
            "payment_method": "kaspi",
            **two,
        },
    )
    assert held.status_code == 422 and "minimum stay is 3 nights" in held.text

    three = {"check_in": start.isoformat(), "check_out": (start + timedelta(days=3)).isoformat()}
    quote = (await stack.http.get(f"/api/v1/properties/{prop.id}/quote", params=three)).json()
    assert [(x["band"], x["price"], x["nights"], x["name"]) for x in quote["lines"]] == [
        ("season", 26_000, 2, "Лето"),
        ("date", 50_000, 1, ""),
    ]
    assert quote["total"] == 2 * 26_000 + 50_000 + 5_000
