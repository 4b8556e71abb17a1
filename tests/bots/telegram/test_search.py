"""A guest searching in the Telegram chat: when → guests → city → district → budget, the
results page and paging, refining one filter (class and rooms too) while the others stay,
the empty result, the apartment card, favourites, the `/start prop_<id>` link, and bad input
at every step. (The same journey in WhatsApp: tests/bots/test_search_journey.py.)

Each test puts its apartments in a freshly named city, so other tests' apartments never
show up in its answers.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from sqlmodel import col, func, select

from models import Favourite, Property, PropertyPhoto, User
from models.enums import (
    CancellationPolicy,
    PropertyClass,
)
from tests.bots.telegram.chat import Reply, TelegramChat, texts
from tests.bots.telegram.guest import new_guest
from tests.support.factories import add_reviews, id_of, make_owner, make_property

EMPTY = (
    "К сожалению, подходящих вам квартир мы не смогли найти, попробуйте изменить свои "
    "критерии для поиска"
)
BOT_ID = 123456  # the test token's bot


def new_city() -> str:
    return "Город-" + secrets.token_hex(3)


async def apartment(stack: Any, owner: User, city: str, **fields: Any) -> Property:
    fields.setdefault("district", "Медеуский")
    return await make_property(stack, owner, city=city, **fields)


async def add_photos(stack: Any, prop: Property, count: int) -> list[str]:
    urls = [f"https://cdn.example.kz/{prop.id}/{n}.jpg" for n in range(count)]
    async with stack.sessions() as session:
        session.add_all(
            PropertyPhoto(property_id=prop.id or 0, url=url, position=n)
            for n, url in enumerate(urls)
        )
        await session.commit()
    return urls


async def search(
    chat: TelegramChat,
    city: str,
    district: str = "Любой",
    *,
    when: str = "🤷 Даты пока не знаю",
    guests: str = "1",
    budget: str = "Любой бюджет",
) -> list[Reply]:
    """Taps "🔍 Поиск квартир", then answers when → guests → city → district → budget (each
    a button it offered, or typed where marked); returns the results."""
    replies = await chat.send("🔍 Поиск квартир")
    for answer in (when, guests, city, district, budget):
        replies = await chat.send(answer)
    return replies


async def refine(chat: TelegramChat, what: str, value: str) -> list[Reply]:
    """From the results: change one filter, the others are kept."""
    replies = await chat.send("🔧 Изменить фильтр")
    assert what in replies[-1].buttons, replies[-1].buttons
    await chat.send(what)
    return await chat.send(value)


def listed(replies: list[Reply]) -> list[str]:
    """The entries of a results page, which is one text message: no album, no photo."""
    assert [r.method for r in replies] == ["sendMessage"], [r.method for r in replies]
    return re.findall(r"^\d+\. .+\n +.+$", replies[0].text, flags=re.MULTILINE)


def titles_on(replies: list[Reply]) -> list[str]:
    return [b.split(". ", 1)[1] for b in replies[-1].buttons if b.startswith("🏠 ")]


async def fsm_data(stack: Any, chat: TelegramChat) -> dict[str, Any]:
    storage = RedisStorage.from_url(
        stack.settings.redis_url, key_builder=DefaultKeyBuilder(with_destiny=True)
    )
    try:
        key = StorageKey(bot_id=BOT_ID, chat_id=chat.user_id, user_id=chat.user_id)
        return await storage.get_data(key)
    finally:
        await storage.close()


async def favourite_ids(stack: Any, user_telegram_id: int) -> set[int]:
    async with stack.sessions() as session:
        rows = await session.scalars(
            select(col(Favourite.property_id))
            .join(User, col(User.id) == col(Favourite.user_id))
            .where(col(User.telegram_id) == user_telegram_id)
        )
        return set(rows.all())


async def test_first_search_cards_and_paging(stack):
    owner, _ = await make_owner(stack)
    city = new_city()
    listed_props = [
        await apartment(stack, owner, city, title=f"Студия {i:02d}", price_per_night=20_000 + i)
        for i in range(12)
    ]
    await apartment(stack, owner, city, district="Алмалинский", title="Другой район")
    await apartment(stack, owner, city, property_class=PropertyClass.BUSINESS, title="Бизнес")
    await apartment(stack, owner, city, rooms=3, title="Трёшка")
    await add_photos(stack, listed_props[0], 2)
    photo = (await add_photos(stack, listed_props[1], 1))[0]
    await add_reviews(stack, id_of(listed_props[0]), [5, 4])
    chat = new_guest(stack)

    replies = await chat.send("🔍 Поиск квартир")
    assert replies[-1].text.startswith("📅 Когда заезд?")
    assert "◀️ Назад" in replies[-1].buttons
    replies = await chat.send("🤷 Даты пока не знаю")
    assert replies[-1].text == "👥 Сколько будет гостей?"
    replies = await chat.send("2")
    assert replies[-1].text == "🏙 В каком городе ищем квартиру?"
    assert {city, "Любой", "◀️ Назад", "🧭 Главное меню"} <= set(replies[-1].buttons)

    replies = await chat.send(city)
    assert replies[-1].text == "📍 Какой район?"
    assert replies[-1].buttons == [
        "Алмалинский",
        "Медеуский",
        "Любой",
        "◀️ Назад",
        "🧭 Главное меню",
    ]
    replies = await chat.send("Медеуский")
    assert replies[-1].text.startswith("💰 Бюджет за ночь?")
    await chat.send("Любой бюджет")
    await refine(chat, "🏷 Класс", "Комфорт")
    await chat.send("🔧 Изменить фильтр")
    await chat.send("🚪 Комнаты")
    calls_before = len(stack.telegram.calls)
    replies = await chat.send("2")

    # A page is one message: the numbered list, no album and no photo in the chat.
    entries = listed(replies)
    assert len(stack.telegram.calls) - calls_before == 1
    assert len(entries) == 5
    assert entries[0] == (
        "1. Студия 00\n      📍 Медеуский · 💰 20 000 ₸/ночь · ★ 4.5 (2 отзыва) · 👥 до 4 гостей"
    )
    assert entries[1].endswith("💰 20 001 ₸/ночь · ★ нет отзывов · 👥 до 4 гостей")
    footer = replies[-1]
    assert footer.text.startswith(
        f"🔎 Найдено 12 квартир · 2 гостя · {city} · Медеуский · Комфорт · 2 комнаты"
    )
    assert "Страница 1/3" in footer.text
    assert titles_on(replies) == [f"Студия {i:02d}" for i in range(5)]  # cheapest first
    assert "Далее ▶️" in footer.buttons and "◀️ Раньше" not in footer.buttons
    assert {"🔧 Изменить фильтр", "↕️ Сортировка", "🔄 Новый поиск"} <= set(footer.buttons)

    await chat.send("Далее ▶️")
    replies = await chat.send("Далее ▶️")
    assert "Страница 3/3" in replies[-1].text
    assert [e.split("\n")[0] for e in listed(replies)] == ["11. Студия 10", "12. Студия 11"]
    assert "◀️ Раньше" in replies[-1].buttons and "Далее ▶️" not in replies[-1].buttons
    replies = await chat.send("◀️ Раньше")
    replies = await chat.send("◀️ Раньше")
    assert "Страница 1/3" in replies[-1].text
    assert titles_on(replies)[0] == "Студия 00"

    # The photos come with the opened apartment: its album, or its one photo.
    replies = await chat.send("🏠 1. Студия 00")
    assert [r.method for r in replies[:2]] == ["sendMediaGroup", "sendMessage"]
    assert [m["media"] for m in replies[0].params["media"]] == [
        f"https://cdn.example.kz/{listed_props[0].id}/0.jpg",
        f"https://cdn.example.kz/{listed_props[0].id}/1.jpg",
    ]
    assert replies[1].text.startswith("🏠 Студия 00\n")
    assert "в каком месяце заезд" in replies[-1].text  # then its dates
    await chat.send("◀️ Назад")  # back to the results, filters kept
    replies = await chat.send("2")  # the number on the list
    assert [r.method for r in replies[:2]] == ["sendPhoto", "sendMessage"]
    assert replies[0].params["photo"] == photo


async def test_refining_one_filter_keeps_the_others(stack):
    """The seed's base_filters/refined_filters bug: refining rooms forgot the city,
    district and class chosen before."""
    owner, _ = await make_owner(stack)
    city, other_city = new_city(), new_city()
    two = await apartment(stack, owner, city, district="Есильский", title="Комфорт-2")
    three = await apartment(stack, owner, city, district="Есильский", rooms=3, title="Комфорт-3")
    business = await apartment(
        stack,
        owner,
        city,
        district="Есильский",
        rooms=3,
        property_class=PropertyClass.BUSINESS,
        title="Бизнес-3",
    )
    await apartment(stack, owner, city, district="Алматинский", rooms=3, title="Другой район-3")
    await apartment(stack, owner, other_city, district="Есильский", rooms=3, title="Другой город")
    big = await apartment(stack, owner, city, district="Есильский", rooms=5, title="Комфорт-5")
    chat = new_guest(stack)

    await search(chat, city, "Есильский")
    await refine(chat, "🏷 Класс", "Комфорт")
    replies = await refine(chat, "🚪 Комнаты", "2")
    assert titles_on(replies) == [two.title]

    await chat.send("🔧 Изменить фильтр")
    replies = await chat.send("🚪 Комнаты")
    assert "Сейчас выбрано: 1 гость · " in replies[-1].text and "2 комнаты" in replies[-1].text
    replies = await chat.send("3")
    assert titles_on(replies) == [three.title]
    assert f"{city} · Есильский · Комфорт · 3 комнаты" in replies[-1].text

    replies = await refine(chat, "🏷 Класс", "Бизнес")
    assert titles_on(replies) == [business.title]  # rooms, district and city kept

    replies = await refine(chat, "🚪 Комнаты", "4+")
    assert replies[-1].text.startswith(EMPTY)  # business with 4+ rooms: none
    replies = await refine(chat, "🏷 Класс", "Комфорт")
    assert titles_on(replies) == [big.title]

    await chat.send("🔧 Изменить фильтр")
    await chat.send("🏷 Класс")
    replies = await chat.send("◀️ Назад")  # changed their mind: nothing changes
    assert titles_on(replies) == [big.title]

    replies = await refine(chat, "🚪 Комнаты", "Любой")
    assert sorted(titles_on(replies)) == sorted([two.title, three.title, big.title])
    replies = await refine(chat, "📍 Район", "Алматинский")
    assert titles_on(replies) == ["Другой район-3"]  # comfort, any rooms, this city


async def test_changing_the_city_asks_the_district_again(stack):
    owner, _ = await make_owner(stack)
    city, other_city = new_city(), new_city()
    await apartment(stack, owner, city, district="Есильский", rooms=3)
    there = await apartment(stack, owner, other_city, district="Сарыарка", rooms=3)
    await apartment(stack, owner, other_city, district="Сарыарка", rooms=2)
    chat = new_guest(stack)

    await search(chat, city, "Есильский")
    await refine(chat, "🚪 Комнаты", "3")
    replies = await refine(chat, "🏙 Город", other_city)
    assert replies[-1].text.startswith("Город изменился")
    assert "📍 Какой район?" in replies[-1].text
    assert replies[-1].buttons[0] == "Сарыарка"
    replies = await chat.send("Сарыарка")
    assert titles_on(replies) == [there.title]  # rooms kept
    assert f"{other_city} · Сарыарка · 3 комнаты" in replies[-1].text


async def test_empty_result_offers_a_new_search_and_the_menu(stack):
    owner, _ = await make_owner(stack)
    city = new_city()
    await apartment(stack, owner, city)
    chat = new_guest(stack)

    replies = await search(chat, city, budget="до 15 000 ₸")
    assert len(replies) == 1
    assert replies[0].text.startswith(EMPTY)
    assert replies[0].buttons == [
        "🔧 Изменить фильтр",
        "↕️ Сортировка",
        "🔄 Новый поиск",
        "🧭 Главное меню",
    ]
    replies = await chat.send("покажи что есть")
    assert replies[0].text.startswith("Выберите квартиру кнопкой")
    assert replies[-1].text.startswith(EMPTY)

    replies = await refine(chat, "💰 Бюджет", "Любой бюджет")  # the rest kept
    assert len(titles_on(replies)) == 1
    replies = await chat.send("🔄 Новый поиск")
    assert replies[-1].text.startswith("📅 Когда заезд?")
    replies = await chat.send("🧭 Главное меню")
    assert "🔍 Поиск квартир" in replies[-1].buttons


async def test_apartment_card_and_hand_over_to_booking(stack):
    owner, _ = await make_owner(stack)
    city = new_city()
    prop = await apartment(
        stack,
        owner,
        city,
        title="Лофт у парка",
        price_per_night=25_000,
        cleaning_fee=6_000,
        min_nights=2,
        max_nights=14,
        area_m2=48.5,
        description="Светлая квартира с видом на горы.",
        cancellation_policy=CancellationPolicy.MODERATE,
    )
    await add_photos(stack, prop, 3)
    chat = new_guest(stack)

    await search(chat, city)
    replies = await chat.send("🏠 1. Лофт у парка")
    assert replies[0].method == "sendMediaGroup"
    assert len(replies[0].params["media"]) == 3
    card = replies[1]
    assert card.text.startswith("🏠 Лофт у парка\n")
    for part in (
        "25 000 ₸ за ночь",
        "уборка 6 000 ₸",
        "от 2 до 14 ночей",
        "🚪 2 комнаты",
        "👥 до 4 гостей",
        "48.5 м²",
        "Отмена: умеренная",
        "заезд с 14:00, выезд до 12:00",
        "Светлая квартира с видом на горы.",
    ):
        assert part in card.text
    assert "в каком месяце заезд" in replies[-1].text  # the booking starts under the card
    assert (await fsm_data(stack, chat))["journey"]["property_id"] == prop.id

    replies = await chat.send("◀️ Назад")  # from the booking screens back to the results
    assert titles_on(replies) == ["Лофт у парка"]
    replies = await chat.send("1")  # the card's number works as well as its button
    assert "в каком месяце заезд" in replies[-1].text


async def test_deep_link_opens_the_apartment(stack):
    owner, _ = await make_owner(stack)
    prop = await apartment(stack, owner, new_city(), title="Квартира по ссылке")
    chat = new_guest(stack)

    replies = await chat.send(f"/start prop_{prop.id}")
    assert replies[-1].text.startswith("🏠 Квартира по ссылке\n")
    assert replies[-1].buttons == [
        "📅 Забронировать",
        "⭐ В избранное",
        "🔍 Поиск квартир",
        "🧭 Главное меню",
    ]
    replies = await chat.send("⭐ В избранное")
    assert replies[-1].text.startswith("⭐ Добавлено в избранное")
    replies = await chat.send("📅 Забронировать")
    assert "в каком месяце заезд" in texts(replies)
    assert (await fsm_data(stack, chat))["journey"]["property_id"] == prop.id
    replies = await chat.send("◀️ Назад")  # back to the card the booking started from
    assert replies[-1].text.startswith("🏠 Квартира по ссылке\n")
    assert "📅 Забронировать" in replies[-1].buttons

    replies = await chat.send("/start prop_2147480000")
    assert "не найдена" in replies[-1].text
    assert "🔍 Поиск квартир" in replies[-1].buttons
    replies = await chat.send("что-нибудь")  # no state left behind: the menu again
    assert "🔍 Поиск квартир" in replies[-1].buttons


async def test_favourites_add_list_and_remove(stack):
    owner, _ = await make_owner(stack)
    city = new_city()
    first = await apartment(stack, owner, city, title="Первая", price_per_night=10_000)
    second = await apartment(stack, owner, city, title="Вторая", price_per_night=11_000)
    await add_photos(stack, second, 1)
    chat = new_guest(stack)

    replies = await chat.send("⭐ Избранное")
    assert replies[-1].text.startswith("В избранном пока пусто")

    await search(chat, city)
    await chat.send("🏠 1. Первая")
    replies = await chat.send("⭐ В избранное")
    assert replies[-1].text.startswith("⭐ Добавлено в избранное")
    replies = await chat.send("⭐ В избранное")
    assert replies[-1].text.startswith("Эта квартира уже в избранном.")
    await chat.send("◀️ Назад")
    await chat.send("🏠 2. Вторая")
    await chat.send("⭐ В избранное")
    assert await favourite_ids(stack, chat.user_id) == {first.id, second.id}

    replies = await chat.send("⭐ Избранное")
    entries = listed(replies)  # one message, photos or not
    assert entries[0].startswith("1. Вторая\n")  # newest first
    assert entries[1].startswith("2. Первая\n")
    assert replies[-1].buttons == [
        "🏠 1. Вторая",
        "❌ Убрать 1",
        "🏠 2. Первая",
        "❌ Убрать 2",
        "🔍 Поиск квартир",
        "🧭 Главное меню",
    ]

    replies = await chat.send("❌ Убрать 2")
    assert replies[-1].text.startswith("Убрано из избранного: «Первая».\n\n⭐ Избранное: 1.")
    assert replies[-1].buttons[:2] == ["🏠 1. Вторая", "❌ Убрать 1"]
    assert await favourite_ids(stack, chat.user_id) == {second.id}

    # Opened from the favourites: its card (its photo first), then its dates...
    replies = await chat.send("🏠 1. Вторая")
    assert replies[1].text.startswith("🏠 Вторая\n")
    assert "в каком месяце заезд" in replies[-1].text
    replies = await chat.send("◀️ Назад")  # ...and back to the favourites
    assert replies[-1].text.startswith("⭐ Избранное: 1.")
    replies = await chat.send("1")  # its number opens it too
    assert "в каком месяце заезд" in replies[-1].text
    await chat.send("◀️ Назад")
    replies = await chat.send("❌ Убрать 1")
    assert replies[-1].text.startswith("Убрано из избранного: «Вторая».\nВ избранном пока пусто")
    assert "🔍 Поиск квартир" in replies[-1].buttons
    assert await favourite_ids(stack, chat.user_id) == set()


async def test_bad_input_at_every_step_keeps_the_state(stack):
    owner, _ = await make_owner(stack)
    city = new_city()
    await apartment(stack, owner, city, title="Единственная")
    chat = new_guest(stack)

    await chat.send("🔍 Поиск квартир")
    replies = await chat.send("на праздники")
    assert replies[-1].text.startswith("Не понял даты")
    replies = await chat.send("🤷 Даты пока не знаю")
    replies = await chat.send("четверо")
    assert replies[-1].text.startswith("Напишите число гостей цифрами")
    replies = await chat.send("51")
    assert replies[-1].text.startswith("Напишите число гостей цифрами — от 1 до 50")
    replies = await chat.send("4")  # typed rather than tapped
    assert replies[-1].text == "🏙 В каком городе ищем квартиру?"

    replies = await chat.send("Атлантида")
    assert replies[-1].text.startswith("Такого города нет в списке")
    assert "Любой" in replies[-1].buttons  # the busiest cities; any other can be typed
    replies = await chat.send(city.upper())  # typed, in capitals: still the city
    assert replies[-1].text == "📍 Какой район?"

    replies = await chat.send("Нигдейский")
    assert replies[-1].text.startswith("Такого района нет в списке")
    replies = await chat.send("◀️ Назад")
    assert replies[-1].text == "🏙 В каком городе ищем квартиру?"
    await chat.send(city)
    replies = await chat.send("медеуский")
    assert replies[-1].text.startswith("💰 Бюджет за ночь?")
    replies = await chat.send_photo("AgACAgIAAxkBAAIB")
    assert replies[-1].text.startswith("Не понял бюджет")
    replies = await chat.send("до 10 тыс")
    assert replies[-1].text.startswith(EMPTY)  # four guests fit, 20 000 ₸ a night does not
    assert "до 10 000 ₸" in replies[-1].text

    await chat.send("🔧 Изменить фильтр")
    await chat.send("🏷 Класс")
    replies = await chat.send("Люкс")
    assert replies[-1].text.startswith("Выберите класс кнопкой")
    await chat.send("◀️ Назад")
    await chat.send("🔧 Изменить фильтр")
    await chat.send("🚪 Комнаты")
    replies = await chat.send("abc")
    assert replies[-1].text.startswith("Напишите число комнат цифрами")
    assert replies[-1].buttons[:5] == ["1", "2", "3", "4+", "Любой"]
    replies = await chat.send("0")
    assert replies[-1].text.startswith("Комнат может быть от 1 до 20")
    replies = await chat.send("◀️ Назад")
    replies = await refine(chat, "💰 Бюджет", "от 15 000 до 25 000")
    assert titles_on(replies) == ["Единственная"]

    replies = await chat.send("покажи дешевле")
    assert replies[0].text.startswith("Выберите квартиру кнопкой")
    assert "🏠 1. Единственная" in replies[-1].buttons
    replies = await chat.send("1")
    assert replies[0].text.startswith("🏠 Единственная\n")  # no photos: the card first


async def test_search_in_kazakh(stack):
    owner, _ = await make_owner(stack)
    city = new_city()
    await apartment(stack, owner, city, title="Пәтер", property_class=PropertyClass.ECONOMY)
    chat = new_guest(stack, language_code="kk")

    replies = await chat.send("🔍 Пәтер іздеу")
    assert replies[-1].text.startswith("📅 Қашан кіресіз?")
    await chat.send("🤷 Күндер әлі белгісіз")
    replies = await chat.send("2")
    assert replies[-1].text == "🏙 Қай қаладан пәтер іздейміз?"
    assert "Кез келген" in replies[-1].buttons
    await chat.send(city)
    await chat.send("Кез келген")
    replies = await chat.send("Кез келген бюджет")
    assert "1/1-бет" in replies[-1].text
    assert replies[-1].text.startswith(f"🔎 1 пәтер табылды · 2 қонақ · {city} · кез келген аудан")
    assert listed(replies)[0].endswith(
        "📍 Медеу ауданы · 💰 түніне 20 000 ₸ · ★ пікір жоқ · 👥 4 қонаққа дейін"
    )
    assert "Келесі ▶️" not in replies[-1].buttons


async def test_no_favourite_row_for_an_apartment_that_is_gone(stack):
    owner, _ = await make_owner(stack)
    prop = await apartment(stack, owner, new_city(), title="Скоро снимут")
    chat = new_guest(stack)
    await chat.send(f"/start prop_{prop.id}")
    async with stack.sessions() as session:
        row = await session.get(Property, prop.id)
        assert row is not None
        row.is_active = False
        await session.commit()

    replies = await chat.send("⭐ В избранное")

    assert "не найдена" in replies[-1].text
    assert "🔍 Поиск квартир" in replies[-1].buttons
    async with stack.sessions() as session:
        count = await session.scalar(
            select(func.count()).where(col(Favourite.property_id) == prop.id)
        )
    assert count == 0


async def test_a_photo_telegram_refuses_never_costs_the_card(stack):
    owner, _ = await make_owner(stack)
    city = new_city()
    prop = await apartment(stack, owner, city, title="С битым фото")
    await add_photos(stack, prop, 2)
    chat = new_guest(stack)
    await search(chat, city)

    stack.telegram.fail_next, stack.telegram.fail_status = 1, 400  # "wrong file identifier"
    try:
        replies = await chat.send("🏠 1. С битым фото")
    finally:
        stack.telegram.fail_next, stack.telegram.fail_status = 0, 500

    assert [r.method for r in replies] == ["sendMessage", "sendMessage"]
    assert replies[0].text.startswith("🏠 С битым фото\n")
    assert "в каком месяце заезд" in replies[1].text


async def test_places_classes_and_counts_read_in_the_guest_language(stack):
    """Stored as "Almaty" / "Медеуский" / "comfort": no Latin city in a Russian sentence,
    no raw class, no "1 rooms"; the city may be typed in any of its names."""
    owner, _ = await make_owner(stack)
    prop = await apartment(
        stack,
        owner,
        "Almaty",
        title="Лофт " + secrets.token_hex(3),
        rooms=1,
        max_guests=1,
        min_nights=1,
        max_nights=21,
    )
    await add_reviews(stack, id_of(prop), [4])

    english = new_guest(stack, language_code="en")
    card = (await english.send(f"/start prop_{prop.id}"))[-1].text
    assert "📍 Almaty, Medeu" in card
    assert "🏷 Comfort · 🚪 1 room · 👥 up to 1 guest\n" in card
    assert "🌙 1 to 21 nights" in card and "★ 4.0 · 1 review" in card

    russian = new_guest(stack)
    card = (await russian.send(f"/start prop_{prop.id}"))[-1].text
    assert "📍 Алматы, Медеуский" in card and "Almaty" not in card
    assert "🏷 Комфорт · 🚪 1 комната · 👥 до 1 гостя\n" in card
    assert "🌙 от 1 до 21 ночи" in card and "★ 4.0 · 1 отзыв" in card

    await russian.send("🔍 Поиск квартир")
    await russian.send("🤷 Даты пока не знаю")
    replies = await russian.send("1")
    assert "Алматы" in replies[-1].buttons and "Almaty" not in replies[-1].buttons
    replies = await russian.send("Алматы қ.")  # typed as an address writes it
    assert replies[-1].text == "📍 Какой район?"

    kazakh = new_guest(stack, language_code="kk")
    await kazakh.send("🔍 Пәтер іздеу")
    await kazakh.send("🤷 Күндер әлі белгісіз")
    await kazakh.send("1")
    replies = await kazakh.send("Almaty")
    assert "Медеу ауданы" in replies[-1].buttons and "Медеуский" not in replies[-1].buttons
    await kazakh.send("Медеу ауданы")
    await kazakh.send("Кез келген бюджет")
    await kazakh.send("🔧 Сүзгіні өзгерту")
    await kazakh.send("🏷 Класс")
    await kazakh.send("Комфорт")
    await kazakh.send("🔧 Сүзгіні өзгерту")
    await kazakh.send("🚪 Бөлмелер")
    replies = await kazakh.send("1")
    assert "· Алматы · Медеу ауданы · Комфорт · 1 бөлме\n" in replies[0].text
    assert "comfort" not in replies[0].text and "Almaty" not in replies[0].text
