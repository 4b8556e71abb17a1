"""Price of a stay: one pure function (`quote_stay`) used by the search cards, both bots,
the API, the hold activity and the calendar; and the owner's price rules as stored on the
apartment (`PricingRules`, a JSON column validated by pydantic).

A night costs, in this order of precedence: its single-date price (a holiday), else the
season it falls in, else the weekend price on a weekend night, else the base price. Then the
biggest length-of-stay discount that applies, an extra-guest fee per night above the
included guests, and the cleaning fee.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import pairwise

from pydantic import BaseModel, ConfigDict, Field, model_validator

FRIDAY, SATURDAY = 4, 5
MAX_PRICE = 10_000_000
MAX_SEASONS, MAX_DATES, MAX_DISCOUNTS = 24, 60, 10


class StayRuleError(ValueError):
    """The requested stay breaks a rule of the apartment; the message is user-facing."""


class Season(BaseModel):
    """Nights from `start` to `end` (both included) at `price`; optionally a longer minimum."""

    model_config = ConfigDict(frozen=True)
    start: date
    end: date
    price: int = Field(gt=0, le=MAX_PRICE)
    min_nights: int | None = Field(default=None, ge=1, le=365)
    name: str = Field(default="", max_length=60)

    @model_validator(mode="after")
    def _ordered(self) -> Season:
        if self.end < self.start:
            raise ValueError("a season must end on or after its start")
        return self


class DatePrice(BaseModel):
    """One night at its own price (New Year's Eve, Nauryz)."""

    model_config = ConfigDict(frozen=True)
    night: date
    price: int = Field(gt=0, le=MAX_PRICE)
    name: str = Field(default="", max_length=60)


class StayDiscount(BaseModel):
    """`percent` off the nights of stays of `min_nights` or more."""

    model_config = ConfigDict(frozen=True)
    min_nights: int = Field(ge=2, le=365)
    percent: int = Field(ge=1, le=90)


class PricingRules(BaseModel):
    """What an owner sets beyond the base price; stored as JSON on the apartment."""

    model_config = ConfigDict(frozen=True)
    weekend_price: int | None = Field(default=None, gt=0, le=MAX_PRICE)
    # Weekday numbers (0 = Monday) of the nights that cost the weekend price.
    # Capped: every quote (each search card too) walks these lists.
    weekend_days: tuple[int, ...] = Field(default=(FRIDAY, SATURDAY), max_length=7)
    seasons: tuple[Season, ...] = Field(default=(), max_length=MAX_SEASONS)
    dates: tuple[DatePrice, ...] = Field(default=(), max_length=MAX_DATES)
    discounts: tuple[StayDiscount, ...] = Field(default=(), max_length=MAX_DISCOUNTS)
    extra_guest_fee: int = Field(default=0, ge=0, le=MAX_PRICE)
    # Guests included in the price; each one beyond pays `extra_guest_fee` a night.
    guests_included: int = Field(default=2, ge=1, le=50)
    # Booking rules: no check-in sooner than this many days from today (0: today is fine)…
    advance_notice_days: int = Field(default=0, ge=0, le=90)
    # …and, with 0 days, no check-in today from this hour on (Asia/Almaty); None: any hour.
    same_day_cutoff_hour: int | None = Field(default=None, ge=0, le=23)
    # Nights kept free after each stay to prepare the apartment (blocked with the booking).
    turnover_nights: int = Field(default=0, ge=0, le=7)

    @model_validator(mode="after")
    def _consistent(self) -> PricingRules:
        if any(not 0 <= d <= 6 for d in self.weekend_days):
            raise ValueError("weekend days are weekday numbers 0 (Monday) to 6 (Sunday)")
        nights = [d.night for d in self.dates]
        if len(nights) != len(set(nights)):
            raise ValueError("a date can have one price only")
        ordered = sorted(self.seasons, key=lambda s: s.start)
        for earlier, later in pairwise(ordered):
            if later.start <= earlier.end:
                raise ValueError(
                    f"seasons overlap: {earlier.start}–{earlier.end} and {later.start}"
                )
        thresholds = [d.min_nights for d in self.discounts]
        if len(thresholds) != len(set(thresholds)):
            raise ValueError("one discount per number of nights")
        return self


class Band(StrEnum):
    """Why a night costs what it costs."""

    BASE = "base"
    WEEKEND = "weekend"
    SEASON = "season"
    DATE = "date"


@dataclass(frozen=True)
class PriceRules:
    price_per_night: int
    cleaning_fee: int = 0
    min_nights: int = 1
    max_nights: int = 30
    pricing: PricingRules = field(default_factory=PricingRules)


@dataclass(frozen=True)
class PriceLine:
    """Nights of one band at one price: "3 × 25 000 ₸ (weekend)"."""

    band: Band
    price: int
    nights: int
    name: str = ""

    @property
    def total(self) -> int:
        return self.price * self.nights


@dataclass(frozen=True)
class Quote:
    nights: int
    nightly_total: int  # the nights after the discount
    cleaning_fee: int
    total: int
    first_night: int  # as charged: after the discount, with its extra-guest fee
    lines: tuple[PriceLine, ...] = ()
    discount_percent: int = 0
    discount: int = 0  # tenge off the nights
    extra_guests: int = 0
    extra_guest_fee: int = 0  # for the whole stay

    @property
    def nights_before_discount(self) -> int:
        return sum(line.total for line in self.lines)


def stay_nights(check_in: date, check_out: date) -> list[date]:
    return [check_in + timedelta(days=i) for i in range((check_out - check_in).days)]


def _priced(rules: PriceRules, night: date) -> tuple[Band, int, str]:
    pricing = rules.pricing
    for special in pricing.dates:
        if special.night == night:
            return Band.DATE, special.price, special.name
    for season in pricing.seasons:
        if season.start <= night <= season.end:
            return Band.SEASON, season.price, season.name
    if pricing.weekend_price is not None and night.weekday() in pricing.weekend_days:
        return Band.WEEKEND, pricing.weekend_price, ""
    return Band.BASE, rules.price_per_night, ""


def earliest_check_in(rules: PricingRules, now_local: datetime) -> date:
    """The first day a stay may start: today plus the advance notice, or tomorrow once
    today's cut-off hour has passed."""
    today = now_local.date()
    if rules.advance_notice_days:
        return today + timedelta(days=rules.advance_notice_days)
    cutoff = rules.same_day_cutoff_hour
    if cutoff is not None and now_local.hour >= cutoff:
        return today + timedelta(days=1)
    return today


def night_price(rules: PriceRules, night: date) -> int:
    """One night's price: its date, its season, a weekend night, else the base price."""
    return _priced(rules, night)[1]


def min_nights_for(rules: PriceRules, check_in: date, check_out: date) -> int:
    """The apartment's minimum, or the highest minimum of a season the stay touches."""
    minimums = [rules.min_nights]
    for season in rules.pricing.seasons:
        if season.min_nights and season.start < check_out and check_in <= season.end:
            minimums.append(season.min_nights)
    return max(minimums)


def quote_stay(rules: PriceRules, check_in: date, check_out: date, guests: int = 1) -> Quote:
    """The whole stay's price with its breakdown, within the apartment's min/max nights."""
    if check_out <= check_in:
        raise StayRuleError("check_out must be after check_in")
    if (check_out - check_in).days > rules.max_nights:  # before any list of nights is built
        raise StayRuleError(f"maximum stay is {rules.max_nights} nights")
    nights = stay_nights(check_in, check_out)
    minimum = min_nights_for(rules, check_in, check_out)
    if len(nights) < minimum:
        raise StayRuleError(f"minimum stay is {minimum} nights")
    priced = [_priced(rules, n) for n in nights]
    lines: dict[tuple[Band, int, str], int] = {}
    for key in priced:
        lines[key] = lines.get(key, 0) + 1
    before = sum(price for _, price, _ in priced)
    applying = [d.percent for d in rules.pricing.discounts if len(nights) >= d.min_nights]
    percent = max(applying, default=0)
    discount = before * percent // 100
    extra = max(0, guests - rules.pricing.guests_included) if rules.pricing.extra_guest_fee else 0
    extra_fee = extra * rules.pricing.extra_guest_fee * len(nights)
    nightly_total = before - discount
    # The first night as charged (discounted, with its extra guests): what a policy keeps.
    first = priced[0][1] * (100 - percent) // 100 + extra * rules.pricing.extra_guest_fee
    return Quote(
        nights=len(nights),
        nightly_total=nightly_total,
        cleaning_fee=rules.cleaning_fee,
        total=nightly_total + extra_fee + rules.cleaning_fee,
        first_night=first,
        lines=tuple(
            PriceLine(band, price, count, name) for (band, price, name), count in lines.items()
        ),
        discount_percent=percent,
        discount=discount,
        extra_guests=extra,
        extra_guest_fee=extra_fee,
    )
