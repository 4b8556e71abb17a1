"""What a journey step says, in no messenger's terms, and what the guest said back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.search import PropertyCard

Choice = tuple[str, str]  # (option id, title)
BACK = "back"
MENU = "menu"


@dataclass(frozen=True)
class Text:
    body: str


@dataclass(frozen=True)
class Image:
    link: str
    caption: str


@dataclass(frozen=True)
class Card:
    """An opened apartment: its photos and its full card, as each messenger can show them."""

    card: PropertyCard


@dataclass(frozen=True)
class DatePicker:
    """A calendar the messenger can open for this apartment's dates (Telegram Mini App,
    WhatsApp Flow); where it cannot, the buttons and typed dates of the Menu stay."""

    property_id: int
    check_in_from: date
    check_in_to: date
    min_nights: int
    max_nights: int
    taken: tuple[date, ...]


@dataclass(frozen=True)
class Menu:
    """A prompt with options. `numbered`: WhatsApp writes them out below the body too
    (unless the body already numbers them); `width`: Telegram's buttons per row; a
    `back` option goes on the last row with the main menu."""

    body: str
    choices: list[Choice] = field(default_factory=list)
    numbered: bool = True
    width: int = 2
    picker: DatePicker | None = None
    # The options are counts (nights, guests): a typed "5" is five, never the fifth row.
    counts: bool = False


@dataclass(frozen=True)
class Link:
    """A message with one button that opens `url` (Kaspi's payment page)."""

    body: str
    label: str
    url: str
    short_label: str = ""  # for WhatsApp's 20-character button


@dataclass(frozen=True)
class AskPhone:
    """The stay's contact number: Telegram asks to share it (the messenger vouches for it)
    or to type it; WhatsApp never asks, the sender's number is known."""

    body: str


@dataclass(frozen=True)
class Home:
    """The journey is over (or left): the main menu, under `body`."""

    body: str


@dataclass(frozen=True)
class Leave:
    """Back past the journey's first step: to the screen the guest came from (search
    results, favourites, the apartment card) — the adapter's own screen."""

    notice: str = ""


Out = Text | Image | Card | Menu | Link | AskPhone | Home | Leave


@dataclass(frozen=True)
class Said:
    """One guest message as the journey reads it: the option it picked (a tap, a title
    typed out, a row number), the raw text, dates from a calendar, a shared contact."""

    text: str = ""
    picked: str | None = None
    dates: tuple[date, date] | None = None
    # The apartment the calendar was opened for (its answer may come from an older message).
    dates_for: int | None = None
    # A phone the messenger vouches for (the sender's own Telegram contact).
    own_contact: str | None = None
    foreign_contact: bool = False
    # A photo sent: the messenger's reference to it ("telegram:<file_id>").
    photo: str | None = None


def pick(
    choices: Sequence[Sequence[str]], reply_id: str | None, text: str, *, by_number: bool
) -> str | None:
    """The option a tap (reply id), its title typed out, or (`by_number`) its row number
    stands for."""
    ids = [str(c[0]) for c in choices]
    if reply_id is not None and reply_id in ids:
        return reply_id
    typed = text.strip().casefold()
    for cid, title in choices:
        if typed and typed == str(title).casefold():
            return str(cid)
    if by_number and typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(choices):
        return str(choices[int(typed) - 1][0])
    return None


def full_day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def dates_of(payload: Any) -> tuple[date, date] | None:
    """The stay a calendar sent back (Telegram Mini App `web_app_data`, WhatsApp Flow
    `nfm_reply`): `{"check_in": "YYYY-MM-DD", "check_out": "YYYY-MM-DD", ...}`; None for
    anything else (the journey then asks again)."""
    if not isinstance(payload, dict):
        return None
    try:
        return date.fromisoformat(str(payload["check_in"])), date.fromisoformat(
            str(payload["check_out"])
        )
    except (KeyError, ValueError):
        return None


def calendar_property(payload: Any) -> int | None:
    """The apartment a calendar's answer belongs to: `property` (Mini App) or the Flow's
    token `dates:<id>`; None when it does not say."""
    if not isinstance(payload, dict):
        return None
    raw = payload.get("property")
    if raw is None and str(payload.get("flow_token", "")).startswith("dates:"):
        raw = str(payload["flow_token"]).removeprefix("dates:")
    text = str(raw) if raw is not None else ""
    return int(text) if text.isascii() and text.isdigit() else None
