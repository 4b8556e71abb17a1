"""The worker's Temporal SDK metrics are served for Prometheus."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from temporalio.client import Client, WorkflowHandle

from models.booking_io import GuestContact, HoldResult, PaymentReceived
from services.booking_client import BookingClient, timings_from
from tests.support.factories import booking_body, id_of, make_owner, make_property, stay
from tests.support.servers import free_port
from worker import metrics_runtime, running_worker


@dataclass
class MeteredWorker:
    client: Client
    bookings: BookingClient
    metrics_url: str

    async def metrics(self) -> str:
        async with httpx.AsyncClient() as http:
            return (await http.get(self.metrics_url)).text


@asynccontextmanager
async def metered_worker(stack: Any, task_queue: str) -> AsyncIterator[MeteredWorker]:
    """A real worker on its own queue whose client runtime serves Prometheus metrics."""
    port = free_port()
    client = await Client.connect(
        stack.settings.temporal_address,
        namespace=stack.settings.temporal_namespace,
        data_converter=stack.client.data_converter,
        runtime=metrics_runtime(f"127.0.0.1:{port}"),
    )
    async with running_worker(stack.settings, client, task_queue=task_queue):
        bookings = BookingClient(
            client, task_queue=task_queue, timings=timings_from(stack.settings)
        )
        yield MeteredWorker(client, bookings, f"http://127.0.0.1:{port}/metrics")


async def hold_one(stack: Any, bookings: BookingClient, *, starts_in_days: int) -> HoldResult:
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=starts_in_days, nights=1)
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
    return held


async def test_worker_serves_sdk_metrics_after_running_a_booking(stack):
    async with metered_worker(stack, "metrics-test") as worker:
        held = await hold_one(stack, worker.bookings, starts_in_days=25)
        text = await worker.metrics()
        # No worker polls this queue afterwards: a live workflow would stall time skipping.
        await worker.client.get_workflow_handle(f"booking-{held.booking_id}").terminate("done")
    assert "temporal_workflow_task_execution_latency" in text or "temporal_request" in text
    assert 'activity_type="hold_booking"' in text


async def _idle(handle: WorkflowHandle[Any, Any]) -> bool:
    description = await handle.describe()
    return not description.raw_description.pending_activities


async def test_worker_counts_notifications_and_booking_outcomes(stack):
    text = ""
    async with metered_worker(stack, "metrics-notify-test") as worker:
        held = await hold_one(stack, worker.bookings, starts_in_days=26)
        assert held.total is not None
        payment = PaymentReceived(payment_id=f"pay-{held.booking_id}", amount=held.total)
        await worker.bookings.report_payment(held.booking_id, payment)
        handle = worker.client.get_workflow_handle(f"booking-{held.booking_id}")
        for _ in range(200):  # the confirmation and both notifications, then quiet
            text = await worker.metrics()
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
