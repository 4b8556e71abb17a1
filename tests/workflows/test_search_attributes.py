"""Ops find bookings by search attributes: checked on the real Temporal dev server."""

from __future__ import annotations

import pytest
from temporalio.client import Client

from models.booking_io import GuestContact, PaymentReceived
from models.enums import Channel, PaymentMethod
from services.availability import apartment_label
from services.booking_client import BookingClient, timings_from, workflow_id
from tests.support.factories import eventually, id_of, make_owner, make_property, stay, wait_status
from worker import running_worker
from workflows.search_attributes import (
    CHECK_IN,
    CITY,
)

pytestmark = pytest.mark.devserver


async def test_confirmed_booking_is_listed_by_status_and_city(stack, dev_server):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner, city="Almaty")
    check_in, check_out = await stay(stack, starts_in_days=40, nights=2)
    bookings = BookingClient(dev_server, task_queue="sa-test", timings=timings_from(stack.settings))
    async with running_worker(stack.settings, dev_server, task_queue="sa-test"):
        held = await bookings.hold(
            bookings.new_request(
                property_id=id_of(prop),
                check_in=check_in,
                check_out=check_out,
                guests=2,
                guest=GuestContact(name="Dana", phone="+77015550101", telegram_id=7_700_001),
                channel=Channel.TELEGRAM,
                payment_method=PaymentMethod.KASPI,
                apartment=apartment_label(prop.title, prop.city),
            )
        )
        assert held.error is None and held.total is not None
        pending = f"BookingStatus='pending_payment' AND City='Almaty' AND PropertyId={prop.id}"
        ids = await eventually(
            lambda: _ids(dev_server, pending), until=lambda found: bool(found), timeout=60
        )
        assert ids == [workflow_id(held.booking_id)]

        await bookings.report_payment(
            held.booking_id, PaymentReceived(payment_id="KSP-SA-1", amount=held.total)
        )
        # Generous waits: this runs on the real dev server, which a busy CI box slows down.
        await wait_status(stack, held.booking_id, "confirmed", timeout=60)
        confirmed = (
            f"BookingStatus='confirmed' AND City='Almaty' AND Channel='telegram' "
            f"AND PaymentMethod='kaspi' AND PropertyId={prop.id}"
        )
        ids = await eventually(
            lambda: _ids(dev_server, confirmed), until=lambda found: bool(found), timeout=60
        )
        assert ids == [workflow_id(held.booking_id)]
        # Visibility is eventually consistent: the old status leaves the index shortly.
        await eventually(lambda: _ids(dev_server, pending), until=lambda found: found == [])

        description = await dev_server.get_workflow_handle(ids[0]).describe()
        assert description.typed_search_attributes[CITY] == "Almaty"
        assert description.typed_search_attributes[CHECK_IN].date() == check_in
        # Ops read the apartment by name, not only by id: the summary and the live details.
        summary = await description.static_summary() or ""
        assert f"«{prop.title}», Almaty (#{prop.id})" in summary, summary
        metadata = await dev_server.get_workflow_handle(ids[0]).query(
            "__temporal_workflow_metadata"
        )
        assert f"«{prop.title}», Almaty (#{prop.id})" in metadata.current_details
        assert "**confirmed**" in metadata.current_details


async def _ids(client: Client, query: str) -> list[str]:
    return [wf.id async for wf in client.list_workflows(query)]
