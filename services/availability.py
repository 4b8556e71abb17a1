"""Which stays of an apartment a guest can still book: free check-in days, allowed nights.

The bots offer only what can succeed; the hold activity still has the final word (the
calendar's UNIQUE key), so a night taken in between is answered with "dates unavailable".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import CalendarNight, Property
from models.enums import CancellationPolicy
from models.pricing import PriceRules, Quote, quote_stay

# A guest picks a check-in day among the next 30 days (today included).
BOOKING_WINDOW_DAYS = 30


def free_check_in_days(
    today: date, taken: frozenset[date], min_nights: int, *, days: int = BOOKING_WINDOW_DAYS
) -> list[date]:
    """Days in the window followed by at least `min_nights` free nights."""
    return [
        day
        for day in (today + timedelta(days=i) for i in range(days))
        if all(day + timedelta(days=n) not in taken for n in range(min_nights))
    ]


def allowed_nights(
    check_in: date, taken: frozenset[date], min_nights: int, max_nights: int
) -> list[int]:
    """Stay lengths from `check_in` within min..max nights that never cross a taken night."""
    allowed = []
    for nights in range(1, max_nights + 1):
        if check_in + timedelta(days=nights - 1) in taken:
            break
        if nights >= min_nights:
            allowed.append(nights)
    return allowed


def apartment_label(title: str, city: str) -> str:
    return f"«{title}», {city}" if city else f"«{title}»"


@dataclass(frozen=True)
class StayOptions:
    """An apartment's booking rules and its taken nights, as seen from `today`."""

    property_id: int
    title: str
    price_per_night: int
    cleaning_fee: int
    min_nights: int
    max_nights: int
    cancellation_policy: CancellationPolicy
    today: date
    taken: frozenset[date]
    max_guests: int = 1
    city: str = ""

    @property
    def label(self) -> str:
        """How ops read the apartment in the Temporal UI: «title», city."""
        return apartment_label(self.title, self.city)

    def check_in_days(self) -> list[date]:
        return free_check_in_days(self.today, self.taken, self.min_nights)

    def nights_from(self, check_in: date) -> list[int]:
        if check_in not in self.check_in_days():
            return []
        return allowed_nights(check_in, self.taken, self.min_nights, self.max_nights)

    def quote(self, check_in: date, nights: int) -> Quote:
        """The same price rules the hold activity applies."""
        rules = PriceRules(
            price_per_night=self.price_per_night,
            cleaning_fee=self.cleaning_fee,
            min_nights=self.min_nights,
            max_nights=self.max_nights,
        )
        return quote_stay(rules, check_in, check_in + timedelta(days=nights))


async def stay_options(session: AsyncSession, property_id: int, today: date) -> StayOptions | None:
    """None for an unknown or hidden apartment."""
    prop = await session.get(Property, property_id)
    if prop is None or not prop.is_active:
        return None
    until = today + timedelta(days=BOOKING_WINDOW_DAYS + prop.max_nights)
    nights = await session.scalars(
        select(col(CalendarNight.night)).where(
            col(CalendarNight.property_id) == property_id,
            col(CalendarNight.night) >= today,
            col(CalendarNight.night) < until,
        )
    )
    return StayOptions(
        property_id=property_id,
        title=prop.title,
        city=prop.city,
        price_per_night=prop.price_per_night,
        cleaning_fee=prop.cleaning_fee,
        min_nights=prop.min_nights,
        max_nights=prop.max_nights,
        cancellation_policy=CancellationPolicy(prop.cancellation_policy),
        today=today,
        taken=frozenset(nights.all()),
        max_guests=prop.max_guests,
    )
