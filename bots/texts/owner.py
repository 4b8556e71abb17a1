"""Texts of the owner screens."""

TEXTS: dict[str, dict[str, str]] = {}
