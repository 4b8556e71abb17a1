"""Stays typed in Russian, Kazakh and English, and the precise reason when one is not read."""

from __future__ import annotations

from datetime import date

import pytest

from services.date_ranges import RangeError, RangeProblem, TypedStay, month_of, parse_stay

TODAY = date(2026, 12, 7)

READ = [
    ("12.07–15.07", date(2027, 7, 12), date(2027, 7, 15)),
    ("12.07 - 15.07", date(2027, 7, 12), date(2027, 7, 15)),
    ("12.07.2027 - 15.07.2027", date(2027, 7, 12), date(2027, 7, 15)),
    ("12/07/27-15/07/27", date(2027, 7, 12), date(2027, 7, 15)),
    ("12 июля на 3 ночи", date(2027, 7, 12), date(2027, 7, 15)),
    ("12 июля, 3 суток", date(2027, 7, 12), date(2027, 7, 15)),
    ("с 12 по 15 июля", date(2027, 7, 12), date(2027, 7, 15)),
    ("с 30 июня по 2 июля", date(2027, 6, 30), date(2027, 7, 2)),
    ("12-15 июля", date(2027, 7, 12), date(2027, 7, 15)),
    ("Заезд 12 июля, выезд 15 июля", date(2027, 7, 12), date(2027, 7, 15)),
    ("1 мая на 2 ночи", date(2027, 5, 1), date(2027, 5, 3)),
    ("8 марта - 10 марта", date(2027, 3, 8), date(2027, 3, 10)),
    ("28.12–03.01", date(2026, 12, 28), date(2027, 1, 3)),
    ("с 7 по 9 декабря", date(2026, 12, 7), date(2026, 12, 9)),
    ("6 декабря на 2 ночи", date(2027, 12, 6), date(2027, 12, 8)),
    ("12 шілдеден 15 шілдеге дейін", date(2027, 7, 12), date(2027, 7, 15)),
    ("12 шілде, 3 түн", date(2027, 7, 12), date(2027, 7, 15)),
    ("22 наурыз - 24 наурыз", date(2027, 3, 22), date(2027, 3, 24)),
    ("12-15 July", date(2027, 7, 12), date(2027, 7, 15)),
    ("July 12 to 15", date(2027, 7, 12), date(2027, 7, 15)),
    ("12 July for 3 nights", date(2027, 7, 12), date(2027, 7, 15)),
    ("from Jan 3rd to Jan 5th 2027", date(2027, 1, 3), date(2027, 1, 5)),
    ("29.02.2028 - 02.03.2028", date(2028, 2, 29), date(2028, 3, 2)),
]


@pytest.mark.parametrize(("text", "check_in", "check_out"), READ, ids=[r[0] for r in READ])
def test_typed_stays_are_read(text: str, check_in: date, check_out: date) -> None:
    assert parse_stay(text, TODAY) == TypedStay(check_in, check_out)


REFUSED = [
    ("завтра", RangeProblem.NOT_UNDERSTOOD),
    ("12 15", RangeProblem.NOT_UNDERSTOOD),
    ("хочу в июле", RangeProblem.NOT_UNDERSTOOD),
    ("12 июля", RangeProblem.NO_END),
    ("12.07", RangeProblem.NO_END),
    ("31.02 - 03.03", RangeProblem.BAD_DATE),
    ("12.13 - 14.13", RangeProblem.BAD_DATE),
    ("15.07 - 12.07", RangeProblem.END_BEFORE_START),
    ("12 июля на 0 ночей", RangeProblem.END_BEFORE_START),
    ("10.07.2025 - 12.07.2025", RangeProblem.IN_THE_PAST),
    ("31.12.9999 на 5 ночей", RangeProblem.BAD_DATE),
    ("30.12.9999 - 02.01", RangeProblem.BAD_DATE),
]


@pytest.mark.parametrize(("text", "problem"), REFUSED, ids=[r[0] for r in REFUSED])
def test_what_cannot_be_read_says_why(text: str, problem: RangeProblem) -> None:
    assert parse_stay(text, TODAY) == RangeError(problem)


def test_every_month_in_three_languages() -> None:
    ru = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    kk = "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан"
    en = "January February March April May June July August September October November December"
    for names in (ru, kk, en):
        assert [month_of(name) for name in names.split()] == list(range(1, 13))
