"""The check-in buttons: month → week → day, over every day an apartment can be booked
from (StayOptions.check_in_days, up to the booking horizon). Pure functions of those days."""

from __future__ import annotations

from datetime import date, timedelta

from bots.texts import t

MONTHS_PER_PAGE = 7  # with paging, ⭐ and back: ≤10 WhatsApp list rows


def months(days: list[date]) -> list[date]:
    """The first of each month that has a free check-in day."""
    return list(dict.fromkeys(day.replace(day=1) for day in days))


def weeks(days: list[date], month: date) -> list[date]:
    """The Mondays of the weeks of `month` that have a free check-in day in that month."""
    return list(
        dict.fromkeys(
            day - timedelta(days=day.weekday())
            for day in days
            if (day.year, day.month) == (month.year, month.month)
        )
    )


def days_of_week(days: list[date], monday: date, month: date) -> list[date]:
    return [
        day
        for day in days
        if monday <= day < monday + timedelta(days=7) and day.month == month.month
    ]


def month_label(month: date, lang: str) -> str:
    """ "Июль 2027"."""
    name = t("bk_month_names", lang).split(",")[month.month - 1]
    return f"{name} {month.year}"


def week_label(monday: date, month: date, lang: str) -> str:
    """The week's days inside the month: "12.07 – 18.07" (or the one day, "01.08")."""
    first = max(monday, month)
    next_month = (month + timedelta(days=32)).replace(day=1)
    last = min(monday + timedelta(days=6), next_month - timedelta(days=1))
    if first == last:  # a month that ends (or starts) on this week's edge
        return f"{first:%d.%m}"
    return f"{first:%d.%m} – {last:%d.%m}"


def day_label(day: date, lang: str) -> str:
    """A check-in button: "пт 14.06"."""
    weekday = t("bk_weekdays", lang).split(",")[day.weekday()]
    return f"{weekday} {day.strftime('%d.%m')}"
