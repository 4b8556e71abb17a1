"""My bookings: the list, one booking, and cancelling with a reason — the refund shown first."""

from __future__ import annotations

from temporalio.service import RPCError

from bots.texts import t
from bots.whatsapp.context import Ctx
from bots.whatsapp.screens import Choice, Menu, Out, Text, full_day, main_menu
from core.money import kzt
from models.booking_io import CancelRequest
from models.enums import CancelReason
from services.booking_client import BookingNotFound, BookingRefused
from services.guest_bookings import GuestBooking, guest_booking, guest_bookings
from services.refunds import refund_preview
from services.search_places import city_name

REASONS = (
    (CancelReason.PLANS_CHANGED, "btn_reason_plans"),
    (CancelReason.FOUND_ANOTHER, "btn_reason_found"),
    (CancelReason.PRICE, "btn_reason_price"),
    (CancelReason.OTHER, "btn_reason_other"),
)


def _menu_choice(lang: str) -> Choice:
    return ("menu", t("btn_main_menu", lang))


async def show_list(ctx: Ctx) -> list[Out]:
    lang = ctx.lang
    async with ctx.deps.sessions() as session:
        found = await guest_bookings(session, ctx.user_id, ctx.today())
    every = [*found.upcoming, *found.past][:9]
    if not every:
        ctx.state["step"] = "menu"
        return [Text(t("mb_empty", lang)), main_menu(lang)]
    lines = [t("mb_title", lang), *(_line(b, lang) for b in every), "", t("mb_pick", lang)]
    choices = [(f"bk:{b.id}", f"{b.id} · {b.check_in.strftime('%d.%m')}") for b in every]
    ctx.state["step"] = "bookings"
    return [Menu("\n".join(lines), [*choices, _menu_choice(lang)])]


def _line(b: GuestBooking, lang: str) -> str:
    return t(
        "mb_line",
        lang,
        booking_id=b.id,
        title=b.property_title,
        check_in=full_day(b.check_in),
        check_out=full_day(b.check_out),
        total=kzt(b.total),
        status=t(f"status_{b.status.value}", lang),
    )


async def show_one(ctx: Ctx, booking_id: str) -> list[Out]:
    lang = ctx.lang
    async with ctx.deps.sessions() as session:
        b = await guest_booking(session, ctx.user_id, booking_id)
    if b is None:
        return [Text(t("mb_unknown_booking", lang)), *await show_list(ctx)]
    body = t(
        "mb_details",
        lang,
        booking_id=b.id,
        title=b.property_title,
        city=city_name(b.city, lang),
        address=b.address,
        check_in=full_day(b.check_in),
        check_out=full_day(b.check_out),
        nights=b.nights,
        total=kzt(b.total),
        method=t(f"method_{b.payment_method.value}", lang),
        status=t(f"status_{b.status.value}", lang),
        policy=t(f"policy_{b.cancellation_policy.value}", lang),
    )
    choices: list[Choice] = []
    if b.cancellable(ctx.now()):
        choices.append(("cancel", t("btn_cancel_booking", lang)))
    choices += [("bookings", t("btn_bookings", lang)), _menu_choice(lang)]
    ctx.state.update(step="booking", booking_id=b.id)
    return [Menu(body, choices)]


def ask_reason(ctx: Ctx) -> list[Out]:
    lang = ctx.lang
    ctx.state["step"] = "reason"
    choices: list[Choice] = [(f"reason:{r.value}", t(key, lang)) for r, key in REASONS]
    body = t("mb_choose_reason", lang, booking_id=ctx.state["booking_id"])
    return [Menu(body, [*choices, ("back", t("btn_back", lang))])]


async def choose_reason(ctx: Ctx, reason: str) -> list[Out]:
    ctx.state.update(reason=reason, comment=None)
    if reason == CancelReason.OTHER.value:
        ctx.state["step"] = "comment"
        return [Text(t("mb_ask_comment", ctx.lang))]
    return await preview(ctx)


async def preview(ctx: Ctx) -> list[Out]:
    """What comes back is said before the guest confirms."""
    lang = ctx.lang
    async with ctx.deps.sessions() as session:
        p = await refund_preview(session, ctx.user_id, ctx.state["booking_id"], ctx.now())
    if p is None or not p.cancellable:
        ctx.state["step"] = "menu"
        return [Text(t("mb_not_cancellable", lang)), main_menu(lang)]
    b = p.booking
    key = "mb_preview_paid" if b.paid else "mb_preview_unpaid"
    body = t(
        key,
        lang,
        refund=kzt(p.refund),
        total=kzt(b.total),
        policy=t(f"policy_{b.cancellation_policy.value}", lang),
        booking_id=b.id,
    )
    ctx.state["step"] = "confirm"
    yes_no = [("yes", t("btn_confirm_cancel", lang)), ("no", t("btn_keep_booking", lang))]
    return [Menu(body, yes_no)]


async def confirm(ctx: Ctx) -> list[Out]:
    lang = ctx.lang
    booking_id = str(ctx.state["booking_id"])
    request = CancelRequest(
        reason=CancelReason(ctx.state["reason"]),
        comment=ctx.state.get("comment"),
        by_user_id=ctx.user_id,
        guest_told=True,  # the reply below says it, with the refund
    )
    ctx.state["step"] = "menu"
    try:
        client = await ctx.deps.booking_client()
        result = await client.cancel(booking_id, request)
    except (BookingRefused, BookingNotFound):
        return [Text(t("mb_not_cancellable", lang)), main_menu(lang)]
    except (RPCError, RuntimeError, OSError):
        return [Text(t("bk_service_down", lang)), main_menu(lang)]
    done = t("mb_cancelled", lang, booking_id=booking_id, refund=kzt(result.refund_amount))
    return [Text(done), main_menu(lang)]


def kept(ctx: Ctx) -> list[Out]:
    ctx.state["step"] = "menu"
    lang = ctx.lang
    return [Text(t("mb_kept", lang, booking_id=ctx.state["booking_id"])), main_menu(lang)]
