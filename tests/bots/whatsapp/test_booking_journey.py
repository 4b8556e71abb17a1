"""A guest books on WhatsApp: search by typing and tapping, photos and paging, dates,
the quote, Kaspi payment in the sandbox, the confirmation from the worker; cancelling with
the refund shown first; and the 24-hour window that turns free text into templates."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select

from devstack.whatsapp_standin import WhatsAppMessage
from models import Booking, Property, PropertyPhoto, User
from models.base import utcnow
from models.enums import BookingStatus, PropertyClass
from tests.bots.whatsapp.phone import WhatsAppGuest
from tests.support.factories import eventually, id_of, make_owner, make_property, stay, wait_status
from tests.support.payments import sandbox_pay

PAY_LINK = re.compile(r"/pay/(\S+)")
BACK = ("back", "◀️ Назад")
BOOKING_ID = re.compile(r"Бронь ([0-9A-Z]{10})")


async def apartment(stack: Any, district: str, **overrides: Any) -> Property:
    owner, _ = await make_owner(stack)
    prop = await make_property(
        stack,
        owner,
        district=district,
        property_class=PropertyClass.PREMIUM,
        price_per_night=20_000,
        cleaning_fee=5_000,
        **overrides,
    )
    return prop


async def search_to_results(
    guest: WhatsAppGuest, district: str, guests: str = "1"
) -> list[WhatsAppMessage]:
    """Dates not fixed, a typed number of guests, a typed city and district, a tapped budget:
    the results page."""
    first = await guest.send("Привет")
    assert "ЖильеGO" in first[-1].text
    # The main menu has four entries: a list message, its numbered options in the body too.
    assert first[-1].payload["interactive"]["type"] == "list"
    assert "3. ⭐ Избранное" in first[-1].text
    await guest.tap("Поиск")
    await guest.tap_id("when:none")  # a list row tapped
    await guest.send(guests)  # a number typed: that many guests, never a row
    await guest.send("Алматы")  # the option's text, typed
    await guest.send(district)  # a district typed by name
    return await guest.tap("Любой бюджет")


async def book_with_kaspi(
    stack: Any, guest: WhatsAppGuest, prop: Property, district: str
) -> tuple[str, str]:
    check_in, _ = await stay(stack, starts_in_days=1, nights=2)
    results = await search_to_results(guest, district)
    # The results page is one list message: no image, no card of its own per apartment.
    assert [m.type for m in results] == ["interactive"]
    assert "Найдена 1 квартира" in results[0].text and f"1. {prop.title}\n" in results[0].text
    days = await guest.send("1")  # the first apartment, by number
    # Opened: its card (on its photo, where it has one), then the check-in days.
    assert [m.type for m in days][1:] == ["interactive"] and days[0].type in ("image", "text")
    assert days[0].text.startswith(f"🏠 {prop.title}\n") and "👥 до 4 гостей" in days[0].text
    assert f"📍 Алматы, {district}" in days[0].text  # stored "Almaty", read in Russian
    assert f"«{prop.title}»: в каком месяце заезд" in days[-1].text
    assert len(days[-1].choices) <= 10
    assert all(len(title) <= 24 for _, title in days[-1].choices)
    nights = await guest.tap_day(check_in)
    assert "Сколько ночей? Можно от 1 до 30" in nights[-1].text
    guests = (await guest.send("2"))[-1]
    assert "Сколько будет гостей? Квартира вмещает до 4" in guests.text
    assert guests.choices == [("g:1", "1"), ("g:2", "2"), ("g:3", "3"), ("g:4", "4"), BACK]
    for wrong, hint in [
        ("0", "Квартира вмещает от 1 до 4 гостей"),
        ("5", "Квартира вмещает от 1 до 4 гостей"),  # not row 5 ("back")
        ("много", "Напишите число гостей цифрами — от 1 до 4"),
    ]:
        again = (await guest.send(wrong))[-1]
        assert hint in again.text and again.choices == guests.choices, (wrong, again.text)
    quote = (await guest.send("2"))[-1]  # typed: two guests
    assert "Гостей: 2" in quote.text
    assert "2 × 20 000 ₸ = 40 000 ₸" in quote.text and "Итого: 45 000 ₸" in quote.text
    assert "бесплатно до 24 ч до заезда" in quote.text  # the cancellation policy
    assert [t for _, t in quote.choices][:3] == [
        "Kaspi: ссылка на оплату",
        "Kaspi: счёт в приложение",
        "Счёт (оплата по реквизи…",  # a list row: 24 characters, whole in its description
    ]
    held = (await guest.tap("Kaspi"))[0]  # the link, then the menu
    assert "ждёт оплаты" in held.text and "45 000 ₸" in held.text
    found = BOOKING_ID.search(held.text)
    link = PAY_LINK.search(held.text)
    assert found and link, held.text
    return found.group(1), link.group(1)


async def test_kaspi_booking_from_search_to_confirmation(stack):
    district = f"WA-{secrets.token_hex(3)}"
    prop = await apartment(stack, district)
    async with stack.sessions() as session:
        session.add(PropertyPhoto(property_id=id_of(prop), url="https://cdn.test/front.jpg"))
        await session.commit()
    guest = WhatsAppGuest(stack)
    booking_id, payment_id = await book_with_kaspi(stack, guest, prop, district)
    card = next(m for m in guest.inbox if m.type == "image")
    assert card.payload["image"]["link"] == "https://cdn.test/front.jpg"
    assert card.text.startswith(f"🏠 {prop.title}\n")

    row = await wait_status(stack, booking_id, BookingStatus.PENDING_PAYMENT)
    assert row.channel == "whatsapp"
    assert row.guests == 2  # the number chosen in the chat
    async with stack.sessions() as session:
        user = await session.scalar(select(User).where(col(User.id) == row.guest_id))
        assert user is not None and user.phone == guest.phone == user.whatsapp_phone

    await sandbox_pay(stack, payment_id)
    await wait_status(stack, booking_id, BookingStatus.CONFIRMED)
    confirmed = await eventually(
        lambda: _messages_with(guest, "подтверждена"), until=lambda ms: len(ms) == 1
    )
    assert confirmed[0].type == "text"  # inside the 24-hour window: free text
    assert booking_id in confirmed[0].text


async def _messages_with(guest: WhatsAppGuest, needle: str) -> list[WhatsAppMessage]:
    return [m for m in guest.inbox if needle in m.text]


async def test_outside_the_24_hour_window_a_template_goes_out(stack):
    district = f"WA-{secrets.token_hex(3)}"
    prop = await apartment(stack, district)
    guest = WhatsAppGuest(stack)
    booking_id, payment_id = await book_with_kaspi(stack, guest, prop, district)
    async with stack.sessions() as session:
        await session.execute(
            update(User)
            .where(col(User.whatsapp_phone) == guest.phone)
            .values(whatsapp_last_inbound_at=utcnow() - timedelta(days=2))
        )
        await session.commit()
    await sandbox_pay(stack, payment_id)
    await wait_status(stack, booking_id, BookingStatus.CONFIRMED)
    sent = await eventually(
        lambda: _messages_with(guest, booking_id),
        until=lambda ms: any(m.type == "template" for m in ms),
    )
    template = next(m for m in sent if m.type == "template")
    assert template.payload["template"]["name"] == "booking_update"
    assert template.payload["template"]["language"]["code"] == "ru"
    params = template.payload["template"]["components"][0]["parameters"]
    assert "подтверждена" in params[0]["text"] and "\n" not in params[0]["text"]
    assert not [m for m in sent if m.type == "text" and "подтверждена" in m.text]


async def test_cancel_shows_the_refund_first(stack):
    district = f"WA-{secrets.token_hex(3)}"
    prop = await apartment(stack, district)
    guest = WhatsAppGuest(stack)
    booking_id, payment_id = await book_with_kaspi(stack, guest, prop, district)
    await sandbox_pay(stack, payment_id)
    await wait_status(stack, booking_id, BookingStatus.CONFIRMED)

    await guest.send("меню")
    listing = (await guest.tap("Мои бронирования"))[-1]
    assert booking_id in listing.text
    details = (await guest.tap_id(f"bk:{booking_id}"))[-1]
    assert f"Бронь {booking_id}" in details.text
    reasons = (await guest.tap("Отменить"))[-1]
    assert "Почему отменяете" in reasons.text
    preview = (await guest.send("Изменились планы"))[-1]  # the reason's text, typed
    assert "вам вернут" in preview.text and "45 000 ₸" in preview.text
    async with stack.sessions() as session:
        still = await session.scalar(select(Booking).where(col(Booking.id) == booking_id))
        assert still is not None and still.status == BookingStatus.CONFIRMED  # nothing yet
    done = await guest.tap("Да, отменить")
    assert any(f"Бронь {booking_id} отменена" in m.text for m in done)
    row = await wait_status(stack, booking_id, BookingStatus.CANCELLED)
    assert (
        row.refund_amount is not None and f"{row.refund_amount:,}".replace(",", " ") in done[0].text
    )


async def _to_nights(stack: Any, guest: WhatsAppGuest, district: str, starts_in_days: int) -> None:
    check_in, _ = await stay(stack, starts_in_days=starts_in_days, nights=1)
    await search_to_results(guest, district)
    await guest.send("1")
    await guest.tap_day(check_in)


async def test_guests_are_tapped_and_back_returns_to_them(stack):
    district = f"WA-{secrets.token_hex(3)}"
    await apartment(stack, district, max_guests=2)
    guest = WhatsAppGuest(stack)
    await _to_nights(stack, guest, district, starts_in_days=4)
    asked = (await guest.send("1"))[-1]
    # Two counts and back: reply buttons, titles within the 20-character limit.
    assert asked.payload["interactive"]["type"] == "button"
    assert asked.choices == [("g:1", "1"), ("g:2", "2"), BACK]
    quote = (await guest.tap_id("g:2"))[-1]
    assert "Гостей: 2" in quote.text
    back = (await guest.tap_id("back"))[-1]
    assert "Сколько будет гостей" in back.text
    quote = (await guest.tap_id("g:1"))[-1]
    assert "Гостей: 1" in quote.text
    held = (await guest.tap("Kaspi"))[0]  # the link, then the menu
    found = BOOKING_ID.search(held.text)
    assert found, held.text
    row = await wait_status(stack, found.group(1), BookingStatus.PENDING_PAYMENT)
    assert row.guests == 1


async def test_guests_step_is_skipped_for_a_single_guest_apartment(stack):
    district = f"WA-{secrets.token_hex(3)}"
    await apartment(stack, district, max_guests=1)
    guest = WhatsAppGuest(stack)
    await _to_nights(stack, guest, district, starts_in_days=5)
    quote = (await guest.send("1"))[-1]
    assert "Гостей: 1" in quote.text and "Итого: 25 000 ₸" in quote.text
    back = (await guest.tap_id("back"))[-1]
    assert "Сколько ночей" in back.text  # back skips the guests step too
    await guest.send("1")
    held = (await guest.tap("Kaspi"))[0]  # the link, then the menu
    found = BOOKING_ID.search(held.text)
    assert found, held.text
    row = await wait_status(stack, found.group(1), BookingStatus.PENDING_PAYMENT)
    assert row.guests == 1
