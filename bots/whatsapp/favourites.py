"""⭐ Favourites (added from an apartment's dates menu, bots/journey): listed from the main
menu, each to open (then book) or to remove — through services/favourites like the Telegram
bot. Opening one is the journey's (bots/whatsapp/conversation.py)."""

from __future__ import annotations

from bots import cards as texts
from bots.texts import t
from bots.whatsapp.context import Ctx
from bots.whatsapp.screens import Choice, Menu, Out, Text, main_menu
from services.favourites import favourite_cards, remove_favourite

# Each favourite takes two list rows (open, remove) and the main menu one: ≤10 rows.
SHOWN = 4


async def show(ctx: Ctx, notice: str | None = None) -> list[Out]:
    lang = ctx.lang
    async with ctx.deps.sessions() as session:
        cards = (await favourite_cards(session, user_id=ctx.user_id))[:SHOWN]
    if not cards:
        ctx.state["step"] = "menu"
        empty = t("fav_empty", lang)
        return [Text(f"{notice}\n{empty}" if notice else empty), main_menu(lang)]
    opens: list[Choice] = []
    removes: list[Choice] = []
    for n, card in enumerate(cards, 1):
        opens.append((f"fav:open:{card.id}", f"🏠 {n}. {card.title}"))
        removes.append((f"fav:rm:{card.id}", t("fav_btn_remove", lang, n=n)))
    ctx.state.update(step="favourites", fav_titles={str(c.id): c.title for c in cards})
    body = texts.favourites_text(cards, lang, notice)
    # The body numbers the apartments already; a typed number opens that one (row n).
    return [Menu(body, [*opens, *removes, ("menu", t("btn_main_menu", lang))], numbered=False)]


async def chosen(ctx: Ctx, chosen: str) -> list[Out]:
    """ "fav:rm:<id>": removed, and the list again."""
    raw_id = chosen.removeprefix("fav:rm:")
    async with ctx.deps.sessions() as session:
        await remove_favourite(session, user_id=ctx.user_id, property_id=int(raw_id))
    title = ctx.state.get("fav_titles", {}).get(raw_id, "")
    return await show(ctx, t("fav_removed", ctx.lang, title=title))
