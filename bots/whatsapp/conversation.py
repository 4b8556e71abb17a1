"""One inbound message → the step it answers → what the bot says back."""

from __future__ import annotations

from datetime import date

from bots.texts import t, variants
from bots.whatsapp import booking, favourites, my_bookings, payment_link, review, search
from bots.whatsapp.context import Ctx
from bots.whatsapp.inbound import Inbound
from bots.whatsapp.screens import Menu, Out, Text, main_menu, pick
from models.enums import Language, PaymentMethod
from services.users import set_language

MENU_WORDS = frozenset({"menu", "меню", "мәзір", "start", "/start"})
LANGUAGES = (("ru", "Русский"), ("kk", "Қазақша"), ("en", "English"))


async def reply(ctx: Ctx, message: Inbound, *, first: bool) -> list[Out]:
    # "🔄 Новая ссылка на оплату" (or its "1" right after the failed-link message) asks for a
    # new Kaspi link whatever the guest was doing.
    if await payment_link.asked(ctx, message):
        return await payment_link.renew(ctx)
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
    if step == "guests" and message.reply_id is None and message.text.strip().isdigit():
        # A typed count is the count, never the number of a row ("5" is not row 5: "back").
        return await booking.choose_guests(ctx, int(message.text.strip()))
    chosen = _numbered_apartment(ctx, step, message) or pick(
        ctx.state.get("choices", []), message.reply_id, message.text
    )
    if chosen == "menu":
        ctx.state["step"] = "menu"
        return [main_menu(ctx.lang)]
    if chosen is None:
        return await _free_text(ctx, step, message.text)
    return await _chosen(ctx, step, chosen)


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
        return await favourites.chosen(ctx, chosen)
    if step == "review_text":
        return await review.submit(ctx, "")  # "Пропустить"
    if step == "day":
        return await _day(ctx, kind, value, chosen)
    if step == "nights":
        if chosen == "back":
            return await booking.ask_day(ctx)
        return await booking.choose_nights(ctx, int(value))
    if step == "guests":
        if chosen == "back":
            return await booking.choose_day(ctx, date.fromisoformat(ctx.state["check_in"]))
        return await booking.choose_guests(ctx, int(value))
    if step == "quote":
        if chosen == "back":
            return await booking.back_from_quote(ctx)
        if value == "kaspi_invoice":
            return await booking.pay(ctx, PaymentMethod.KASPI, kaspi_invoice=True)
        return await booking.pay(ctx, PaymentMethod(value))
    return await _my_bookings(ctx, step, kind, value, chosen)


async def _results(ctx: Ctx, kind: str, value: str, chosen: str) -> list[Out]:
    if kind == "prop":
        ctx.state.pop("origin", None)
        return await booking.choose_property(ctx, int(value))
    if kind == "page":
        ctx.state["page"] = max(1, int(ctx.state.get("page", 1)) + (1 if value == "next" else -1))
        return await search.results(ctx)
    if chosen == "refine":
        return search.refine_menu(ctx)
    return await search.start(ctx)  # "new"


async def _day(ctx: Ctx, kind: str, value: str, chosen: str) -> list[Out]:
    if chosen == favourites.ADD:
        return await favourites.add(ctx)
    if kind == "day":
        return await booking.choose_day(ctx, date.fromisoformat(value))
    if kind == "days":
        shift = 1 if value == "next" else -1
        ctx.state["days_page"] = max(0, int(ctx.state.get("days_page", 0)) + shift)
        return await booking.ask_day(ctx)
    if ctx.state.get("origin") == "favourites":
        return await favourites.show(ctx)
    return await search.results(ctx)  # back to the results, filters kept


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
    """Typed input that is not an option: numbers of nights, a cancel comment, or noise."""
    if step in ("city", "district"):
        answered = await search.typed(ctx, step, text)
        if answered is not None:
            return answered
    if step == "day" and favourites.is_add(text):  # typed on a later page of days
        return await favourites.add(ctx)
    if step == "day":
        return await booking.typed_stay(ctx, text)
    if step == "review_text":
        return await review.written(ctx, text)
    if step == "nights" and text.strip().isdigit():
        return await booking.choose_nights(ctx, int(text.strip()))
    if step == "guests":
        return await booking.choose_guests(ctx, None)
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
