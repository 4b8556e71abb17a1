"""The check-in buttons, month → week → day, over the days a stay can start on."""

from __future__ import annotations

from datetime import date

from bots.journey.date_picker import day_label, days_of_week, month_label, months, week_label

DAYS = [date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 4)]


def test_months_weeks_and_days_come_from_the_free_check_in_days():
    assert months(DAYS) == [date(2026, 12, 1), date(2027, 1, 1)]
    # 30-31 Dec and 1 Jan share a week (Mon 28 Dec); each month shows only its part of it.
    assert days_of_week(DAYS, date(2026, 12, 28), date(2026, 12, 1)) == DAYS[:2]
    assert days_of_week(DAYS, date(2026, 12, 28), date(2027, 1, 1)) == [date(2027, 1, 1)]


def test_labels_read_in_the_guest_language():
    assert month_label(date(2027, 7, 1), "ru") == "Июль 2027"
    assert month_label(date(2027, 7, 1), "kk") == "Шілде 2027"
    assert month_label(date(2027, 7, 1), "en") == "July 2027"
    assert week_label(date(2027, 7, 12), date(2027, 7, 1), "ru") == "12.07 – 18.07"
    assert week_label(date(2027, 6, 28), date(2027, 7, 1), "ru") == "01.07 – 04.07"
    assert week_label(date(2027, 8, 30), date(2027, 8, 1), "ru") == "30.08 – 31.08"
    assert week_label(date(2027, 7, 26), date(2027, 8, 1), "ru") == "01.08"  # a Sunday
    assert day_label(date(2027, 7, 12), "ru") == "пн 12.07"
    assert day_label(date(2027, 7, 12), "en") == "Mon 12.07"
