"""Texts of the search screens."""

TEXTS: dict[str, dict[str, str]] = {}
