"""Paying a WhatsApp booking with Kaspi: the link as a "cta_url" button, the Kaspi-app
invoice choice, and "🔄 Новая ссылка на оплату" (typed, or "1" right after the failed-link
message) without a booking to renew."""

from __future__ import annotations

import secrets
from typing import Any

from sqlmodel import col, select

from devstack.whatsapp_standin import WhatsAppMessage
from models import NotificationDelivery, User
from models.enums import BookingStatus, PaymentMethod
from tests.bots.kaspi_support import started_with
from tests.bots.whatsapp.phone import WhatsAppGuest
from tests.bots.whatsapp.test_booking_journey import BOOKING_ID, apartment, search_to_results
from tests.support.factories import stay, wait_status
from tests.support.payments import workflow_state

NEW_LINK = "🔄 Новая ссылка на оплату"
NOTHING_WAITING = "Нет брони, которая ждёт оплату в Kaspi."
WAIT_WORD = "Как только Kaspi подтвердит оплату, я пришлю подтверждение."


async def to_quote(stack: Any, guest: WhatsAppGuest, starts_in_days: int) -> None:
    district = f"WA-{secrets.token_hex(3)}"
    await apartment(stack, district, max_guests=1)
    check_in, _ = await stay(stack, starts_in_days=starts_in_days, nights=1)
    await search_to_results(guest, district)
    await guest.send("1")
    await guest.tap_day(check_in)
    quote = (await guest.send("1"))[-1]  # one night; one guest: straight to the quote
    assert "Итого: 25 000 ₸" in quote.text
    assert [t for _, t in quote.choices][:3] == [
        "Kaspi: ссылка на оплату",
        "Kaspi: счёт в приложение",
        "Счёт (оплата по реквизи…",  # a list row: 24 characters, whole in its description
    ]


def booking_id_in(messages: list[WhatsAppMessage]) -> str:
    found = [m for m in (BOOKING_ID.search(m.text) for m in messages) if m]
    assert found, [m.text for m in messages]
    return found[0].group(1)


async def test_kaspi_link_is_a_cta_url_button_then_the_menu(stack):
    guest = WhatsAppGuest(stack)
    await to_quote(stack, guest, starts_in_days=9)
    sent = await guest.tap_id("pay:kaspi")
    link = next(m for m in sent if m.type == "interactive")
    interactive = link.payload["interactive"]
    assert interactive["type"] == "cta_url"
    booking_id = booking_id_in([link])
    assert "25 000 ₸" in link.text and "Осталось" in link.text
    payment_url = (await workflow_state(stack, booking_id))["payment_url"]
    assert payment_url
    assert interactive["action"] == {
        "name": "cta_url",
        "parameters": {"display_text": "Оплатить в Kaspi", "url": payment_url},
    }
    after = sent[sent.index(link) + 1 :]
    # The workflow's words may interleave; the main menu comes under the wait word.
    menu = next(m for m in after if m.text.startswith(WAIT_WORD))
    assert [cid for cid, _ in menu.choices][:1] == ["menu:search"]
    assert (await started_with(stack, booking_id)).kaspi_invoice is False


async def test_kaspi_invoice_choice_reaches_the_hold(stack):
    guest = WhatsAppGuest(stack)
    await to_quote(stack, guest, starts_in_days=10)
    sent = await guest.tap_id("pay:kaspi_invoice")
    booking_id = booking_id_in(sent)
    row = await wait_status(stack, booking_id, BookingStatus.PENDING_PAYMENT)
    assert (row.payment_method, row.channel) == ("kaspi", "whatsapp")
    request = await started_with(stack, booking_id)
    assert (request.payment_method, request.kaspi_invoice) == (PaymentMethod.KASPI, True)


async def test_new_link_typed_without_a_waiting_booking(stack):
    guest = WhatsAppGuest(stack)
    await guest.send("Привет")
    sent = await guest.send(NEW_LINK)
    assert sent[0].text.startswith(NOTHING_WAITING)
    assert [cid for cid, _ in sent[-1].choices][:1] == ["menu:search"]  # with the main menu


async def test_bare_one_after_the_failed_link_message_asks_for_a_new_link(stack):
    guest = WhatsAppGuest(stack)
    await guest.send("Привет")
    async with stack.sessions() as session:
        user = await session.scalar(select(User).where(col(User.whatsapp_phone) == guest.phone))
        assert user is not None
        session.add(
            NotificationDelivery(
                dedupe_key=f"test-link-failed-{secrets.token_hex(6)}",
                user_id=user.id,
                event="kaspi_link_failed",
                channel="whatsapp",
            )
        )
        await session.commit()
    sent = await guest.send("1")
    assert sent[0].text.startswith(NOTHING_WAITING)
    # Answered: a later "1" is the first option of the menu again (the search).
    again = await guest.send("1")
    assert all(not m.text.startswith(NOTHING_WAITING) for m in again)
