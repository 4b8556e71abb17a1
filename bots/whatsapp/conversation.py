"""One inbound message → the step it answers → what the bot says back. The guest's steps
are the shared journey's (bots/journey); here WhatsApp messages are read into it and its
outputs drawn as WhatsApp messages. Only the main menu and the language are WhatsApp's own."""

from __future__ import annotations

from bots import cards
from bots.journey import guest
from bots.journey.screens import AskPhone, Card, Home, Leave, Said, pick
from bots.journey.screens import Out as JourneyOut
from bots.texts import t, variants
from bots.whatsapp import payment_link, review
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
        return await drawn(ctx, await guest.renew_link(ctx))
    # A rating answers the workflow's review request whatever the guest was doing (and
    # even after the conversation state expired).
    rating = review.explicit_rating(message) or await review.bare_rating(ctx, message)
    if rating is not None:
        return await drawn(ctx, await guest.review.rate(ctx, rating))
    if first:
        ctx.state.clear()
        ctx.state["step"] = "menu"
        return [main_menu(ctx.lang, first=True)]
    typed = message.text.casefold()
    if typed in MENU_WORDS or message.text in variants("btn_main_menu"):
        return _home(ctx)
    step = str(ctx.state.get("step", "menu"))
    choices = ctx.state.get("choices", [])
    by_number = not ctx.state.get("counts")
    picked = pick(choices, message.reply_id, message.text, by_number=by_number)
    if picked == "menu":
        return _home(ctx)
    if step in guest.STEPS:
        said = Said(
            message.text,
            picked,
            dates=message.dates,
            dates_for=message.dates_for,
            photo=message.photo,
        )
        return await drawn(ctx, await guest.answer(ctx, said))
    if step == "language" and picked is not None:
        async with ctx.deps.sessions() as session:
            await set_language(session, ctx.user_id, picked.removeprefix("lang:"))
        ctx.user.language = Language(picked.removeprefix("lang:"))
        ctx.state["step"] = "menu"
        return [Text(t("language_set", ctx.lang)), main_menu(ctx.lang)]
    if step == "menu" and picked is not None:
        return await _menu_choice(ctx, picked)
    prompt = ctx.state.get("prompt")
    again = (
        Menu(str(prompt), choices, numbered=bool(ctx.state.get("numbered", True)))
        if prompt
        else main_menu(ctx.lang)
    )
    return [Text(t("unknown_input", ctx.lang)), again]


async def _menu_choice(ctx: Ctx, picked: str) -> list[Out]:
    if picked == "menu:search":
        return await drawn(ctx, await guest.start_search(ctx))
    if picked == "menu:bookings":
        return await drawn(ctx, await guest.my_bookings.show_list(ctx))
    if picked == "menu:favourites":
        return await drawn(ctx, await guest.favourites.show(ctx))
    ctx.state["step"] = "language"
    return [Menu(t("choose_language", ctx.lang), [(f"lang:{c}", n) for c, n in LANGUAGES])]


def _home(ctx: Ctx, body: str = "") -> list[Out]:
    ctx.state.clear()
    ctx.state["step"] = "menu"
    if body:
        return [Menu(body, menu_choices(ctx.lang))]
    return [main_menu(ctx.lang)]


async def drawn(ctx: Ctx, outs: list[JourneyOut]) -> list[Out]:
    """The journey's outputs as WhatsApp messages."""
    lang = ctx.lang
    shown: list[Out] = []
    for out in outs:
        if isinstance(out, Home):
            shown += _home(ctx, out.body)
        elif isinstance(out, Leave):  # back past the dates of an apartment from a link
            shown += _home(ctx)
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
