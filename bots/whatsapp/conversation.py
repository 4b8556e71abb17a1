"""One inbound message → the step it answers → what the bot says back. The booking steps
are the shared journey's (bots/journey); here they are read from and drawn as WhatsApp
messages."""

from __future__ import annotations

from bots import cards
from bots.journey import booking as journey
from bots.journey.payment import renew_link
from bots.journey.screens import AskPhone, Card, Home, Leave, Said, pick
from bots.journey.screens import Out as JourneyOut
from bots.texts import t, variants
from bots.whatsapp import favourites, my_bookings, payment_link, review, search
from bots.whatsapp.client import CAPTION, TEXT_BODY
from bots.whatsapp.context import Ctx
from bots.whatsapp.inbound import Inbound
from bots.whatsapp.screens import Image, Menu, Out, Text, main_menu, menu_choices
from models.enums import Language
from services.users import set_language

MENU_WORDS = frozenset({"menu", "меню", "мәзір", "start", "/start"})
LANGUAGES = (("ru", "Русский"), ("kk", "Қазақша"), ("en", "English"))


async def reply(ctx: Ctx, message: Inbound, *, first: bool) -> list[Out]:
    # "🔄 Новая ссылка на оплату" (or its "1" right after the failed-link message) asks for a
    # new Kaspi link whatever the guest was doing.
    if await payment_link.asked(ctx, message):
        return await drawn(ctx, await renew_link(ctx))
    # A rating answers the workflow's review request whatever the guest was doing (and
    # even after the conversation state expired).
    rating = review.explicit_rating(message) or await review.bare_rating(ctx, message)
    if rating is not None:
        return await review.rate(ctx, rating)
    if first:
        ctx.state.clear()
        ctx.state["step"] = "menu"
        return [main_menu(ctx.lang, first=True)]
    typed = message.text.casefold()
    if typed in MENU_WORDS or message.text in variants("btn_main_menu"):
        ctx.state["step"] = "menu"
        return [main_menu(ctx.lang)]
    step = str(ctx.state.get("step", "menu"))
    choices = ctx.state.get("choices", [])
    if step in journey.STEPS:
        by_number = not ctx.state.get("counts")
        picked = pick(choices, message.reply_id, message.text, by_number=by_number)
        if picked == "menu":
            ctx.state["step"] = "menu"
            return [main_menu(ctx.lang)]
        said = Said(message.text, picked, dates=message.dates)
        return await drawn(ctx, await journey.answer(ctx, said))
    chosen = _numbered_apartment(ctx, step, message) or pick(
        choices, message.reply_id, message.text, by_number=True
    )
    if chosen == "menu":
        ctx.state["step"] = "menu"
        return [main_menu(ctx.lang)]
    if chosen is None:
        return await _free_text(ctx, step, message.text)
    return await _chosen(ctx, step, chosen)


async def drawn(ctx: Ctx, outs: list[JourneyOut]) -> list[Out]:
    """The journey's outputs as WhatsApp messages."""
    lang = ctx.lang
    shown: list[Out] = []
    for out in outs:
        if isinstance(out, Leave):
            # Back past the dates: to the favourites or the results it was opened from.
            if ctx.state.get("origin") == "favourites":
                shown += await favourites.show(ctx)
            else:
                shown += await search.results(ctx)
        elif isinstance(out, Home):
            ctx.state["step"] = "menu"
            shown.append(Menu(out.body, menu_choices(lang)))
        elif isinstance(out, Card):
            card = out.card
            if card.photos:
                caption = cards.detail_text(card, lang, limit=CAPTION)
                shown.append(Image(card.photos[0], caption))
            else:
                shown.append(Text(cards.detail_text(card, lang, limit=TEXT_BODY)))
        elif isinstance(out, AskPhone):  # never asked: the sender's number is known
            shown.append(Text(out.body))
        else:
            shown.append(out)
    return shown


def _numbered_apartment(ctx: Ctx, step: str, message: Inbound) -> str | None:
    """On a results page a typed number is the apartment of that number on the list."""
    if step != "results" or message.reply_id is not None:
        return None
    numbers: dict[str, str] = ctx.state.get("numbers") or {}
    return numbers.get(message.text.strip())


async def _chosen(ctx: Ctx, step: str, chosen: str) -> list[Out]:
    kind, _, value = chosen.partition(":")
    if step == "menu":
        if chosen == "menu:search":
            return await search.start(ctx)
        if chosen == "menu:bookings":
            return await my_bookings.show_list(ctx)
        if chosen == "menu:favourites":
            return await favourites.show(ctx)
        ctx.state["step"] = "language"
        return [Menu(t("choose_language", ctx.lang), [(f"lang:{c}", n) for c, n in LANGUAGES])]
    if step == "language":
        async with ctx.deps.sessions() as session:
            await set_language(session, ctx.user_id, value)
        ctx.user.language = Language(value)
        ctx.state["step"] = "menu"
        return [Text(t("language_set", ctx.lang)), main_menu(ctx.lang)]
    if step in search.STEPS:
        return await search.answer(ctx, step, chosen)
    if step == "refine":
        ctx.state["refining"] = True
        return await search.ask(ctx, chosen)
    if step == "results":
        return await _results(ctx, kind, value, chosen)
    if step == "favourites":
        if kind == "fav" and value.startswith("open:"):
            property_id = int(value.removeprefix("open:"))
            return await drawn(
                ctx, await journey.open_apartment(ctx, property_id, origin="favourites")
            )
        return await favourites.chosen(ctx, chosen)
    if step == "review_text":
        return await review.submit(ctx, "")  # "Пропустить"
    return await _my_bookings(ctx, step, kind, value, chosen)


async def _results(ctx: Ctx, kind: str, value: str, chosen: str) -> list[Out]:
    if kind == "prop":
        return await drawn(ctx, await journey.open_apartment(ctx, int(value), origin="results"))
    if kind == "page":
        ctx.state["page"] = max(1, int(ctx.state.get("page", 1)) + (1 if value == "next" else -1))
        return await search.results(ctx)
    if chosen == "refine":
        return search.refine_menu(ctx)
    return await search.start(ctx)  # "new"


async def _my_bookings(ctx: Ctx, step: str, kind: str, value: str, chosen: str) -> list[Out]:
    if step == "bookings":
        return await my_bookings.show_one(ctx, value)
    if step == "booking":
        if chosen == "cancel":
            return my_bookings.ask_reason(ctx)
        return await my_bookings.show_list(ctx)
    if step == "reason":
        if chosen == "back":
            return await my_bookings.show_one(ctx, str(ctx.state["booking_id"]))
        return await my_bookings.choose_reason(ctx, value)
    if step == "confirm":
        return await my_bookings.confirm(ctx) if chosen == "yes" else my_bookings.kept(ctx)
    ctx.state["step"] = "menu"
    return [main_menu(ctx.lang)]


async def _free_text(ctx: Ctx, step: str, text: str) -> list[Out]:
    """Typed input that is not an option: a city by name, a review, a cancel comment, noise."""
    if step in ("city", "district"):
        answered = await search.typed(ctx, step, text)
        if answered is not None:
            return answered
    if step == "review_text":
        return await review.written(ctx, text)
    if step == "comment" and text.strip():
        ctx.state["comment"] = text.strip()[:500]
        return await my_bookings.preview(ctx)
    prompt = ctx.state.get("prompt")
    choices = ctx.state.get("choices", [])
    again = (
        Menu(str(prompt), choices, numbered=bool(ctx.state.get("numbered", True)))
        if prompt
        else main_menu(ctx.lang)
    )
    return [Text(t("unknown_input", ctx.lang)), again]
