"""Delivery end to end: a failing Telegram is retried through Temporal and, after
`notify_fallback_after_attempts` failures, the message goes to the guest's WhatsApp."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from models import NotificationDelivery
from tests.support.factories import (
    eventually,
    wait_status,
)
from tests.support.notify import held_booking
from tests.support.payments import sandbox_pay


@pytest.fixture
async def drills(stack: Any) -> AsyncIterator[Any]:
    """The stand-ins' failure counters, always reset when the test ends."""
    yield stack
    stack.telegram.fail_next, stack.telegram.fail_status = 0, 500
    stack.whatsapp.fail_next, stack.whatsapp.fail_status = 0, 500


async def _delivery(stack: Any, booking_id: str, event: str) -> NotificationDelivery | None:
    async with stack.sessions() as session:
        row: NotificationDelivery | None = await session.scalar(
            select(NotificationDelivery).where(
                col(NotificationDelivery.booking_id) == booking_id,
                col(NotificationDelivery.event) == event,
            )
        )
        return row


async def _settle(stack: Any, booking_id: str) -> None:
    """Telegram back up; waits until no delivery of the booking is still being retried, so
    a leftover retry never eats the next test's failure drill."""
    stack.telegram.fail_next = stack.whatsapp.fail_next = 0

    async def open_rows() -> list[str]:
        async with stack.sessions() as session:
            rows = await session.scalars(
                select(col(NotificationDelivery.event)).where(
                    col(NotificationDelivery.booking_id) == booking_id,
                    col(NotificationDelivery.status).not_in(["sent", "skipped"]),
                )
            )
            return list(rows.all())

    await _skip_until(stack, open_rows, until=lambda rows: not rows)


async def _skip_until(stack: Any, probe: Any, until: Any) -> Any:
    """Skips the Temporal clock in steps (past the retry backoffs) until `until` holds."""

    async def step() -> Any:
        await stack.env.sleep(timedelta(seconds=20))
        return await probe()

    return await eventually(step, until=until, timeout=60)


async def test_failing_telegram_falls_back_to_whatsapp(drills: Any) -> None:
    stack = drills
    booking_id, payment_id, body = await held_booking(stack, whatsapp=True)
    guest = body["guest"]
    stack.telegram.fail_status = 500
    stack.telegram.fail_next = 10_000  # Telegram is down for the whole test

    paid = await sandbox_pay(stack, payment_id)
    assert paid["webhook_status"] == 200, paid
    await wait_status(stack, booking_id, "confirmed")

    def confirmed_on_whatsapp() -> list[str]:
        return [
            m.text
            for m in stack.whatsapp.sent_to(guest["phone"])
            if booking_id in m.text and "подтверждена" in m.text
        ]

    async def probe() -> list[str]:
        return confirmed_on_whatsapp()

    texts = await _skip_until(stack, probe, until=bool)
    assert len(texts) == 1
    assert stack.whatsapp.sent_to(guest["phone"])[-1].type == "text"  # inside the 24 h window
    assert not [t for t in stack.telegram.texts(guest["telegram_id"]) if booking_id in t]

    row = await eventually(
        lambda: _delivery(stack, booking_id, "booking_confirmed"),
        until=lambda r: r is not None and r.status == "sent",
    )
    assert row is not None
    assert row.channel == "whatsapp"
    assert row.attempts >= stack.settings.notify_fallback_after_attempts >= 3
    assert row.last_error is not None and "telegram" in row.last_error
    assert row.external_id and row.external_id.startswith("wamid.")
    assert row.sent_at is not None
    await _settle(stack, booking_id)  # the owner's message, Telegram-only, was still retrying


async def test_telegram_retry_without_fallback(drills: Any) -> None:
    stack = drills
    booking_id, payment_id, body = await held_booking(stack, whatsapp=False)
    chat = body["guest"]["telegram_id"]
    stack.telegram.fail_status = 500
    stack.telegram.fail_next = 2  # two failures, then Telegram recovers

    paid = await sandbox_pay(stack, payment_id)
    assert paid["webhook_status"] == 200, paid
    await wait_status(stack, booking_id, "confirmed")

    async def probe() -> list[str]:
        return [t for t in stack.telegram.texts(chat) if booking_id in t and "подтверждена" in t]

    texts = await _skip_until(stack, probe, until=bool)
    row = await eventually(
        lambda: _delivery(stack, booking_id, "booking_confirmed"),
        until=lambda r: r is not None and r.status == "sent",
    )
    owner_row = await eventually(
        lambda: _delivery(stack, booking_id, "owner_new_booking"),
        until=lambda r: r is not None and r.status == "sent",
    )
    assert row is not None and owner_row is not None
    assert (row.channel, row.last_error) == (owner_row.channel, owner_row.last_error)
    assert (row.channel, row.last_error) == ("telegram", None)
    # Guest and owner are told side by side: the two failures fell on one or both of them.
    assert (row.attempts - 1) + (owner_row.attempts - 1) == 2
    await stack.env.sleep(timedelta(seconds=30))  # no late duplicate from a stray retry
    assert len(await probe()) == len(texts) == 1
    assert not stack.whatsapp.sent_to(body["guest"]["phone"])
