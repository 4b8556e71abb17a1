"""Records the histories the replay test checks:
`.venv/bin/python -m pytest -p no:cacheprovider tests/histories/record.py` (`-k NAME` for one).

Each scenario runs a real booking on the suite's own stack (tests/conftest.py: Postgres,
Redis, the Temporal time-skipping server, the real worker with real activities, the Kaspi
sandbox and the Telegram stand-in over real HTTP) and saves `history.to_json()` here.

Keep old files when the workflow changes: they prove that bookings already running in
production still replay. So an existing file is never overwritten; after a workflow change,
record the new shape beside the old one with a suffix:

    RECORD_SUFFIX=v2 .venv/bin/python -m pytest tests/histories/record.py  # booking_full_v2.json

This file is not collected by the normal suite (not `test_*.py`); naming it to pytest gives
the scenarios the same `stack` and `qr_stack` fixtures as the tests.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from models.booking_io import ReviewSubmission
from models.enums import CancellationPolicy
from services.booking_client import BookingClient, timings_from
from services.guest_tokens import guest_token
from tests.support.factories import (
    KEY_SAFE_CODE,
    SMART_LOCK_CODE,
    booking_body,
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
    check_in_at,
    check_out_at,
    history_text,
    move_clock_to,
    open_payloads,
    sandbox_refunds,
    workflow_closed,
)
from tests.support.payments import another_kaspi_payment, payments_of, sandbox_pay

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


async def _qr_hold_and_pay(stack: Any, qr: Any, policy: CancellationPolicy, days: int) -> Any:
    """A Kaspi QR booking (link made, paid in Kaspi, learned by the polling activity)."""
    property_id = await apartment(stack, policy)
    check_in, check_out = await stay(stack, starts_in_days=days, nights=2)
    response = await qr.partner.post(
        "/api/v1/bookings", json=booking_body(property_id, check_in, check_out)
    )
    assert response.status_code == 201, response.text
    held = response.json()
    paid = await qr.http.post(
        f"{qr.kaspi_url}/sandbox/qr/{held['payment']['kaspi_payment_id']}/pay"
    )
    assert paid.status_code == 200, paid.text
    return await wait_status(stack, held["booking_id"], "confirmed")


async def _qr_cancel(stack: Any, qr: Any, booking_id: str) -> Any:
    token = guest_token(stack.settings.encryption_keys(), booking_id)
    return await qr.http.post(
        f"/api/v1/bookings/{booking_id}/cancel",
        json={"reason": "plans_changed"},
        headers={"X-Guest-Token": token},
    )


async def test_record_qr_cancelled_with_refund(stack: Any, qr_stack: Any) -> None:
    """Kaspi QR: link → paid (polling) → the guest cancels 20 h out (flexible) → partial
    refund through payment/return (patches kaspi-qr-watch, refund-outcome)."""
    row = await _qr_hold_and_pay(stack, qr_stack, CancellationPolicy.FLEXIBLE, 9)
    await move_clock_to(stack, check_in_at(row.check_in) - timedelta(hours=20))
    response = await _qr_cancel(stack, qr_stack, row.id)
    assert response.status_code == 200, response.text
    await save(stack, "booking_qr_cancelled_refund", row.id)


async def test_record_qr_refund_refused(stack: Any, qr_stack: Any) -> None:
    """Kaspi QR: paid → Kaspi refuses the partial return → the owner pays it back by hand."""
    row = await _qr_hold_and_pay(stack, qr_stack, CancellationPolicy.FLEXIBLE, 11)
    payment = (await payments_of(stack, row.id))[0]
    refused = await qr_stack.http.post(
        f"{qr_stack.kaspi_url}/sandbox/qr/{payment.provider_payment_id}/no-partial"
    )
    assert refused.status_code == 200, refused.text
    await move_clock_to(stack, check_in_at(row.check_in) - timedelta(hours=20))
    response = await _qr_cancel(stack, qr_stack, row.id)
    assert response.status_code == 200, response.text
    await save(stack, "booking_qr_refund_refused", row.id)
