"""The webhook gate: Meta's handshake, signatures on the raw body, malformed payloads,
Meta's retries of the same message, and delivery receipts."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlmodel import col, select

from models import NotificationDelivery, User
from models.enums import DeliveryStatus
from tests.bots.whatsapp.phone import (
    WEBHOOK,
    WhatsAppGuest,
    envelope,
    post_signed,
    status_event,
    text_message,
)
from tests.conftest import WHATSAPP_VERIFY_TOKEN


async def users_with_whatsapp(stack: Any, phone: str) -> list[User]:
    async with stack.sessions() as session:
        rows = await session.scalars(select(User).where(col(User.whatsapp_phone) == phone))
        return list(rows.all())


async def test_verification_handshake_echoes_the_challenge(stack):
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": WHATSAPP_VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    response = await stack.http.get(WEBHOOK, params=params)
    assert response.status_code == 200
    assert response.text == "1158201444"
    assert response.headers["content-type"].startswith("text/plain")


async def test_verification_with_a_wrong_token_is_refused(stack):
    for params in (
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
        {
            "hub.mode": "unsubscribe",
            "hub.verify_token": WHATSAPP_VERIFY_TOKEN,
            "hub.challenge": "1",
        },
        {},
    ):
        response = await stack.http.get(WEBHOOK, params=params)
        assert response.status_code == 403, params
        assert "1" not in response.text.split('"')[-1]


async def test_bad_signature_is_refused_and_nothing_happens(stack):
    guest = WhatsAppGuest(stack)
    payload = text_message(guest.wa_id, "Привет")
    response = await post_signed(stack, payload, secret="not-the-app-secret")
    assert response.status_code == 403
    body = json.dumps(payload).encode()
    unsigned = await stack.http.post(
        WEBHOOK, content=body, headers={"Content-Type": "application/json"}
    )
    assert unsigned.status_code == 403
    assert guest.inbox == []
    assert await users_with_whatsapp(stack, guest.phone) == []


async def test_malformed_payloads_are_acknowledged_and_nothing_is_written(stack, caplog):
    guest = WhatsAppGuest(stack)
    broken_message = text_message(guest.wa_id, "Привет")
    del broken_message["entry"][0]["changes"][0]["value"]["messages"][0]["type"]
    caplog.set_level(logging.WARNING)
    for payload in (
        b"not json at all",
        b'{"object": "page"}',
        json.dumps({"object": "whatsapp_business_account", "entry": "x"}).encode(),
        json.dumps(broken_message).encode(),
    ):
        response = await post_signed(stack, payload)
        assert response.status_code == 200, payload
    assert guest.inbox == []
    assert await users_with_whatsapp(stack, guest.phone) == []
    assert "malformed whatsapp webhook" in caplog.text


async def test_a_retried_delivery_of_the_same_message_is_handled_once(stack):
    guest = WhatsAppGuest(stack)
    payload = text_message(guest.wa_id, "Здравствуйте")
    for _ in range(3):
        response = await post_signed(stack, payload)
        assert response.status_code == 200
    assert len(guest.inbox) == 1
    assert "ЖильеGO" in guest.inbox[0].text
    assert len(await users_with_whatsapp(stack, guest.phone)) == 1


async def test_status_callbacks_move_the_delivery_log_forward_only(stack):
    guest = WhatsAppGuest(stack)
    await guest.send("Привет")
    async with stack.sessions() as session:
        user = (await users_with_whatsapp(stack, guest.phone))[0]
        row = NotificationDelivery(
            dedupe_key=f"wa-status-{guest.wa_id}",
            user_id=user.id,
            event="booking_confirmed",
            channel="whatsapp",
            status=DeliveryStatus.SENT,
            external_id=f"wamid.out{guest.wa_id}",
        )
        session.add(row)
        await session.commit()
    for status in ("delivered", "read", "delivered"):
        response = await post_signed(stack, status_event(str(row.external_id), status, guest.wa_id))
        assert response.status_code == 200
    async with stack.sessions() as session:
        saved = await session.scalar(
            select(NotificationDelivery).where(
                col(NotificationDelivery.external_id) == row.external_id
            )
        )
        assert saved is not None and saved.status == DeliveryStatus.READ
    # An unknown id (a message not sent through the log) is acknowledged and ignored.
    response = await post_signed(stack, status_event("wamid.unknown", "failed", guest.wa_id))
    assert response.status_code == 200
    assert envelope({})["object"] == "whatsapp_business_account"
