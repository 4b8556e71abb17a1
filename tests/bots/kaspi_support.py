"""What the booking workflow was started with: the request a bot built (from its history)."""

from __future__ import annotations

from typing import Any

from models.booking_io import BookingRequest


async def started_with(stack: Any, booking_id: str) -> BookingRequest:
    history = await stack.client.get_workflow_handle(f"booking-{booking_id}").fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    decoded = await stack.client.data_converter.decode(started.input.payloads, [BookingRequest])
    request = decoded[0]
    assert isinstance(request, BookingRequest)
    return request
