"""Stories of a guest paying with Kaspi: webhook, duplicates, wrong amount, lost webhook."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from models import CalendarNight, Payment
from tests.support.factories import (
    booking_body,
    booking_row,
    eventually,
    id_of,
    make_owner,
    make_property,
    stay,
    wait_status,
)
from tests.support.payments import (
    activities_run,
    messages_to,
    nights_of,
    payments_of,
    post_signed_webhook,
    sandbox_pay,
    sandbox_resend_webhook,
    workflow_state,
)


async def test_guest_books_and_pays_with_kaspi(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner, price_per_night=20_000, cleaning_fee=5_000)
    check_in, check_out = await stay(stack, starts_in_days=10, nights=3)

    body = booking_body(id_of(prop), check_in, check_out, telegram_id=555001)
    response = await stack.partner.post("/api/v1/bookings", json=body)

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
    paid = await sandbox_pay(stack, kaspi_id)
    assert paid["webhook_status"] == 200

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
    assert state["workflow"]["payment_source"] == "webhook"
    # Messages follow the confirmation (the guest's first, then the owner's).
    await eventually(
        lambda: messages_to(stack, owner.telegram_id),
        until=lambda texts: any(booking_id in t for t in texts),
    )
    assert any(booking_id in t and "подтверждена" in t for t in stack.telegram.texts(555001))


async def _hold(stack, prop, *, starts_in_days: int, nights: int = 2) -> tuple[dict[str, Any], int]:
    """A Kaspi booking held through the API: its answer and the guest's Telegram id."""
    check_in, check_out = await stay(stack, starts_in_days=starts_in_days, nights=nights)
    body = booking_body(id_of(prop), check_in, check_out)
    response = await stack.partner.post("/api/v1/bookings", json=body)
    assert response.status_code == 201, response.text
    return response.json(), body["guest"]["telegram_id"]


def _confirmed(texts: list[str], booking_id: str) -> list[str]:
    return [t for t in texts if booking_id in t and "подтверждена" in t]


async def test_same_payment_delivered_twice_confirms_once(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    held, guest = await _hold(stack, prop, starts_in_days=11)
    booking_id, kaspi_id = held["booking_id"], held["payment"]["kaspi_payment_id"]
    webhook = {
        "payment_id": kaspi_id,
        "booking_id": booking_id,
        "amount": held["total"],
        "status": "paid",
    }

    # The guest pays; a Kaspi retry and a second delivery reach the API at the same time.
    assert (await sandbox_pay(stack, kaspi_id, send_webhook_too=False))["webhook_status"] is None
    resent, direct = await asyncio.gather(
        sandbox_resend_webhook(stack, kaspi_id), post_signed_webhook(stack, webhook)
    )
    assert (resent, direct.status_code) == (200, 200), direct.text
    await wait_status(stack, booking_id, "confirmed")
    # Late retries after the confirmation are answered 200 as well.
    assert await sandbox_resend_webhook(stack, kaspi_id) == 200
    assert (await post_signed_webhook(stack, webhook)).status_code == 200

    payments = await payments_of(stack, booking_id)
    assert [(p.provider_payment_id, p.amount) for p in payments] == [(kaspi_id, held["total"])]
    assert await activities_run(stack, booking_id, "confirm_booking") == 1
    # The owner is told after the guest: once the owner has it, the guest's count is final.
    await eventually(
        lambda: messages_to(stack, owner.telegram_id),
        until=lambda texts: any(booking_id in t for t in texts),
    )
    assert len(_confirmed(stack.telegram.texts(guest), booking_id)) == 1
    state = await workflow_state(stack, booking_id)
    assert (state["status"], state["payment_id"], state["rejected_payments"]) == (
        "confirmed",
        kaspi_id,
        0,
    )


async def test_wrong_amount_is_not_a_confirmation(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    held, guest = await _hold(stack, prop, starts_in_days=13)
    booking_id, kaspi_id = held["booking_id"], held["payment"]["kaspi_payment_id"]

    answer = await sandbox_pay(stack, kaspi_id, amount=held["total"] - 5_000)

    assert answer["webhook_status"] == 200
    state = await eventually(
        lambda: workflow_state(stack, booking_id), until=lambda s: s["rejected_payments"] > 0
    )
    assert (state["rejected_payments"], state["status"], state["payment_id"]) == (
        1,
        "pending_payment",
        None,
    )
    row = await booking_row(stack, booking_id)
    assert row is not None and row.status == "pending_payment"
    # The refused money goes straight back to the guest (LatePaymentWorkflow).
    payments = await eventually(
        lambda: payments_of(stack, booking_id),
        until=lambda ps: (
            [(p.amount, p.status) for p in ps] == [(held["total"] - 5_000, "refunded")]
        ),
    )
    assert [p.provider_payment_id for p in payments] == [kaspi_id]
    assert await nights_of(stack, booking_id) == 2  # still held for the guest
    assert _confirmed(stack.telegram.texts(guest), booking_id) == []


async def test_lost_webhook_is_found_by_the_status_poll(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    held, guest = await _hold(stack, prop, starts_in_days=15)
    booking_id, kaspi_id = held["booking_id"], held["payment"]["kaspi_payment_id"]

    answer = await sandbox_pay(stack, kaspi_id, send_webhook_too=False)
    assert answer["webhook_status"] is None
    row = await booking_row(stack, booking_id)
    assert row is not None and row.status == "pending_payment"

    await stack.env.sleep(stack.settings.kaspi_poll_interval + timedelta(seconds=5))

    await wait_status(stack, booking_id, "confirmed", timeout=30)
    assert stack.kaspi.payments[kaspi_id].webhooks_sent == 0
    state = await workflow_state(stack, booking_id)
    assert (state["payment_id"], state["payment_source"]) == (kaspi_id, "poll")
    payments = await payments_of(stack, booking_id)
    assert [(p.provider_payment_id, p.amount) for p in payments] == [(kaspi_id, held["total"])]
    texts = await eventually(
        lambda: messages_to(stack, guest), until=lambda t: bool(_confirmed(t, booking_id))
    )
    assert len(_confirmed(texts, booking_id)) == 1


async def test_unpaid_booking_is_auto_cancelled_and_its_nights_freed(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    held, guest = await _hold(stack, prop, starts_in_days=17, nights=3)
    booking_id = held["booking_id"]
    assert await nights_of(stack, booking_id) == 3

    await stack.env.sleep(stack.settings.kaspi_payment_timeout + timedelta(minutes=1))

    row = await wait_status(stack, booking_id, "auto_cancelled", timeout=30)
    assert (row.cancelled_by, row.cancel_reason) == ("system", "payment_timeout")
    assert await nights_of(stack, booking_id) == 0
    assert await payments_of(stack, booking_id) == []
    # Another guest can now book exactly the same nights.
    again = booking_body(id_of(prop), row.check_in, row.check_out)
    response = await stack.partner.post("/api/v1/bookings", json=again)
    assert response.status_code == 201, response.text
    await eventually(
        lambda: messages_to(stack, owner.telegram_id),
        until=lambda texts: any(booking_id in t and "автоматически" in t for t in texts),
    )
    assert any(booking_id in t and "отменена" in t for t in stack.telegram.texts(guest))
