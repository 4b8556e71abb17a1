"""After check-out the workflow asks for a review (and reminds once) with ⭐ 1 … ⭐ 5 reply
buttons; a press starts the review in any state; a finished stay can be reviewed from
"📋 Мои бронирования" too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from models import Property
from tests.bots.telegram.chat import Reply, TelegramChat
from tests.bots.telegram.guest import Held, advance_clock_to, book_and_pay_in_chat, new_guest
from tests.support.factories import eventually, make_owner, make_property, stay, wait_status
from tests.support.lifecycle import check_out_at, reviews_of
from tests.support.payments import workflow_state

STARS = ["⭐ 1", "⭐ 2", "⭐ 3", "⭐ 4", "⭐ 5"]


async def finished_stay(stack: Any, guest: TelegramChat) -> tuple[Property, Held]:
    """The guest books, pays and stays one night; the clock is moved past check-out."""
    owner, _ = await make_owner(stack)
    flat = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=1, nights=1)
    held = await book_and_pay_in_chat(stack, guest, flat.id, check_in, 1)
    await advance_clock_to(stack, check_out_at(check_out) + timedelta(minutes=5))
    await wait_status(stack, held.booking_id, "completed")
    return flat, held


async def workflow_messages(guest: TelegramChat, needle: str) -> list[Reply]:
    """The workflow's messages (with their buttons) that reached the chat."""

    async def probe() -> list[Reply]:
        return [r for r in guest.all_replies() if needle in r.text]

    return await eventually(probe, until=bool)


async def test_request_and_reminder_carry_rating_buttons_and_a_press_works_mid_booking(stack):
    guest = new_guest(stack)
    flat, held = await finished_stay(stack, guest)

    request = await workflow_messages(guest, "Как прошло проживание")
    assert request[0].buttons == STARS and flat.title in request[0].text
    now = await stack.env.get_current_time()
    await advance_clock_to(stack, now + stack.settings.review_reminder_after + timedelta(minutes=5))
    reminder = await workflow_messages(guest, "Напоминаем: ваш отзыв")
    assert reminder[0].buttons == STARS

    # The guest is choosing dates for another apartment when they press a star.
    replies = await guest.send(f"/book_{flat.id}")
    assert "в каком месяце заезд" in replies[-1].text
    replies = await guest.send("⭐ 3")
    assert "Спасибо за оценку ⭐⭐⭐" in replies[-1].text
    assert replies[-1].buttons == ["Пропустить", "🧭 Главное меню"]
    replies = await guest.send("Пропустить")
    assert "Можно прикрепить фото" in replies[-1].text
    replies = await guest.send("ещё подумаю")
    assert "Пришлите фото или нажмите «Готово»" in replies[-1].text
    replies = await guest.send("Готово")
    assert "Спасибо за отзыв ⭐⭐⭐" in replies[-1].text
    assert "🔍 Поиск квартир" in replies[-1].buttons

    reviews = await reviews_of(stack, held.booking_id)
    assert [(r.rating, r.text, r.photo_urls) for r in reviews] == [(3, "", [])]
    assert (await workflow_state(stack, held.booking_id))["reviewed"] is True
    replies = await guest.send("⭐ 5")  # one review per stay
    assert "нет поездок, ожидающих отзыва" in replies[-1].text
    assert len(await reviews_of(stack, held.booking_id)) == 1


async def test_review_from_my_bookings_for_a_finished_stay(stack):
    guest = new_guest(stack)
    flat, held = await finished_stay(stack, guest)

    await guest.send("📋 Мои бронирования")
    replies = await guest.send(f"📄 {held.booking_id}")
    assert "🏁 завершена" in replies[-1].text
    assert "⭐ Оставить отзыв" in replies[-1].buttons
    assert "❌ Отменить бронь" not in replies[-1].buttons
    replies = await guest.send("⭐ Оставить отзыв")
    assert f"Оцените проживание в «{flat.title}»" in replies[-1].text
    assert replies[-1].buttons == [*STARS, "🧭 Главное меню"]
    replies = await guest.send("пять")
    assert "Выберите оценку кнопкой" in replies[-1].text
    replies = await guest.send("⭐ 4")
    replies = await guest.send_photo("balcony")  # a picture instead of words
    assert "Фото добавлено (1 из 10)" in replies[-1].text
    replies = await guest.send_photo("kitchen")
    assert "Фото добавлено (2 из 10)" in replies[-1].text
    replies = await guest.send("Готово")
    assert "Спасибо за отзыв ⭐⭐⭐⭐" in replies[-1].text

    reviews = await reviews_of(stack, held.booking_id)
    assert [(r.rating, r.text, r.photo_urls) for r in reviews] == [
        (4, "", ["telegram:balcony", "telegram:kitchen"])
    ]
    await guest.send("📋 Мои бронирования")
    replies = await guest.send(f"📄 {held.booking_id}")
    assert "⭐ Оставить отзыв" not in replies[-1].buttons


async def test_a_star_without_a_finished_stay_gets_a_kind_answer(stack):
    guest = new_guest(stack)
    replies = await guest.send("⭐ 5")
    assert "нет поездок, ожидающих отзыва" in replies[-1].text
    assert "🔍 Поиск квартир" in replies[-1].buttons
    replies = await guest.send("Готово")  # no review in progress: just the menu
    assert "🔍 Поиск квартир" in replies[-1].buttons
