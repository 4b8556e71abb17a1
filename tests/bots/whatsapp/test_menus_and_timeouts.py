"""Typing an option's number or text works like tapping it; results page; the invoice path;
an unpaid Kaspi hold is auto-cancelled and the guest is told on WhatsApp."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from models.enums import BookingStatus, PropertyClass
from tests.bots.whatsapp.phone import WhatsAppGuest
from tests.bots.whatsapp.test_booking_journey import BOOKING_ID, apartment, search_to_results
from tests.support.factories import eventually, make_owner, make_property, stay, wait_status
from tests.support.payments import nights_of


async def test_typed_number_typed_text_and_tap_reach_the_same_screen(stack):
    screens = []
    for how in ("2", "📋 Мои бронирования", "tap"):
        guest = WhatsAppGuest(stack)
        await guest.send("Салем")
        answer = await (guest.tap("Мои бронирования") if how == "tap" else guest.send(how))
        screens.append(answer[0].text)
    assert len(set(screens)) == 1 and "нет бронирований" in screens[0]


async def test_unknown_input_repeats_the_menu(stack):
    guest = WhatsAppGuest(stack)
    await guest.send("Привет")
    answer = await guest.send("что-то непонятное")
    assert "Не совсем понял" in answer[0].text
    assert answer[-1].type == "interactive" and "Поиск" in answer[-1].choices[0][1]


async def test_results_come_in_pages_and_filters_are_kept_when_refining(stack):
    district = f"WA-{secrets.token_hex(3)}"
    owner, _ = await make_owner(stack)
    for i in range(7):
        await make_property(
            stack,
            owner,
            district=district,
            property_class=PropertyClass.PREMIUM,
            price_per_night=10_000 + i,
        )
    guest = WhatsAppGuest(stack)
    first = await search_to_results(guest, district)
    # One list message per page: five apartments numbered in its body, no image sent.
    assert [m.type for m in first] == ["interactive"]
    assert "Найдено 7 квартир" in first[0].text and "Страница 1/2" in first[0].text
    assert re.findall(r"^(\d+)\. ", first[0].text, flags=re.MULTILINE) == ["1", "2", "3", "4", "5"]
    assert len(first[0].text) <= 1024  # an interactive body's limit
    second = await guest.tap("Далее")
    assert [m.type for m in second] == ["interactive"]
    assert "Страница 2/2" in second[0].text
    assert re.findall(r"^(\d+)\. ", second[0].text, flags=re.MULTILINE) == ["6", "7"]
    opened = await guest.send("7")  # the number on the list, not the 7th row
    assert opened[0].text.startswith("🏠 ") and "в каком месяце заезд" in opened[-1].text
    back = await guest.tap_id("back")  # from the check-in days back to the same page
    assert "Страница 2/2" in back[-1].text
    await guest.tap("Изменить фильтр")
    await guest.tap("Комнаты")
    refined = await guest.tap_id("any")  # only the rooms change: city, district, class kept
    assert "Найдено 7 квартир" in refined[-1].text and district in refined[-1].text


async def test_invoice_path_shows_the_requisites(stack):
    district = f"WA-{secrets.token_hex(3)}"
    prop = await apartment(stack, district)
    check_in, _ = await stay(stack, starts_in_days=3, nights=1)
    guest = WhatsAppGuest(stack)
    await search_to_results(guest, district)
    await guest.send("1")
    await guest.tap_day(check_in)
    await guest.send("1")
    await guest.send("1")  # guests
    held = (await guest.send("3"))[-1]  # the third payment option, by number: bank invoice
    assert "Оплатите счёт по реквизитам" in held.text
    assert stack.settings.manual_payment_iban in held.text and "25 000 ₸" in held.text
    found = BOOKING_ID.search(held.text)
    assert found and prop.title
    row = await wait_status(stack, found.group(1), BookingStatus.PENDING_PAYMENT)
    assert row.payment_method == "manual"


async def test_unpaid_kaspi_hold_is_auto_cancelled_with_a_whatsapp_message(stack):
    district = f"WA-{secrets.token_hex(3)}"
    await apartment(stack, district)
    check_in, _ = await stay(stack, starts_in_days=2, nights=1)
    guest = WhatsAppGuest(stack)
    await search_to_results(guest, district)
    await guest.send("1")
    await guest.tap_day(check_in)
    await guest.send("1")
    await guest.send("1")  # guests
    held = (await guest.tap("Kaspi"))[0]  # the link, then the menu
    found = BOOKING_ID.search(held.text)
    assert found, held.text
    booking_id = found.group(1)

    await stack.env.sleep(stack.settings.kaspi_payment_timeout + timedelta(minutes=1))

    await wait_status(stack, booking_id, BookingStatus.AUTO_CANCELLED)
    told = await eventually(
        lambda: _texts(guest),
        until=lambda ts: any(f"бронь {booking_id} отменена" in t for t in ts),
    )
    assert told
    assert await nights_of(stack, booking_id) == 0


async def _texts(guest: WhatsAppGuest) -> list[str]:
    return [m.text for m in guest.inbox if m.type == "text"]
