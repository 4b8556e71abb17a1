"""Payment helpers: drive the Kaspi sandbox, post signed webhooks, read what was recorded."""

from __future__ import annotations

import json
from typing import Any

import httpx
from sqlalchemy import func
from sqlmodel import col, select

from models import CalendarNight, Payment
from tests.support.webhooks import post_webhook, signed_headers


def sandbox_url(stack: Any) -> str:
    return str(stack.settings.kaspi_api_url).rsplit("/api/v1", 1)[0]


async def sandbox_pay(stack: Any, kaspi_payment_id: str, **params: Any) -> dict[str, Any]:
    """The guest pays in the sandbox (params: amount=..., send_webhook_too=false)."""
    response = await stack.http.post(
        f"{sandbox_url(stack)}/sandbox/payments/{kaspi_payment_id}/pay", params=params
    )
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def another_kaspi_payment(stack: Any, booking_id: str, amount: int) -> str:
    """A new Kaspi payment for a booking (the guest pays again, under a new payment id)."""
    response = await stack.http.post(
        f"{sandbox_url(stack)}/api/v1/payments",
        json={
            "merchant_id": "test",
            "reference": booking_id,
            "amount": amount,
            "phone": "+77010000000",
        },
    )
    assert response.status_code == 200, response.text
    payment_id: str = response.json()["payment_id"]
    return payment_id


async def sandbox_resend_webhook(stack: Any, kaspi_payment_id: str) -> int:
    """The sandbox sends the same webhook again, as Kaspi does on retries; the API's status."""
    response = await stack.http.post(
        f"{sandbox_url(stack)}/sandbox/payments/{kaspi_payment_id}/webhook"
    )
    assert response.status_code == 200, response.text
    return int(response.json()["webhook_status"])


async def post_signed_webhook(stack: Any, payload: dict[str, Any]) -> httpx.Response:
    """A webhook signed with the shared secret, posted straight to the API."""
    body = json.dumps(payload).encode()
    return await post_webhook(stack, body, signed_headers(stack, body))


async def payments_of(stack: Any, booking_id: str) -> list[Payment]:
    async with stack.sessions() as session:
        rows = await session.scalars(select(Payment).where(col(Payment.booking_id) == booking_id))
        return list(rows.all())


async def nights_of(stack: Any, booking_id: str) -> int:
    async with stack.sessions() as session:
        count = await session.scalar(
            select(func.count()).where(col(CalendarNight.booking_id) == booking_id)
        )
        return int(count or 0)


async def workflow_state(stack: Any, booking_id: str) -> dict[str, Any]:
    """The workflow's own view, as the API shows it in GET /api/v1/bookings/{id}."""
    response = await stack.http.get(f"/api/v1/bookings/{booking_id}")
    assert response.status_code == 200, response.text
    state: dict[str, Any] | None = response.json()["workflow"]
    assert state is not None, f"booking {booking_id} has no workflow state"
    return state


async def messages_to(stack: Any, chat_id: int | None) -> list[str]:
    """Texts the Telegram stand-in received for a chat (awaitable, for `eventually`)."""
    texts: list[str] = stack.telegram.texts(chat_id)
    return texts


async def activities_run(stack: Any, booking_id: str, activity_type: str) -> int:
    """How many times the booking's workflow scheduled an activity (from its history)."""
    history = await stack.client.get_workflow_handle(f"booking-{booking_id}").fetch_history()
    return sum(
        1
        for event in history.events
        if event.HasField("activity_task_scheduled_event_attributes")
        and event.activity_task_scheduled_event_attributes.activity_type.name == activity_type
    )
