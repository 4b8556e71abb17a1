"""quote_stay: each night priced by its date → its season → a weekend night → the base price;
then the biggest length-of-stay discount, the extra-guest fee, the cleaning fee.

June 2026: the 1st and the 8th are Mondays, the 5th and 12th Fridays, the 6th and 13th
Saturdays. Expected amounts are worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import date

import pydantic
import pytest

from models.pricing import (
    Band,
    DatePrice,
    PriceRules,
    PricingRules,
    Season,
    StayDiscount,
    StayRuleError,
    night_price,
    quote_stay,
)

BASE = PriceRules(price_per_night=20_000, cleaning_fee=5_000, min_nights=2, max_nights=30)
WEEKEND = PriceRules(
    price_per_night=20_000,
    cleaning_fee=5_000,
    min_nights=2,
    max_nights=30,
    pricing=PricingRules(weekend_price=25_000),
)
FULL = PriceRules(
    price_per_night=20_000,
    cleaning_fee=5_000,
    min_nights=2,
    max_nights=30,
    pricing=PricingRules(
        weekend_price=25_000,
        seasons=(Season(start=date(2026, 6, 15), end=date(2026, 6, 30), price=30_000),),
        dates=(DatePrice(night=date(2026, 6, 12), price=40_000, name="День России"),),
        discounts=(StayDiscount(min_nights=7, percent=10), StayDiscount(min_nights=28, percent=25)),
        extra_guest_fee=3_000,
        guests_included=2,
    ),
)
SUMMER_MINIMUM = PriceRules(
    price_per_night=20_000,
    min_nights=1,
    max_nights=30,
    pricing=PricingRules(
        seasons=(
            Season(start=date(2026, 7, 1), end=date(2026, 7, 31), price=26_000, min_nights=3),
            Season(start=date(2026, 8, 1), end=date(2026, 8, 31), price=24_000, min_nights=2),
        )
    ),
)


def lines(
    rules: PriceRules, check_in: date, check_out: date, guests: int = 1
) -> list[tuple[str, int, int]]:
    return [
        (line.band.value, line.price, line.nights)
        for line in quote_stay(rules, check_in, check_out, guests).lines
    ]


@pytest.mark.parametrize(
    ("rules", "check_in", "check_out", "guests", "total", "first_night", "discount", "extra"),
    [
        # Mon, Tue, Wed at 20 000 = 60 000; + 5 000 cleaning.
        pytest.param(BASE, date(2026, 6, 1), date(2026, 6, 4), 1, 65_000, 20_000, 0, 0, id="base"),
        # Dec 30, Dec 31, Jan 1: three plain nights across the new year.
        pytest.param(
            BASE, date(2026, 12, 30), date(2027, 1, 2), 1, 65_000, 20_000, 0, 0, id="new-year"
        ),
        # Thu 20 000 + Fri 25 000 + Sat 25 000 = 70 000.
        pytest.param(
            WEEKEND, date(2026, 6, 4), date(2026, 6, 7), 2, 75_000, 20_000, 0, 0, id="weekend"
        ),
        # Thu 20 000 + Fri 12th 40 000 (the date beats the weekend) + Sat 25 000 = 85 000.
        pytest.param(
            FULL, date(2026, 6, 11), date(2026, 6, 14), 2, 90_000, 20_000, 0, 0, id="holiday"
        ),
        # Sat 13th 25 000 + Sun 20 000 + Mon 15th season 30 000 = 75 000.
        pytest.param(
            FULL, date(2026, 6, 13), date(2026, 6, 16), 2, 80_000, 25_000, 0, 0, id="into-season"
        ),
        # Fri 19th, Sat 20th in the season: the season beats the weekend. 60 000.
        pytest.param(
            FULL,
            date(2026, 6, 19),
            date(2026, 6, 21),
            2,
            65_000,
            30_000,
            0,
            0,
            id="season-beats-weekend",
        ),
        # Mon 1st..Sun 7th: 4 × 20 000 + Fri, Sat 25 000 + Sun 20 000 = 150 000; 7 nights:
        # −10 % = 15 000 off → 135 000 + 5 000.
        # The first night as charged: 20 000 − 10 % (what a policy keeps on a late cancel).
        pytest.param(
            FULL, date(2026, 6, 1), date(2026, 6, 8), 2, 140_000, 18_000, 15_000, 0, id="week-10"
        ),
        # 6 nights: no discount. Mon..Sat = 4 × 20 000 + 2 × 25 000 = 130 000.
        pytest.param(
            FULL, date(2026, 6, 1), date(2026, 6, 7), 2, 135_000, 20_000, 0, 0, id="six-nights"
        ),
        # 28 nights from Mon 1 June: the biggest discount (25 %) only.
        # June 1–14 (14 nights): 12th 40 000; other Fri/Sat 5th, 6th, 13th: 3 × 25 000;
        # 10 plain × 20 000 = 200 000 → 315 000. June 15–28 (14) season 30 000 = 420 000.
        # 735 000 − 25 % (183 750) = 551 250 + 5 000.
        pytest.param(
            FULL,
            date(2026, 6, 1),
            date(2026, 6, 29),
            2,
            556_250,
            15_000,
            183_750,
            0,
            id="month-25",
        ),
        # Four guests, two included: 2 × 3 000 × 3 nights = 18 000 on top.
        # The first night with its two extra guests: 20 000 + 2 × 3 000.
        pytest.param(
            FULL, date(2026, 6, 1), date(2026, 6, 4), 4, 83_000, 26_000, 0, 18_000, id="extra"
        ),
        # No fee set: guests above the included ones cost nothing.
        pytest.param(
            WEEKEND, date(2026, 6, 1), date(2026, 6, 4), 6, 65_000, 20_000, 0, 0, id="no-fee"
        ),
    ],
)
def test_quote(rules, check_in, check_out, guests, total, first_night, discount, extra):
    quote = quote_stay(rules, check_in, check_out, guests)
    assert (quote.total, quote.first_night, quote.discount, quote.extra_guest_fee) == (
        total,
        first_night,
        discount,
        extra,
    )
    assert quote.total == quote.nightly_total + quote.extra_guest_fee + quote.cleaning_fee
    assert quote.nightly_total == quote.nights_before_discount - quote.discount
    assert sum(line.nights for line in quote.lines) == quote.nights


def test_the_breakdown_names_each_band_with_its_nights():
    assert lines(FULL, date(2026, 6, 11), date(2026, 6, 16), 2) == [
        ("base", 20_000, 2),  # Thu 11th, Sun 14th
        ("date", 40_000, 1),  # Fri 12th
        ("weekend", 25_000, 1),  # Sat 13th
        ("season", 30_000, 1),  # Mon 15th
    ]
    holiday = quote_stay(FULL, date(2026, 6, 12), date(2026, 6, 14)).lines[0]
    assert (holiday.band, holiday.name) == (Band.DATE, "День России")
    assert night_price(FULL, date(2026, 6, 12)) == 40_000
    assert night_price(FULL, date(2026, 6, 20)) == 30_000
    assert night_price(FULL, date(2026, 6, 6)) == 25_000


@pytest.mark.parametrize(
    ("rules", "check_in", "check_out", "message"),
    [
        pytest.param(BASE, date(2026, 6, 1), date(2026, 6, 1), "check_out must be after check_in"),
        pytest.param(BASE, date(2026, 6, 5), date(2026, 6, 1), "check_out must be after check_in"),
        pytest.param(BASE, date(2026, 6, 1), date(2026, 6, 2), "minimum stay is 2 nights"),
        pytest.param(BASE, date(2026, 6, 1), date(2026, 7, 2), "maximum stay is 30 nights"),
        # July asks for 3 nights: 2 nights touching July are refused...
        pytest.param(
            SUMMER_MINIMUM, date(2026, 6, 30), date(2026, 7, 2), "minimum stay is 3 nights"
        ),
        # ...and a stay touching July and August takes the highest minimum (3).
        pytest.param(
            SUMMER_MINIMUM, date(2026, 7, 31), date(2026, 8, 2), "minimum stay is 3 nights"
        ),
    ],
)
def test_stay_rules(rules, check_in, check_out, message):
    with pytest.raises(StayRuleError) as refused:
        quote_stay(rules, check_in, check_out)
    assert str(refused.value) == message


def test_season_minimums_apply_only_to_the_stays_they_touch():
    assert quote_stay(SUMMER_MINIMUM, date(2026, 6, 28), date(2026, 6, 29)).total == 20_000
    assert quote_stay(SUMMER_MINIMUM, date(2026, 8, 10), date(2026, 8, 12)).total == 48_000


DAYS = range(1, 29)


@pytest.mark.parametrize(
    "rules",
    [
        {"weekend_days": [7]},
        {"seasons": [{"start": "2026-07-10", "end": "2026-07-01", "price": 1}]},
        {
            "seasons": [
                {"start": "2026-07-01", "end": "2026-07-31", "price": 1},
                {"start": "2026-07-31", "end": "2026-08-31", "price": 2},
            ]
        },
        {"dates": [{"night": "2026-12-31", "price": 1}, {"night": "2026-12-31", "price": 2}]},
        {"discounts": [{"min_nights": 7, "percent": 10}, {"min_nights": 7, "percent": 20}]},
        {"discounts": [{"min_nights": 7, "percent": 95}]},
        {"weekend_price": 0},
        {"extra_guest_fee": -1},
        # More holiday nights than a quote should walk (each distinct).
        {
            "dates": [
                {"night": f"2027-{m:02d}-{d:02d}", "price": 1}
                for m in (1, 2, 3)
                for d in range(1, 29)
            ]
        },
        {"discounts": [{"min_nights": n, "percent": 1} for n in range(2, 13)]},
    ],
)
def test_rules_an_owner_cannot_set(rules):
    with pytest.raises(pydantic.ValidationError):
        PricingRules.model_validate(rules)


def test_an_absurd_stay_is_refused_before_any_night_is_counted():
    with pytest.raises(StayRuleError, match="maximum stay is 30 nights"):
        quote_stay(BASE, date(1, 1, 1), date(9999, 12, 31))
