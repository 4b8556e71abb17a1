"""Favourites from the apartment's menu and the main menu; the review after check-out
answered on WhatsApp (a typed "5" to the numbered rating list, then a few words); the
menu and the first search step in Kazakh and English."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from bots.texts import t
from devstack.whatsapp_standin import WhatsAppMessage
from models import Favourite, User
from models.enums import BookingStatus, Language, Role
from tests.bots.telegram.guest import advance_clock_to
from tests.bots.whatsapp.phone import WhatsAppGuest
from tests.bots.whatsapp.test_booking_journey import apartment, book_with_kaspi, search_to_results
from tests.support.factories import (
    KEY_SAFE_CODE,
    SMART_LOCK_CODE,
    eventually,
    stay,
    wait_status,
)
from tests.support.lifecycle import check_in_at, check_out_at, reviews_of
from tests.support.payments import sandbox_pay, workflow_state


async def arrived(guest: WhatsAppGuest, needle: str) -> list[WhatsAppMessage]:
    """The worker's messages containing `needle` that reached the guest's WhatsApp."""

    async def probe() -> list[WhatsAppMessage]:
        return [m for m in guest.inbox if needle in m.text]

    found: list[WhatsAppMessage] = await eventually(probe, until=bool)
    return found


async def favourite_rows(stack: Any, user_phone: str) -> list[int]:
    async with stack.sessions() as session:
        user = await session.scalar(select(User).where(col(User.whatsapp_phone) == user_phone))
        rows = await session.scalars(
            select(col(Favourite.property_id)).where(
                col(Favourite.user_id) == (user.id if user else None)
            )
        )
        return list(rows.all())


async def test_favourite_added_from_the_apartment_listed_opened_and_removed(stack):
    district = f"WA-{secrets.token_hex(3)}"
    prop = await apartment(stack, district)
    guest = WhatsAppGuest(stack)
    await search_to_results(guest, district)
    days = (await guest.send("1"))[-1]
    assert "⭐ В избранное" in [title for _, title in days.choices]
    added = await guest.tap("В избранное")
    assert "Добавлено в избранное" in added[-1].text  # and the check-in days again
    assert "в каком месяце заезд" in added[-1].text
    again = await guest.send("⭐ В избранное")  # typed: a second press changes nothing
    assert "уже в избранном" in again[-1].text
    assert await favourite_rows(stack, guest.phone) == [prop.id]

    await guest.send("меню")
    listing = await guest.send("3")  # "⭐ Избранное", the third entry, by number
    assert [m.type for m in listing] == ["interactive"]  # one list, no image per favourite
    assert f"1. {prop.title}\n" in listing[-1].text
    assert "⭐ Избранное: 1" in listing[-1].text
    assert [title for _, title in listing[-1].choices] == [
        f"🏠 1. {prop.title}",
        "❌ Убрать 1",
        "🔍 Поиск квартир",
    ]
    opened = await guest.tap("🏠 1.")
    assert f"«{prop.title}»: в каком месяце заезд" in opened[-1].text
    back = await guest.tap("Назад")  # back to the favourites, not to a search
    assert "⭐ Избранное: 1" in back[-1].text
    removed = await guest.send("❌ Убрать 1")  # the row's title, typed
    assert f"Убрано из избранного: «{prop.title}»" in removed[0].text
    assert "В избранном пока пусто" in removed[0].text
    assert await favourite_rows(stack, guest.phone) == []
    tapped = await guest.tap("Избранное")  # the main menu is back: a list row tapped
    assert "В избранном пока пусто" in tapped[0].text


async def test_whatsapp_booking_from_payment_to_codes_and_a_review(stack):
    district = f"WA-{secrets.token_hex(3)}"
    prop = await apartment(stack, district)
    guest = WhatsAppGuest(stack)
    check_in, check_out = await stay(stack, starts_in_days=1, nights=2)
    booking_id, payment_id = await book_with_kaspi(stack, guest, prop, district)
    await sandbox_pay(stack, payment_id)
    await wait_status(stack, booking_id, BookingStatus.CONFIRMED)

    # The guest writes shortly before: inside the 24-hour window messages go as free text.
    await guest.send("меню")
    await advance_clock_to(
        stack, check_in_at(check_in) - stack.settings.codes_lead_time + timedelta(minutes=10)
    )
    codes = await arrived(guest, KEY_SAFE_CODE)
    assert codes[0].type == "text" and SMART_LOCK_CODE in codes[0].text

    await advance_clock_to(stack, check_out_at(check_out) + timedelta(minutes=5))
    await wait_status(stack, booking_id, BookingStatus.COMPLETED)
    request = (await arrived(guest, "Как прошло проживание"))[0]
    assert request.type == "text" and prop.title in request.text
    assert "\n1. ⭐ 1" in request.text and "\n5. ⭐ 5" in request.text  # numbered ratings

    asked = await guest.send("5")  # the number of "⭐ 5" in the list
    assert "Спасибо за оценку ⭐⭐⭐⭐⭐" in asked[-1].text and prop.title in asked[-1].text
    assert [title for _, title in asked[-1].choices] == ["Пропустить", "🧭 Главное меню"]
    photos = await guest.send("Чисто, тепло, хозяин на связи")
    assert "Можно прикрепить фото" in photos[-1].text
    saved = await guest.send_image("wa-media-review-1", caption="Вид из окна")
    assert "Фото добавлено (1 из 10)" in saved[-1].text, saved[-1].text
    thanks = await guest.tap("Готово")
    assert "Спасибо за отзыв ⭐⭐⭐⭐⭐" in thanks[0].text
    assert thanks[-1].type == "interactive"  # back at the main menu

    reviews = await reviews_of(stack, booking_id)
    assert [(r.rating, r.text, r.property_id) for r in reviews] == [
        (5, "Чисто, тепло, хозяин на связи", prop.id)
    ]
    assert reviews[0].photo_urls == ["whatsapp:wa-media-review-1"]
    assert (await workflow_state(stack, booking_id))["reviewed"] is True
    once = await guest.send("⭐ 5")  # one review per stay
    assert "нет поездок, ожидающих отзыва" in once[0].text
    assert len(await reviews_of(stack, booking_id)) == 1


async def test_a_star_tapped_or_typed_without_a_stay_and_a_bare_number_stays_a_menu_pick(stack):
    guest = WhatsAppGuest(stack)
    await guest.send("Привет")
    star = await guest.send("⭐ 4")
    assert "нет поездок, ожидающих отзыва" in star[0].text
    picked = await guest.send("2")  # no review request was sent: "2" is "My bookings"
    assert "нет бронирований" in picked[0].text


async def test_kazakh_and_english_guests_get_the_menu_and_search_in_their_language(stack):
    kk = WhatsAppGuest(stack)
    await kk.send("Сәлем")
    await kk.tap("Язык")
    chosen = await kk.tap("Қазақша")
    assert chosen[0].text == t("language_set", "kk")
    assert chosen[-1].text.startswith(t("main_menu", "kk"))
    assert [title for _, title in chosen[-1].choices] == [
        t("btn_search", "kk"),
        t("btn_bookings", "kk"),
        t("btn_favourites", "kk"),
        t("btn_language", "kk"),
    ]
    when = await kk.tap(t("btn_search", "kk"))
    assert when[-1].text.startswith(t("search_when_prompt", "kk"))
    await kk.tap_id("when:none")
    city = await kk.send("2")
    assert city[-1].text.startswith(t("search_choose_city", "kk"))
    assert t("search_btn_any", "kk") in [title for _, title in city[-1].choices]

    # An English speaker already known from Telegram by the same phone (shared there as
    # their own contact, so verified): one user.
    en = WhatsAppGuest(stack)
    async with stack.sessions() as session:
        session.add(
            User(
                name="John",
                phone=en.phone,
                phone_verified=True,
                telegram_id=secrets.randbelow(10**9) + 10**9,
                role=Role.GUEST,
                language=Language.EN,
            )
        )
        await session.commit()
    welcome = (await en.send("Hi"))[-1]
    assert welcome.text.startswith(t("welcome", "en"))
    assert welcome.choices[0][1] == t("btn_search", "en")
    when = await en.send("1")  # typed number
    assert when[-1].text.startswith(t("search_when_prompt", "en"))
    await en.send("4")  # dates not fixed yet, by its number
    city = await en.send("1")
    assert city[-1].text.startswith(t("search_choose_city", "en"))
    async with stack.sessions() as session:
        users = (await session.scalars(select(User).where(col(User.phone) == en.phone))).all()
        assert len(users) == 1 and users[0].whatsapp_phone == en.phone
