"""Keyboards and texts of the owner's booking actions (confirm an invoice, cancel a stay)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from aiogram.types import ReplyKeyboardMarkup

from bots.telegram.keyboards import with_nav
from bots.texts import t
from core.clock import LOCAL_TZ
from core.money import kzt
from services.booking_ids import is_booking_id
from services.owner_actions import OwnerBooking

# "🧾 7K3M9QXH2A · 12.12": the booking id is what counts; typing the bare id works too.
BOOKING_ID = re.compile(r"\b([0-9A-Z]{10})\b")
REASON_BUTTONS = ("btn_oa_reason_owner_unavailable", "btn_oa_reason_other")


def _short(title: str, limit: int = 40) -> str:
    """Twenty lines must fit in one Telegram message (4096 characters)."""
    return title if len(title) <= limit else title[: limit - 1] + "…"


def booking_id_in(text: str | None) -> str | None:
    found = BOOKING_ID.search(text or "")
    return found.group(1) if found and is_booking_id(found.group(1)) else None


def booking_button(item: OwnerBooking) -> str:
    return f"🧾 {item.booking_id} · {item.check_in:%d.%m}"


def menu(lang: str) -> ReplyKeyboardMarkup:
    return with_nav([t("btn_oa_pending", lang), t("btn_oa_upcoming", lang)], lang, width=1)


def booking_list(items: Sequence[OwnerBooking], lang: str) -> ReplyKeyboardMarkup:
    return with_nav([booking_button(item) for item in items], lang, width=1)


def card_actions(item: OwnerBooking, now: datetime, lang: str) -> ReplyKeyboardMarkup:
    buttons = []
    if item.awaits_invoice_payment:
        buttons.append(t("btn_oa_confirm", lang))
    if item.cancellable(now):
        buttons.append(t("btn_oa_cancel", lang))
    return with_nav(buttons, lang, width=1)


def reasons(lang: str) -> ReplyKeyboardMarkup:
    return with_nav([t(key, lang) for key in REASON_BUTTONS], lang, width=1)


def confirm_cancel(lang: str) -> ReplyKeyboardMarkup:
    return with_nav([t("btn_oa_cancel_yes", lang)], lang, width=1)


def back_only(lang: str) -> ReplyKeyboardMarkup:
    return with_nav([], lang)


def status_name(status: str, lang: str) -> str:
    return t(f"oa_status_{status}", lang)


def list_text(title_key: str, items: Sequence[OwnerBooking], lang: str) -> str:
    lines = [t(title_key, lang, count=len(items))]
    lines += [
        t(
            "oa_list_line",
            lang,
            booking_id=item.booking_id,
            title=_short(item.property_title),
            check_in=f"{item.check_in:%d.%m}",
            check_out=f"{item.check_out:%d.%m}",
            total=kzt(item.total),
            status=status_name(item.status, lang),
        )
        for item in items
    ]
    return "\n".join(lines)


def card_text(item: OwnerBooking, now: datetime, lang: str) -> str:
    text = t(
        "oa_card",
        lang,
        booking_id=item.booking_id,
        title=item.property_title,
        check_in=f"{item.check_in:%d.%m.%Y}",
        check_out=f"{item.check_out:%d.%m.%Y}",
        nights=item.nights,
        guest=item.guest_name,
        phone=item.guest_phone,
        total=kzt(item.total),
        method=t(f"oa_method_{item.payment_method}", lang),
        status=status_name(item.status, lang),
    )
    if item.awaits_invoice_payment and item.expires_at is not None:
        expires = item.expires_at.astimezone(LOCAL_TZ)
        text += "\n" + t("oa_card_expires", lang, expires=f"{expires:%d.%m %H:%M}")
    if not item.awaits_invoice_payment and not item.cancellable(now):
        text += "\n\n" + t("oa_card_no_actions", lang)
    return text


def confirm_cancel_text(item: OwnerBooking, reason: str, refund: int, lang: str) -> str:
    return t(
        "oa_confirm_cancel",
        lang,
        booking_id=item.booking_id,
        title=item.property_title,
        check_in=f"{item.check_in:%d.%m.%Y}",
        check_out=f"{item.check_out:%d.%m.%Y}",
        reason=reason,
        refund=kzt(refund),
    )
