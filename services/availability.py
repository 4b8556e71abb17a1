"""Which stays of an apartment a guest can still book: free check-in days, allowed nights.

The bots offer only what can succeed; the hold activity still has the final word (the
calendar's UNIQUE key), so a night taken in between is answered with "dates unavailable".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from core.clock import now_local, today_local
from models import CalendarNight, Property
from models.enums import CalendarBlockKind, CancellationPolicy
from models.pricing import (
    PriceRules,
    PricingRules,
    Quote,
    earliest_check_in,
    min_nights_for,
    quote_stay,
)
from services.date_ranges import RangeError, parse_stay
from services.pricing import price_rules

# How far ahead a stay may start when the caller does not say (settings: BOOKING_HORIZON_DAYS).
BOOKING_HORIZON_DAYS = 365


@dataclass(frozen=True)
class StayRefusal:
    """Why a typed stay cannot be booked: a text key of bots/texts and its values."""

    key: str
    values: dict[str, object]


@dataclass(frozen=True)
class ChosenStay:
    check_in: date
    nights: int


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
    horizon_days: int = BOOKING_HORIZON_DAYS
    pricing: PricingRules = field(default_factory=PricingRules)
    # The first day a stay may start (advance notice, same-day cut-off); default: today.
    earliest: date | None = None
    # Nights of other guests' stays and their preparation nights: a turnover may not
    # reach into them (owner and channel blocks are fine for preparing the apartment).
    guest_nights: frozenset[date] = frozenset()

    @property
    def first_check_in(self) -> date:
        return max(self.today, self.earliest or self.today)

    @property
    def label(self) -> str:
        """How ops read the apartment in the Temporal UI: «title», city."""
        return apartment_label(self.title, self.city)

    @property
    def last_check_in(self) -> date:
        return self.today + timedelta(days=self.horizon_days)

    def check_in_days(self) -> list[date]:
        """Every day from today to the horizon a stay can start on (the date buttons)."""
        span = (self.last_check_in - self.today).days + 1
        days = (self.today + timedelta(days=i) for i in range(span))
        # A day only where some stay from it fits every rule (season minimums, turnover).
        return [day for day in days if self.nights_from(day)]

    def can_check_in(self, day: date) -> bool:
        """Any day up to the horizon followed by at least min_nights free nights."""
        return self.first_check_in <= day <= self.last_check_in and all(
            day + timedelta(days=n) not in self.taken for n in range(self.min_nights)
        )

    def nights_from(self, check_in: date) -> list[int]:
        if not self.can_check_in(check_in):
            return []
        allowed = allowed_nights(check_in, self.taken, self.min_nights, self.max_nights)
        turnover = self.pricing.turnover_nights
        if turnover:  # the preparation nights after the stay must not be another guest's
            allowed = [
                n
                for n in allowed
                if not any(
                    check_in + timedelta(days=n + i) in self.guest_nights for i in range(turnover)
                )
            ]
        if not self.pricing.seasons:
            return allowed
        rules = self.rules  # a season's own minimum applies to the stays that touch it
        return [
            n for n in allowed if n >= min_nights_for(rules, check_in, check_in + timedelta(days=n))
        ]

    def typed_stay(self, text: str) -> ChosenStay | StayRefusal:
        """A stay the guest typed ("12.07–15.07", "12 июля на 3 ночи"), checked against this
        apartment's rules, horizon and taken nights; both bots ask again with the reason."""
        parsed = parse_stay(text, self.today)
        if isinstance(parsed, RangeError):
            return StayRefusal(f"bk_typed_{parsed.problem.value}", {})
        return self.check_stay(parsed.check_in, parsed.nights)

    def check_stay(self, check_in: date, nights: int) -> ChosenStay | StayRefusal:
        """A stay chosen in a calendar or typed, against the rules, horizon and taken nights."""
        if check_in < self.today:
            return StayRefusal("bk_typed_in_the_past", {})
        if check_in < self.first_check_in:
            return StayRefusal("bk_typed_notice", {"first": f"{self.first_check_in:%d.%m.%Y}"})
        if check_in > self.last_check_in:
            return StayRefusal(
                "bk_typed_beyond_horizon", {"last": f"{self.last_check_in:%d.%m.%Y}"}
            )
        if not self.min_nights <= nights <= self.max_nights:
            return StayRefusal(
                "bk_typed_nights_out_of_range", {"low": self.min_nights, "high": self.max_nights}
            )
        season_minimum = min_nights_for(self.rules, check_in, check_in + timedelta(days=nights))
        if nights < season_minimum:
            return StayRefusal("bk_typed_season_minimum", {"low": season_minimum})
        if nights not in self.nights_from(check_in):
            return StayRefusal("bk_typed_taken", {})
        return ChosenStay(check_in, nights)

    @property
    def rules(self) -> PriceRules:
        return PriceRules(
            price_per_night=self.price_per_night,
            cleaning_fee=self.cleaning_fee,
            min_nights=self.min_nights,
            max_nights=self.max_nights,
            pricing=self.pricing,
        )

    def quote(self, check_in: date, nights: int, guests: int = 1) -> Quote:
        """The same price rules the hold activity applies."""
        return quote_stay(self.rules, check_in, check_in + timedelta(days=nights), guests)


async def stay_options(
    session: AsyncSession,
    property_id: int,
    today: date,
    *,
    horizon_days: int = BOOKING_HORIZON_DAYS,
) -> StayOptions | None:
    """None for an unknown or hidden apartment."""
    prop = await session.get(Property, property_id)
    if prop is None or not prop.is_active:
        return None
    until = today + timedelta(days=horizon_days + prop.max_nights + 1)
    rows = (
        await session.execute(
            select(col(CalendarNight.night), col(CalendarNight.kind)).where(
                col(CalendarNight.property_id) == property_id,
                col(CalendarNight.night) >= today,
                col(CalendarNight.night) < until,
            )
        )
    ).all()
    pricing = price_rules(prop).pricing
    guests_kinds = (CalendarBlockKind.BOOKING, CalendarBlockKind.TURNOVER)
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
        taken=frozenset(night for night, _ in rows),
        max_guests=prop.max_guests,
        horizon_days=horizon_days,
        pricing=pricing,
        earliest=earliest_check_in(pricing, now_local()) if today == today_local() else None,
        guest_nights=frozenset(night for night, kind in rows if kind in guests_kinds),
    )
