"""⭐ Favourites: one numbered list, each apartment to open (its card, then its dates) or to
remove; added from an apartment's dates step (bots/journey/booking.py).

State keys: `fav_titles` (the listed apartments' titles, by id).
"""

from __future__ import annotations

from bots import cards
from bots.journey import booking
from bots.journey.context import Journey
from bots.journey.screens import Choice, Home, Menu, Out, Said, Text
from bots.texts import t
from services.favourites import favourite_cards, remove_favourite

STEPS = frozenset({"favourites"})
# Each favourite takes two options (open, remove); with paging: ≤10 WhatsApp rows.
SHOWN = 4


async def show(j: Journey, notice: str = "", *, page: int = 0) -> list[Out]:
    lang = j.lang
    async with j.deps.sessions() as session:
        every = await favourite_cards(session, user_id=j.user_id)
    if not every:
        empty = t("fav_empty", lang)
        return [Home(f"{notice}\n{empty}" if notice else empty)]
    page = max(0, min(page, (len(every) - 1) // SHOWN))
    first = page * SHOWN + 1
    found = every[page * SHOWN : (page + 1) * SHOWN]
    choices: list[Choice] = []
    for n, card in enumerate(found, first):
        choices.append((f"fav:open:{card.id}", f"🏠 {n}. {cards.clip(card.title, 20)}"))
        choices.append((f"fav:rm:{card.id}", t("fav_btn_remove", lang, n=n)))
    if page > 0:
        choices.append((f"favs:{page - 1}", t("wa_btn_prev", lang)))
    if (page + 1) * SHOWN < len(every):
        choices.append((f"favs:{page + 1}", t("wa_btn_more", lang)))
    if len(choices) < 10:
        choices.append(("search", t("btn_search", lang)))
    j.state.clear()
    j.state.update(step="favourites", fav_page=page, fav_titles={str(c.id): c.title for c in found})
    body = cards.favourites_text(found, lang, notice or None, first=first, total=len(every))
    # The body numbers the apartments; a typed number opens that one.
    return [Menu(body, choices, numbered=False, width=2, counts=True)]


async def answer(j: Journey, said: Said) -> list[Out]:
    titles: dict[str, str] = j.state.get("fav_titles") or {}
    first = int(j.state.get("fav_page") or 0) * SHOWN + 1
    picked = said.picked or _typed(said.text, titles, first)
    if picked is None:
        return [Text(t("fav_unknown_pick", j.lang)), *await show(j)]
    if picked.startswith("favs:"):
        return await show(j, page=int(picked.removeprefix("favs:")))
    action, _, raw_id = picked.removeprefix("fav:").partition(":")
    if action == "open":
        return await booking.open_apartment(j, int(raw_id), origin="favourites")
    async with j.deps.sessions() as session:
        await remove_favourite(session, user_id=j.user_id, property_id=int(raw_id))
    notice = t("fav_removed", j.lang, title=titles.get(raw_id, ""))
    return await show(j, notice, page=int(j.state.get("fav_page") or 0))


def _typed(text: str, titles: dict[str, str], first: int) -> str | None:
    """A number typed: the apartment of that number on the list."""
    typed = text.strip()
    ids = list(titles)
    if typed.isascii() and typed.isdigit() and 0 <= int(typed) - first < len(ids):
        return f"fav:open:{ids[int(typed) - first]}"
    return None
