"""A retried booking request (same Idempotency-Key) gets the same booking, not a second one."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import col

from models import Booking, CalendarNight
from tests.support.factories import booking_body, id_of, make_owner, make_property, stay


async def test_retried_request_returns_the_same_hold(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=20, nights=2)
    body = booking_body(id_of(prop), check_in, check_out)
    headers = {"Idempotency-Key": "tg-update-81723"}

    first = await stack.partner.post("/api/v1/bookings", json=body, headers=headers)
    again = await stack.partner.post("/api/v1/bookings", json=body, headers=headers)

    assert first.status_code == 201, first.text
    assert again.status_code == 201, again.text
    assert again.json()["booking_id"] == first.json()["booking_id"]
    assert again.json()["total"] == first.json()["total"]
    async with stack.sessions() as session:
        bookings = await session.scalar(
            select(func.count()).select_from(Booking).where(col(Booking.property_id) == prop.id)
        )
        nights = await session.scalar(
            select(func.count()).where(col(CalendarNight.property_id) == prop.id)
        )
    assert (bookings, nights) == (1, 2)


async def test_another_key_for_the_same_nights_is_refused(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=20, nights=2)

    first = await stack.partner.post(
        "/api/v1/bookings",
        json=booking_body(id_of(prop), check_in, check_out),
        headers={"Idempotency-Key": "key-a"},
    )
    second = await stack.partner.post(
        "/api/v1/bookings",
        json=booking_body(id_of(prop), check_in, check_out),
        headers={"Idempotency-Key": "key-b"},
    )

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["error"] == "dates_unavailable"
