"""The worker's Temporal SDK metrics are served for Prometheus."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from temporalio.client import Client, WorkflowHandle

from models.booking_io import GuestContact, PaymentReceived
from services.booking_client import BookingClient, timings_from
from tests.support.factories import booking_body, id_of, make_owner, make_property, stay
from tests.support.servers import free_port
from worker import metrics_runtime, running_worker


async def test_worker_serves_sdk_metrics_after_running_a_booking(stack):
    port = free_port()
    runtime = metrics_runtime(f"127.0.0.1:{port}")
    client = await Client.connect(
        stack.settings.temporal_address,
        namespace=stack.settings.temporal_namespace,
        data_converter=stack.client.data_converter,
        runtime=runtime,
    )
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=25, nights=1)
    async with running_worker(stack.settings, client, task_queue="metrics-test"):
        bookings = BookingClient(
            client, task_queue="metrics-test", timings=timings_from(stack.settings)
        )
        body = booking_body(id_of(prop), check_in, check_out)
        held = await bookings.hold(
            bookings.new_request(
                property_id=id_of(prop),
                check_in=check_in,
                check_out=check_out,
                guests=1,
                guest=GuestContact(**body["guest"]),
                channel=body["channel"],
                payment_method=body["payment_method"],
            )
        )
        assert held.error is None
        async with httpx.AsyncClient() as http:
            text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
        # No worker polls this queue afterwards: a live workflow would stall time skipping.
        await client.get_workflow_handle(f"booking-{held.booking_id}").terminate("test done")
    assert "temporal_workflow_task_execution_latency" in text or "temporal_request" in text
    assert 'activity_type="hold_booking"' in text


async def _idle(handle: WorkflowHandle[Any, Any]) -> bool:
    description = await handle.describe()
    return not description.raw_description.pending_activities


async def test_worker_counts_notifications_and_booking_outcomes(stack):
    port = free_port()
    runtime = metrics_runtime(f"127.0.0.1:{port}")
    client = await Client.connect(
        stack.settings.temporal_address,
        namespace=stack.settings.temporal_namespace,
        data_converter=stack.client.data_converter,
        runtime=runtime,
    )
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=26, nights=1)
    text = ""
    async with running_worker(stack.settings, client, task_queue="metrics-notify-test"):
        bookings = BookingClient(
            client, task_queue="metrics-notify-test", timings=timings_from(stack.settings)
        )
        body = booking_body(id_of(prop), check_in, check_out)
        held = await bookings.hold(
            bookings.new_request(
                property_id=id_of(prop),
                check_in=check_in,
                check_out=check_out,
                guests=1,
                guest=GuestContact(**body["guest"]),
                channel=body["channel"],
                payment_method=body["payment_method"],
            )
        )
        assert held.error is None and held.total is not None
        payment = PaymentReceived(payment_id=f"pay-{held.booking_id}", amount=held.total)
        await bookings.report_payment(held.booking_id, payment)
        handle = client.get_workflow_handle(f"booking-{held.booking_id}")
        async with httpx.AsyncClient() as http:
            for _ in range(200):  # the confirmation and both notifications, then quiet
                text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
                if _line(text, "zhilyego_notifications", 'result="sent"') and await _idle(handle):
                    break
                await asyncio.sleep(0.1)
        # Terminated only with no activity running: that would stall the time-skipping server.
        assert await _idle(handle)
        await handle.terminate("test done")
    sent = _line(text, "zhilyego_notifications", 'result="sent"')
    assert sent is not None and 'channel="telegram"' in sent, text
    confirmed = _line(text, "zhilyego_booking_outcomes", 'outcome="confirmed"')
    assert confirmed is not None and 'activity_type="confirm_booking"' in confirmed, text


def _line(text: str, metric: str, label: str) -> str | None:
    """The first sample line of `metric` carrying `label`, if the endpoint shows one."""
    return next(
        (
            line
            for line in text.splitlines()
            if line.startswith(metric) and label in line and not line.startswith("#")
        ),
        None,
    )
