"""Stories of a guest paying with Kaspi: webhook, duplicates, wrong amount, lost webhook."""

from __future__ import annotations

from sqlalchemy import func, select

from models import CalendarNight, Payment
from tests.support.factories import (
    booking_body,
    make_owner,
    make_property,
    stay,
    wait_status,
)


async def test_guest_books_and_pays_with_kaspi(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner, price_per_night=20_000, cleaning_fee=5_000)
    check_in, check_out = await stay(stack, starts_in_days=10, nights=3)

    body = booking_body(prop.id, check_in, check_out, telegram_id=555001)
    response = await stack.http.post("/api/v1/bookings", json=body)

    assert response.status_code == 201, response.text
    held = response.json()
    assert held["status"] == "pending_payment"
    assert held["total"] == 3 * 20_000 + 5_000
    assert held["payment"]["method"] == "kaspi"
    assert held["payment"]["payment_url"].startswith("http://127.0.0.1")
    booking_id = held["booking_id"]
    async with stack.sessions() as session:
        nights = await session.scalar(
            select(func.count()).where(CalendarNight.booking_id == booking_id)
        )
    assert nights == 3

    kaspi_id = held["payment"]["kaspi_payment_id"]
    paid = await stack.http.post(
        f"{stack.settings.kaspi_api_url.rsplit('/api/v1', 1)[0]}/sandbox/payments/{kaspi_id}/pay"
    )
    assert paid.json()["webhook_status"] == 200

    row = await wait_status(stack, booking_id, "confirmed")
    assert row.confirmed_at is not None
    async with stack.sessions() as session:
        payments = (
            await session.scalars(select(Payment).where(Payment.booking_id == booking_id))
        ).all()
    assert [(p.provider_payment_id, p.amount) for p in payments] == [(kaspi_id, 65_000)]
    state = (await stack.http.get(f"/api/v1/bookings/{booking_id}")).json()
    assert state["status"] == "confirmed"
    assert state["workflow"]["status"] == "confirmed"
    assert state["workflow"]["paid_amount"] == 65_000
    assert any(booking_id in t and "подтверждена" in t for t in stack.telegram.texts(555001))
    assert any(booking_id in t for t in stack.telegram.texts(owner.telegram_id))
