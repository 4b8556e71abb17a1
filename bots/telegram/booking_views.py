"""The two Telegram keyboards the journey's outputs need beyond plain reply buttons: sharing
the phone (a contact button) and the Kaspi payment link (an inline URL button)."""

from __future__ import annotations

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.keyboard import ReplyKeyboardBuilder

from bots.texts import t


def share_phone(lang: str) -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    builder.row(KeyboardButton(text=t("btn_share_phone", lang), request_contact=True))
    builder.row(
        KeyboardButton(text=t("btn_back", lang)), KeyboardButton(text=t("btn_main_menu", lang))
    )
    return builder.as_markup(resize_keyboard=True)


def pay_link(url: str, label: str) -> InlineKeyboardMarkup:
    """The Kaspi payment link as one button under the held message."""
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=label, url=url)]])
