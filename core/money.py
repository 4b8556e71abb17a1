"""Money as people read it here, in every bot and screen: whole tenge grouped by spaces,
"25 000 ₸"."""

from __future__ import annotations


def kzt(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " ₸"
