"""Hand-made Kaspi webhooks: any bytes, any timestamp, any secret — to test the gate itself."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import httpx
from sqlmodel import col, select

from core.signing import kaspi_signature
from models import Payment
from tests.support.factories import booking_body, make_owner, make_property, stay

WEBHOOK_PATH = "/api/v1/payments/kaspi/webhook"


@dataclass(frozen=True)
class HeldBooking:
    booking_id: str
    kaspi_payment_id: str
    total: int


async def hold_kaspi_booking(stack: Any, **property_fields: Any) -> HeldBooking:
    """A real booking held through the API, waiting for its Kaspi payment."""
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner, **property_fields)
    assert prop.id is not None
    check_in, check_out = await stay(stack, starts_in_days=20, nights=2)
    response = await stack.partner.post(
        "/api/v1/bookings", json=booking_body(prop.id, check_in, check_out)
    )
    assert response.status_code == 201, response.text
    held = response.json()
    return HeldBooking(held["booking_id"], held["payment"]["kaspi_payment_id"], held["total"])


def payment_event(booking_id: str, payment_id: str, amount: int, status: str = "paid") -> bytes:
    return json.dumps(
        {"payment_id": payment_id, "booking_id": booking_id, "amount": amount, "status": status}
    ).encode()


def webhook_secret(stack: Any) -> str:
    return str(stack.settings.kaspi_webhook_secret.get_secret_value())


def signed_headers(
    stack: Any, body: bytes, *, timestamp: int | None = None, secret: str | None = None
) -> dict[str, str]:
    """Kaspi's headers: X-Kaspi-Timestamp and hex HMAC-SHA256 over "{timestamp}.{body}"."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json",
        "X-Kaspi-Timestamp": ts,
        "X-Kaspi-Signature": kaspi_signature(secret or webhook_secret(stack), ts, body),
    }


async def post_webhook(stack: Any, body: bytes, headers: dict[str, str]) -> httpx.Response:
    response: httpx.Response = await stack.http.post(WEBHOOK_PATH, content=body, headers=headers)
    return response


async def recorded_payments(
    stack: Any, *, booking_id: str | None = None, provider_payment_id: str | None = None
) -> list[tuple[str, int]]:
    """(provider payment id, amount) of the Payment rows for a booking or a payment id."""
    query = select(col(Payment.provider_payment_id), col(Payment.amount)).order_by(col(Payment.id))
    if booking_id is not None:
        query = query.where(col(Payment.booking_id) == booking_id)
    if provider_payment_id is not None:
        query = query.where(col(Payment.provider_payment_id) == provider_payment_id)
    async with stack.sessions() as session:
        return [(pid, amount) for pid, amount in (await session.execute(query)).all()]
