"""Parsing what owners type: prices in whole tenge, dates as DD.MM, counts of nights."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bots.texts import t

_PRICE = re.compile(r"^-?\d+$")
_DAY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?\b")
_CURRENCY = ("₸", "тг", "тенге", "kzt")
HORIZON = timedelta(days=365)


def parse_price(text: str | None) -> int | None:
    """'25000', '25 000', '25000 ₸' → 25000; '-5' → -5 (refused later); 'abc', '1.5' → None."""
    cleaned = (text or "").strip().lower()
    for unit in _CURRENCY:
        cleaned = cleaned.removesuffix(unit).strip()
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", cleaned)
    if not _PRICE.match(cleaned) or len(cleaned) > 12:
        return None
    return int(cleaned)


def parse_day(text: str | None, today: date) -> date | None:
    """'15.07' (the next 15 July from today), '15.07.2026'; None outside today..+1 year."""
    match = _DAY.match(text or "")
    if match is None:
        return None
    day, month, year = int(match[1]), int(match[2]), match[3]
    try:
        if year:
            found = date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        else:
            found = date(today.year, month, day)
            if found < today:
                found = date(today.year + 1, month, day)
    except ValueError:
        return None
    return found if today <= found < today + HORIZON else None


def parse_count(text: str | None, maximum: int) -> int | None:
    cleaned = (text or "").strip()
    if not cleaned.isdigit() or len(cleaned) > 4:
        return None
    count = int(cleaned)
    return count if 1 <= count <= maximum else None


def day_label(day: date, lang: str) -> str:
    """'15.07 Пн': what a date button says (parse_day reads it back)."""
    return f"{day:%d.%m} {t('owner_weekdays', lang).split()[day.weekday()]}"


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


def nights_text(nights: list[date]) -> str:
    """Consecutive nights as ranges: '15.07–17.07, 20.07'."""
    parts: list[str] = []
    start = prev = None
    for night in sorted(nights):
        if start is None or prev is None or night != prev + timedelta(days=1):
            if start is not None and prev is not None:
                parts.append(_span(start, prev))
            start = night
        prev = night
    if start is not None and prev is not None:
        parts.append(_span(start, prev))
    return ", ".join(parts)


def _span(first: date, last: date) -> str:
    return f"{first:%d.%m}" if first == last else f"{first:%d.%m}–{last:%d.%m}"
