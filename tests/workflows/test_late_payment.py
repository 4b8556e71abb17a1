"""A Kaspi payment that arrives after its booking closed goes back to the guest by itself.

The booking is auto-cancelled (or cancelled) first; the guest then pays the old invoice in
the Kaspi sandbox and the signed webhook reaches the API. LatePaymentWorkflow
(`late-payment-<Kaspi payment id>`) records the payment, refunds all of it through Kaspi and
tells the guest; Kaspi's retries and duplicate deliveries start it once.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from models.late_payment_io import LatePayment, LatePaymentResult
from services.booking_client import BookingClient, timings_from
from tests.support.factories import (
    eventually,
    id_of,
    make_owner,
    make_property,
    saved_booking,
    stay,
    wait_status,
)
from tests.support.lifecycle import (
    Booked,
    book,
    book_and_pay,
    cancel,
    deliveries_of,
    refunds_of,
    sandbox_refunds,
    tenge,
    workflow_closed,
)
from tests.support.payments import (
    another_kaspi_payment,
    messages_to,
    payments_of,
    post_signed_webhook,
    sandbox_pay,
    sandbox_resend_webhook,
    sandbox_url,
    workflow_state,
)
from workflows.late_payment import LatePaymentWorkflow

LATE_NOTICE = "уже была отменена"  # only the late_payment_refunded text says this
STRAY_NOTICE = "не подошёл к брони"  # only stray_payment_refunded says this
OUTCOME = re.compile(r'^zhilyego_kaspi_webhooks_total\{outcome="(\w+)"\} ([0-9.e+]+)$', re.M)


@pytest.fixture
async def faults(stack: Any) -> AsyncIterator[Any]:
    """Kaspi and Telegram healthy again when the test ends, whatever happened."""
    yield stack
    await stack.http.post(f"{sandbox_url(stack)}/sandbox/faults", params={"count": 0})
    stack.telegram.fail_next, stack.telegram.fail_status = 0, 500


async def _booked(stack: Any, *, starts_in_days: int) -> Booked:
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=starts_in_days, nights=2)
    return await book(stack, id_of(prop), check_in, check_out)


async def _past_the_payment_timeout(stack: Any) -> None:
    await stack.env.sleep(stack.settings.kaspi_payment_timeout + timedelta(minutes=1))


async def _cancelled_unpaid(stack: Any, *, starts_in_days: int) -> Booked:
    """The guest cancels before paying; the booking's workflow ends."""
    booked = await _booked(stack, starts_in_days=starts_in_days)
    response = await cancel(stack, booked.booking_id, {"reason": "plans_changed"})
    assert response.status_code == 200, response.text
    assert response.json()["refund_amount"] == 0
    await workflow_closed(stack, booked.booking_id)
    return booked


def _webhook(booked: Booked, amount: int | None = None) -> dict[str, Any]:
    return {
        "payment_id": booked.kaspi_payment_id,
        "booking_id": booked.booking_id,
        "amount": booked.total if amount is None else amount,
        "status": "paid",
    }


def _late_workflow(stack: Any, booked: Booked) -> WorkflowHandle[Any, LatePaymentResult]:
    client: Client = stack.client
    return client.get_workflow_handle_for(
        LatePaymentWorkflow.run, f"late-payment-{booked.kaspi_payment_id}"
    )


async def _webhook_outcomes(stack: Any) -> dict[str, float]:
    """The API's Prometheus counter of webhook outcomes."""
    text = (await stack.http.get("/metrics")).text
    return {label: float(value) for label, value in OUTCOME.findall(text)}


def _late_notices(stack: Any, booked: Booked) -> list[str]:
    return [
        t
        for t in stack.telegram.texts(booked.guest_chat)
        if booked.booking_id in t and LATE_NOTICE in t
    ]


async def test_payment_after_auto_cancel_is_refunded_once(stack):
    booked = await _booked(stack, starts_in_days=30)
    await _past_the_payment_timeout(stack)
    await wait_status(stack, booked.booking_id, "auto_cancelled", timeout=30)
    await workflow_closed(stack, booked.booking_id)
    before = await _webhook_outcomes(stack)

    # The guest pays the expired invoice anyway; Kaspi posts the signed webhook.
    await sandbox_pay(stack, booked.kaspi_payment_id, send_webhook_too=False)
    response = await post_signed_webhook(stack, _webhook(booked))

    assert response.status_code == 200, response.text
    assert response.json() == {"status": "refunding"}
    result = await _late_workflow(stack, booked).result()
    assert (result.status, result.refunded) == ("refunded", booked.total)
    # Kaspi retries and a second delivery change nothing.
    assert await sandbox_resend_webhook(stack, booked.kaspi_payment_id) == 200
    again = await post_signed_webhook(stack, _webhook(booked))
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})

    assert sandbox_refunds(stack, booked.kaspi_payment_id) == [
        (booked.kaspi_payment_id, booked.total)
    ]
    payments = await payments_of(stack, booked.booking_id)
    assert [(p.provider_payment_id, p.amount, p.status) for p in payments] == [
        (booked.kaspi_payment_id, booked.total, "refunded")
    ]
    refunds = await refunds_of(stack, booked.booking_id)
    assert [(r.payment_id, r.amount, r.status, r.provider_refund_id) for r in refunds] == [
        (payments[0].id, booked.total, "sent", result.provider_refund_id)
    ]
    notices = _late_notices(stack, booked)
    assert len(notices) == 1 and tenge(booked.total) in notices[0], notices
    events = [d.event for d in await deliveries_of(stack, booked.booking_id)]
    assert events.count("late_payment_refunded") == 1
    row = await saved_booking(stack, booked.booking_id)
    assert (row.status, row.refund_amount) == ("auto_cancelled", 0)  # no policy refund
    after = await _webhook_outcomes(stack)
    assert after["refunding"] - before["refunding"] == 1
    assert after["duplicate"] - before["duplicate"] == 2
    # Ops see what it was in the Temporal UI.
    described = await _late_workflow(stack, booked).describe()
    assert described.status == WorkflowExecutionStatus.COMPLETED
    summary = await described.static_summary()
    assert summary is not None and booked.kaspi_payment_id in summary
    assert booked.booking_id in summary and "refund" in summary


async def test_duplicate_webhooks_at_once_start_one_refund(stack):
    booked = await _cancelled_unpaid(stack, starts_in_days=31)
    await sandbox_pay(stack, booked.kaspi_payment_id, send_webhook_too=False)

    answers = await asyncio.gather(
        *(post_signed_webhook(stack, _webhook(booked)) for _ in range(4))
    )

    assert [a.status_code for a in answers] == [200] * 4
    assert sorted(a.json()["status"] for a in answers) == ["duplicate"] * 3 + ["refunding"]
    handle = _late_workflow(stack, booked)
    assert (await handle.result()).refunded == booked.total
    first_run = (await handle.describe()).run_id
    # Even after the refund finished, the same payment never starts a second run.
    client = BookingClient(
        stack.client,
        task_queue=stack.settings.temporal_task_queue,
        timings=timings_from(stack.settings),
    )
    row = await saved_booking(stack, booked.booking_id)
    again = LatePayment(
        booking_id=booked.booking_id,
        payment_id=booked.kaspi_payment_id,
        amount=booked.total,
        property_id=row.property_id,
        booking_status=row.status,
    )
    assert await client.refund_late_payment(again) is False
    assert (await handle.describe()).run_id == first_run
    assert sandbox_refunds(stack, booked.kaspi_payment_id) == [
        (booked.kaspi_payment_id, booked.total)
    ]
    assert len(await payments_of(stack, booked.booking_id)) == 1
    assert len(await refunds_of(stack, booked.booking_id)) == 1
    assert len(_late_notices(stack, booked)) == 1


async def test_refund_is_retried_until_kaspi_takes_it(faults):
    stack = faults
    booked = await _cancelled_unpaid(stack, starts_in_days=32)
    # A wrong amount on a closed booking: what was paid goes back, not the booking total.
    paid = booked.total - 5_000
    await sandbox_pay(stack, booked.kaspi_payment_id, amount=paid, send_webhook_too=False)
    down = await stack.http.post(
        f"{sandbox_url(stack)}/sandbox/faults", params={"count": 10_000, "status": 500}
    )
    assert down.status_code == 200, down.text

    response = await post_signed_webhook(stack, _webhook(booked, paid))

    assert response.json() == {"status": "refunding"}
    handle = _late_workflow(stack, booked)

    async def refund_attempts() -> tuple[int, str]:
        pending = (await handle.describe()).raw_description.pending_activities
        if not pending:
            return 0, ""
        return pending[0].attempt, pending[0].last_failure.message

    _, error = await eventually(refund_attempts, until=lambda a: a[0] >= 3, timeout=30)
    assert "500" in error
    assert sandbox_refunds(stack, booked.kaspi_payment_id) == []
    up = await stack.http.post(f"{sandbox_url(stack)}/sandbox/faults", params={"count": 0})
    assert up.status_code == 200, up.text

    result = await handle.result()

    assert (result.status, result.refunded) == ("refunded", paid)
    assert sandbox_refunds(stack, booked.kaspi_payment_id) == [(booked.kaspi_payment_id, paid)]
    refunds = await refunds_of(stack, booked.booking_id)
    assert [(r.amount, r.provider_refund_id) for r in refunds] == [
        (paid, result.provider_refund_id)
    ]
    payments = await payments_of(stack, booked.booking_id)
    assert [(p.amount, p.status) for p in payments] == [(paid, "refunded")]
    notices = _late_notices(stack, booked)
    assert len(notices) == 1 and tenge(paid) in notices[0], notices


async def test_payment_while_the_auto_cancel_is_still_finishing(faults):
    """Auto-cancelled in the database, but its workflow still retries the guest's notice:
    a signal would be swallowed, so the payment is refunded instead."""
    stack = faults
    booked = await _booked(stack, starts_in_days=33)
    stack.telegram.fail_status, stack.telegram.fail_next = 500, 10_000
    await _past_the_payment_timeout(stack)
    await wait_status(stack, booked.booking_id, "auto_cancelled", timeout=30)
    booking_workflow = stack.client.get_workflow_handle(f"booking-{booked.booking_id}")
    assert (await booking_workflow.describe()).status == WorkflowExecutionStatus.RUNNING
    await sandbox_pay(stack, booked.kaspi_payment_id, send_webhook_too=False)

    response = await post_signed_webhook(stack, _webhook(booked))

    assert response.json() == {"status": "refunding"}
    stack.telegram.fail_next = 0
    result = await _late_workflow(stack, booked).result()
    assert result.refunded == booked.total
    assert sandbox_refunds(stack, booked.kaspi_payment_id) == [
        (booked.kaspi_payment_id, booked.total)
    ]
    assert (await workflow_state(stack, booked.booking_id))["paid_amount"] == 0
    await eventually(
        lambda: messages_to(stack, booked.guest_chat),
        until=lambda texts: len([t for t in texts if LATE_NOTICE in t]) > 0,
    )
    assert len(_late_notices(stack, booked)) == 1

    # The booking's workflow finishes on its own once Telegram is back (skip its backoffs).
    async def finished() -> WorkflowExecutionStatus | None:
        await stack.env.sleep(timedelta(minutes=2))
        status: WorkflowExecutionStatus | None = (await booking_workflow.describe()).status
        return status

    await eventually(finished, until=lambda s: s == WorkflowExecutionStatus.COMPLETED, timeout=60)
    row = await saved_booking(stack, booked.booking_id)
    assert row.status == "auto_cancelled"


async def _async(value: Any) -> Any:
    return value


def _stray_notices(stack: Any, booked: Booked) -> list[str]:
    return [
        t
        for t in stack.telegram.texts(booked.guest_chat)
        if booked.booking_id in t and STRAY_NOTICE in t
    ]


async def _late_status(handle: WorkflowHandle[Any, Any]) -> str | None:
    """The late-payment run's status name; None while nobody has started it."""
    try:
        described = await handle.describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    return described.status.name if described.status else None


async def test_a_wrong_amount_goes_back_at_once_and_the_booking_still_refunds_its_own(stack):
    booked = await _booked(stack, starts_in_days=36)  # flexible: a full refund this far out
    short = booked.total - 1_000
    await sandbox_pay(stack, booked.kaspi_payment_id, amount=short, send_webhook_too=False)

    response = await post_signed_webhook(stack, _webhook(booked, short))

    assert response.json() == {"status": "accepted"}
    # Refused and refunded while the booking still waits for its money (no clock moved).
    await eventually(
        lambda: _async(sandbox_refunds(stack, booked.kaspi_payment_id)),
        until=lambda r: r == [(booked.kaspi_payment_id, short)],
    )
    state = await workflow_state(stack, booked.booking_id)
    assert (state["status"], state["rejected_payments"]) == ("pending_payment", 1)
    # The guest is told why the money came back, not that the booking was cancelled.
    notices = await eventually(
        lambda: _async(_stray_notices(stack, booked)), until=lambda n: len(n) == 1
    )
    assert tenge(short) in notices[0], notices
    assert _late_notices(stack, booked) == []

    # The guest pays the right amount with a new Kaspi payment: the booking is confirmed.
    right = await another_kaspi_payment(stack, booked.booking_id, booked.total)
    paid = await sandbox_pay(stack, right)
    assert paid["webhook_status"] == 200, paid
    await wait_status(stack, booked.booking_id, "confirmed")
    state = await workflow_state(stack, booked.booking_id)
    assert (state["payment_id"], state["paid_amount"]) == (right, booked.total)

    # Then cancels: the booking's own policy refund goes to the payment that confirmed it.
    cancelled = await cancel(stack, booked.booking_id, {"reason": "plans_changed"})
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["refund_amount"] == booked.total
    await workflow_closed(stack, booked.booking_id)

    assert sandbox_refunds(stack, booked.kaspi_payment_id) == [(booked.kaspi_payment_id, short)]
    assert sandbox_refunds(stack, right) == [(right, booked.total)]
    payments = sorted(await payments_of(stack, booked.booking_id), key=lambda p: p.id or 0)
    assert [(p.provider_payment_id, p.amount, p.status) for p in payments] == [
        (booked.kaspi_payment_id, short, "refunded"),
        (right, booked.total, "refunded"),
    ]
    by_payment = {p.id: p.provider_payment_id for p in payments}
    refunds = await refunds_of(stack, booked.booking_id)
    assert sorted((by_payment[r.payment_id], r.amount, r.status) for r in refunds) == sorted(
        [(booked.kaspi_payment_id, short, "sent"), (right, booked.total, "sent")]
    )
    assert (await saved_booking(stack, booked.booking_id)).refund_amount == booked.total


async def test_a_second_payment_on_a_confirmed_booking_goes_back(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=37, nights=2)
    booked = await book_and_pay(stack, id_of(prop), check_in, check_out)
    # The guest pays the same booking once more, through another Kaspi payment.
    twice = await another_kaspi_payment(stack, booked.booking_id, booked.total)
    await sandbox_pay(stack, twice, send_webhook_too=False)

    response = await post_signed_webhook(stack, {**_webhook(booked), "payment_id": twice})

    assert (response.status_code, response.json()) == (200, {"status": "accepted"})
    late = stack.client.get_workflow_handle_for(LatePaymentWorkflow.run, f"late-payment-{twice}")
    # The booking's own workflow starts the refund (the late run's id is the payment's).
    await eventually(lambda: _late_status(late), until=lambda s: s == "COMPLETED")
    result = await late.result()
    assert (result.status, result.refunded) == ("refunded", booked.total)
    assert sandbox_refunds(stack, twice) == [(twice, booked.total)]
    assert sandbox_refunds(stack, booked.kaspi_payment_id) == []  # the stay's money stays
    # Kaspi delivering it again starts nothing new.
    again = await post_signed_webhook(stack, {**_webhook(booked), "payment_id": twice})
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})

    state = await workflow_state(stack, booked.booking_id)
    assert (state["status"], state["payment_id"]) == ("confirmed", booked.kaspi_payment_id)
    row = await saved_booking(stack, booked.booking_id)
    assert (row.status, row.refund_amount) == ("confirmed", None)
    payments = sorted(await payments_of(stack, booked.booking_id), key=lambda p: p.id or 0)
    assert [(p.provider_payment_id, p.amount, p.status) for p in payments] == [
        (booked.kaspi_payment_id, booked.total, "paid"),
        (twice, booked.total, "refunded"),
    ]
    refunds = await refunds_of(stack, booked.booking_id)
    assert [(r.payment_id, r.amount) for r in refunds] == [(payments[1].id, booked.total)]
    notices = await eventually(
        lambda: _async(_stray_notices(stack, booked)), until=lambda n: len(n) == 1
    )
    assert tenge(booked.total) in notices[0] and _late_notices(stack, booked) == []
