"""A worker killed (-9) while it polls Kaspi for a waiting booking loses nothing: the watch
stops heartbeating, Temporal schedules its retry on the next worker after the heartbeat
timeout, and the payment made meanwhile confirms the booking once.

On the Temporal dev server: the time-skipping test server enforces no heartbeat timeout."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from temporalio.client import Client

from models.booking_io import GuestContact
from models.enums import Channel, PaymentMethod
from services.booking_client import BookingClient, timings_from
from tests.support.factories import eventually, id_of, make_owner, make_property, stay, wait_status
from tests.support.payments import payments_of
from tests.support.worker_process import worker_process
from tests.workflows.test_booking_kaspi_qr import emulator, qr_payment, scheduled


def watch_attempts(events: list[Any]) -> list[int]:
    """The attempt each started watch ran as (history keeps the last attempt's start)."""
    watches = {
        e.event_id
        for e in events
        if e.HasField("activity_task_scheduled_event_attributes")
        and e.activity_task_scheduled_event_attributes.activity_type.name == "watch_kaspi_payment"
    }
    return [
        e.activity_task_started_event_attributes.attempt
        for e in events
        if e.HasField("activity_task_started_event_attributes")
        and e.activity_task_started_event_attributes.scheduled_event_id in watches
    ]


async def test_a_worker_killed_mid_poll_loses_nothing(
    stack: Any, qr_stack: Any, dev_server: Client, tmp_path: Path
) -> None:
    # Its own task queue, so only the worker processes of this test serve the booking.
    queue = f"bookings-kill-{secrets.token_hex(3)}"
    settings = qr_stack.settings.model_copy(
        update={
            "temporal_address": dev_server.service_client.config.target_host,
            "temporal_task_queue": queue,
            "ical_task_queue": f"{queue}-ical",
        }
    )
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner, price_per_night=20_000, cleaning_fee=5_000)
    check_in, check_out = await stay(stack, starts_in_days=52, nights=2)
    bookings = BookingClient(dev_server, task_queue=queue, timings=timings_from(settings))
    request = bookings.new_request(
        property_id=id_of(prop),
        check_in=check_in,
        check_out=check_out,
        guests=2,
        guest=GuestContact(name="Гость", phone="+77025550101"),
        channel=Channel.TELEGRAM,
        payment_method=PaymentMethod.KASPI,
    )
    log = tmp_path / "worker.log"

    async with worker_process(settings, log) as first:
        held = await bookings.hold(request)
        assert held.payment is not None and held.payment.kaspi_payment_id
        kaspi_id = held.payment.kaspi_payment_id
        await eventually(
            lambda: qr_payment(qr_stack, kaspi_id), until=lambda p: p["polls"] >= 2, timeout=30
        )
        first.kill()

    # The guest pays while no worker polls; the retried watch on the next worker finds it.
    await emulator(qr_stack, "POST", f"/sandbox/qr/{kaspi_id}/pay")
    polls_at_death = (await qr_payment(qr_stack, kaspi_id))["polls"]
    async with worker_process(settings, log):
        await wait_status(stack, held.booking_id, "confirmed", timeout=60)

    assert (await qr_payment(qr_stack, kaspi_id))["polls"] > polls_at_death
    payments = await payments_of(stack, held.booking_id)
    assert [(p.provider_payment_id, p.amount) for p in payments] == [(kaspi_id, 45_000)]
    # One scheduled watch in the history: the retry is the same activity, not a new one.
    history = await dev_server.get_workflow_handle(f"booking-{held.booking_id}").fetch_history()
    events = list(history.events)
    assert scheduled(events, "watch_kaspi_payment") == 1
    assert max(watch_attempts(events)) >= 2, "the watch was not retried"
