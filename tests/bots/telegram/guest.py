"""A guest booking in the Telegram chat, step by step, as a person would tap through it."""

from __future__ import annotations

import itertools
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tests.bots.telegram.chat import Reply, TelegramChat, texts
from tests.support.factories import wait_status
from tests.support.lifecycle import move_clock_to
from tests.support.payments import sandbox_pay

# Random base: FSM states live in a Redis that outlives a test session.
_chat_ids = itertools.count(40_000_000 + secrets.randbelow(50_000) * 100)
_phones = itertools.count(secrets.randbelow(10_000) * 100)
BOOKING_ID = re.compile(r"Бронь ([0-9A-Z]{10})")
PAY_LINK = re.compile(r"/pay/(\S+)")
GUESTS_QUESTION = "Сколько будет гостей"
KASPI = "Kaspi: ссылка на оплату"
KASPI_INVOICE = "Kaspi: счёт в приложение"
INVOICE = "Счёт (оплата по реквизитам)"


def new_guest(stack: Any, **kw: Any) -> TelegramChat:
    return TelegramChat(stack, user_id=next(_chat_ids), **kw)


def new_phone() -> str:
    return f"+7708{next(_phones) % 10_000_000:07d}"


def day_button(replies: list[Reply], day: date) -> str:
    """The check-in button the bot offered for `day` (fails if it was not offered)."""
    buttons = replies[-1].buttons
    found = [b for b in buttons if b.endswith(day.strftime("%d.%m"))]
    assert found, f"{day} is not offered: {buttons}"
    return found[0]


def offered_days(replies: list[Reply]) -> list[str]:
    return [b for b in replies[-1].buttons if re.search(r"\d\d\.\d\d$", b)]


@dataclass
class Held:
    booking_id: str
    text: str
    kaspi_payment_id: str | None


async def choose_stay(
    chat: TelegramChat, property_id: int | None, check_in: date, nights: int, guests: int = 1
) -> list[Reply]:
    """From `/book_<id>` to the quote; returns the bot's last replies (phone or payment).
    The guests step is answered with `guests` when the apartment asks it (max_guests > 1)."""
    replies = await chat.send(f"/book_{property_id}")
    replies = await chat.send(day_button(replies, check_in))
    assert "Сколько ночей" in texts(replies), texts(replies)
    replies = await chat.send(str(nights))
    if GUESTS_QUESTION in replies[-1].text:
        replies = await chat.send(str(guests))
    assert f"Гостей: {guests}" in replies[-1].text, replies[-1].text
    return replies


async def book_in_chat(
    chat: TelegramChat,
    property_id: int | None,
    check_in: date,
    nights: int,
    *,
    method: str = KASPI,
    phone: str | None = None,
    guests: int = 1,
) -> Held:
    replies = await choose_stay(chat, property_id, check_in, nights, guests)
    if "📱 Поделиться номером" in replies[-1].buttons:
        replies = await chat.send_contact(phone or new_phone())
    assert method in replies[-1].buttons, replies[-1]
    replies = await chat.send(method)
    text = texts(replies)
    found = BOOKING_ID.search(text)
    assert found, text
    link = PAY_LINK.search(text)
    return Held(found.group(1), text, link.group(1) if link else None)


async def book_and_pay_in_chat(
    stack: Any, chat: TelegramChat, property_id: int | None, check_in: date, nights: int
) -> Held:
    """Books with Kaspi in the chat, pays in the sandbox, returns once confirmed."""
    held = await book_in_chat(chat, property_id, check_in, nights)
    assert held.kaspi_payment_id, held.text
    await sandbox_pay(stack, held.kaspi_payment_id)
    await wait_status(stack, held.booking_id, "confirmed")
    return held


async def advance_clock_to(stack: Any, when: datetime) -> None:
    """Moves the shared Temporal clock to `when` in two steps: first past the Kaspi payment
    timeout (holds left unpaid by other tests poll Kaspi every minute until then), then the
    rest, so no single skip has to run hundreds of activities under a loaded machine."""
    now: datetime = await stack.env.get_current_time()
    settle = stack.settings.kaspi_payment_timeout + timedelta(minutes=1)
    if when - now > settle:
        await stack.env.sleep(settle)
    await move_clock_to(stack, when)
