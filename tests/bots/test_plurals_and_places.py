"""Counted words follow each language's plural rules (CLDR, through Babel); places and
classes read in the guest's language; money reads "23 000 ₸" in every channel."""

from __future__ import annotations

import re
import string

import pytest

from bots import cards
from bots.texts import CATALOGUE, LANGUAGES, counted, t
from core.money import kzt
from core.plurals import PLURALS
from services.search import PropertyCard
from services.search_places import city_key, city_name, district_key, district_name


@pytest.mark.parametrize(
    ("n", "nights", "upto", "rooms", "reviews"),
    [
        (1, "1 ночь", "1 ночи", "1 комната", "1 отзыв"),
        (2, "2 ночи", "2 ночей", "2 комнаты", "2 отзыва"),
        (5, "5 ночей", "5 ночей", "5 комнат", "5 отзывов"),
        (11, "11 ночей", "11 ночей", "11 комнат", "11 отзывов"),
        (21, "21 ночь", "21 ночи", "21 комната", "21 отзыв"),
        (22, "22 ночи", "22 ночей", "22 комнаты", "22 отзыва"),
        (30, "30 ночей", "30 ночей", "30 комнат", "30 отзывов"),
        (111, "111 ночей", "111 ночей", "111 комнат", "111 отзывов"),
    ],
)
def test_russian_counts_take_the_form_their_number_asks_for(n, nights, upto, rooms, reviews):
    assert counted("nights", n, "ru") == nights
    assert counted("nights_upto", n, "ru") == upto
    assert counted("rooms", n, "ru") == rooms
    assert counted("reviews", n, "ru") == reviews


def test_english_and_kazakh_counts():
    assert [counted("nights", n, "en") for n in (1, 2, 21)] == ["1 night", "2 nights", "21 nights"]
    assert counted("guests_upto", 1, "en") == "1 guest"
    assert [counted("nights", n, "kk") for n in (1, 5)] == ["1 түн", "5 түн"]  # no plural here
    assert counted("rooms", "4+", "ru") == "4+ комнаты"


def test_the_texts_the_issue_quoted_now_read_right():
    assert t("bk_nights_out_of_range", "ru", low=1, high=30).startswith(
        "С этой даты можно забронировать от 1 до 30 ночей."
    )
    assert "до 21 ночи" in t("bk_nights_out_of_range", "ru", low=1, high=21)
    assert t("search_rooms_value", "en", rooms=1) == "1 room"
    assert t("search_rooms_value", "ru", rooms=5) == "5 комнат"
    assert "(1 night)" in t("mb_details", "en", **_booking_values(nights=1))
    assert "(3 ночи)" in t("mb_details", "ru", **_booking_values(nights=3))
    head = t("search_found", "ru", total=21, filters="", page=1, pages=3)
    assert head.startswith("🔎 Найдена 21 квартира")
    assert t("search_found", "ru", total=5, filters="", page=1, pages=1).startswith(
        "🔎 Найдено 5 квартир"
    )
    assert t("search_found", "en", total=1, filters="", page=1, pages=1).startswith(
        "🔎 1 apartment found"
    )


def _booking_values(nights: int) -> dict[str, object]:
    names = "booking_id title city address check_in check_out total method status policy"
    return dict.fromkeys(names.split(), "x") | {"nights": nights}


def _specs(text: str) -> set[str]:
    return {spec for _, name, spec, _ in string.Formatter().parse(text) if name and spec}


def test_every_counted_word_a_text_asks_for_exists_in_every_language():
    asked = {
        spec for texts in CATALOGUE.values() for text in texts.values() for spec in _specs(text)
    }
    counted_words = {spec for spec in asked if re.fullmatch(r"[a-z_]+", spec)}
    assert counted_words <= set(PLURALS), counted_words - set(PLURALS)
    for word, forms in PLURALS.items():
        assert set(forms) == set(LANGUAGES), word
        assert all("other" in forms[lang] for lang in LANGUAGES), word
        assert {"one", "few", "many"} <= set(forms["ru"]), word


def test_no_text_abbreviates_a_count_instead_of_declining_it():
    # "от 1 до 30 ноч.", "2 комн.", "до 4 чел.", "night(s)": the hand-made forms of before.
    abbreviated = re.compile(r"\} (ноч\.|комн\.|чел\.)|\(s\)")
    offenders = [
        key
        for key, texts in CATALOGUE.items()
        if any(abbreviated.search(text) for text in texts.values())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "name", ["Almaty", "almaty", "Алматы", "Алматы қ.", "г. Алматы", "Алматы қаласы", "Алма-Ата"]
)
def test_every_way_of_writing_almaty_is_almaty(name):
    assert city_key(name) == "Almaty"


def test_places_read_in_the_guest_language():
    assert [city_name("Almaty", lang) for lang in LANGUAGES] == ["Алматы", "Алматы", "Almaty"]
    assert city_key("Нур-Султан") == city_key("Нұр-Сұлтан") == "Astana"
    assert city_name("Новый-Город", "en") == "Новый-Город"  # not in the table: as stored
    assert [district_name("Медеуский", lang) for lang in LANGUAGES] == [
        "Медеуский",
        "Медеу ауданы",
        "Medeu",
    ]
    assert district_name("Medeu", "ru") == "Медеуский"  # stored in Latin, read in Russian
    assert district_key("Медеу ауданы") == "Медеуский"


def _card(**fields: object) -> PropertyCard:
    base: dict[str, object] = {
        "id": 1,
        "title": "Лофт",
        "city": "Almaty",
        "district": "Медеуский",
        "property_class": "comfort",
        "rooms": 1,
        "area_m2": None,
        "address": "",
        "description": "",
        "max_guests": 1,
        "price_per_night": 23_000,
        "cleaning_fee": 4_000,
        "min_nights": 1,
        "max_nights": 21,
        "check_in_time": "14:00",
        "check_out_time": "12:00",
        "cancellation_policy": "flexible",
        "status": "active",
        "rating": 4.0,
        "reviews": 1,
        "photos": [],
    }
    return PropertyCard(**(base | fields))  # type: ignore[arg-type]


def test_a_card_has_no_latin_city_raw_class_or_hand_made_plural():
    ru = cards.detail_text(_card(), "ru")
    assert "📍 Алматы, Медеуский" in ru and "Almaty" not in ru
    assert "🏷 Комфорт · 🚪 1 комната · 👥 до 1 гостя" in ru and "comfort" not in ru
    assert "🌙 от 1 до 21 ночи" in ru and "★ 4.0 · 1 отзыв" in ru
    en = cards.detail_text(_card(rooms=3, max_guests=6, reviews=3), "en")
    assert "📍 Almaty, Medeu" in en and "🏷 Comfort · 🚪 3 rooms · 👥 up to 6 guests" in en
    line = cards.list_line(_card(), 1, "kk")
    assert "📍 Алматы, Медеу ауданы · 💰 түніне 23 000 ₸" in line


def test_money_reads_the_same_everywhere():
    assert kzt(23_000) == "23 000 ₸"
    assert kzt(1_250_000) == "1 250 000 ₸"
    assert kzt(900) == "900 ₸"
