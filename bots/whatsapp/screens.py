"""WhatsApp's own screens: the main menu, and options written out as a numbered text."""

from __future__ import annotations

from collections.abc import Sequence

from bots.journey.screens import Choice, Image, Link, Menu, Text, full_day
from bots.texts import t

__all__ = ["Choice", "Image", "Link", "Menu", "Out", "Text", "full_day", "main_menu"]

# What a WhatsApp message can be; the journey's other outputs are drawn as these
# (bots/whatsapp/conversation.drawn).
Out = Text | Image | Menu | Link


def numbered(body: str, choices: Sequence[Choice]) -> str:
    """The options as a numbered text menu too, for typing instead of tapping."""
    if len(choices) <= 3:
        return body
    return body + "\n\n" + "\n".join(f"{i}. {title}" for i, (_, title) in enumerate(choices, 1))


def menu_choices(lang: str) -> list[Choice]:
    return [
        ("menu:search", t("btn_search", lang)),
        ("menu:bookings", t("btn_bookings", lang)),
        ("menu:favourites", t("btn_favourites", lang)),
        ("menu:language", t("btn_language", lang)),
    ]


def main_menu(lang: str, first: bool = False) -> Menu:
    return Menu(t("welcome" if first else "main_menu", lang), menu_choices(lang))
