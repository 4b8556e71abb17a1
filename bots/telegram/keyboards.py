"""Reply keyboards (the journal's UI has no inline buttons), built by small functions."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import F
from aiogram.types import KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.keyboard import ReplyKeyboardBuilder

from bots.texts import t, variants
from models import User
from models.enums import Role

OWNER_ROLES = {Role.ADMIN.value, Role.SUPER_ADMIN.value, Role.SUPER_USER.value}

# Main-menu buttons always reach their own screens, whatever step a conversation is in:
# step handlers filter with NOT_MENU so these fall through to their routers.
MENU_BUTTONS = frozenset().union(
    *(
        variants(key)
        for key in (
            "btn_search",
            "btn_bookings",
            "btn_favourites",
            "btn_my_properties",
            "btn_oa_bookings",
            "btn_statistics",
            "btn_language",
            "btn_help",
            "btn_main_menu",
        )
    )
)
NOT_MENU = ~F.text.in_(MENU_BUTTONS)


def is_owner(user: User | None) -> bool:
    return user is not None and user.role in OWNER_ROLES


def rows(buttons: Sequence[str], *, width: int = 2) -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    for text in buttons:
        builder.add(KeyboardButton(text=text))
    builder.adjust(width)
    return builder.as_markup(resize_keyboard=True)


def with_nav(buttons: Sequence[str], lang: str, *, width: int = 2) -> ReplyKeyboardMarkup:
    """Choices, then "back" and "main menu" on their own row."""
    builder = ReplyKeyboardBuilder()
    for text in buttons:
        builder.add(KeyboardButton(text=text))
    builder.adjust(width)
    builder.row(
        KeyboardButton(text=t("btn_back", lang)), KeyboardButton(text=t("btn_main_menu", lang))
    )
    return builder.as_markup(resize_keyboard=True)


def main_menu(user: User | None, lang: str) -> ReplyKeyboardMarkup:
    buttons = [t("btn_search", lang), t("btn_bookings", lang), t("btn_favourites", lang)]
    if is_owner(user):
        buttons += [t("btn_my_properties", lang), t("btn_oa_bookings", lang)]
        buttons += [t("btn_statistics", lang)]
    buttons += [t("btn_language", lang), t("btn_help", lang)]
    return rows(buttons)


def languages() -> ReplyKeyboardMarkup:
    return rows(["🇷🇺 Русский", "🇰🇿 Қазақша", "🇬🇧 English"], width=3)


LANGUAGE_BUTTONS = {"🇷🇺 Русский": "ru", "🇰🇿 Қазақша": "kk", "🇬🇧 English": "en"}
