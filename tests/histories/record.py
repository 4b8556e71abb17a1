"""Records the histories the replay test checks: `.venv/bin/python -m tests.histories.record`.

Each scenario runs a real booking on the suite's own stack (tests/conftest.py: Postgres,
Redis, the Temporal time-skipping server, the real worker with real activities, the Kaspi
sandbox and the Telegram stand-in over real HTTP) and saves `history.to_json()` here.

Keep old files when the workflow changes: they prove that bookings already running in
production still replay. So an existing file is never overwritten; after a workflow change,
record the new shape beside the old one with a suffix:

    RECORD_SUFFIX=v2 .venv/bin/python -m tests.histories.record   # booking_full_v2.json ...

This file is not collected by the normal suite (not `test_*.py`); running it as a module
hands it to pytest so the scenarios get the same `stack` fixture as the tests.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from models.booking_io import ReviewSubmission
from models.enums import CancellationPolicy
from services.booking_client import BookingClient, timings_from
from tests.support.factories import (
    KEY_SAFE_CODE,
    SMART_LOCK_CODE,
    eventually,
    make_owner,
    make_property,
    stay,
    wait_status,
)
from tests.support.lifecycle import (
    book,
    book_and_pay,
    cancel,
    check_out_at,
    history_text,
    move_clock_to,
    open_payloads,
    sandbox_refunds,
    workflow_closed,
)
from tests.support.payments import another_kaspi_payment, sandbox_pay

HERE = Path(__file__).resolve().parent


async def save(stack: Any, name: str, booking_id: str) -> None:
    suffix = os.environ.get("RECORD_SUFFIX", "")
    target = HERE / f"{name}{'_' + suffix if suffix else ''}.json"
    if target.exists():
        pytest.fail(f"{target.name} exists; keep it and record beside it with RECORD_SUFFIX=...")
    await workflow_closed(stack, booking_id)
    history = await stack.client.get_workflow_handle(f"booking-{booking_id}").fetch_history()
    # Saved in clear: the key of this run is gone by the next, and replay passes plain through.
    open_payloads(history)
    text = history_text(history)
    assert KEY_SAFE_CODE not in text and SMART_LOCK_CODE not in text, "access code in history"
    target.write_text(history.to_json() + "\n")


async def apartment(stack: Any, policy: CancellationPolicy) -> int:
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner, cancellation_policy=policy)
    assert prop.id is not None
    return prop.id


async def test_record_full_booking(stack: Any) -> None:
    """hold → Kaspi webhook → confirm → codes → stay → completed → reminder → review."""
    property_id = await apartment(stack, CancellationPolicy.MODERATE)
    check_in, check_out = await stay(stack, starts_in_days=1, nights=1)
    booked = await book_and_pay(stack, property_id, check_in, check_out)
    await move_clock_to(stack, check_out_at(check_out) + timedelta(minutes=5))
    await wait_status(stack, booked.booking_id, "completed")
    await stack.env.sleep(stack.settings.review_reminder_after + timedelta(minutes=5))
    bookings = BookingClient(
        stack.client,
        task_queue=stack.settings.temporal_task_queue,
        timings=timings_from(stack.settings),
    )
    await bookings.submit_review(booked.booking_id, ReviewSubmission(rating=5, text="Отлично"))
    await save(stack, "booking_full", booked.booking_id)


async def test_record_auto_cancelled(stack: Any) -> None:
    """hold → nobody pays (the status poll keeps asking Kaspi) → auto-cancelled."""
    property_id = await apartment(stack, CancellationPolicy.FLEXIBLE)
    check_in, check_out = await stay(stack, starts_in_days=5, nights=2)
    booked = await book(stack, property_id, check_in, check_out)
    await stack.env.sleep(stack.settings.kaspi_payment_timeout + timedelta(minutes=1))
    await wait_status(stack, booked.booking_id, "auto_cancelled")
    await save(stack, "booking_auto_cancelled", booked.booking_id)


async def test_record_cancelled_with_refund(stack: Any) -> None:
    """hold → paid → the guest cancels 5+ days out (flexible) → full Kaspi refund."""
    property_id = await apartment(stack, CancellationPolicy.FLEXIBLE)
    check_in, check_out = await stay(stack, starts_in_days=8, nights=2)
    booked = await book_and_pay(stack, property_id, check_in, check_out)
    response = await cancel(stack, booked.booking_id, {"reason": "plans_changed"})
    assert response.status_code == 200, response.text
    assert response.json()["refund_amount"] == booked.total
    await save(stack, "booking_cancelled_refund", booked.booking_id)


async def test_record_stray_payments(stack: Any) -> None:
    """hold → a wrong amount (refunded at once) → paid right through another Kaspi payment →
    confirmed → a second payment (refunded at once) → the guest cancels → policy refund."""
    property_id = await apartment(stack, CancellationPolicy.FLEXIBLE)
    check_in, check_out = await stay(stack, starts_in_days=9, nights=2)
    booked = await book(stack, property_id, check_in, check_out)
    short = booked.total - 1_000
    await sandbox_pay(stack, booked.kaspi_payment_id, amount=short)
    await eventually(lambda: _refunds(stack, booked.kaspi_payment_id), until=lambda r: r == [short])
    right = await another_kaspi_payment(stack, booked.booking_id, booked.total)
    await sandbox_pay(stack, right)
    await wait_status(stack, booked.booking_id, "confirmed")
    twice = await another_kaspi_payment(stack, booked.booking_id, booked.total)
    await sandbox_pay(stack, twice)
    await eventually(lambda: _refunds(stack, twice), until=lambda r: r == [booked.total])
    response = await cancel(stack, booked.booking_id, {"reason": "plans_changed"})
    assert response.status_code == 200, response.text
    await save(stack, "booking_stray_payments", booked.booking_id)


async def _refunds(stack: Any, kaspi_payment_id: str) -> list[int]:
    return [amount for _, amount in sandbox_refunds(stack, kaspi_payment_id)]


def main() -> int:
    return int(pytest.main([__file__, "-q", "-p", "no:cacheprovider", *sys.argv[1:]]))


if __name__ == "__main__":
    raise SystemExit(main())
