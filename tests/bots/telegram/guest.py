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


MONTHS = {
    "ru": "Январь Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь",
    "en": "January February March April May June July August September October November December",
}
WEEK = re.compile(r"^(\d\d)\.(\d\d) – (\d\d)\.(\d\d)$")


def month_button(day: date, lang: str = "ru") -> str:
    return f"{MONTHS[lang].split()[day.month - 1]} {day.year}"


def day_button(replies: list[Reply], day: date) -> str:
    """The check-in button the bot offered for `day` (fails if it was not offered)."""
    buttons = replies[-1].buttons
    found = [b for b in buttons if b.endswith(day.strftime("%d.%m"))]
    assert found, f"{day} is not offered: {buttons}"
    return found[0]


def week_button(replies: list[Reply], day: date) -> str:
    """The week button ("12.07 – 18.07") whose days include `day`."""
    buttons = replies[-1].buttons
    for label in buttons:
        found = WEEK.match(label)
        if found:
            first = date(day.year, int(found.group(2)), int(found.group(1)))
            last = date(day.year, int(found.group(4)), int(found.group(3)))
            if first <= day <= last:
                return label
    raise AssertionError(f"no week of {day} offered: {buttons}")


def offered_days(replies: list[Reply]) -> list[str]:
    return [b for b in replies[-1].buttons if re.search(r"^\S+ \d\d\.\d\d$", b)]


async def tap_week_of(
    chat: TelegramChat, replies: list[Reply], day: date, lang: str = "ru"
) -> list[Reply]:
    """From the months keyboard: the month, then the week of `day` (its days offered)."""
    assert month_button(day, lang) in replies[-1].buttons, replies[-1].buttons
    replies = await chat.send(month_button(day, lang))
    return await chat.send(week_button(replies, day))


async def tap_check_in(
    chat: TelegramChat, replies: list[Reply], day: date, lang: str = "ru"
) -> list[Reply]:
    """From the months keyboard: the month, the week, then the day of `day`."""
    replies = await tap_week_of(chat, replies, day, lang)
    return await chat.send(day_button(replies, day))


async def is_offered(chat: TelegramChat, property_id: int | None, day: date) -> bool:
    """Whether the bot offers `day` as a check-in (month → week → day), from `/book_<id>`."""
    replies = await chat.send(f"/book_{property_id}")
    if month_button(day) not in replies[-1].buttons:
        return False
    replies = await chat.send(month_button(day))
    try:
        replies = await chat.send(week_button(replies, day))
    except AssertionError:
        return False
    return any(b.endswith(day.strftime("%d.%m")) for b in offered_days(replies))


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
    replies = await tap_check_in(chat, replies, check_in)
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
