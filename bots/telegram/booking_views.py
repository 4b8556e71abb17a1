"""How bookings look in Telegram: money, days, durations and the keyboards of the booking,
my-bookings and review screens (reply keyboards, built by small functions)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date, timedelta

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.keyboard import ReplyKeyboardBuilder

from bots.telegram.keyboards import rows, with_nav
from bots.texts import t
from core.notification_catalogue import RATING_BUTTONS

_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})")
_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
MAX_GUEST_BUTTONS = 8
BOOKING_ID = re.compile(r"\b([0-9A-HJKMNP-TV-Z]{10})\b")


def full_day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def day_label(day: date, lang: str) -> str:
    """A check-in button: "пт 14.06"."""
    weekday = t("bk_weekdays", lang).split(",")[day.weekday()]
    return f"{weekday} {day.strftime('%d.%m')}"


def pick_day(text: str | None, offered: Sequence[date]) -> date | None:
    """The offered day a pressed button (or a typed "14.06") stands for."""
    found = _DAY.search(text or "")
    if found is None:
        return None
    day, month = int(found.group(1)), int(found.group(2))
    return next((d for d in offered if (d.day, d.month) == (day, month)), None)


def number_in(text: str | None) -> int | None:
    found = _NUMBER.match(text or "")
    return int(found.group(1)) if found else None


def duration(left: timedelta, lang: str) -> str:
    minutes = max(0, math.ceil(left.total_seconds() / 60))  # 29:58 left reads as 30 min
    hours, minutes = divmod(minutes, 60)
    if hours:
        return t("bk_hours_minutes", lang, h=hours, m=minutes)
    return t("bk_minutes", lang, m=minutes)


def policy_line(policy: str, lang: str) -> str:
    return t(f"policy_{policy}", lang)


# --- keyboards ---------------------------------------------------------------------------


def check_in_days(days: Sequence[date], lang: str) -> ReplyKeyboardMarkup:
    return with_nav([day_label(d, lang) for d in days], lang, width=4)


def nights(choices: Sequence[int], lang: str) -> ReplyKeyboardMarkup:
    return with_nav([str(n) for n in choices], lang, width=6)


def guests(max_guests: int, lang: str) -> ReplyKeyboardMarkup:
    """1..max_guests; a bigger number than the buttons show can still be typed."""
    return with_nav(
        [str(n) for n in range(1, min(max_guests, MAX_GUEST_BUTTONS) + 1)], lang, width=4
    )


def share_phone(lang: str) -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    builder.row(KeyboardButton(text=t("btn_share_phone", lang), request_contact=True))
    builder.row(
        KeyboardButton(text=t("btn_back", lang)), KeyboardButton(text=t("btn_main_menu", lang))
    )
    return builder.as_markup(resize_keyboard=True)


def payment_methods(lang: str) -> ReplyKeyboardMarkup:
    methods = [
        t("btn_pay_kaspi", lang),
        t("btn_pay_kaspi_invoice", lang),
        t("btn_pay_invoice", lang),
    ]
    return with_nav(methods, lang, width=1)


def pay_link(url: str, label: str) -> InlineKeyboardMarkup:
    """The Kaspi payment link as one button under the held message."""
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=label, url=url)]])


def booking_list(booking_ids: Sequence[str], lang: str) -> ReplyKeyboardMarkup:
    buttons = [f"📄 {booking_id}" for booking_id in booking_ids]
    return rows([*buttons, t("btn_main_menu", lang)], width=2)


def booking_actions(lang: str, *, cancel: bool, review: bool) -> ReplyKeyboardMarkup:
    buttons = []
    if cancel:
        buttons.append(t("btn_cancel_booking", lang))
    if review:
        buttons.append(t("btn_leave_review", lang))
    return with_nav(buttons, lang, width=1)


def cancel_reasons(lang: str) -> ReplyKeyboardMarkup:
    keys = ("btn_reason_plans", "btn_reason_found", "btn_reason_price", "btn_reason_other")
    return with_nav([t(key, lang) for key in keys], lang, width=2)


def back_only(lang: str) -> ReplyKeyboardMarkup:
    return with_nav([], lang)


def confirm_cancel(lang: str) -> ReplyKeyboardMarkup:
    return rows([t("btn_confirm_cancel", lang), t("btn_keep_booking", lang)], width=2)


def ratings(lang: str) -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    builder.row(*(KeyboardButton(text=label) for label in RATING_BUTTONS))
    builder.row(KeyboardButton(text=t("btn_main_menu", lang)))
    return builder.as_markup(resize_keyboard=True)


def review_text(lang: str) -> ReplyKeyboardMarkup:
    return rows([t("btn_skip", lang), t("btn_main_menu", lang)], width=2)


def review_photos(lang: str) -> ReplyKeyboardMarkup:
    return rows([t("btn_done", lang), t("btn_main_menu", lang)], width=2)
