"""Money as people read it here: whole tenge with thin grouping, "25 000 ₸"."""

from __future__ import annotations


def kzt(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " ₸"
