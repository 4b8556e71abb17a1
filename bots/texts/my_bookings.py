"""Texts of the my_bookings screens."""

TEXTS: dict[str, dict[str, str]] = {}
