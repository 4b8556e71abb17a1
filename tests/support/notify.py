"""Bookings made for notification tests: a guest reachable on Telegram, WhatsApp or both."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import col

from models import User
from models.base import utcnow
from tests.support.factories import (
    booking_body,
    id_of,
    make_owner,
    make_property,
    saved_booking,
    stay,
)


async def held_booking(
    stack: Any, *, channel: str = "telegram", whatsapp: bool = False, starts_in_days: int = 25
) -> tuple[str, str, dict[str, Any]]:
    """A guest books through the API on `channel`; with `whatsapp` (or on the WhatsApp
    channel) they are also reachable there, inside the 24-hour window. Returns the booking
    id, the Kaspi payment id and the request body."""
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=starts_in_days, nights=2)
    body = booking_body(id_of(prop), check_in, check_out, channel=channel)
    reachable_on_whatsapp = whatsapp or channel == "whatsapp"
    if reachable_on_whatsapp:
        body["guest"]["whatsapp_phone"] = body["guest"]["phone"]
    response = await stack.partner.post("/api/v1/bookings", json=body)
    assert response.status_code == 201, response.text
    held = response.json()
    if reachable_on_whatsapp:
        guest_id = (await saved_booking(stack, held["booking_id"])).guest_id
        async with stack.sessions() as session:
            await session.execute(
                update(User)
                .where(col(User.id) == guest_id)
                .values(whatsapp_last_inbound_at=utcnow())
            )
            await session.commit()
    return held["booking_id"], held["payment"]["kaspi_payment_id"], body
