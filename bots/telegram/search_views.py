"""How apartments look in Telegram: an opened card's photos (album, photo or text) and the
reply keyboards of the search, results, apartment and favourites screens. The texts
themselves are the bots' common ones (bots/cards.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InputMediaPhoto, KeyboardButton, Message, ReplyKeyboardMarkup
from aiogram.utils.keyboard import ReplyKeyboardBuilder

from bots.texts import t
from core.logging import get_logger
from models.enums import PropertyClass

log = get_logger(__name__)
CLASSES = tuple(c.value for c in PropertyClass)
ROOM_BUTTONS = ("1", "2", "3", "4+")
BUTTON_TITLE = 28


def pick_label(n: int, title: str) -> str:
    """A card's button: "🏠 3. Квартира у парка"."""
    short = title if len(title) <= BUTTON_TITLE else title[: BUTTON_TITLE - 1].rstrip() + "…"
    return f"🏠 {n}. {short}"


async def send_photos(message: Message, photos: Sequence[str], caption: str) -> None:
    """An opened apartment's photos: one album (or its one photo) captioned `caption`.
    A photo Telegram cannot fetch never costs the guest the card, which follows as text."""
    try:
        if len(photos) > 1:
            await message.answer_media_group(
                [
                    InputMediaPhoto(media=photo, caption=caption if i == 0 else None)
                    for i, photo in enumerate(photos)
                ]
            )
        elif photos:
            await message.answer_photo(photos[0], caption=caption)
    except TelegramBadRequest as exc:
        log.warning("apartment photos not sent", error=exc.message)


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
