"""Price of a stay: a pure function, used by the hold activity and shown by the bots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


class StayRuleError(ValueError):
    """The requested stay breaks a rule of the apartment; the message is user-facing."""


@dataclass(frozen=True)
class PriceRules:
    price_per_night: int
    cleaning_fee: int = 0
    min_nights: int = 1
    max_nights: int = 30
    # Optional overrides: a specific night, then a weekday (0=Monday), then the base price.
    night_overrides: dict[date, int] = field(default_factory=dict)
    weekday_overrides: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Quote:
    nights: int
    nightly_total: int
    cleaning_fee: int
    total: int
    first_night: int


def stay_nights(check_in: date, check_out: date) -> list[date]:
    return [check_in + timedelta(days=i) for i in range((check_out - check_in).days)]


def night_price(rules: PriceRules, night: date) -> int:
    """One night's price: a specific-night override, then a weekday override, then the base."""
    return rules.night_overrides.get(
        night, rules.weekday_overrides.get(night.weekday(), rules.price_per_night)
    )


def quote_stay(rules: PriceRules, check_in: date, check_out: date) -> Quote:
    """nights x nightly price (with overrides) + cleaning fee, within min/max nights."""
    if check_out <= check_in:
        raise StayRuleError("check_out must be after check_in")
    nights = stay_nights(check_in, check_out)
    if len(nights) < rules.min_nights:
        raise StayRuleError(f"minimum stay is {rules.min_nights} nights")
    if len(nights) > rules.max_nights:
        raise StayRuleError(f"maximum stay is {rules.max_nights} nights")
    prices = [night_price(rules, n) for n in nights]
    nightly_total = sum(prices)
    return Quote(
        nights=len(nights),
        nightly_total=nightly_total,
        cleaning_fee=rules.cleaning_fee,
        total=nightly_total + rules.cleaning_fee,
        first_night=prices[0],
    )
