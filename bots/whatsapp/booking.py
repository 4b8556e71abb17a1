"""Booking an apartment: check-in day (paged list), nights, guests, the quote, Kaspi or invoice."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from temporalio.service import RPCError

from bots import cards
from bots.payment_screens import payment_screen
from bots.texts import t
from bots.whatsapp.client import CAPTION, TEXT_BODY
from bots.whatsapp.context import Ctx
from bots.whatsapp.screens import Choice, Image, Link, Menu, Out, Text, day_label, full_day
from core.logging import get_logger
from core.money import kzt
from models.booking_io import GuestContact, PaymentInstructions
from models.enums import Channel, PaymentMethod
from services.availability import StayOptions, StayRefusal, stay_options
from services.booking_ids import new_booking_id
from services.search import property_card

log = get_logger(__name__)
DAYS_PER_PAGE = 7  # with paging, ⭐ and back: ≤10 list rows
NIGHTS_SHOWN = 9
GUESTS_SHOWN = 9  # with back: ≤10 list rows; a bigger number can be typed


async def _options(ctx: Ctx) -> StayOptions | None:
    async with ctx.deps.sessions() as session:
        return await stay_options(session, int(ctx.state["property_id"]), ctx.today())


async def choose_property(ctx: Ctx, property_id: int) -> list[Out]:
    """The opened apartment: its card on its first photo (one image), then the check-in days."""
    ctx.state.update(property_id=property_id, days_page=0)
    async with ctx.deps.sessions() as session:
        card = await property_card(session, property_id)
    days = await ask_day(ctx)
    if card is None:
        return days
    if card.photos:
        shown: Out = Image(card.photos[0], cards.detail_text(card, ctx.lang, limit=CAPTION))
    else:
        shown = Text(cards.detail_text(card, ctx.lang, limit=TEXT_BODY))
    return [shown, *days]


async def ask_day(ctx: Ctx, notice: str | None = None) -> list[Out]:
    lang = ctx.lang
    opts = await _options(ctx)
    if opts is None:
        ctx.state["step"] = "results"
        return [Menu(t("bk_not_found", lang), [("menu", t("btn_main_menu", lang))])]
    days = opts.check_in_days()
    if not days:
        return [Menu(t("bk_no_days", lang, title=opts.title), [("menu", t("btn_main_menu", lang))])]
    page = int(ctx.state.get("days_page", 0))
    shown = days[page * DAYS_PER_PAGE : (page + 1) * DAYS_PER_PAGE]
    choices: list[Choice] = [(f"day:{d.isoformat()}", day_label(d, lang)) for d in shown]
    if page > 0:
        choices.append(("days:prev", t("wa_btn_prev", lang)))
    if (page + 1) * DAYS_PER_PAGE < len(days):
        choices.append(("days:next", t("wa_btn_more", lang)))
    if page == 0:
        choices.append(("fav:add", t("search_btn_add_favourite", lang)))
    if len(choices) < 10:
        choices.append(("back", t("btn_back", lang)))
    ctx.state["step"] = "day"
    body = t("bk_choose_day", lang, title=opts.title, min_nights=opts.min_nights)
    return [Menu(f"{notice}\n\n{body}" if notice else body, choices)]


async def choose_day(ctx: Ctx, day: date) -> list[Out]:
    opts = await _options(ctx)
    lang = ctx.lang
    nights = opts.nights_from(day) if opts else []
    if not nights:
        return await ask_day(ctx, t("bk_day_not_offered", lang))
    ctx.state.update(step="nights", check_in=day.isoformat(), allowed=nights)
    choices: list[Choice] = [(f"n:{n}", str(n)) for n in nights[:NIGHTS_SHOWN]]
    choices.append(("back", t("btn_back", lang)))
    body = t("bk_choose_nights", lang, check_in=full_day(day), low=nights[0], high=nights[-1])
    return [Menu(body, choices)]


async def typed_stay(ctx: Ctx, text: str) -> list[Out]:
    """Dates typed at the check-in step ("12.07–15.07", "12 июля на 3 ночи"): any stay up to
    the horizon; what cannot be booked is asked again with the reason."""
    opts = await _options(ctx)
    if opts is None:
        return await ask_day(ctx)
    typed = opts.typed_stay(text)
    if isinstance(typed, StayRefusal):
        return await ask_day(ctx, t(typed.key, ctx.lang, **typed.values))
    ctx.state.update(check_in=typed.check_in.isoformat(), allowed=opts.nights_from(typed.check_in))
    return await choose_nights(ctx, typed.nights)


async def choose_nights(ctx: Ctx, nights: int) -> list[Out]:
    lang = ctx.lang
    if nights not in ctx.state.get("allowed", []):
        allowed = ctx.state.get("allowed") or [1]
        return [Text(t("bk_nights_out_of_range", lang, low=allowed[0], high=allowed[-1]))]
    opts = await _options(ctx)
    if opts is None:
        return await ask_day(ctx)
    ctx.state.update(nights=nights, guests_max=opts.max_guests)
    if opts.max_guests > 1:
        return ask_guests(ctx, opts.max_guests)
    return _quote(ctx, opts, 1)


def ask_guests(ctx: Ctx, max_guests: int, lead: str = "bk_choose_guests") -> list[Out]:
    lang = ctx.lang
    ctx.state["step"] = "guests"
    choices: list[Choice] = [
        (f"g:{n}", str(n)) for n in range(1, min(max_guests, GUESTS_SHOWN) + 1)
    ]
    choices.append(("back", t("btn_back", lang)))
    return [Menu(t(lead, lang, max_guests=max_guests), choices)]


async def choose_guests(ctx: Ctx, guests: int | None) -> list[Out]:
    """A tapped or typed number of guests; anything else is asked again, kindly."""
    opts = await _options(ctx)
    if opts is None:
        return await ask_day(ctx)
    if guests is None or not 1 <= guests <= opts.max_guests:
        key = "bk_guests_not_number" if guests is None else "bk_guests_out_of_range"
        return ask_guests(ctx, opts.max_guests, key)
    return _quote(ctx, opts, guests)


async def back_from_quote(ctx: Ctx) -> list[Out]:
    """Back to the guests step, or to the nights when the apartment takes one guest."""
    if int(ctx.state.get("guests_max") or 1) > 1:
        return ask_guests(ctx, int(ctx.state["guests_max"]))
    return await choose_day(ctx, date.fromisoformat(ctx.state["check_in"]))


def _quote(ctx: Ctx, opts: StayOptions, guests: int) -> list[Out]:
    lang = ctx.lang
    check_in = date.fromisoformat(ctx.state["check_in"])
    nights = int(ctx.state["nights"])
    quote = opts.quote(check_in, nights)
    ctx.state.update(step="quote", guests=guests, booking_id=new_booking_id(), apartment=opts.label)
    body = t(
        "bk_quote",
        lang,
        title=opts.title,
        check_in=full_day(check_in),
        check_out=full_day(check_in + timedelta(days=nights)),
        nights=nights,
        guests=guests,
        price=kzt(opts.price_per_night),
        nightly=kzt(quote.total - quote.cleaning_fee),
        cleaning=kzt(quote.cleaning_fee),
        total=kzt(quote.total),
        policy=t(f"policy_{opts.cancellation_policy.value}", lang),
    )
    pay: list[Choice] = [
        ("pay:kaspi", t("btn_pay_kaspi", lang)),
        ("pay:kaspi_invoice", t("btn_pay_kaspi_invoice", lang)),
        ("pay:manual", t("btn_pay_invoice", lang)),
        ("back", t("btn_back", lang)),
    ]
    return [Menu(body + "\n\n" + t("bk_choose_payment", lang), pay)]


async def pay(ctx: Ctx, method: PaymentMethod, *, kaspi_invoice: bool = False) -> list[Out]:
    lang = ctx.lang
    check_in = date.fromisoformat(ctx.state["check_in"])
    try:
        client = await ctx.deps.booking_client()
        request = client.new_request(
            property_id=int(ctx.state["property_id"]),
            check_in=check_in,
            check_out=check_in + timedelta(days=int(ctx.state["nights"])),
            guests=int(ctx.state.get("guests") or 1),
            guest=GuestContact(
                name=ctx.user.name or ctx.phone,
                phone=ctx.phone,
                user_id=ctx.user_id,
                language=lang,
            ),
            channel=Channel.WHATSAPP,
            payment_method=method,
            # Chosen with the quote: a retried webhook or a second tap is the same booking.
            booking_id=ctx.state.get("booking_id"),
            apartment=str(ctx.state.get("apartment") or ""),
            kaspi_invoice=kaspi_invoice,
        )
        held = await client.hold(request)
    except (RPCError, RuntimeError, OSError) as exc:
        log.warning("hold failed", error=type(exc).__name__, channel="whatsapp")
        return [Text(t("bk_service_down", lang))]
    if held.error or held.payment is None:
        ctx.state["days_page"] = 0
        key = "bk_dates_taken" if held.error == "dates_unavailable" else None
        notice = t(key, lang) if key else t("bk_refused", lang, detail=held.detail or held.error)
        return await ask_day(ctx, notice)
    ctx.state.update(step="menu", booking_id=held.booking_id)
    return payment_outs(ctx, held.booking_id, held.payment, held.expires_at, ctx.phone)


def payment_outs(
    ctx: Ctx,
    booking_id: str,
    payment: PaymentInstructions,
    expires_at: datetime | None,
    phone: str,
) -> list[Out]:
    """The payment step: amount and time left with a Kaspi link as a button, then the menu."""
    lang = ctx.lang
    menu = [("menu", t("btn_main_menu", lang))]
    screen = payment_screen(
        booking_id, payment, left=_left(expires_at, lang), phone=phone, lang=lang
    )
    if screen.url is None:
        return [Menu(screen.text, menu)]
    return [
        Link(screen.text, t("wa_pay_button", lang), screen.url),
        Menu(t("bk_kaspi_wait_confirmation", lang), menu),
    ]


def _left(expires_at: datetime | None, lang: str) -> str:
    if expires_at is None:
        return "—"
    minutes = max(0, int((expires_at - Ctx.now()).total_seconds() + 59) // 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return t("bk_hours_minutes", lang, h=hours, m=minutes)
    return t("bk_minutes", lang, m=minutes)
