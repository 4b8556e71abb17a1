"""Search the way guests think, the same script in both messengers (one journey, two
adapters): "Almaty, 4 guests, 12–15 July next year, up to 30 000 ₸ a night" finds only the
apartments free for every night and taking four, cheapest first; sorting and refining keep
the other filters; bad answers are asked again; the apartment opens on its quote and books.
A stay picked in a calendar (Telegram Mini App `web_app_data`, WhatsApp Flow `nfm_reply`)
is read like typed dates."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

import pytest

from bots.texts import t
from core.clock import today_local
from tests.bots.telegram.chat import texts
from tests.bots.telegram.guest import KASPI, new_guest, new_phone
from tests.bots.whatsapp.phone import WhatsAppGuest, flow_reply_message
from tests.support.factories import id_of, make_owner, make_property, wait_status
from tests.support.lifecycle import book


@dataclass
class Said:
    text: str
    options: list[str]


class TelegramSearcher:
    def __init__(self, stack: Any) -> None:
        self.chat = new_guest(stack)

    async def start(self) -> Said:
        return self._said(await self.chat.send("🔍 Поиск квартир"))

    async def say(self, text: str) -> Said:
        return self._said(await self.chat.send(text))

    async def calendar(self, check_in: date, check_out: date) -> Said:
        data = json.dumps({"check_in": check_in.isoformat(), "check_out": check_out.isoformat()})
        return self._said(await self.chat.send_web_app_data(data))

    async def open(self, prop: Any, city: str) -> Said:
        return self._said(await self.chat.send(f"/book_{prop.id}"))

    async def pay_with_kaspi(self) -> Said:
        replies = await self.chat.send_contact(new_phone())  # Telegram asks for the number
        assert KASPI in replies[-1].buttons, replies[-1]
        return self._said(await self.chat.send(KASPI))

    @staticmethod
    def _said(replies: list[Any]) -> Said:
        return Said(texts(replies), list(replies[-1].buttons) if replies else [])


class WhatsAppSearcher:
    def __init__(self, stack: Any) -> None:
        self.guest = WhatsAppGuest(stack)
        self.property_id = 0  # the apartment whose dates Flow the guest answers

    async def start(self) -> Said:
        await self.guest.send("меню")  # the main menu, first message or not
        return self._said(await self.guest.tap("Поиск"))

    async def say(self, text: str) -> Said:
        return self._said(await self.guest.send(text))

    async def calendar(self, check_in: date, check_out: date) -> Said:
        return self._said(await self.guest.flow_reply(check_in, check_out, self.property_id))

    async def open(self, prop: Any, city: str) -> Said:
        """No links in WhatsApp: the search with any dates finds it, "1" opens it."""
        self.property_id = int(prop.id)
        await self.start()
        for answer in ("🤷 Даты пока не знаю", "1", city, "Любой", "Любой бюджет"):
            await self.say(answer)
        return await self.say("1")

    async def pay_with_kaspi(self) -> Said:
        return self._said(await self.guest.tap("Kaspi: ссылка"))

    @staticmethod
    def _said(messages: list[Any]) -> Said:
        options = [title for m in messages for _, title in m.choices]
        return Said("\n".join(m.text for m in messages), options)


class Searcher(Protocol):
    async def start(self) -> Said: ...
    async def say(self, text: str) -> Said: ...
    async def calendar(self, check_in: date, check_out: date) -> Said: ...
    async def open(self, prop: Any, city: str) -> Said: ...
    async def pay_with_kaspi(self) -> Said: ...


CHANNELS: dict[str, Callable[[Any], Searcher]] = {
    "telegram": TelegramSearcher,
    "whatsapp": WhatsAppSearcher,
}


def next_july() -> tuple[date, date]:
    year = today_local().year + 1
    return date(year, 7, 12), date(year, 7, 15)


async def city_with_apartments(stack: Any) -> tuple[str, dict[str, Any]]:
    """One city: two apartments that fit, and one each that is taken, too small, too dear."""
    owner, _ = await make_owner(stack)
    city = "Город-" + secrets.token_hex(3)

    async def flat(title: str, price: int, guests: int) -> Any:
        return await make_property(
            stack,
            owner,
            city=city,
            district="Медеуский",
            title=title,
            price_per_night=price,
            cleaning_fee=4_000,
            max_guests=guests,
        )

    flats = {
        "fits_dear": await flat("Подходит-28", 28_000, 4),
        "fits_cheap": await flat("Подходит-25", 25_000, 5),
        "taken": await flat("Занята-22", 22_000, 4),
        "small": await flat("Мала-18", 18_000, 2),
        "dear": await flat("Дорогая-35", 35_000, 6),
    }
    check_in, check_out = next_july()
    await book(stack, id_of(flats["taken"]), check_in + timedelta(days=1), check_out)
    return city, flats


def order(text: str, titles: list[str]) -> list[str]:
    """The titles as the results list them, top to bottom."""
    found = [(text.find(f". {t}\n"), t) for t in titles if f". {t}\n" in text]
    return [t for _, t in sorted(found)]


ALL = ["Подходит-28", "Подходит-25", "Занята-22", "Мала-18", "Дорогая-35"]


@pytest.mark.parametrize("channel", sorted(CHANNELS))
async def test_dates_guests_place_and_budget_find_and_book_the_cheapest(stack, channel):
    city, flats = await city_with_apartments(stack)
    check_in, check_out = next_july()
    guest = CHANNELS[channel](stack)

    asked = await guest.start()
    assert "Когда заезд?" in asked.text and "🤷 Даты пока не знаю" in asked.options
    again = await guest.say("хочу летом")
    assert "Не понял даты" in again.text and "Когда заезд?" in again.text
    asked = await guest.say(f"{check_in:%d.%m.%Y} - {check_out:%d.%m.%Y}")
    assert "Сколько будет гостей?" in asked.text
    again = await guest.say("много")
    assert "Напишите число гостей цифрами" in again.text
    asked = await guest.say("4")
    assert "В каком городе" in asked.text
    asked = await guest.say(city)  # typed: a city need not be among the buttons
    assert "Какой район?" in asked.text and "Медеуский" in asked.options
    asked = await guest.say("Медеуский")
    assert "Бюджет за ночь?" in asked.text and "Любой бюджет" in asked.options
    again = await guest.say("подешевле")
    assert "Не понял бюджет" in again.text
    found = await guest.say("до 30000")

    # Free for every night, taking four, within the budget; cheapest first.
    assert "Найдены 2 квартиры" in found.text, found.text
    assert f"{check_in:%d.%m}–{check_out:%d.%m} · 4 гостя" in found.text
    assert "до 30 000 ₸" in found.text
    assert order(found.text, ALL) == ["Подходит-25", "Подходит-28"]

    await guest.say("↕️ Сортировка")
    dearest = await guest.say("Сначала дорогие")
    assert order(dearest.text, ALL) == ["Подходит-28", "Подходит-25"]
    await guest.say("🔧 Изменить фильтр")
    refined = await guest.say("💰 Бюджет")
    assert "Сейчас выбрано" in refined.text
    any_budget = await guest.say("Любой бюджет")  # dates, guests, place and sort kept
    assert order(any_budget.text, ALL) == ["Дорогая-35", "Подходит-28", "Подходит-25"]

    # Opened from a search with dates and guests: its card, then straight to the quote.
    quote = await guest.say("3")
    assert "Подходит-25" in quote.text and "Гостей: 4" in quote.text, quote.text
    assert "3 × 25 000 ₸ = 75 000 ₸" in quote.text and "Итого: 79 000 ₸" in quote.text
    held = await guest.pay_with_kaspi()
    booking_id = held.text.split("Бронь ", 1)[1].split()[0]
    row = await wait_status(stack, booking_id, "pending_payment")
    assert (row.property_id, row.check_in, row.check_out, row.guests) == (
        id_of(flats["fits_cheap"]),
        check_in,
        check_out,
        4,
    )


@pytest.mark.parametrize("channel", sorted(CHANNELS))
async def test_a_stay_picked_in_the_calendar_books_like_typed_dates(stack, channel):
    owner, _ = await make_owner(stack)
    city = "Город-" + secrets.token_hex(3)
    prop = await make_property(
        stack,
        owner,
        city=city,
        title="Календарная",
        price_per_night=20_000,
        cleaning_fee=0,
    )
    start = today_local() + timedelta(days=150)
    guest = CHANNELS[channel](stack)
    opened = await guest.open(prop, city)
    assert "в каком месяце заезд" in opened.text, opened.text

    backwards = await guest.calendar(start + timedelta(days=2), start)
    assert "Выезд должен быть позже" in backwards.text
    await book(stack, id_of(prop), start + timedelta(days=1), start + timedelta(days=2))
    taken = await guest.calendar(start, start + timedelta(days=3))
    assert "Эти ночи уже заняты" in taken.text
    asked = await guest.calendar(start + timedelta(days=2), start + timedelta(days=5))
    assert "Сколько будет гостей" in asked.text, asked.text
    quote = await guest.say("2")
    assert "3 × 20 000 ₸ = 60 000 ₸" in quote.text, quote.text


async def test_telegram_offers_the_mini_app_only_with_a_public_https_address(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner, title="С календарём")
    chat = new_guest(stack)
    replies = await chat.send(f"/book_{prop.id}")
    rows = replies[-1].params["reply_markup"]["keyboard"]
    assert not any("web_app" in button for row in rows for button in row)  # make dev: none

    stack.settings.webapp_base_url = "https://zhilyego.example"
    try:
        replies = await chat.send(f"/book_{prop.id}")
    finally:
        stack.settings.webapp_base_url = ""
    first = replies[-1].params["reply_markup"]["keyboard"][0][0]
    assert first["text"] == "🗓 Выбрать даты в календаре"
    url = first["web_app"]["url"]
    today = today_local()
    assert url.startswith(f"https://zhilyego.example/webapp/dates?property={prop.id}&lang=ru")
    assert f"from={today.isoformat()}" in url
    assert f"until={(today + timedelta(days=365)).isoformat()}" in url


async def test_whatsapp_sends_the_dates_flow_when_it_is_published(stack):
    owner, _ = await make_owner(stack)
    city = "Город-" + secrets.token_hex(3)
    prop = await make_property(stack, owner, city=city, min_nights=2, max_nights=7)
    taken = today_local() + timedelta(days=20)
    await book(stack, id_of(prop), taken, taken + timedelta(days=2))
    guest = WhatsAppSearcher(stack)
    stack.settings.whatsapp_dates_flow_id = "1187000000000042"
    try:
        await guest.open(prop, city)
    finally:
        stack.settings.whatsapp_dates_flow_id = ""
    flows = [
        m
        for m in guest.guest.inbox
        if m.type == "interactive" and m.payload["interactive"]["type"] == "flow"
    ]
    assert len(flows) == 1
    parameters = flows[0].payload["interactive"]["action"]["parameters"]
    assert parameters["flow_id"] == "1187000000000042"
    assert parameters["flow_action"] == "navigate"
    assert parameters["flow_token"] == f"dates:{prop.id}"
    payload = parameters["flow_action_payload"]
    assert payload["screen"] == "DATES"
    data = payload["data"]
    assert (data["min_days"], data["max_days"]) == (2, 7)
    assert data["min_date"] == today_local().isoformat()
    assert {taken.isoformat(), (taken + timedelta(days=1)).isoformat()} <= set(data["unavailable"])
    # The list of months follows for those who would rather tap or type.
    assert "в каком месяце заезд" in guest.guest.last_menu().text


@pytest.mark.parametrize("channel", sorted(CHANNELS))
async def test_buttons_go_month_week_day_and_back_and_kazakh_and_english_dates_are_read(
    stack, channel
):
    owner, _ = await make_owner(stack)
    city = "Город-" + secrets.token_hex(3)
    prop = await make_property(
        stack, owner, city=city, title="Кнопочная", price_per_night=20_000, cleaning_fee=0
    )
    day = today_local() + timedelta(days=45)
    while day.day > 25:  # a stay of three nights within one month
        day += timedelta(days=1)
    month = f"{t('bk_month_names', 'ru').split(',')[day.month - 1]} {day.year}"
    guest = CHANNELS[channel](stack)
    opened = await guest.open(prop, city)
    assert month in opened.options
    weeks = await guest.say(month)
    assert "какая неделя?" in weeks.text
    monday = day - timedelta(days=day.weekday())
    first = max(monday, day.replace(day=1))
    week = next(o for o in weeks.options if o.startswith(f"{first:%d.%m}"))
    days = await guest.say(week)
    assert "выберите дату заезда" in days.text
    assert any(o.endswith(f"{day:%d.%m}") for o in days.options)
    back = await guest.say("◀️ Назад")
    assert "какая неделя?" in back.text
    back = await guest.say("◀️ Назад")
    assert "в каком месяце заезд" in back.text

    kk_month = t("bk_month_names", "kk").split(",")[day.month - 1].lower()
    kazakh = await guest.say(f"{day.day} {kk_month}, 3 түн")
    assert "Сколько будет гостей" in kazakh.text, kazakh.text
    await guest.say("◀️ Назад")  # the nights of that day
    nights = await guest.say("◀️ Назад")  # its week's days
    assert "выберите дату заезда" in nights.text
    en_month = t("bk_month_names", "en").split(",")[day.month - 1]
    english = await guest.say(f"{en_month} {day.day} to {day.day + 2}")
    assert "Сколько будет гостей" in english.text, english.text
    quote = await guest.say("2")
    assert "Гостей: 2" in quote.text


@pytest.mark.parametrize("channel", sorted(CHANNELS))
async def test_a_week_across_a_weekend_shows_the_weekend_price_and_the_discount(stack, channel):
    owner, token = await make_owner(stack)
    city = "Город-" + secrets.token_hex(3)
    prop = await make_property(
        stack, owner, city=city, title="С правилами", price_per_night=20_000, cleaning_fee=5_000
    )
    rules = {"weekend_price": 30_000, "discounts": [{"min_nights": 7, "percent": 10}]}
    saved = await stack.http.put(
        f"/api/v1/properties/{prop.id}/pricing",
        json=rules,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert saved.status_code == 200, saved.text
    day = today_local() + timedelta(days=40)
    monday = day + timedelta(days=(7 - day.weekday()) % 7)
    guest = CHANNELS[channel](stack)
    await guest.start()
    for answer in (f"{monday:%d.%m.%Y} - {monday + timedelta(days=7):%d.%m.%Y}", "2", city):
        await guest.say(answer)
    await guest.say("Любой")
    found = await guest.say("Любой бюджет")
    # Five nights at 20 000, two at 30 000 = 160 000, −10 % = 144 000, + 5 000 cleaning.
    assert "за 7 ночей с уборкой: 149 000 ₸" in found.text, found.text
    quote = await guest.say("1")
    assert "🌙 5 × 20 000 ₸ = 100 000 ₸" in quote.text, quote.text
    assert "🌙 2 × 30 000 ₸ (выходные) = 60 000 ₸" in quote.text
    assert "🏷 Скидка за длительное проживание −10 %: −16 000 ₸" in quote.text
    assert "Итого: 149 000 ₸" in quote.text


@pytest.mark.parametrize("channel", sorted(CHANNELS))
async def test_advance_notice_and_turnover_shape_what_the_bots_offer(stack, channel):
    owner, _ = await make_owner(stack)
    city = "Город-" + secrets.token_hex(3)
    prop = await make_property(
        stack,
        owner,
        city=city,
        title="С правилами заезда",
        max_guests=2,
        pricing={"advance_notice_days": 2, "turnover_nights": 1},
    )
    today = today_local()
    later = today + timedelta(days=30)
    await book(stack, id_of(prop), later, later + timedelta(days=2))
    guest = CHANNELS[channel](stack)
    await guest.open(prop, city)
    soon = await guest.say(
        f"{today + timedelta(days=1):%d.%m.%Y} - {today + timedelta(days=3):%d.%m.%Y}"
    )
    assert "заезд не раньше" in soon.text and f"{today + timedelta(days=2):%d.%m.%Y}" in soon.text
    # Leaving on the other guest's arrival day leaves no night to prepare: refused as taken.
    tight = await guest.say(f"{later - timedelta(days=2):%d.%m.%Y} - {later:%d.%m.%Y}")
    assert "Эти ночи уже заняты" in tight.text, tight.text
    fits = await guest.say(
        f"{later - timedelta(days=3):%d.%m.%Y} - {later - timedelta(days=1):%d.%m.%Y}"
    )
    assert "Сколько будет гостей" in fits.text, fits.text


@pytest.mark.parametrize("channel", sorted(CHANNELS))
async def test_an_older_calendar_for_another_apartment_books_nothing(stack, channel):
    owner, _ = await make_owner(stack)
    city = "Город-" + secrets.token_hex(3)
    prop = await make_property(stack, owner, city=city, title="Эта", max_guests=2)
    guest: Searcher = CHANNELS[channel](stack)
    await guest.open(prop, city)
    start = today_local() + timedelta(days=40)
    stay = {"check_in": start.isoformat(), "check_out": (start + timedelta(days=2)).isoformat()}
    elsewhere = id_of(prop) + 100_000
    other = {**stay, "property": elsewhere, "flow_token": f"dates:{elsewhere}"}
    if isinstance(guest, TelegramSearcher):
        said = guest._said(await guest.chat.send_web_app_data(json.dumps(other)))
    else:
        assert isinstance(guest, WhatsAppSearcher)
        phone = guest.guest
        said = guest._said(await phone._post(flow_reply_message(phone.wa_id, other)))
    assert "открыт для другой квартиры" in said.text, said.text
    mine = await guest.calendar(start, start + timedelta(days=2))
    assert "Сколько будет гостей" in mine.text


@pytest.mark.parametrize("channel", sorted(CHANNELS))
async def test_odd_digits_and_a_price_too_big_are_asked_again(stack, channel):
    owner, _ = await make_owner(stack)
    city = "Город-" + secrets.token_hex(3)
    prop = await make_property(stack, owner, city=city, max_guests=4)
    start = today_local() + timedelta(days=50)
    guest = CHANNELS[channel](stack)
    await guest.open(prop, city)
    await guest.say(f"{start:%d.%m.%Y} - {start + timedelta(days=2):%d.%m.%Y}")
    again = await guest.say("²")  # a superscript two from a phone keyboard
    assert "Напишите число гостей цифрами" in again.text, again.text
    await guest.start()
    for answer in ("🤷 Даты пока не знаю", "1", city, "Любой"):
        await guest.say(answer)
    found = await guest.say("до 99999999999")  # capped at what a night may cost at all
    assert "Найдена 1 квартира" in found.text, found.text
