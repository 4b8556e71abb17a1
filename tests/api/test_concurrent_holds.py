"""Fifty guests race for overlapping nights of one apartment: the database lets one win."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, timedelta

from tests.support.factories import (
    booking_body,
    booking_row,
    id_of,
    make_owner,
    make_property,
    stay,
)
from tests.support.rows import blocked_nights, bookings_of_property

GUESTS = 50


async def test_fifty_concurrent_holds_give_exactly_one_booking(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner, min_nights=1, max_nights=30)
    first, _ = await stay(stack, starts_in_days=25, nights=1)
    # Nine different stays, every one of them including the night first + 2 days,
    # so any two requests overlap and at most one of them can be held.
    shapes = [(start, end) for start in range(3) for end in range(3, 6)]
    bodies = [
        booking_body(
            id_of(prop),
            first + timedelta(days=shapes[i % len(shapes)][0]),
            first + timedelta(days=shapes[i % len(shapes)][1]),
        )
        for i in range(GUESTS)
    ]

    responses = await asyncio.gather(
        *(stack.partner.post("/api/v1/bookings", json=body) for body in bodies)
    )

    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 1, 409: GUESTS - 1}, [r.text for r in responses if r.status_code >= 500]
    assert all(r.json()["error"] == "dates_unavailable" for r in responses if r.status_code == 409)
    won = next(i for i, r in enumerate(responses) if r.status_code == 201)
    booking_id = responses[won].json()["booking_id"]
    check_in = date.fromisoformat(bodies[won]["check_in"])
    check_out = date.fromisoformat(bodies[won]["check_out"])
    expected = [check_in + timedelta(days=d) for d in range((check_out - check_in).days)]
    assert await blocked_nights(stack, prop.id) == [(night, booking_id) for night in expected]
    assert await bookings_of_property(stack, prop.id) == [booking_id]
    row = await booking_row(stack, booking_id)
    assert row is not None and row.status == "pending_payment"
