"""Texts of the booking screens."""

TEXTS: dict[str, dict[str, str]] = {}
