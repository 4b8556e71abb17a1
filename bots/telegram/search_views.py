"""How apartments look in Telegram: filter labels, cards (album, photo or text) and the
reply keyboards of the search, results, apartment and favourites screens."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InputMediaPhoto, KeyboardButton, Message, ReplyKeyboardMarkup
from aiogram.utils.keyboard import ReplyKeyboardBuilder

from bots.texts import CATALOGUE, t
from core.logging import get_logger
from core.money import kzt as money
from models.enums import PropertyClass
from services.search import PropertyCard

log = get_logger(__name__)
CLASSES = tuple(c.value for c in PropertyClass)
ROOM_BUTTONS = ("1", "2", "3", "4+")
BUTTON_TITLE = 28
DESCRIPTION_LIMIT = 1500


def city_label(city: str, lang: str) -> str:
    key = f"search_city_{city}"
    return t(key, lang) if key in CATALOGUE else city


def city_names(city: str) -> set[str]:
    """Every way a guest may write the city (its labels in each language, its name)."""
    key = f"search_city_{city}"
    names = set(CATALOGUE[key].values()) if key in CATALOGUE else set()
    return {n.casefold() for n in names | {city}}


def class_label(value: str, lang: str) -> str:
    return t(f"search_class_{value}", lang)


def filters_summary(filters: Mapping[str, Any], lang: str) -> str:
    """ "Алматы · Медеуский · Комфорт · 2 комн."."""
    return " · ".join(filter_labels(filters, lang))


def filter_labels(filters: Mapping[str, Any], lang: str) -> list[str]:
    """City, district, class, rooms as the guest reads them ("any …" where not chosen)."""
    city = filters.get("city")
    district = filters.get("district")
    klass = filters.get("property_class")
    if filters.get("min_rooms"):
        rooms = t("search_rooms_value", lang, rooms=f"{filters['min_rooms']}+")
    elif filters.get("rooms"):
        rooms = t("search_rooms_value", lang, rooms=filters["rooms"])
    else:
        rooms = t("search_any_rooms", lang)
    return [
        city_label(city, lang) if city else t("search_any_city", lang),
        district or t("search_any_district", lang),
        class_label(klass, lang) if klass else t("search_any_class", lang),
        rooms,
    ]


def rating_line(card: PropertyCard, lang: str) -> str:
    if card.rating is None or card.reviews == 0:
        return t("search_no_rating", lang)
    return t("search_rating", lang, avg=f"{card.rating:.1f}", count=card.reviews)


def _place(card: PropertyCard, lang: str) -> str:
    return f"{city_label(card.city, lang)}, {card.district}"


def card_text(card: PropertyCard, n: int, lang: str) -> str:
    return t(
        "search_card",
        lang,
        n=n,
        title=card.title,
        place=_place(card, lang),
        klass=class_label(card.property_class, lang),
        rooms=card.rooms,
        price=money(card.price_per_night),
        rating=rating_line(card, lang),
    )


def detail_text(card: PropertyCard, lang: str) -> str:
    text = t(
        "search_detail",
        lang,
        title=card.title,
        place=_place(card, lang) + (f" · {card.address}" if card.address else ""),
        klass=class_label(card.property_class, lang),
        rooms=card.rooms,
        area=t("search_area", lang, area=f"{card.area_m2:g}") if card.area_m2 else "",
        guests=card.max_guests,
        price=money(card.price_per_night),
        cleaning=money(card.cleaning_fee),
        min_nights=card.min_nights,
        max_nights=card.max_nights,
        check_in=card.check_in_time,
        check_out=card.check_out_time,
        policy=t(f"search_policy_{card.cancellation_policy}", lang),
        rating=rating_line(card, lang),
    )
    description = card.description.strip()
    if len(description) > DESCRIPTION_LIMIT:
        description = description[:DESCRIPTION_LIMIT].rstrip() + "…"
    return f"{text}\n\n{description}" if description else text


def pick_label(n: int, title: str) -> str:
    """A card's button: "🏠 3. Квартира у парка"."""
    short = title if len(title) <= BUTTON_TITLE else title[: BUTTON_TITLE - 1].rstrip() + "…"
    return f"🏠 {n}. {short}"


async def send_card(message: Message, text: str, photos: Sequence[str]) -> None:
    """The card as the caption of its album (or of its one photo), else as plain text.
    A photo Telegram cannot fetch never costs the guest the card: it comes as text."""
    try:
        if len(photos) > 1:
            await message.answer_media_group(
                [
                    InputMediaPhoto(media=photo, caption=text if i == 0 else None)
                    for i, photo in enumerate(photos)
                ]
            )
            return
        if photos:
            await message.answer_photo(photos[0], caption=text)
            return
    except TelegramBadRequest as exc:
        log.warning("apartment photos not sent", error=exc.message)
    await message.answer(text)


# --- keyboards ---------------------------------------------------------------------------


def _builder(buttons: Iterable[str], width: int) -> ReplyKeyboardBuilder:
    builder = ReplyKeyboardBuilder()
    for text in buttons:
        builder.add(KeyboardButton(text=text))
    builder.adjust(width)
    return builder


def _row(builder: ReplyKeyboardBuilder, *texts: str) -> None:
    builder.row(*(KeyboardButton(text=text) for text in texts))


def step_choices(options: Sequence[str], lang: str, *, width: int = 2) -> ReplyKeyboardMarkup:
    """A search step: its options, "any", then "back" and "main menu"."""
    builder = _builder(options, width)
    _row(builder, t("search_btn_any", lang))
    _row(builder, t("btn_back", lang), t("btn_main_menu", lang))
    return builder.as_markup(resize_keyboard=True)


def results(
    picks: Sequence[str], lang: str, *, has_prev: bool, has_next: bool
) -> ReplyKeyboardMarkup:
    builder = _builder(picks, 1)
    paging = [t("btn_back", lang)] if has_prev else []
    paging += [t("search_btn_next", lang)] if has_next else []
    if paging:
        _row(builder, *paging)
    _row(builder, t("search_btn_city", lang), t("search_btn_district", lang))
    _row(builder, t("search_btn_class", lang), t("search_btn_rooms", lang))
    _row(builder, t("search_btn_new", lang), t("btn_main_menu", lang))
    return builder.as_markup(resize_keyboard=True)


def empty_result(lang: str) -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    _row(builder, t("search_btn_new", lang), t("btn_main_menu", lang))
    return builder.as_markup(resize_keyboard=True)


def apartment(lang: str, *, back_to_results: bool) -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    _row(builder, t("search_btn_book", lang), t("search_btn_add_favourite", lang))
    back = t("search_btn_to_results", lang) if back_to_results else t("btn_search", lang)
    _row(builder, back, t("btn_main_menu", lang))
    return builder.as_markup(resize_keyboard=True)


def favourites(pairs: Sequence[tuple[str, str]], lang: str) -> ReplyKeyboardMarkup:
    """Each favourite: open it, or remove it; then a new search and the main menu."""
    builder = ReplyKeyboardBuilder()
    for open_label, remove_label in pairs:
        _row(builder, open_label, remove_label)
    _row(builder, t("btn_search", lang), t("btn_main_menu", lang))
    return builder.as_markup(resize_keyboard=True)


def favourite_apartment(lang: str) -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    _row(builder, t("search_btn_book", lang), t("fav_btn_remove_this", lang))
    _row(builder, t("fav_btn_back_to_list", lang), t("btn_main_menu", lang))
    return builder.as_markup(resize_keyboard=True)
