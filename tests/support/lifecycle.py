"""Helpers for stories that follow a booking past payment: clock, cancel, refunds, history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from google.protobuf.message import Message
from sqlmodel import col, select
from temporalio.api.common.v1 import Payload
from temporalio.client import WorkflowExecutionStatus, WorkflowHistory

from core.payload_codec import EncryptionCodec
from models import NotificationDelivery, Property, Refund, Review
from services.guest_tokens import guest_token
from tests.conftest import ENCRYPTION_KEY
from tests.support.factories import ALMATY, booking_body, eventually, wait_status
from tests.support.payments import sandbox_pay

CHECK_IN_TIME = time(14, 0)  # the factories' apartments: check-in 14:00, check-out 12:00
CHECK_OUT_TIME = time(12, 0)


@dataclass(frozen=True)
class Booked:
    booking_id: str
    kaspi_payment_id: str
    total: int
    guest_chat: int


def check_in_at(day: date) -> datetime:
    return datetime.combine(day, CHECK_IN_TIME, ALMATY)


def check_out_at(day: date) -> datetime:
    return datetime.combine(day, CHECK_OUT_TIME, ALMATY)


def tenge(amount: int) -> str:
    """How the templates print money: "49 003 ₸"."""
    return f"{amount:,}".replace(",", " ") + " ₸"


async def move_clock_to(stack: Any, when: datetime) -> None:
    """Skips the shared Temporal clock forward to `when`; timers on the way fire in order."""
    now: datetime = await stack.env.get_current_time()
    assert when > now, f"cannot move the clock back from {now} to {when}"
    await stack.env.sleep(when - now)


async def book(stack: Any, property_id: int, check_in: date, check_out: date) -> Booked:
    """A guest (with their own Telegram chat) holds the dates through the API, Kaspi payment."""
    body = booking_body(property_id, check_in, check_out)
    response = await stack.partner.post("/api/v1/bookings", json=body)
    assert response.status_code == 201, response.text
    held = response.json()
    return Booked(
        booking_id=held["booking_id"],
        kaspi_payment_id=held["payment"]["kaspi_payment_id"],
        total=held["total"],
        guest_chat=body["guest"]["telegram_id"],
    )


async def book_and_pay(stack: Any, property_id: int, check_in: date, check_out: date) -> Booked:
    """Hold, then pay in the Kaspi sandbox (signed webhook); returns once confirmed."""
    booked = await book(stack, property_id, check_in, check_out)
    paid = await sandbox_pay(stack, booked.kaspi_payment_id)
    assert paid["webhook_status"] == 200, paid
    await wait_status(stack, booked.booking_id, "confirmed")
    return booked


async def cancel(
    stack: Any, booking_id: str, body: dict[str, Any], token: str | None = None
) -> Any:
    """As the owner/staff of `token`, else as the guest with their booking's guest token."""
    if token:
        headers = {"Authorization": f"Bearer {token}"}
    else:
        headers = {"X-Guest-Token": guest_token(stack.settings.encryption_keys(), booking_id)}
    return await stack.http.post(
        f"/api/v1/bookings/{booking_id}/cancel", json=body, headers=headers
    )


async def workflow_closed(stack: Any, booking_id: str) -> None:
    """Waits until the booking's workflow has finished (nothing more can happen)."""
    handle = stack.client.get_workflow_handle(f"booking-{booking_id}")
    await eventually(handle.describe, until=lambda d: d.status == WorkflowExecutionStatus.COMPLETED)


def sandbox_refunds(stack: Any, kaspi_payment_id: str) -> list[tuple[str, int]]:
    """(payment id, amount) of every refund call the Kaspi sandbox received for a payment."""
    return [
        (r["payment_id"], r["amount"])
        for r in stack.kaspi.refunds
        if r["payment_id"] == kaspi_payment_id
    ]


async def refunds_of(stack: Any, booking_id: str) -> list[Refund]:
    async with stack.sessions() as session:
        rows = await session.scalars(select(Refund).where(col(Refund.booking_id) == booking_id))
        return list(rows.all())


async def reviews_of(stack: Any, booking_id: str) -> list[Review]:
    async with stack.sessions() as session:
        rows = await session.scalars(select(Review).where(col(Review.booking_id) == booking_id))
        return list(rows.all())


async def deliveries_of(stack: Any, booking_id: str) -> list[NotificationDelivery]:
    async with stack.sessions() as session:
        rows = await session.scalars(
            select(NotificationDelivery)
            .where(col(NotificationDelivery.booking_id) == booking_id)
            .order_by(col(NotificationDelivery.id))
        )
        return list(rows.all())


async def property_status(stack: Any, property_id: int) -> str:
    async with stack.sessions() as session:
        prop = await session.get(Property, property_id)
        assert prop is not None
        await session.refresh(prop)
        return str(prop.status)


# Opens the stack's sealed payloads; plain ones (recorded histories) pass through.
STACK_PAYLOADS = EncryptionCodec([ENCRYPTION_KEY])


def payloads_in(message: Message) -> list[Payload]:
    """Every Payload inside a history event (or any message), wherever it is nested."""
    if isinstance(message, Payload):
        return [message]
    found: list[Payload] = []
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            values = list(value.values())
        elif isinstance(value, Message):
            values = [value]
        else:  # a repeated field
            values = list(value)
        for item in values:
            if isinstance(item, Message):
                found += payloads_in(item)
    return found


def open_payloads(history: WorkflowHistory) -> WorkflowHistory:
    """Decrypts every payload of `history` in place, as a replaying worker would read it."""
    for event in history.events:
        for payload in payloads_in(event):
            payload.CopyFrom(STACK_PAYLOADS.decrypt(payload))
    return history


def history_text(history: WorkflowHistory) -> str:
    """Everything a history holds, readable: its JSON plus every payload decrypted and decoded.

    Payload bytes are base64 (and sealed) in the JSON, so a secret inside one would not show
    up in `to_json()` as plain text; opening them makes a plain substring search meaningful.
    """
    decoded = [
        STACK_PAYLOADS.decrypt(payload).data.decode("utf-8", "replace")
        for event in history.events
        for payload in payloads_in(event)
    ]
    return "\n".join([history.to_json(), *decoded])
