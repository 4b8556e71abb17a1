"""Message catalogues of both bots (ru first, kk and en selectable), one module per feature.

`t(key, lang, **values)` renders a text; `variants(key)` is every language's version of a
button, so a handler matches a button whatever language the keyboard was drawn in.
A placeholder whose format spec names a counted word ("{nights:nights}") is written with
its word in the language's plural form (core/plurals.py).
"""

from __future__ import annotations

import string
from functools import cache
from typing import Any

from bots.texts import (
    booking,
    common,
    my_bookings,
    owner,
    owner_actions,
    review,
    search,
    stats,
    whatsapp,
)
from core.plurals import PLURALS, plural

Catalogue = dict[str, dict[str, str]]
LANGUAGES = ("ru", "kk", "en")
DEFAULT_LANGUAGE = "ru"


def _merge(*parts: Catalogue) -> Catalogue:
    merged: Catalogue = {}
    for part in parts:
        for key, texts in part.items():
            if key in merged:
                raise ValueError(f"text key {key!r} defined twice")
            merged[key] = texts
    return merged


CATALOGUE: Catalogue = _merge(
    common.TEXTS,
    search.TEXTS,
    booking.TEXTS,
    my_bookings.TEXTS,
    review.TEXTS,
    owner.TEXTS,
    owner_actions.TEXTS,
    stats.TEXTS,
    whatsapp.TEXTS,
)


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self._lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        forms = PLURALS.get(format_spec)
        if forms is None:
            return str(super().format_field(value, format_spec))
        return plural(self._lang, value, forms.get(self._lang) or forms[DEFAULT_LANGUAGE])


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    texts = CATALOGUE[key]
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    return _Formatter(lang).vformat(text, (), values) if values else text


def counted(word: str, n: int | str, lang: str | None = None) -> str:
    """One counted word on its own: counted("nights", 5, "ru") == "5 ночей"."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    forms = PLURALS[word]
    return plural(lang, n, forms.get(lang) or forms[DEFAULT_LANGUAGE])


@cache
def variants(key: str) -> frozenset[str]:
    return frozenset(CATALOGUE[key].values())


def key_of(text: str | None, *keys: str) -> str | None:
    """Which of `keys` a pressed button (in any language) stands for."""
    if text is None:
        return None
    for key in keys:
        if text in variants(key):
            return key
    return None
