"""Stories of a guest paying by invoice: the owner confirms receipt, or the hold runs out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.support.factories import (
    booking_body,
    eventually,
    make_owner,
    make_property,
    stay,
    wait_status,
)
from tests.support.payments import messages_to, nights_of, payments_of, workflow_state


async def _book(stack, prop, *, starts_in_days: int, method: str = "manual") -> dict[str, Any]:
    check_in, check_out = await stay(stack, starts_in_days=starts_in_days, nights=2)
    body = booking_body(prop.id, check_in, check_out, method=method)
    response = await stack.partner.post("/api/v1/bookings", json=body)
    assert response.status_code == 201, response.text
    held: dict[str, Any] = response.json()
    held["guest_telegram_id"] = body["guest"]["telegram_id"]
    return held


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_owner_confirms_an_invoice_payment(stack):
    owner, token = await make_owner(stack)
    prop = await make_property(stack, owner)
    held = await _book(stack, prop, starts_in_days=12)
    booking_id = held["booking_id"]

    invoice = held["payment"]
    assert (held["status"], invoice["method"]) == ("pending_payment", "manual")
    assert invoice["iban"] == stack.settings.manual_payment_iban
    assert invoice["recipient"] == stack.settings.manual_payment_recipient
    assert (invoice["reference"], invoice["amount"]) == (booking_id, held["total"])
    assert invoice["kaspi_payment_id"] is None
    # Only the owner can confirm a transfer, so they hear of the booking at once.
    notice = f"Новая бронь {booking_id} ждёт оплаты по счёту"
    owner_texts = await eventually(
        lambda: messages_to(stack, owner.telegram_id),
        until=lambda texts: any(notice in t for t in texts),
    )
    assert sum(notice in t for t in owner_texts) == 1
    assert "«📑 Брони» → «📥 Ожидают оплаты по счёту»" in next(
        t for t in owner_texts if notice in t
    )

    response = await stack.http.post(
        f"/api/v1/bookings/{booking_id}/manual-payment", headers=_bearer(token)
    )

    assert response.status_code == 200, response.text
    assert (response.json()["status"], response.json()["payment_source"]) == ("confirmed", "manual")
    row = await wait_status(stack, booking_id, "confirmed")
    assert row.confirmed_at is not None
    payments = await payments_of(stack, booking_id)
    assert [(p.provider_payment_id, p.amount, p.confirmed_by_id) for p in payments] == [
        (f"manual-{booking_id}", held["total"], owner.id)
    ]
    guest_texts = await eventually(
        lambda: messages_to(stack, held["guest_telegram_id"]),
        until=lambda texts: any(booking_id in t and "подтверждена" in t for t in texts),
    )
    assert sum(booking_id in t and "подтверждена" in t for t in guest_texts) == 1


async def test_only_the_apartments_owner_may_confirm(stack):
    owner, _ = await make_owner(stack)
    _, stranger_token = await make_owner(stack)
    prop = await make_property(stack, owner)
    booking_id = (await _book(stack, prop, starts_in_days=14))["booking_id"]
    url = f"/api/v1/bookings/{booking_id}/manual-payment"

    anonymous = await stack.http.post(url)
    stranger = await stack.http.post(url, headers=_bearer(stranger_token))
    forged = await stack.http.post(url, headers=_bearer("zg_not-a-real-token"))

    assert (anonymous.status_code, stranger.status_code, forged.status_code) == (401, 403, 401)
    assert await payments_of(stack, booking_id) == []
    assert (await workflow_state(stack, booking_id))["status"] == "pending_payment"


async def test_kaspi_booking_cannot_be_confirmed_by_invoice(stack):
    owner, token = await make_owner(stack)
    prop = await make_property(stack, owner)
    booking_id = (await _book(stack, prop, starts_in_days=16, method="kaspi"))["booking_id"]

    response = await stack.http.post(
        f"/api/v1/bookings/{booking_id}/manual-payment", headers=_bearer(token)
    )

    assert response.status_code == 409, response.text
    assert response.json()["error"] == "not_payable"
    assert await payments_of(stack, booking_id) == []
    assert (await workflow_state(stack, booking_id))["status"] == "pending_payment"


async def test_confirming_twice_is_refused_with_a_reason(stack):
    owner, token = await make_owner(stack)
    prop = await make_property(stack, owner)
    booking_id = (await _book(stack, prop, starts_in_days=18))["booking_id"]
    url = f"/api/v1/bookings/{booking_id}/manual-payment"

    first = await stack.http.post(url, headers=_bearer(token))
    second = await stack.http.post(url, headers=_bearer(token))

    assert first.status_code == 200, first.text
    assert second.status_code == 409, second.text
    assert second.json()["error"] == "not_payable"
    assert "confirmed" in second.json()["detail"]
    assert len(await payments_of(stack, booking_id)) == 1


async def test_unpaid_invoice_is_auto_cancelled_after_its_timeout(stack):
    owner, token = await make_owner(stack)
    prop = await make_property(stack, owner)
    held = await _book(stack, prop, starts_in_days=20)
    booking_id = held["booking_id"]

    # Half an hour is the Kaspi timeout, not the invoice's: the hold survives it.
    await stack.env.sleep(stack.settings.kaspi_payment_timeout + timedelta(minutes=1))
    assert (await workflow_state(stack, booking_id))["status"] == "pending_payment"
    await stack.env.sleep(stack.settings.manual_payment_timeout)

    row = await wait_status(stack, booking_id, "auto_cancelled", timeout=30)
    assert (row.cancelled_by, row.cancel_reason) == ("system", "payment_timeout")
    assert await nights_of(stack, booking_id) == 0
    late = await stack.http.post(
        f"/api/v1/bookings/{booking_id}/manual-payment", headers=_bearer(token)
    )
    assert late.status_code == 409, late.text
    assert await payments_of(stack, booking_id) == []
    await eventually(
        lambda: messages_to(stack, held["guest_telegram_id"]),
        until=lambda texts: any(booking_id in t and "отменена" in t for t in texts),
    )
