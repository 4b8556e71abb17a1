"""What owners type in the admin bot to set one pricing rule (services/pricing_input.py)."""

from __future__ import annotations

from datetime import date

import pytest

from models.pricing import PricingRules
from services import pricing_input
from services.pricing_input import RuleRefusal

TODAY = date(2026, 12, 8)
EMPTY = PricingRules()


def test_weekend_price_and_its_removal():
    rules = pricing_input.weekend_price(EMPTY, "30 000 ₸")
    assert isinstance(rules, PricingRules) and rules.weekend_price == 30_000
    removed = pricing_input.weekend_price(rules, "0")
    assert isinstance(removed, PricingRules) and removed.weekend_price is None
    assert pricing_input.weekend_price(EMPTY, "дорого") == RuleRefusal("owner_rules_weekend_bad")


def test_discounts_are_kept_per_number_of_nights():
    week = pricing_input.stay_discount(EMPTY, "7 10")
    assert isinstance(week, PricingRules)
    month = pricing_input.stay_discount(week, "28 25")
    assert isinstance(month, PricingRules)
    assert [(d.min_nights, d.percent) for d in month.discounts] == [(7, 10), (28, 25)]
    changed = pricing_input.stay_discount(month, "7 15")
    assert isinstance(changed, PricingRules)
    assert [(d.min_nights, d.percent) for d in changed.discounts] == [(7, 15), (28, 25)]
    dropped = pricing_input.stay_discount(changed, "7 0")
    assert isinstance(dropped, PricingRules)
    assert [d.min_nights for d in dropped.discounts] == [28]
    for bad in ("7", "1 10", "7 95", "семь десять"):
        assert pricing_input.stay_discount(EMPTY, bad) == RuleRefusal("owner_rules_discount_bad")


def test_seasons_read_dates_price_and_minimum_and_refuse_overlaps():
    summer = pricing_input.season(EMPTY, "01.06–31.08 26 000 мин 3", TODAY)
    assert isinstance(summer, PricingRules)
    (season,) = summer.seasons
    assert (season.start, season.end, season.price, season.min_nights) == (
        date(2027, 6, 1),
        date(2027, 8, 31),
        26_000,
        3,
    )
    winter = pricing_input.season(summer, "20.12–10.01 35000", TODAY)  # into next year
    assert isinstance(winter, PricingRules)
    assert [(s.start, s.end) for s in winter.seasons] == [
        (date(2026, 12, 20), date(2027, 1, 10)),
        (date(2027, 6, 1), date(2027, 8, 31)),
    ]
    overlap = pricing_input.season(winter, "15.08–15.09 27000", TODAY)
    assert isinstance(overlap, RuleRefusal) and "seasons overlap" in overlap.detail
    removed = pricing_input.season(winter, "01.06–31.08 0", TODAY)
    assert isinstance(removed, PricingRules) and len(removed.seasons) == 1
    assert pricing_input.season(EMPTY, "лето 26000", TODAY) == RuleRefusal("owner_rules_season_bad")


def test_holidays_and_extra_guests():
    new_year = pricing_input.holiday(EMPTY, "31.12 45000", TODAY)
    assert isinstance(new_year, PricingRules)
    assert [(d.night, d.price) for d in new_year.dates] == [(date(2026, 12, 31), 45_000)]
    assert pricing_input.holiday(EMPTY, "31.02 45000", TODAY) == RuleRefusal(
        "owner_rules_holiday_bad"
    )
    extra = pricing_input.extra_guests(EMPTY, "3000 2")
    assert isinstance(extra, PricingRules)
    assert (extra.extra_guest_fee, extra.guests_included) == (3_000, 2)
    none = pricing_input.extra_guests(extra, "0")
    assert isinstance(none, PricingRules) and none.extra_guest_fee == 0


@pytest.mark.parametrize("text", ["", "много", "1 2 3"])
def test_extra_guests_refused(text):
    assert pricing_input.extra_guests(EMPTY, text) == RuleRefusal("owner_rules_extra_bad")


def test_advance_notice_and_turnover():
    notice = pricing_input.advance_notice(EMPTY, "2")
    assert isinstance(notice, PricingRules)
    assert (notice.advance_notice_days, notice.same_day_cutoff_hour) == (2, None)
    same_day = pricing_input.advance_notice(notice, "0 18")
    assert isinstance(same_day, PricingRules)
    assert (same_day.advance_notice_days, same_day.same_day_cutoff_hour) == (0, 18)
    for bad in ("", "91", "2 18", "0 24", "скоро"):
        assert pricing_input.advance_notice(EMPTY, bad) == RuleRefusal("owner_rules_notice_bad")
    prepared = pricing_input.turnover(EMPTY, "1")
    assert isinstance(prepared, PricingRules) and prepared.turnover_nights == 1
    assert pricing_input.turnover(EMPTY, "8") == RuleRefusal("owner_rules_turnover_bad")


def test_earliest_check_in_follows_notice_and_cut_off():
    from datetime import datetime

    from models.pricing import earliest_check_in

    morning, evening = datetime(2026, 12, 8, 9), datetime(2026, 12, 8, 19)
    assert earliest_check_in(EMPTY, evening) == date(2026, 12, 8)
    cutoff = PricingRules(same_day_cutoff_hour=18)
    assert earliest_check_in(cutoff, morning) == date(2026, 12, 8)
    assert earliest_check_in(cutoff, evening) == date(2026, 12, 9)
    assert earliest_check_in(PricingRules(advance_notice_days=3), morning) == date(2026, 12, 11)


def test_a_price_with_a_dot_is_no_date_and_a_season_typed_again_is_replaced():
    summer = pricing_input.season(EMPTY, "01.06–31.08 26000", TODAY)
    assert isinstance(summer, PricingRules)
    # "26.000" is a price written with a dot, not a date: refused, nothing removed.
    assert pricing_input.season(summer, "01.06–31.08 26.000", TODAY) == RuleRefusal(
        "owner_rules_season_bad"
    )
    assert pricing_input.holiday(EMPTY, "31.12 45.000", TODAY) == RuleRefusal(
        "owner_rules_holiday_bad"
    )
    dearer = pricing_input.season(summer, "01.06–31.08 30000 мин 2", TODAY)
    assert isinstance(dearer, PricingRules)
    assert [(s.price, s.min_nights) for s in dearer.seasons] == [(30_000, 2)]
    assert pricing_input.season(EMPTY, "01.03.2028–29.02.2028 20000", TODAY) == RuleRefusal(
        "owner_rules_season_bad"
    )
