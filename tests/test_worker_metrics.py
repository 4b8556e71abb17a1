"""The worker's Temporal SDK metrics are served for Prometheus."""

from __future__ import annotations

import httpx
from temporalio.client import Client

from models.booking_io import GuestContact
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
