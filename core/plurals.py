"""Counted words ("2 ночи", "5 ночей", "1 night"), chosen by the CLDR plural rules of Babel.

A catalogue text asks for one with a format spec naming an entry here: "{nights:nights}"
renders the number `nights` through PLURALS["nights"]; "{n}" in a form is the number.
Kazakh nouns do not change after a numeral, so its entries need only "other".
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from babel import Locale

Forms = Mapping[str, str]  # CLDR category ("one", "few", "many", "other") -> text

PLURALS: dict[str, dict[str, dict[str, str]]] = {
    # "2 ночи": a count of nights as it stands in a sentence.
    "nights": {
        "ru": {"one": "{n} ночь", "few": "{n} ночи", "many": "{n} ночей", "other": "{n} ночи"},
        "kk": {"other": "{n} түн"},
        "en": {"one": "{n} night", "other": "{n} nights"},
    },
    # "…до 21 ночи", "…до 30 ночей": after "до"/"от" (genitive in Russian).
    "days": {
        "ru": {"one": "{n} день", "few": "{n} дня", "many": "{n} дней", "other": "{n} дня"},
        "kk": {"other": "{n} күн"},
        "en": {"one": "{n} day", "other": "{n} days"},
    },
    "nights_upto": {
        "ru": {"one": "{n} ночи", "few": "{n} ночей", "many": "{n} ночей", "other": "{n} ночи"},
        "kk": {"other": "{n} түн"},
        "en": {"one": "{n} night", "other": "{n} nights"},
    },
    "rooms": {
        "ru": {
            "one": "{n} комната",
            "few": "{n} комнаты",
            "many": "{n} комнат",
            "other": "{n} комнаты",
        },
        "kk": {"other": "{n} бөлме"},
        "en": {"one": "{n} room", "other": "{n} rooms"},
    },
    # "до 4 гостей", "до 1 гостя".
    "guests_upto": {
        "ru": {"one": "{n} гостя", "few": "{n} гостей", "many": "{n} гостей", "other": "{n} гостя"},
        "kk": {"other": "{n} қонаққа"},
        "en": {"one": "{n} guest", "other": "{n} guests"},
    },
    "guests": {
        "ru": {"one": "{n} гость", "few": "{n} гостя", "many": "{n} гостей", "other": "{n} гостя"},
        "kk": {"other": "{n} қонақ"},
        "en": {"one": "{n} guest", "other": "{n} guests"},
    },
    "reviews": {
        "ru": {
            "one": "{n} отзыв",
            "few": "{n} отзыва",
            "many": "{n} отзывов",
            "other": "{n} отзыва",
        },
        "kk": {"other": "{n} пікір"},
        "en": {"one": "{n} review", "other": "{n} reviews"},
    },
    # The head of a results page: "Найдена 21 квартира", "Найдено 5 квартир".
    "apartments_found": {
        "ru": {
            "one": "Найдена {n} квартира",
            "few": "Найдены {n} квартиры",
            "many": "Найдено {n} квартир",
            "other": "Найдено {n} квартиры",
        },
        "kk": {"other": "{n} пәтер табылды"},
        "en": {"one": "{n} apartment found", "other": "{n} apartments found"},
    },
}


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def category(lang: str, n: int) -> str:
    """CLDR plural category of `n` in `lang`: 'one', 'few', 'many' or 'other'."""
    return str(_locale(lang).plural_form(n))


def plural(lang: str, n: int | str, forms: Forms) -> str:
    """`n` with its word in the right form. "4+" counts as 4 and is written "4+"."""
    count = int(str(n).rstrip("+"))
    form = forms.get(category(lang, count)) or forms["other"]
    return form.replace("{n}", str(n))
