"""quote_stay: nights x nightly price (specific night, then weekday, then base) + cleaning fee.

June 2026: the 1st and the 8th are Mondays, the 5th and 12th Fridays, the 6th and 13th
Saturdays. Expected amounts are worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import date

import pytest

from models.pricing import PriceRules, Quote, StayRuleError, quote_stay

FRI, SAT = 4, 5
BASE = PriceRules(price_per_night=20_000, cleaning_fee=5_000, min_nights=2, max_nights=7)
WEEKEND = PriceRules(
    price_per_night=20_000,
    cleaning_fee=5_000,
    min_nights=2,
    max_nights=7,
    weekday_overrides={FRI: 25_000, SAT: 25_000},
)
HOLIDAY = PriceRules(
    price_per_night=20_000,
    cleaning_fee=5_000,
    min_nights=2,
    max_nights=7,
    weekday_overrides={FRI: 25_000, SAT: 25_000},
    night_overrides={date(2026, 6, 12): 30_000},
)
NO_FEE = PriceRules(price_per_night=18_500, cleaning_fee=0, min_nights=1, max_nights=30)


@pytest.mark.parametrize(
    ("rules", "check_in", "check_out", "expected"),
    [
        # Mon, Tue, Wed at 20 000 = 60 000; + 5 000 cleaning.
        pytest.param(
            BASE,
            date(2026, 6, 1),
            date(2026, 6, 4),
            Quote(3, 60_000, 5_000, 65_000, 20_000),
            id="three-plain-nights",
        ),
        pytest.param(
            BASE,
            date(2026, 6, 1),
            date(2026, 6, 3),
            Quote(2, 40_000, 5_000, 45_000, 20_000),
            id="exactly-min-nights",
        ),
        pytest.param(
            BASE,
            date(2026, 6, 1),
            date(2026, 6, 8),
            Quote(7, 140_000, 5_000, 145_000, 20_000),
            id="exactly-max-nights",
        ),
        # Dec 30, Dec 31, Jan 1: three nights across the new year.
        pytest.param(
            BASE,
            date(2026, 12, 30),
            date(2027, 1, 2),
            Quote(3, 60_000, 5_000, 65_000, 20_000),
            id="across-new-year",
        ),
        pytest.param(
            NO_FEE,
            date(2026, 6, 1),
            date(2026, 6, 2),
            Quote(1, 18_500, 0, 18_500, 18_500),
            id="one-night-no-cleaning-fee",
        ),
        # Thu 20 000 + Fri 25 000 + Sat 25 000 = 70 000.
        pytest.param(
            WEEKEND,
            date(2026, 6, 4),
            date(2026, 6, 7),
            Quote(3, 70_000, 5_000, 75_000, 20_000),
            id="weekday-override-fri-sat",
        ),
        # Fri 25 000 + Sat 25 000; the first night is the Friday.
        pytest.param(
            WEEKEND,
            date(2026, 6, 5),
            date(2026, 6, 7),
            Quote(2, 50_000, 5_000, 55_000, 25_000),
            id="weekday-override-first-night",
        ),
        # Mon..Thu 4 x 20 000 + Fri, Sat 2 x 25 000 + Sun 20 000 = 150 000.
        pytest.param(
            WEEKEND,
            date(2026, 6, 1),
            date(2026, 6, 8),
            Quote(7, 150_000, 5_000, 155_000, 20_000),
            id="weekday-override-whole-week",
        ),
        # Thu 20 000 + Fri 12th 30 000 (night beats weekday) + Sat 25 000 = 75 000.
        pytest.param(
            HOLIDAY,
            date(2026, 6, 11),
            date(2026, 6, 14),
            Quote(3, 75_000, 5_000, 80_000, 20_000),
            id="specific-night-beats-weekday",
        ),
        # Fri 12th 30 000 + Sat 25 000; the first night is the special one.
        pytest.param(
            HOLIDAY,
            date(2026, 6, 12),
            date(2026, 6, 14),
            Quote(2, 55_000, 5_000, 60_000, 30_000),
            id="specific-night-first",
        ),
        # Fri 5th is an ordinary Friday: only the 12th is special.
        pytest.param(
            HOLIDAY,
            date(2026, 6, 5),
            date(2026, 6, 7),
            Quote(2, 50_000, 5_000, 55_000, 25_000),
            id="specific-night-outside-the-stay",
        ),
    ],
)
def test_quote(rules, check_in, check_out, expected):
    assert quote_stay(rules, check_in, check_out) == expected


@pytest.mark.parametrize(
    ("check_in", "check_out", "message"),
    [
        pytest.param(
            date(2026, 6, 1), date(2026, 6, 1), "check_out must be after check_in", id="same-day"
        ),
        pytest.param(
            date(2026, 6, 5), date(2026, 6, 1), "check_out must be after check_in", id="reversed"
        ),
        pytest.param(date(2026, 6, 1), date(2026, 6, 2), "minimum stay is 2 nights", id="1-night"),
        pytest.param(date(2026, 6, 1), date(2026, 6, 9), "maximum stay is 7 nights", id="8-nights"),
    ],
)
def test_stay_rules(check_in, check_out, message):
    with pytest.raises(StayRuleError) as refused:
        quote_stay(BASE, check_in, check_out)

    assert str(refused.value) == message
