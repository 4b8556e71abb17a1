"""An apartment's nights over a range: free or taken, and each night's price.

Read from the calendar table, where every taken night is one row (a booking, paid or still
pending, an owner block or an imported iCal block): any row makes the night unavailable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import CalendarNight, Property
from models.pricing import night_price
from services.pricing import price_rules

# A year and a leap day: one request covers any twelve months.
MAX_CALENDAR_DAYS = 366


class CalendarRangeError(ValueError):
    """A range that can never be answered; the message says why (user-facing)."""


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    available: bool
    price: int


@dataclass(frozen=True)
class PropertyCalendar:
    property_id: int
    min_nights: int
    max_nights: int
    nights: list[CalendarDay]


def check_range(start: dt.date, end: dt.date) -> None:
    """`end` is exclusive (the last morning), at most MAX_CALENDAR_DAYS after `start`."""
    if end < start:
        raise CalendarRangeError("end must not be before start")
    if (end - start).days > MAX_CALENDAR_DAYS:
        raise CalendarRangeError(f"at most {MAX_CALENDAR_DAYS} days per request")


def latest_end(today: dt.date, horizon_days: int, max_nights: int) -> dt.date:
    """The last check-out a booking can have: the latest check-in plus the longest stay."""
    return today + dt.timedelta(days=horizon_days + max_nights)


async def property_calendar(
    session: AsyncSession,
    property_id: int,
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date,
    horizon_days: int,
) -> PropertyCalendar | None:
    """None for an unknown or hidden apartment; CalendarRangeError for a range out of bounds.

    `today` is the local (Asia/Almaty) date; `horizon_days` how far ahead a check-in may be.
    """
    check_range(start, end)
    prop = await session.get(Property, property_id)
    if prop is None or not prop.is_active:
        return None
    last = latest_end(today, horizon_days, prop.max_nights)
    if end > last:
        raise CalendarRangeError(
            f"end may be at most {last.isoformat()}: check-ins open {horizon_days} days ahead"
            f" and a stay here lasts at most {prop.max_nights} nights"
        )
    taken = set(
        (
            await session.scalars(
                select(col(CalendarNight.night)).where(
                    col(CalendarNight.property_id) == property_id,
                    col(CalendarNight.night) >= start,
                    col(CalendarNight.night) < end,
                )
            )
        ).all()
    )
    rules = price_rules(prop)
    days = (start + dt.timedelta(days=i) for i in range((end - start).days))
    return PropertyCalendar(
        property_id=property_id,
        min_nights=prop.min_nights,
        max_nights=prop.max_nights,
        nights=[
            CalendarDay(
                date=day,
                available=day >= today and day not in taken,
                price=night_price(rules, day),
            )
            for day in days
        ],
    )
