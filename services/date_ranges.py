"""Stays typed the way guests write them, in Russian, Kazakh or English.

`12.07–15.07`, `12.07.2027 - 15.07.2027`, `12 июля на 3 ночи`, `с 12 по 15 июля`,
`12-15 шілде`, `July 12 to 15`, `12 July for 3 nights`... A date without a year is its next
occurrence from today; a range whose end falls before its start runs into the next year
(`28.12–03.01`). A pure function: the journey checks the stay against the apartment after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# The first letters that name each month; genitive and nominative forms share them.
_MONTH_PREFIXES: tuple[tuple[str, ...], ...] = (
    ("янв", "қаң", "jan"),
    ("фев", "ақп", "feb"),
    ("мар", "нау", "mar"),
    ("апр", "сәу", "apr"),
    ("мая", "май", "мам", "may"),
    ("июн", "мау", "jun"),
    ("июл", "шіл", "jul"),
    ("авг", "там", "aug"),
    ("сен", "қыр", "sep"),
    ("окт", "қаз", "oct"),
    ("ноя", "қар", "nov"),
    ("дек", "жел", "dec"),
)
_WORD = r"[a-zа-яёәғқңөұүһі]+"
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?(?!\d)")
_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}})(?:-?(?:го|ое|st|nd|rd|th))?\s+({_WORD})")
_MONTH_DAY = re.compile(rf"({_WORD})\s+(\d{{1,2}})(?!\d)")
_NIGHTS = re.compile(r"(?<!\d)(\d{1,3})\s*(?:ноч|сут|nights?\b|түн)")
_BARE_DAY = re.compile(r"(?<![\d./])(\d{1,2})(?![\d./])")
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


class RangeProblem(StrEnum):
    """Why a typed stay was not understood, so the guest is asked again precisely."""

    NOT_UNDERSTOOD = "not_understood"  # no date found at all
    NO_END = "no_end"  # one date and no number of nights
    BAD_DATE = "bad_date"  # 31.02, 00.13...
    END_BEFORE_START = "end_before_start"
    IN_THE_PAST = "in_the_past"


@dataclass(frozen=True)
class TypedStay:
    check_in: date
    check_out: date

    @property
    def nights(self) -> int:
        return (self.check_out - self.check_in).days


@dataclass(frozen=True)
class RangeError:
    problem: RangeProblem


def month_of(word: str) -> int | None:
    word = word.lower()
    for number, prefixes in enumerate(_MONTH_PREFIXES, start=1):
        if any(word.startswith(prefix) for prefix in prefixes):
            return number
    return None


@dataclass(frozen=True)
class _Day:
    """A day as typed: the month and year may be missing (taken from the other end)."""

    day: int
    month: int | None
    year: int | None
    at: int  # position in the text, to keep the order the guest wrote


def _found_days(text: str) -> list[_Day]:
    found: list[_Day] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    for match in _NUMERIC.finditer(text):
        year = match.group(3)
        full_year = (2000 + int(year) if len(year) == 2 else int(year)) if year else None
        found.append(_Day(int(match.group(1)), int(match.group(2)), full_year, match.start()))
        taken.append(match.span())
    for match in _DAY_MONTH.finditer(text):
        month = month_of(match.group(2))
        if month is not None and free(match.span()):
            found.append(_Day(int(match.group(1)), month, None, match.start()))
            taken.append(match.span())
    for match in _MONTH_DAY.finditer(text):
        month = month_of(match.group(1))
        if month is not None and free(match.span()):
            found.append(_Day(int(match.group(2)), month, None, match.start()))
            taken.append(match.span())
    for match in _NIGHTS.finditer(text):
        taken.append(match.span())
    for match in _YEAR.finditer(text):
        taken.append(match.span())
    for match in _BARE_DAY.finditer(text):
        if free(match.span()):
            found.append(_Day(int(match.group(1)), None, None, match.start()))
    return sorted(found, key=lambda d: d.at)


def _resolve(day: int, month: int, year: int | None, today: date) -> date | None:
    """The date meant: with a year as written, else its next occurrence from today."""
    try:
        if year is not None:
            return date(year, month, day)
        meant = date(today.year, month, day)
    except ValueError:
        return _leap_day_next_year(day, month, year, today)
    return meant if meant >= today else _same_day_next_year(meant)


def _leap_day_next_year(day: int, month: int, year: int | None, today: date) -> date | None:
    if year is None and (day, month) == (29, 2):
        for ahead in range(1, 5):
            try:
                return date(today.year + ahead, 2, 29)
            except ValueError:
                continue
    return None


def _same_day_next_year(meant: date) -> date | None:
    try:
        return meant.replace(year=meant.year + 1)
    except ValueError:
        return None


def parse_stay(text: str, today: date) -> TypedStay | RangeError:
    """The stay a guest typed, or why it could not be read."""
    text = text.lower().replace("ё", "е")
    days = _found_days(text)
    nights_match = _NIGHTS.search(text)
    year_match = _YEAR.search(text)
    written_year = int(year_match.group(1)) if year_match else None
    if not days or (days[0].month is None and (len(days) < 2 or days[1].month is None)):
        return RangeError(RangeProblem.NOT_UNDERSTOOD)
    first = days[0]
    second = days[1] if len(days) > 1 else None
    # "с 12 по 15 июля": the first day borrows the month (and year) of the second.
    month = first.month or (second.month if second else None)
    year = first.year or (second.year if second and first.month is None else None) or written_year
    if month is None:
        return RangeError(RangeProblem.NOT_UNDERSTOOD)
    start = _resolve(first.day, month, year, today)
    if start is None:
        return RangeError(RangeProblem.BAD_DATE)
    if year is not None and start < today:
        return RangeError(RangeProblem.IN_THE_PAST)
    if second is None:
        if nights_match is None:
            return RangeError(RangeProblem.NO_END)
        nights = int(nights_match.group(1))
        if nights < 1:
            return RangeError(RangeProblem.END_BEFORE_START)
        try:
            return TypedStay(start, start + timedelta(days=nights))
        except OverflowError:  # "31.12.9999 на 5 ночей"
            return RangeError(RangeProblem.BAD_DATE)
    end = _end_of(second, start)
    if end is None:
        return RangeError(RangeProblem.BAD_DATE)
    if end <= start:
        return RangeError(RangeProblem.END_BEFORE_START)
    return TypedStay(start, end)


def _end_of(second: _Day, start: date) -> date | None:
    """The range's end: its own month and year, else the start's; an end in an earlier month
    than the start, with no year written, is next year's (`28.12–03.01`)."""
    try:
        if second.year is not None and second.month is not None:
            return date(second.year, second.month, second.day)
        month = second.month or start.month
        end = date(start.year, month, second.day)
    except ValueError:
        return None
    if end <= start and second.month is not None and second.month < start.month:
        return _same_day_next_year(end)
    return end
