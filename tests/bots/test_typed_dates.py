"""Guests who plan ahead type their dates, in either messenger, up to a year ahead: the same
script through the Telegram and the WhatsApp bot reaches the same bookings and the same
refusals (a date not understood, an end before the start, beyond the horizon, taken nights)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

import pytest

from core.clock import today_local
from tests.bots.telegram.chat import texts
from tests.bots.telegram.guest import KASPI, new_guest
from tests.bots.whatsapp.phone import WhatsAppGuest
from tests.bots.whatsapp.test_booking_journey import BOOKING_ID, apartment, search_to_results
from tests.support.factories import id_of, wait_status


@dataclass
class Said:
    text: str
    options: list[str]


class TelegramGuest:
    def __init__(self, stack: Any) -> None:
        self.chat = new_guest(stack)

    async def open(self, prop: Any, district: str) -> Said:
        return self._said(await self.chat.send(f"/book_{prop.id}"))

    async def say(self, text: str) -> Said:
        return self._said(await self.chat.send(text))

    async def pay_with_kaspi(self) -> Said:
        replies = await self.chat.send_contact("+77015550142")
        assert KASPI in replies[-1].buttons, replies[-1]
        return self._said(await self.chat.send(KASPI))

    @staticmethod
    def _said(replies: list[Any]) -> Said:
        return Said(texts(replies), list(replies[-1].buttons))


class WhatsAppChat:
    def __init__(self, stack: Any) -> None:
        self.guest = WhatsAppGuest(stack)

    async def open(self, prop: Any, district: str) -> Said:
        await search_to_results(self.guest, district)
        return self._said(await self.guest.send("1"))

    async def say(self, text: str) -> Said:
        return self._said(await self.guest.send(text))

    async def pay_with_kaspi(self) -> Said:
        return self._said(await self.guest.tap("Kaspi"))

    @staticmethod
    def _said(messages: list[Any]) -> Said:
        options = [title for m in messages for _, title in m.choices] if messages else []
        return Said("\n".join(m.text for m in messages), options)


class ChatGuest(Protocol):
    """One guest in one messenger, driven by the same script in both."""

    async def open(self, prop: Any, district: str) -> Said: ...
    async def say(self, text: str) -> Said: ...
    async def pay_with_kaspi(self) -> Said: ...


CHANNELS: dict[str, Callable[[Any], ChatGuest]] = {
    "telegram": TelegramGuest,
    "whatsapp": WhatsAppChat,
}


def dotted(day: date) -> str:
    return f"{day:%d.%m.%Y}"


@pytest.mark.parametrize("channel", sorted(CHANNELS))
async def test_typed_dates_book_200_days_ahead_and_refusals_say_why(stack, channel):
    district = f"TD-{secrets.token_hex(3)}"
    prop = await apartment(stack, district, max_nights=10)
    today = today_local()
    start = today + timedelta(days=200)
    guest = CHANNELS[channel](stack)
    opened = await guest.open(prop, district)
    assert "напишите даты на любой срок до года вперёд" in opened.text

    refusals = [
        ("хочу летом", "Не понял даты"),
        (f"{dotted(start)}", "Дата заезда понятна, а выезд?"),
        (f"{dotted(start + timedelta(days=3))} - {dotted(start)}", "Выезд должен быть позже"),
        (f"31.02.{start.year + 1} - 03.03.{start.year + 1}", "Такой даты нет"),
        (
            f"{dotted(today + timedelta(days=400))} - {dotted(today + timedelta(days=402))}",
            f"заезд не позже {dotted(today + timedelta(days=365))}",
        ),
        (
            f"{dotted(start)} - {dotted(start + timedelta(days=12))}",
            "минимум на 1 ночь, максимум на 10 ночей",
        ),
    ]
    for typed, reason in refusals:
        again = await guest.say(typed)
        assert reason in again.text, (channel, typed, again.text)
        assert "◀️ Назад" in again.options and len(again.options) > 3  # days offered again

    asked = await guest.say(f"{dotted(start)} - {dotted(start + timedelta(days=3))}")
    assert "Сколько будет гостей" in asked.text, asked.text
    quote = await guest.say("2")
    assert "3 × 20 000 ₸ = 60 000 ₸" in quote.text and "Итого: 65 000 ₸" in quote.text
    held = await guest.pay_with_kaspi()
    found = BOOKING_ID.search(held.text)
    assert found, held.text
    row = await wait_status(stack, found.group(1), "pending_payment")
    assert (row.property_id, row.check_in, row.check_out, row.guests) == (
        id_of(prop),
        start,
        start + timedelta(days=3),
        2,
    )

    # Another guest asks for an overlapping stay in words: the nights are taken.
    other = CHANNELS[channel](stack)
    await other.open(prop, district)
    month = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    word = month.split()[start.month - 1]
    overlapping = await other.say(f"{start.day} {word} {start.year} на 2 ночи")
    assert "Эти ночи уже заняты" in overlapping.text, overlapping.text
