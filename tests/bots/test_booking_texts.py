"""The booking, my-bookings and review catalogues speak all three languages alike."""

from __future__ import annotations

import string

import pytest

from bots.texts import LANGUAGES, booking, my_bookings, review


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("catalogue", [booking, my_bookings, review], ids=lambda m: m.__name__)
def test_every_text_has_ru_kk_en_with_the_same_placeholders(catalogue):
    for key, texts in catalogue.TEXTS.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts.values()), key
        ru = placeholders(texts["ru"])
        assert all(placeholders(texts[lang]) == ru for lang in LANGUAGES), key
