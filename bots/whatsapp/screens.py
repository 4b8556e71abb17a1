"""What the bot says: plain texts, photos and menus, and how a reply picks a menu option."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bots.texts import t

Choice = tuple[str, str]  # (reply id, title)


@dataclass(frozen=True)
class Text:
    body: str


@dataclass(frozen=True)
class Image:
    link: str
    caption: str


@dataclass(frozen=True)
class Menu:
    """A prompt with options: buttons (≤3), a list (≤10) — and always answerable by number.
    `numbered`: the options are also written out below the body, unless the body already
    numbers what they stand for (a results page)."""

    body: str
    choices: list[Choice] = field(default_factory=list)
    numbered: bool = True


@dataclass(frozen=True)
class Link:
    """A message with one button that opens `url` (Meta's "cta_url" interactive)."""

    body: str
    label: str
    url: str


Out = Text | Image | Menu | Link


def numbered(body: str, choices: Sequence[Choice]) -> str:
    """The options as a numbered text menu too, for typing instead of tapping."""
    if len(choices) <= 3:
        return body
    return body + "\n\n" + "\n".join(f"{i}. {title}" for i, (_, title) in enumerate(choices, 1))


def pick(choices: Sequence[Choice], reply_id: str | None, text: str) -> str | None:
    """The option a tap (reply id), its title typed out, or its number stands for."""
    ids = [cid for cid, _ in choices]
    if reply_id is not None and reply_id in ids:
        return reply_id
    typed = text.strip().casefold()
    for cid, title in choices:
        if typed and typed == title.casefold():
            return cid
    if typed.isdigit() and 1 <= int(typed) <= len(choices):
        return choices[int(typed) - 1][0]
    return None


def full_day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def day_label(day: date, lang: str) -> str:
    weekday = t("bk_weekdays", lang).split(",")[day.weekday()]
    return f"{weekday} {day.strftime('%d.%m')}"


def menu_choices(lang: str) -> list[Choice]:
    return [
        ("menu:search", t("btn_search", lang)),
        ("menu:bookings", t("btn_bookings", lang)),
        ("menu:favourites", t("btn_favourites", lang)),
        ("menu:language", t("btn_language", lang)),
    ]


def main_menu(lang: str, first: bool = False) -> Menu:
    return Menu(t("welcome" if first else "main_menu", lang), menu_choices(lang))
