"""Reply keyboards of the owner screens."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from aiogram.types import ReplyKeyboardMarkup

from bots.telegram.keyboards import with_nav
from bots.telegram.owner_input import day_label
from bots.texts import t
from services.owner import OwnedProperty

# "🏠 #12 · Квартира у моря": the id is what counts, the title only helps the eye.
PROPERTY_BUTTON = re.compile(r"^🏠 #(\d+)\b")
CARD_ACTIONS = (
    "btn_owner_bookings",
    "btn_owner_reviews",
    "btn_owner_price",
    "btn_owner_rules",
    "btn_owner_description",
    "btn_owner_photos",
    "btn_owner_codes",
    "btn_owner_block",
    "btn_owner_unblock",
)
NIGHT_COUNTS = tuple(str(n) for n in range(1, 15))


def property_button(item: OwnedProperty) -> str:
    title = item.title if len(item.title) <= 28 else item.title[:27] + "…"
    return f"🏠 #{item.id} · {title}"


def property_list(
    items: Sequence[OwnedProperty], lang: str, *, has_prev: bool, has_next: bool
) -> ReplyKeyboardMarkup:
    buttons = [property_button(item) for item in items]
    if has_prev:
        buttons.append(t("btn_owner_prev_page", lang))
    if has_next:
        buttons.append(t("btn_owner_next_page", lang))
    return with_nav(buttons, lang, width=1)


def card_actions(lang: str) -> ReplyKeyboardMarkup:
    return with_nav([t(key, lang) for key in CARD_ACTIONS], lang)


def back_only(lang: str) -> ReplyKeyboardMarkup:
    return with_nav([], lang)


def photo_upload(lang: str) -> ReplyKeyboardMarkup:
    return with_nav([t("btn_owner_done", lang)], lang)


def code_kinds(lang: str) -> ReplyKeyboardMarkup:
    return with_nav(
        [t("btn_owner_code_key_safe", lang), t("btn_owner_code_smart_lock", lang)], lang
    )


def days(choices: Sequence[date], lang: str) -> ReplyKeyboardMarkup:
    return with_nav([day_label(day, lang) for day in choices], lang, width=4)


def night_counts(lang: str) -> ReplyKeyboardMarkup:
    return with_nav(NIGHT_COUNTS, lang, width=7)
