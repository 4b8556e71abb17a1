"""What an owner types to change one pricing rule, read into new PricingRules.

- weekend price: "30000" (a price), "0" removes it;
- stay discount: "7 10" (from 7 nights, 10 %), "7 0" removes that one;
- season: "01.06–31.08 26000", optionally "мин 3" / "min 3" for its own minimum nights;
- holiday: "31.12 45000" (one night at its own price), "31.12 0" removes it;
- extra guests: "3000 2" (a fee per night for each guest above 2), "0" removes it;
- advance notice: "2" (check-in from the day after tomorrow), "0 18" (today, until 18:00);
- turnover: "1" (one night kept free after each stay to prepare), "0" none.

Every result is validated by PricingRules itself (overlapping seasons, percent limits…);
the reason it gives is what the owner reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from pydantic import ValidationError

from models.pricing import DatePrice, PricingRules, Season, StayDiscount

_DIGITS = re.compile(r"\d+")
# A date stands alone: "26.000" (a price written with a dot) is no 26th of a month.
_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2}))?(?![\d.]*\d)")
_MINIMUM = re.compile(r"(?:мин|min|кемінде)\.?\s*(\d{1,3})", re.IGNORECASE)


@dataclass(frozen=True)
class RuleRefusal:
    """Why the typed rule is not taken: a text key of bots/texts and its values."""

    key: str
    detail: str = ""


def _numbers(text: str, *, thousands: bool = True) -> list[int]:
    """The numbers in `text`; with `thousands`, "30 000" is one number (a group of three
    digits after a space joins the number before it)."""
    groups = [(m.group(), text[max(0, m.start() - 1) : m.start()]) for m in _DIGITS.finditer(text)]
    numbers: list[str] = []
    for digits, before in groups:
        joins = thousands and numbers and len(digits) == 3 and before in (" ", "\u00a0", "\u202f")
        if joins:
            numbers[-1] += digits
        else:
            numbers.append(digits)
    return [int(n) for n in numbers]


def _validated(rules: PricingRules, **changes: object) -> PricingRules | RuleRefusal:
    try:
        return PricingRules.model_validate({**rules.model_dump(), **changes})
    except ValidationError as exc:
        reason = exc.errors()[0].get("msg", "")
        return RuleRefusal("owner_rules_invalid", str(reason).removeprefix("Value error, "))


def _day(match: re.Match[str], today: date) -> date | None:
    day, month, year = int(match[1]), int(match[2]), match[3]
    try:
        if year:
            return date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        found = date(today.year, month, day)
        return found if found >= today - timedelta(days=1) else date(today.year + 1, month, day)
    except ValueError:
        return None


def weekend_price(rules: PricingRules, text: str) -> PricingRules | RuleRefusal:
    numbers = _numbers(text)
    if len(numbers) != 1:
        return RuleRefusal("owner_rules_weekend_bad")
    return _validated(rules, weekend_price=numbers[0] or None)


def stay_discount(rules: PricingRules, text: str) -> PricingRules | RuleRefusal:
    numbers = _numbers(text, thousands=False)
    if len(numbers) != 2:
        return RuleRefusal("owner_rules_discount_bad")
    nights, percent = numbers
    kept = [d for d in rules.discounts if d.min_nights != nights]
    if percent:
        if not (2 <= nights <= 365 and 1 <= percent <= 90):
            return RuleRefusal("owner_rules_discount_bad")
        kept.append(StayDiscount(min_nights=nights, percent=percent))
    return _validated(rules, discounts=sorted(kept, key=lambda d: d.min_nights))


def season(rules: PricingRules, text: str, today: date) -> PricingRules | RuleRefusal:
    days = [d for d in (_day(m, today) for m in _DATE.finditer(text)) if d is not None]
    minimum = _MINIMUM.search(text)
    rest = _DATE.sub(" ", _MINIMUM.sub(" ", text))
    prices = _numbers(rest)
    if len(days) != 2 or len(prices) != 1:
        return RuleRefusal("owner_rules_season_bad")
    start, end = days
    if end < start:  # "01.12–28.02": the end is in the next year
        try:
            end = end.replace(year=end.year + 1)
        except ValueError:  # 29.02 of a year without one
            return RuleRefusal("owner_rules_season_bad")
    if not prices[0]:  # "… 0": the season starting that day goes
        kept = [s for s in rules.seasons if s.start != start]
        return _validated(rules, seasons=kept)
    try:
        new = Season(
            start=start,
            end=end,
            price=prices[0],
            min_nights=int(minimum[1]) if minimum else None,
        )
    except ValidationError as exc:
        return RuleRefusal("owner_rules_invalid", str(exc.errors()[0].get("msg", "")))
    # A season typed again from the same day replaces it (a new price, a new minimum).
    kept = [s for s in rules.seasons if s.start != start]
    return _validated(rules, seasons=sorted([*kept, new], key=lambda s: s.start))


def holiday(rules: PricingRules, text: str, today: date) -> PricingRules | RuleRefusal:
    days = [d for d in (_day(m, today) for m in _DATE.finditer(text)) if d is not None]
    prices = _numbers(_DATE.sub(" ", text))
    if len(days) != 1 or len(prices) != 1:
        return RuleRefusal("owner_rules_holiday_bad")
    kept = [d for d in rules.dates if d.night != days[0]]
    if prices[0]:
        try:
            kept.append(DatePrice(night=days[0], price=prices[0]))
        except ValidationError as exc:
            return RuleRefusal("owner_rules_invalid", str(exc.errors()[0].get("msg", "")))
    return _validated(rules, dates=sorted(kept, key=lambda d: d.night))


def extra_guests(rules: PricingRules, text: str) -> PricingRules | RuleRefusal:
    numbers = _numbers(text)
    if not numbers or len(numbers) > 2:
        return RuleRefusal("owner_rules_extra_bad")
    fee = numbers[0]
    included = numbers[1] if len(numbers) == 2 else rules.guests_included
    if fee and not 1 <= included <= 50:
        return RuleRefusal("owner_rules_extra_bad")
    return _validated(rules, extra_guest_fee=fee, guests_included=included or 1)


def advance_notice(rules: PricingRules, text: str) -> PricingRules | RuleRefusal:
    numbers = _numbers(text, thousands=False)
    if not numbers or len(numbers) > 2 or numbers[0] > 90:
        return RuleRefusal("owner_rules_notice_bad")
    cutoff = numbers[1] if len(numbers) == 2 else None
    if cutoff is not None and (numbers[0] or cutoff > 23):
        return RuleRefusal("owner_rules_notice_bad")
    return _validated(rules, advance_notice_days=numbers[0], same_day_cutoff_hour=cutoff)


def turnover(rules: PricingRules, text: str) -> PricingRules | RuleRefusal:
    numbers = _numbers(text, thousands=False)
    if len(numbers) != 1 or numbers[0] > 7:
        return RuleRefusal("owner_rules_turnover_bad")
    return _validated(rules, turnover_nights=numbers[0])
