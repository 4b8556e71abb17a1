"""Paying a Telegram booking with Kaspi: the link as an inline button under the held message,
the Kaspi-app invoice choice, and "🔄 Новая ссылка на оплату" without a booking to renew."""

from __future__ import annotations

from typing import Any

from models import Property, User
from models.enums import PaymentMethod
from tests.bots.kaspi_support import started_with
from tests.bots.telegram.chat import Reply
from tests.bots.telegram.guest import KASPI, KASPI_INVOICE, book_in_chat, new_guest
from tests.support.factories import booking_row, make_owner, make_property, stay
from tests.support.payments import workflow_state

NEW_LINK = "🔄 Новая ссылка на оплату"
WAIT_WORD = "Как только Kaspi подтвердит оплату, я пришлю подтверждение."


async def apartment(stack: Any) -> Property:
    owner: User
    owner, _ = await make_owner(stack)
    prop: Property = await make_property(stack, owner, price_per_night=20_000, cleaning_fee=5_000)
    return prop


def link_buttons(reply: Reply) -> list[dict[str, Any]]:
    markup = reply.params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


async def test_held_kaspi_booking_carries_the_link_as_a_button(stack):
    prop = await apartment(stack)
    check_in, _ = await stay(stack, starts_in_days=6, nights=1)
    guest = new_guest(stack)
    held = await book_in_chat(guest, prop.id, check_in, 1, method=KASPI)

    replies = guest.all_replies()
    with_link = [i for i, r in enumerate(replies) if link_buttons(r)]
    assert len(with_link) == 1, [r.text for r in replies]
    message = replies[with_link[0]]
    assert held.booking_id in message.text
    assert "Сумма: 25 000 ₸" in message.text and "Осталось" in message.text
    payment_url = (await workflow_state(stack, held.booking_id))["payment_url"]
    assert payment_url and held.kaspi_payment_id and payment_url.endswith(held.kaspi_payment_id)
    assert link_buttons(message) == [{"text": "💳 Оплатить 25 000 ₸ в Kaspi", "url": payment_url}]
    after = [r for r in replies[with_link[0] + 1 :] if r.text == WAIT_WORD]
    assert after and "🔍 Поиск квартир" in after[0].buttons  # the main menu, as before
    request = await started_with(stack, held.booking_id)
    assert request.kaspi_invoice is False


async def test_kaspi_invoice_choice_reaches_the_hold(stack):
    prop = await apartment(stack)
    check_in, _ = await stay(stack, starts_in_days=7, nights=1)
    guest = new_guest(stack)
    held = await book_in_chat(guest, prop.id, check_in, 1, method=KASPI_INVOICE)

    row = await booking_row(stack, held.booking_id)
    assert row is not None
    assert (row.payment_method, row.status) == ("kaspi", "pending_payment")
    request = await started_with(stack, held.booking_id)
    assert (request.payment_method, request.kaspi_invoice) == (PaymentMethod.KASPI, True)
    # The shared stack's Kaspi is the gateway, which always answers with a link: shown as one.
    assert any(r.text == WAIT_WORD for r in guest.all_replies())


async def test_new_link_without_a_waiting_booking_is_answered_kindly(stack):
    guest = new_guest(stack)
    await guest.send("/start")
    replies = await guest.send(NEW_LINK)
    assert replies[-1].text == "Нет брони, которая ждёт оплату в Kaspi."
    assert "🔍 Поиск квартир" in replies[-1].buttons


async def test_new_link_for_a_gateway_booking_is_refused_kindly(stack):
    prop = await apartment(stack)
    check_in, _ = await stay(stack, starts_in_days=8, nights=1)
    guest = new_guest(stack)
    await book_in_chat(guest, prop.id, check_in, 1, method=KASPI)
    # A gateway invoice has no link to renew: the workflow refuses, the bot explains.
    replies = await guest.send(NEW_LINK)
    assert replies[-1].text == "Не получилось получить новую ссылку: бронь уже не ждёт оплаты."
    assert "🔍 Поиск квартир" in replies[-1].buttons
