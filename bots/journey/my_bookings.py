"""My bookings: upcoming and past stays, one booking's details (with what was refunded),
cancelling with a reason after seeing the refund the policy gives, and a review of a
finished stay (bots/journey/review.py).

State keys: `listed` (the booking ids on the list), `booking_id`, `reason`, `comment`.
"""

from __future__ import annotations

import re

from temporalio.service import RPCError

from bots.journey import review
from bots.journey.context import Journey
from bots.journey.screens import BACK, Choice, Home, Menu, Out, Said, Text, full_day
from bots.texts import t
from core.money import kzt
from models.booking_io import CancelRequest
from models.enums import CancelledBy, CancelReason
from services.booking_client import BookingNotFound, BookingRefused
from services.guest_bookings import GuestBooking, guest_booking, guest_bookings
from services.refunds import refund_preview
from services.search_places import city_name

STEPS = frozenset({"bookings", "booking", "reason", "comment", "confirm"})
SHOWN = 9  # with the main menu: ≤10 WhatsApp list rows
MAX_COMMENT = 500
BOOKING_ID = re.compile(r"\b([0-9A-HJKMNP-TV-Z]{10})\b")
REASONS = (
    (CancelReason.PLANS_CHANGED, "btn_reason_plans"),
    (CancelReason.FOUND_ANOTHER, "btn_reason_found"),
    (CancelReason.PRICE, "btn_reason_price"),
    (CancelReason.OTHER, "btn_reason_other"),
)


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


async def show_list(j: Journey, notice: str = "") -> list[Out]:
    lang = j.lang
    async with j.deps.sessions() as session:
        found = await guest_bookings(session, j.user_id, j.today())
    upcoming, past = found.upcoming[:SHOWN], found.past[: max(0, SHOWN - len(found.upcoming))]
    if not upcoming and not past:
        return [Home(t("mb_empty", lang))]
    parts = [notice, t("mb_title", lang)] if notice else [t("mb_title", lang)]
    for key, items in (("mb_upcoming", upcoming), ("mb_past", past)):
        if items:
            parts.append("\n" + t(key, lang))
            parts += [_line(b, lang) for b in items]
    parts.append("\n" + t("mb_pick", lang))
    every = [*upcoming, *past]
    choices: list[Choice] = [(f"bk:{b.id}", f"📄 {b.id} · {b.check_in:%d.%m}") for b in every]
    j.state.clear()
    j.state.update(step="bookings", listed=[b.id for b in every])
    return [Menu("\n".join(parts), choices, width=2)]


async def show_one(j: Journey, booking_id: str, notice: str = "") -> list[Out]:
    lang = j.lang
    async with j.deps.sessions() as session:
        b = await guest_booking(session, j.user_id, booking_id)
    if b is None:
        return await show_list(j, t("mb_unknown_booking", lang))
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
    if b.refund_amount:
        body += "\n" + t("mb_refunded", lang, refund=kzt(b.refund_amount))
    if notice:
        body = f"{notice}\n\n{body}"
    choices: list[Choice] = []
    if b.cancellable(j.now()):
        choices.append(("cancel", t("btn_cancel_booking", lang)))
    if b.reviewable:
        choices.append(("review", t("btn_leave_review", lang)))
    choices.append((BACK, t("btn_back", lang)))
    j.state.update(step="booking", booking_id=b.id)
    return [Menu(body, choices, width=1)]


def _ask_reason(j: Journey, notice: str = "") -> list[Out]:
    lang = j.lang
    j.state["step"] = "reason"
    choices: list[Choice] = [(f"reason:{r.value}", t(key, lang)) for r, key in REASONS]
    body = t("mb_choose_reason", lang, booking_id=j.state["booking_id"])
    choices.append((BACK, t("btn_back", lang)))
    return [Menu(f"{notice}\n\n{body}" if notice else body, choices)]


def _ask_comment(j: Journey, key: str = "mb_ask_comment") -> list[Out]:
    j.state["step"] = "comment"
    return [Menu(t(key, j.lang), [(BACK, t("btn_back", j.lang))], numbered=False)]


async def _preview(j: Journey) -> list[Out]:
    """What comes back is said before the guest confirms."""
    lang = j.lang
    async with j.deps.sessions() as session:
        p = await refund_preview(session, j.user_id, j.state["booking_id"], j.now())
    if p is None or not p.cancellable:
        return [Home(t("mb_not_cancellable", lang))]
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
    j.state["step"] = "confirm"
    return [_confirm_menu(j, body)]


def _confirm_menu(j: Journey, body: str) -> Menu:
    lang = j.lang
    yes_no = [("yes", t("btn_confirm_cancel", lang)), ("no", t("btn_keep_booking", lang))]
    return Menu(body, yes_no)


async def _cancel(j: Journey) -> list[Out]:
    lang = j.lang
    booking_id = str(j.state["booking_id"])
    request = CancelRequest(
        reason=CancelReason(j.state["reason"]),
        comment=j.state.get("comment"),
        by=CancelledBy.GUEST,
        by_user_id=j.user_id,
        guest_told=True,  # the reply below says it, with the refund
    )
    try:
        client = await j.deps.booking_client()
        result = await client.cancel(booking_id, request)
    except (BookingRefused, BookingNotFound):
        return [Home(t("mb_not_cancellable", lang))]
    except (RPCError, RuntimeError, OSError):
        return [Text(t("bk_service_down", lang)), _confirm_menu(j, t("mb_confirm_expected", lang))]
    return [Home(t("mb_cancelled", lang, booking_id=booking_id, refund=kzt(result.refund_amount)))]


async def answer(j: Journey, said: Said) -> list[Out]:
    step, lang, picked = str(j.state.get("step")), j.lang, said.picked
    if step == "bookings":
        chosen = picked.removeprefix("bk:") if picked else _typed_id(j, said.text)
        if chosen is None:
            return await show_list(j, t("mb_unknown_booking", lang))
        return await show_one(j, chosen)
    if step == "booking":
        if picked == "cancel":
            return _ask_reason(j)
        if picked == "review":
            return await review.ask_rating(j, str(j.state["booking_id"]))
        if picked == BACK:
            return await show_list(j)
        return await show_one(j, str(j.state["booking_id"]), t("unknown_input", lang))
    if step == "reason":
        if picked == BACK:
            return await show_one(j, str(j.state["booking_id"]))
        if not picked or not picked.startswith("reason:"):
            return _ask_reason(j, t("mb_reason_unknown", lang))
        reason = picked.removeprefix("reason:")
        j.state.update(reason=reason, comment=None)
        if reason == CancelReason.OTHER.value:
            return _ask_comment(j)
        return await _preview(j)
    if step == "comment":
        if picked == BACK:
            return _ask_reason(j)
        comment = said.text.strip()
        if not comment or len(comment) > MAX_COMMENT:
            return _ask_comment(j, "mb_comment_expected")
        j.state["comment"] = comment
        return await _preview(j)
    # confirm
    if picked == "yes":
        return await _cancel(j)
    if picked == "no":
        return [Home(t("mb_kept", lang, booking_id=j.state["booking_id"]))]
    return [_confirm_menu(j, t("mb_confirm_expected", lang))]


def _typed_id(j: Journey, text: str) -> str | None:
    """A booking id typed (or a Telegram button's "📄 <id>") among those listed."""
    found = BOOKING_ID.search(text.upper())
    listed: list[str] = j.state.get("listed") or []
    return found.group(1) if found and found.group(1) in listed else None
