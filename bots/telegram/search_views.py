"""How an apartment looks in Telegram: its photos (album, photo or none) and the keyboard of
the card a `/start prop_<id>` link opens. The texts are the bots' common ones
(bots/cards.py)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InputMediaPhoto, KeyboardButton, Message, ReplyKeyboardMarkup
from aiogram.utils.keyboard import ReplyKeyboardBuilder

from bots.texts import t
from core.logging import get_logger

log = get_logger(__name__)


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


def _row(builder: ReplyKeyboardBuilder, *texts: str) -> None:
    builder.row(*(KeyboardButton(text=text) for text in texts))


def apartment(lang: str, *, back_to_results: bool) -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    _row(builder, t("search_btn_book", lang), t("search_btn_add_favourite", lang))
    back = t("search_btn_to_results", lang) if back_to_results else t("btn_search", lang)
    _row(builder, back, t("btn_main_menu", lang))
    return builder.as_markup(resize_keyboard=True)
