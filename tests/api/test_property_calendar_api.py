"""GET /api/v1/properties/{id}/calendar and the booking horizon (BOOKING_HORIZON_DAYS).

Guests who plan ahead see which nights are free and what each costs, and may book up to
the horizon; a check-in beyond it is refused before any workflow starts.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import col, select

from models import Booking, CalendarNight, Property
from models.booking_io import GuestContact
from models.enums import CalendarBlockKind, Channel, PaymentMethod
from services.booking_client import BookingClient, timings_from
from tests.support.factories import ALMATY, booking_body, id_of, make_owner, make_property, stay

PROPERTIES = "/api/v1/properties"


def almaty_today() -> date:
    """Today as the API sees it (Asia/Almaty, real clock)."""
    return datetime.now(ALMATY).date()


async def block(stack: Any, prop: Property, night: date, kind: CalendarBlockKind) -> None:
    async with stack.sessions() as session:
        session.add(CalendarNight(property_id=id_of(prop), night=night, kind=kind))
        await session.commit()


async def calendar(stack: Any, property_id: int, start: date, end: date) -> Any:
    return await stack.http.get(
        f"{PROPERTIES}/{property_id}/calendar",
        params={"start": start.isoformat(), "end": end.isoformat()},
    )


async def test_held_and_blocked_nights_are_unavailable_free_ones_carry_the_price(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(
        stack, owner, price_per_night=21_000, cleaning_fee=3_000, min_nights=2, max_nights=14
    )
    check_in, check_out = await stay(stack, starts_in_days=40, nights=2)
    held = await stack.partner.post(
        "/api/v1/bookings", json=booking_body(id_of(prop), check_in, check_out)
    )
    assert held.status_code == 201, held.text  # pending payment: its nights are held
    owner_night = check_in + timedelta(days=4)
    ical_night = check_in + timedelta(days=5)
    await block(stack, prop, owner_night, CalendarBlockKind.OWNER)
    await block(stack, prop, ical_night, CalendarBlockKind.ICAL)
    start, end = check_in - timedelta(days=1), check_in + timedelta(days=7)

    response = await calendar(stack, id_of(prop), start, end)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["property_id"], body["min_nights"], body["max_nights"]) == (id_of(prop), 2, 14)
    taken = {check_in, check_in + timedelta(days=1), owner_night, ical_night}
    assert body["nights"] == [
        {
            "date": (start + timedelta(days=i)).isoformat(),
            "available": start + timedelta(days=i) not in taken,
            "price": 21_000,
        }
        for i in range(8)  # end is exclusive: the check-out morning is not a night
    ]
    checkout_night = next(n for n in body["nights"] if n["date"] == check_out.isoformat())
    assert checkout_night == {"date": check_out.isoformat(), "available": True, "price": 21_000}


async def test_past_nights_are_unavailable_today_is_free(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    today = almaty_today()

    response = await calendar(
        stack, id_of(prop), today - timedelta(days=2), today + timedelta(days=2)
    )

    assert response.status_code == 200, response.text
    assert [n["available"] for n in response.json()["nights"]] == [False, False, True, True]


async def test_ranges_the_calendar_refuses(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner, max_nights=10)
    today = almaty_today()
    horizon = stack.settings.booking_horizon_days
    last_end = today + timedelta(days=horizon + 10)  # latest check-in + the longest stay

    too_long = await calendar(stack, id_of(prop), today, today + timedelta(days=367))
    backwards = await calendar(stack, id_of(prop), today + timedelta(days=5), today)
    beyond = await calendar(
        stack, id_of(prop), today + timedelta(days=300), last_end + timedelta(days=1)
    )
    unknown = await calendar(stack, 2**31 - 1, today, today + timedelta(days=7))
    year = await calendar(stack, id_of(prop), today, today + timedelta(days=366))
    empty = await calendar(stack, id_of(prop), today, today)
    to_the_edge = await calendar(stack, id_of(prop), last_end - timedelta(days=30), last_end)

    assert [too_long.status_code, backwards.status_code, beyond.status_code] == [422, 422, 422]
    assert too_long.json()["detail"] == "at most 366 days per request"
    assert backwards.json()["detail"] == "end must not be before start"
    assert beyond.json()["detail"].startswith(f"end may be at most {last_end.isoformat()}")
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "not_found"
    assert year.status_code == 200 and len(year.json()["nights"]) == 366
    assert empty.status_code == 200 and empty.json()["nights"] == []
    assert to_the_edge.status_code == 200 and len(to_the_edge.json()["nights"]) == 30


async def test_a_check_in_beyond_the_booking_horizon_is_refused(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    assert stack.settings.booking_horizon_days == 365
    today = almaty_today()

    def body(days_ahead: int) -> dict[str, Any]:
        check_in = today + timedelta(days=days_ahead)
        return booking_body(id_of(prop), check_in, check_in + timedelta(days=2))

    too_far = await stack.partner.post("/api/v1/bookings", json=body(366))
    far_but_open = await stack.partner.post("/api/v1/bookings", json=body(300))

    assert too_far.status_code == 422, too_far.text
    latest = (today + timedelta(days=365)).isoformat()
    assert too_far.json() == {
        "error": "invalid_request",
        "detail": f"check_in may be at most 365 days ahead (latest {latest})",
    }
    assert far_but_open.status_code == 201, far_but_open.text


async def test_the_hold_itself_refuses_a_check_in_beyond_the_horizon(stack):
    """Whoever starts the workflow (a bot, a script, an old API), the hold has the final word
    and writes nothing."""
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    bookings = BookingClient(
        stack.client,
        task_queue=stack.settings.temporal_task_queue,
        timings=timings_from(stack.settings),
    )
    check_in = almaty_today() + timedelta(days=366)
    body = booking_body(id_of(prop), check_in, check_in + timedelta(days=2))

    held = await bookings.hold(
        bookings.new_request(
            property_id=id_of(prop),
            check_in=check_in,
            check_out=check_in + timedelta(days=2),
            guests=1,
            guest=GuestContact(**body["guest"]),
            channel=Channel.API,
            payment_method=PaymentMethod.KASPI,
        )
    )

    assert (held.error, held.detail) == ("invalid", "check-in may be at most 365 days ahead")
    async with stack.sessions() as session:
        assert await session.get(Booking, held.booking_id) is None
        nights = await session.scalars(
            select(CalendarNight).where(col(CalendarNight.property_id) == id_of(prop))
        )
        assert nights.all() == []
