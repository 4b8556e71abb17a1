"""A guest books in the Telegram chat and lives through the booking: pays with Kaspi, gets
the confirmation, the access codes at lead time and the review request; or does not pay and
gets the auto-cancel; or pays an invoice that the owner confirms. Plus taken dates and bad
input at every step.

Dates come from the Temporal server's clock (`stay()`), and are picked month → week → day
(tests/bots/telegram/guest.tap_check_in).
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import timedelta
from typing import Any

from sqlmodel import select

from models import Property, User
from models.enums import CancellationPolicy
from tests.bots.telegram.chat import TelegramChat, texts
from tests.bots.telegram.guest import (
    INVOICE,
    KASPI,
    KASPI_INVOICE,
    advance_clock_to,
    book_in_chat,
    choose_stay,
    day_button,
    is_offered,
    month_button,
    new_guest,
    new_phone,
    tap_check_in,
    tap_week_of,
)
from tests.support.factories import (
    KEY_SAFE_CODE,
    SMART_LOCK_CODE,
    booking_row,
    eventually,
    id_of,
    make_owner,
    make_property,
    saved_booking,
    stay,
    wait_status,
)
from tests.support.lifecycle import book, check_in_at, check_out_at, reviews_of
from tests.support.payments import messages_to, nights_of, sandbox_pay, workflow_state

PRICE, CLEANING = 20_000, 5_000


async def apartment(stack: Any, **overrides: Any) -> tuple[User, str, Property]:
    owner, token = await make_owner(stack)
    prop = await make_property(
        stack, owner, price_per_night=PRICE, cleaning_fee=CLEANING, **overrides
    )
    return owner, token, prop


def arrived(stack: Any, chat: TelegramChat, needle: str) -> Awaitable[list[str]]:
    """Waits until a message containing `needle` reaches the guest's chat."""
    return eventually(
        lambda: messages_to(stack, chat.user_id), until=lambda ts: any(needle in t for t in ts)
    )


async def test_kaspi_booking_from_dates_to_codes_and_review(stack):
    _, _, prop = await apartment(stack)
    check_in, check_out = await stay(stack, starts_in_days=1, nights=2)
    guest = new_guest(stack)
    phone = new_phone()

    replies = await guest.send(f"/book_{prop.id}")
    assert prop.title in replies[0].text and "👥 до 4 гостей" in texts(replies)  # the card first
    assert f"«{prop.title}»: в каком месяце заезд" in replies[-1].text
    assert month_button(check_in) in replies[-1].buttons
    assert {"◀️ Назад", "🧭 Главное меню", "⭐ В избранное"} <= set(replies[-1].buttons)

    replies = await tap_week_of(guest, replies, check_in)
    assert "какая неделя" not in replies[-1].text and "выберите дату заезда" in replies[-1].text
    replies = await guest.send(day_button(replies, check_in))
    assert "Сколько ночей? Можно от 1 до 30" in replies[-1].text
    assert replies[-1].buttons[:3] == ["1", "2", "3"]

    replies = await guest.send("2")
    assert "Сколько будет гостей? Квартира вмещает до 4" in replies[-1].text
    assert replies[-1].buttons == ["1", "2", "3", "4", "◀️ Назад", "🧭 Главное меню"]
    replies = await guest.send("3")
    quote = replies[-1].text
    assert "Гостей: 3" in quote
    assert "2 × 20 000 ₸ = 40 000 ₸" in quote
    assert "Уборка: 5 000 ₸" in quote and "Итого: 45 000 ₸" in quote
    assert "бесплатно до 24 ч до заезда" in quote  # the flexible policy, in one line
    assert f"{check_in:%d.%m.%Y} — {check_out:%d.%m.%Y}" in quote
    share = replies[-1].params["reply_markup"]["keyboard"][0][0]
    assert share == {"text": "📱 Поделиться номером", "request_contact": True}

    replies = await guest.send_contact(phone.lstrip("+"))
    assert "Как будете оплачивать?" in replies[-1].text
    assert {KASPI, KASPI_INVOICE, INVOICE} <= set(replies[-1].buttons)

    replies = await guest.send(KASPI)
    text = texts(replies)
    assert "ждёт оплаты" in text and "Сумма: 45 000 ₸" in text
    assert "/pay/" in text and "Осталось 30 мин" in text
    assert "🔍 Поиск квартир" in replies[-1].buttons  # back at the main menu
    booking_id = text.split("Бронь ", 1)[1].split()[0]
    row = await booking_row(stack, booking_id)
    assert row is not None
    assert (row.status, row.check_in, row.nights, row.total) == (
        "pending_payment",
        check_in,
        2,
        45_000,
    )
    assert (row.channel, row.payment_method) == ("telegram", "kaspi")
    assert row.guests == 3  # the number chosen in the chat, not the old fixed 1
    assert await nights_of(stack, booking_id) == 2
    async with stack.sessions() as session:
        me = await session.scalar(select(User).where(User.telegram_id == guest.user_id))
    assert me.phone == phone and row.guest_id == me.id

    # The guest follows the link and pays in the Kaspi sandbox.
    kaspi_id = text.split("/pay/", 1)[1].split()[0]
    await sandbox_pay(stack, kaspi_id)
    await arrived(stack, guest, f"✅ Оплата получена, бронь {booking_id} подтверждена")
    assert (await saved_booking(stack, booking_id)).status == "confirmed"

    await advance_clock_to(
        stack, check_in_at(check_in) - stack.settings.codes_lead_time + timedelta(minutes=10)
    )
    codes = await arrived(stack, guest, KEY_SAFE_CODE)
    assert any(SMART_LOCK_CODE in t and "Подъезд 2" in t for t in codes)

    await advance_clock_to(stack, check_out_at(check_out) + timedelta(minutes=5))
    await arrived(stack, guest, "Как прошло проживание")
    request = [r for r in guest.new_replies() if "Как прошло проживание" in r.text]
    assert request[-1].buttons == ["⭐ 1", "⭐ 2", "⭐ 3", "⭐ 4", "⭐ 5"]

    replies = await guest.send("⭐ 5")
    assert "Напишите пару слов" in replies[-1].text and prop.title in replies[-1].text
    replies = await guest.send("Чисто, тепло, хозяин на связи")
    assert "«Готово»" in replies[-1].text
    replies = await guest.send_photo("review-photo-1")
    assert "Фото добавлено (1 из 10)" in replies[-1].text
    replies = await guest.send("Готово")
    assert "Спасибо за отзыв" in replies[-1].text
    reviews = await reviews_of(stack, booking_id)
    assert [(r.rating, r.text, r.photo_urls, r.property_id) for r in reviews] == [
        (5, "Чисто, тепло, хозяин на связи", ["telegram:review-photo-1"], prop.id)
    ]
    assert (await workflow_state(stack, booking_id))["reviewed"] is True


async def test_unpaid_kaspi_booking_is_auto_cancelled_with_a_message(stack):
    _, _, prop = await apartment(stack)
    check_in, _ = await stay(stack, starts_in_days=2, nights=1)
    guest = new_guest(stack)
    held = await book_in_chat(guest, prop.id, check_in, 1)

    await stack.env.sleep(stack.settings.kaspi_payment_timeout + timedelta(minutes=1))

    await arrived(stack, guest, f"Оплата не поступила вовремя, бронь {held.booking_id} отменена")
    row = await wait_status(stack, held.booking_id, "auto_cancelled")
    assert row.cancel_reason == "payment_timeout"
    assert await nights_of(stack, held.booking_id) == 0
    # The freed day is offered again.
    assert await is_offered(guest, prop.id, check_in)


async def test_invoice_shows_requisites_and_owner_confirmation_reaches_the_guest(stack):
    _, token, prop = await apartment(stack)
    check_in, _ = await stay(stack, starts_in_days=3, nights=3)
    guest = new_guest(stack)
    held = await book_in_chat(guest, prop.id, check_in, 3, method=INVOICE)

    s = stack.settings
    for part in (
        f"Получатель: {s.manual_payment_recipient}",
        f"Банк: {s.manual_payment_bank}",
        f"IBAN: {s.manual_payment_iban}",
        f"БИН: {s.manual_payment_bin}",
        s.manual_payment_note,
        "Сумма: 65 000 ₸",
        f"Назначение платежа: бронь {held.booking_id}",
        "в течение 24 ч 0 мин",
    ):
        assert part in held.text, (part, held.text)
    assert held.kaspi_payment_id is None
    row = await booking_row(stack, held.booking_id)
    assert row is not None
    assert (row.payment_method, row.status) == ("manual", "pending_payment")

    response = await stack.http.post(
        f"/api/v1/bookings/{held.booking_id}/manual-payment",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    await arrived(stack, guest, f"✅ Оплата получена, бронь {held.booking_id} подтверждена")
    assert (await saved_booking(stack, held.booking_id)).status == "confirmed"


async def test_dates_taken_meanwhile_get_fresh_options(stack):
    _, _, prop = await apartment(stack)
    check_in, check_out = await stay(stack, starts_in_days=4, nights=2)
    guest = new_guest(stack)
    replies = await choose_stay(guest, prop.id, check_in, 2)
    replies = await guest.send_contact(new_phone())
    assert KASPI in replies[-1].buttons

    # Someone else books the same nights through the API while the guest hesitates.
    other = await book(stack, id_of(prop), check_in, check_out)

    replies = await guest.send(KASPI)
    assert "😔 Эти даты уже заняты" in replies[-1].text
    assert month_button(check_in) in replies[-1].buttons  # the dates again
    assert not await is_offered(guest, prop.id, check_in)
    assert not await is_offered(guest, prop.id, check_in + timedelta(days=1))
    assert await is_offered(guest, prop.id, check_out)
    row = await booking_row(stack, other.booking_id)
    assert row is not None
    assert row.status == "pending_payment"  # the other guest's hold stands

    # The fresh options work: the day after the taken nights books fine.
    held = await book_in_chat(guest, prop.id, check_out, 1)
    assert (await saved_booking(stack, held.booking_id)).check_in == check_out


async def test_offered_days_and_nights_respect_min_max_and_taken_nights(stack):
    _, _, prop = await apartment(stack, min_nights=2, max_nights=5)
    check_in, _ = await stay(stack, starts_in_days=5, nights=1)
    # Nights check_in+3 and +4 are taken by another guest.
    await book(stack, id_of(prop), check_in + timedelta(days=3), check_in + timedelta(days=5))
    guest = new_guest(stack)

    for offset, offered in [(0, True), (1, True), (2, False), (3, False), (4, False), (5, True)]:
        day = check_in + timedelta(days=offset)
        assert await is_offered(guest, prop.id, day) is offered, offset

    replies = await guest.send(f"/book_{prop.id}")
    replies = await tap_check_in(guest, replies, check_in)
    assert "Можно от 2 до 3" in replies[-1].text  # min 2, and night +3 is taken
    assert [b for b in replies[-1].buttons if b.isdigit()] == ["2", "3"]
    replies = await guest.send("1")
    assert "можно забронировать от 2 до 3" in replies[-1].text
    replies = await guest.send("4")
    assert "можно забронировать от 2 до 3" in replies[-1].text
    replies = await guest.send("3")
    replies = await guest.send("1")  # guests
    assert "3 × 20 000 ₸ = 60 000 ₸" in replies[-1].text and "Итого: 65 000 ₸" in replies[-1].text


async def test_bad_input_at_every_step_gets_a_hint_and_keeps_the_state(stack):
    _, _, prop = await apartment(stack)
    check_in, _ = await stay(stack, starts_in_days=2, nights=2)
    guest = new_guest(stack)

    replies = await guest.send("/book_987654321")
    assert "недоступна для бронирования" in replies[-1].text
    assert "🔍 Поиск квартир" in replies[-1].buttons

    replies = await guest.send(f"/book_{prop.id}")
    for wrong, reason in [
        ("abc", "Не понял даты"),
        ("31.02", "Такой даты нет"),
        ("🙂", "Не понял даты"),
        (check_in.strftime("%d.%m"), "Дата заезда понятна, а выезд?"),
    ]:
        replies = await guest.send(wrong)
        assert reason in replies[-1].text, wrong
        assert month_button(check_in) in replies[-1].buttons  # the months again
    end = check_in + timedelta(days=2)
    replies = await guest.send(f"{check_in:%d.%m}–{end:%d.%m}")  # typed instead of pressed
    assert "Сколько будет гостей" in replies[-1].text
    replies = await guest.send("◀️ Назад")
    assert "Сколько ночей" in replies[-1].text

    for wrong, hint in [
        ("abc", "Напишите число ночей цифрами — от 1 до 30"),
        ("два", "Напишите число ночей цифрами"),
        ("0", "можно забронировать от 1 до 30"),
        ("45", "можно забронировать от 1 до 30"),
    ]:
        replies = await guest.send(wrong)
        assert hint in replies[-1].text, (wrong, replies[-1].text)

    replies = await guest.send("2")
    assert "Сколько будет гостей" in replies[-1].text
    replies = await guest.send("2")
    assert "Итого: 45 000 ₸" in replies[-1].text
    for wrong in ("мой номер", "12"):
        replies = await guest.send(wrong)
        assert "Не похоже на номер телефона" in replies[-1].text
    someone_else = {"phone_number": "+77010000001", "first_name": "X", "user_id": 1}
    response = await guest.post(
        {
            "update_id": 7_000_000 + guest.user_id % 1_000_000,
            "message": guest._message(contact=someone_else),
        }
    )
    assert response.status_code == 200
    assert "поделитесь своим номером" in guest.new_replies()[-1].text

    replies = await guest.send("8 707 555 44 33")  # a typed number is fine too
    assert "Как будете оплачивать?" in replies[-1].text
    replies = await guest.send("Bitcoin")
    assert "Выберите способ оплаты" in replies[-1].text

    # Back three times: to the guests, the nights, the days; then forward again to the end.
    replies = await guest.send("◀️ Назад")
    assert "Сколько будет гостей" in replies[-1].text
    replies = await guest.send("◀️ Назад")
    assert "Сколько ночей" in replies[-1].text
    replies = await guest.send("◀️ Назад")
    assert "выберите дату заезда" in replies[-1].text  # the days of that week
    replies = await guest.send(day_button(replies, check_in))
    replies = await guest.send("2")
    replies = await guest.send("2")
    assert "Как будете оплачивать?" in replies[-1].text  # the phone is remembered
    replies = await guest.send(KASPI)
    held = texts(replies)
    assert "ждёт оплаты" in held
    async with stack.sessions() as session:
        me = await session.scalar(select(User).where(User.telegram_id == guest.user_id))
    # A typed number is the stay's contact number, not the account's (it proves nothing).
    assert me.phone is None
    booking_id = held.split("Бронь ", 1)[1].split()[0]
    assert (await saved_booking(stack, booking_id)).contact_phone == "+77075554433"

    # A main-menu button typed in the middle of booking reaches its own screen.
    await guest.send(f"/book_{prop.id}")
    replies = await guest.send("📋 Мои бронирования")
    assert held.split("Бронь ", 1)[1].split()[0] in replies[-1].text


async def test_booking_starts_from_the_apartment_card_and_goes_back_to_it(stack):
    _, _, prop = await apartment(stack)
    check_in, _ = await stay(stack, starts_in_days=3, nights=1)
    guest = new_guest(stack)

    replies = await guest.send(f"/start prop_{prop.id}")
    assert prop.title in texts(replies) and "📅 Забронировать" in replies[-1].buttons
    replies = await guest.send("📅 Забронировать")
    assert f"«{prop.title}»: в каком месяце заезд" in replies[-1].text
    replies = await guest.send("◀️ Назад")
    assert prop.title in texts(replies) and "📅 Забронировать" in replies[-1].buttons

    replies = await guest.send("📅 Забронировать")
    replies = await tap_check_in(guest, replies, check_in)
    replies = await guest.send("1")
    replies = await guest.send("1")  # guests
    assert "Итого: 25 000 ₸" in replies[-1].text


async def test_an_english_speaking_guest_books_in_english(stack):
    _, _, prop = await apartment(stack, cancellation_policy=CancellationPolicy.MODERATE)
    check_in, _ = await stay(stack, starts_in_days=2, nights=1)
    guest = new_guest(stack, language_code="en")

    replies = await guest.send(f"/book_{prop.id}")
    assert "which month do you arrive" in replies[-1].text
    assert {"◀️ Back", "🧭 Main menu"} <= set(replies[-1].buttons)
    replies = await tap_week_of(guest, replies, check_in, "en")
    assert "choose your check-in day" in replies[-1].text
    label = day_button(replies, check_in)
    assert label.split()[0] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
    replies = await guest.send(label)
    assert "How many nights? From 1 to 30" in replies[-1].text
    replies = await guest.send("1")
    assert "How many guests are coming? The apartment sleeps up to 4" in replies[-1].text
    replies = await guest.send("2")
    assert "Guests: 2" in replies[-1].text
    assert "Total: 25 000 ₸" in replies[-1].text
    assert "free until 5 days before check-in" in replies[-1].text
    assert "📱 Share my number" in replies[-1].buttons
    replies = await guest.send_contact(new_phone())
    assert replies[-1].buttons[:3] == [
        "Kaspi: payment link",
        "Kaspi: bill to the app",
        "Invoice (bank transfer)",
    ]
    replies = await guest.send("Kaspi: payment link")
    assert "is held and waiting for payment" in texts(replies)
    assert "30 min left" in texts(replies)


async def test_guests_step_refuses_bad_counts_and_holds_for_the_chosen_number(stack):
    _, _, prop = await apartment(stack, max_guests=3)
    check_in, _ = await stay(stack, starts_in_days=4, nights=1)
    guest = new_guest(stack)
    replies = await guest.send(f"/book_{prop.id}")
    replies = await tap_check_in(guest, replies, check_in)
    replies = await guest.send("1")
    assert "Сколько будет гостей? Квартира вмещает до 3" in replies[-1].text
    guest_buttons = ["1", "2", "3", "◀️ Назад", "🧭 Главное меню"]
    assert replies[-1].buttons == guest_buttons

    for wrong, hint in [
        ("0", "Квартира вмещает от 1 до 3 гостей"),
        ("4", "Квартира вмещает от 1 до 3 гостей"),
        ("много", "Напишите число гостей цифрами — от 1 до 3"),
        ("2 или 3", "Напишите число гостей цифрами — от 1 до 3"),
    ]:
        replies = await guest.send(wrong)
        assert hint in replies[-1].text, (wrong, replies[-1].text)
        assert replies[-1].buttons == guest_buttons, wrong  # the same step, asked again

    replies = await guest.send("3")
    assert "Гостей: 3" in replies[-1].text and "Итого: 25 000 ₸" in replies[-1].text
    replies = await guest.send("◀️ Назад")  # from the phone screen back to the guests
    assert "Сколько будет гостей" in replies[-1].text
    replies = await guest.send("2")
    assert "Гостей: 2" in replies[-1].text
    replies = await guest.send_contact(new_phone())
    replies = await guest.send(KASPI)
    text = texts(replies)
    assert "ждёт оплаты" in text, text
    row = await saved_booking(stack, text.split("Бронь ", 1)[1].split()[0])
    assert row.guests == 2


async def test_guests_buttons_are_capped_and_a_bigger_number_can_be_typed(stack):
    _, _, prop = await apartment(stack, max_guests=12)
    check_in, _ = await stay(stack, starts_in_days=5, nights=1)
    guest = new_guest(stack)
    replies = await guest.send(f"/book_{prop.id}")
    replies = await tap_check_in(guest, replies, check_in)
    replies = await guest.send("1")
    assert [b for b in replies[-1].buttons if b.isdigit()] == [str(n) for n in range(1, 9)]
    replies = await guest.send("13")
    assert "Квартира вмещает от 1 до 12 гостей" in replies[-1].text
    held = await book_in_chat(guest, prop.id, check_in, 1, guests=10)
    assert (await saved_booking(stack, held.booking_id)).guests == 10


async def test_guests_step_is_skipped_for_a_single_guest_apartment(stack):
    _, _, prop = await apartment(stack, max_guests=1)
    check_in, _ = await stay(stack, starts_in_days=6, nights=2)
    guest = new_guest(stack)
    replies = await guest.send(f"/book_{prop.id}")
    replies = await tap_check_in(guest, replies, check_in)
    replies = await guest.send("2")  # nights: straight to the quote
    assert "Гостей: 1" in replies[-1].text and "Итого: 45 000 ₸" in replies[-1].text
    replies = await guest.send("◀️ Назад")  # back skips the guests step too
    assert "Сколько ночей" in replies[-1].text
    held = await book_in_chat(guest, prop.id, check_in, 2)
    assert (await saved_booking(stack, held.booking_id)).guests == 1
