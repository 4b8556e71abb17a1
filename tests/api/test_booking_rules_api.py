"""An apartment's booking rules (issue 13): advance notice refuses a check-in too soon (422
with the first possible day, in the API and by the hold activity itself); preparation nights
after each stay (turnover) are held with the booking in the same transaction — a stay that
would start in them, or end too late before the next guest, is refused — and are freed with
the booking."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from core.clock import today_local
from models import CalendarNight
from models.enums import CalendarBlockKind
from tests.support.factories import booking_body, id_of, make_owner, make_property, wait_status
from tests.support.lifecycle import book, cancel


async def flat(stack: Any, **rules: Any) -> Any:
    owner, _ = await make_owner(stack)
    return await make_property(
        stack, owner, city="Город-" + secrets.token_hex(3), max_guests=4, pricing=rules
    )


async def hold(stack: Any, prop: Any, start: Any, nights: int) -> Any:
    body = booking_body(id_of(prop), start, start + timedelta(days=nights))
    return await stack.partner.post("/api/v1/bookings", json=body)


async def kinds(stack: Any, prop: Any) -> dict[str, str]:
    async with stack.sessions() as session:
        rows = await session.execute(
            select(col(CalendarNight.night), col(CalendarNight.kind)).where(
                col(CalendarNight.property_id) == prop.id
            )
        )
        return {night.isoformat(): str(kind) for night, kind in rows.all()}


async def test_advance_notice_refuses_a_check_in_too_soon(stack):
    prop = await flat(stack, advance_notice_days=3)
    today = today_local()
    refused = await hold(stack, prop, today + timedelta(days=1), 2)
    assert refused.status_code == 422
    first = (today + timedelta(days=3)).isoformat()
    assert f"check-in may be {first} at the earliest" in refused.text
    calendar = await stack.http.get(
        f"/api/v1/properties/{prop.id}/quote",
        params={"check_in": first, "check_out": (today + timedelta(days=5)).isoformat()},
    )
    assert calendar.status_code == 200
    held = await hold(stack, prop, today + timedelta(days=3), 2)
    assert held.status_code == 201, held.text


async def test_turnover_nights_are_held_with_the_stay_and_freed_with_it(stack):
    prop = await flat(stack, turnover_nights=1)
    start = today_local() + timedelta(days=20)
    first = await book(stack, id_of(prop), start, start + timedelta(days=2))
    assert await kinds(stack, prop) == {
        start.isoformat(): "booking",
        (start + timedelta(days=1)).isoformat(): "booking",
        (start + timedelta(days=2)).isoformat(): "turnover",  # the morning after: cleaning
    }
    calendar = await stack.http.get(
        f"/api/v1/properties/{prop.id}/calendar",
        params={"start": start.isoformat(), "end": (start + timedelta(days=4)).isoformat()},
    )
    assert [n["available"] for n in calendar.json()["nights"]] == [False, False, False, True]

    # Arriving on the preparation night, or leaving so late there is no night to prepare
    # before this guest: both refused, and nothing of theirs is written.
    assert (await hold(stack, prop, start + timedelta(days=2), 2)).status_code == 409
    too_late = await hold(stack, prop, start - timedelta(days=2), 2)
    assert too_late.status_code == 409, too_late.text
    assert "no time to prepare" in too_late.text
    assert len(await kinds(stack, prop)) == 3
    # One night earlier it fits: its own preparation night is the one before the stay.
    earlier = await hold(stack, prop, start - timedelta(days=3), 2)
    assert earlier.status_code == 201, earlier.text
    assert (await kinds(stack, prop))[(start - timedelta(days=1)).isoformat()] == "turnover"

    answer = await cancel(stack, first.booking_id, {"reason": "plans_changed"})
    assert answer.status_code == 200, answer.text
    await wait_status(stack, first.booking_id, "cancelled")
    left = await kinds(stack, prop)
    assert (start + timedelta(days=2)).isoformat() not in left  # freed with its stay
    assert start.isoformat() not in left


async def test_an_owner_block_after_a_stay_is_preparation_enough(stack):
    prop = await flat(stack, turnover_nights=1)
    start = today_local() + timedelta(days=25)
    async with stack.sessions() as session:
        session.add(
            CalendarNight(
                property_id=prop.id, night=start + timedelta(days=2), kind=CalendarBlockKind.OWNER
            )
        )
        await session.commit()
    held = await hold(stack, prop, start, 2)
    assert held.status_code == 201, held.text
    assert (await kinds(stack, prop))[(start + timedelta(days=2)).isoformat()] == "owner"
