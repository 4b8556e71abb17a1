"""Message catalogues of both bots (ru first, kk and en selectable), one module per feature.

`t(key, lang, **values)` renders a text; `variants(key)` is every language's version of a
button, so a handler matches a button whatever language the keyboard was drawn in.
"""

from __future__ import annotations

from functools import cache

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


def t(key: str, lang: str | None = None, /, **values: object) -> str:
    texts = CATALOGUE[key]
    text = texts.get(lang or DEFAULT_LANGUAGE) or texts[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


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
