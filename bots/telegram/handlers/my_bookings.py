""" "📋 Мои бронирования": upcoming and past stays, one booking's details, cancelling with a
reason after seeing the refund the policy gives, and a review for a finished stay."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.service import RPCError

from bots.telegram import booking_views as views
from bots.telegram.deps import BotDeps
from bots.telegram.handlers.review import ask_rating
from bots.telegram.keyboards import NOT_MENU, main_menu
from bots.texts import key_of, t, variants
from core.clock import today_local
from core.money import kzt
from models import User
from models.booking_io import CancelRequest
from models.enums import CancelledBy, CancelReason
from services.booking_client import BookingNotFound, BookingRefused
from services.guest_bookings import GuestBooking, guest_booking, guest_bookings
from services.refunds import refund_preview
from services.search_places import city_name

router = Router(name=__name__)
MAX_COMMENT = 500
REASONS = {
    "btn_reason_plans": CancelReason.PLANS_CHANGED,
    "btn_reason_found": CancelReason.FOUND_ANOTHER,
    "btn_reason_price": CancelReason.PRICE,
    "btn_reason_other": CancelReason.OTHER,
}


class MyBookingsStates(StatesGroup):
    choosing = State()
    details = State()
    reason = State()
    comment = State()
    confirm = State()


def _line(b: GuestBooking, lang: str) -> str:
    return t(
        "mb_line",
        lang,
        booking_id=b.id,
        title=b.property_title,
        check_in=views.full_day(b.check_in),
        check_out=views.full_day(b.check_out),
        total=kzt(b.total),
        status=t(f"status_{b.status.value}", lang),
    )


@router.message(F.text.in_(variants("btn_bookings")))
async def show_bookings(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    found = await guest_bookings(session, user.id or 0, today_local())
    if not found.upcoming and not found.past:
        await state.clear()
        await message.answer(t("mb_empty", lang), reply_markup=main_menu(user, lang))
        return
    parts = [t("mb_title", lang)]
    for key, items in (("mb_upcoming", found.upcoming), ("mb_past", found.past)):
        if items:
            parts.append("\n" + t(key, lang))
            parts += [_line(b, lang) for b in items]
    parts.append("\n" + t("mb_pick", lang))
    await state.set_state(MyBookingsStates.choosing)
    ids = [b.id for b in [*found.upcoming, *found.past]]
    await message.answer("\n".join(parts), reply_markup=views.booking_list(ids, lang))


@router.message(MyBookingsStates.choosing, NOT_MENU)
async def booking_picked(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    found = views.BOOKING_ID.search(message.text or "")
    booking = await guest_booking(session, user.id or 0, found.group(1)) if found else None
    if booking is None:
        await message.answer(t("mb_unknown_booking", lang))
        return
    await state.update_data(mb_booking_id=booking.id)
    await _show_details(message, state, lang, booking)


async def _show_details(
    message: Message, state: FSMContext, lang: str, booking: GuestBooking
) -> None:
    text = t(
        "mb_details",
        lang,
        booking_id=booking.id,
        title=booking.property_title,
        city=city_name(booking.city, lang),
        address=booking.address,
        check_in=views.full_day(booking.check_in),
        check_out=views.full_day(booking.check_out),
        nights=booking.nights,
        total=kzt(booking.total),
        method=t(f"method_{booking.payment_method.value}", lang),
        status=t(f"status_{booking.status.value}", lang),
        policy=views.policy_line(booking.cancellation_policy.value, lang),
    )
    if booking.refund_amount:
        text += "\n" + t("mb_refunded", lang, refund=kzt(booking.refund_amount))
    await state.set_state(MyBookingsStates.details)
    keyboard = views.booking_actions(
        lang, cancel=booking.cancellable(datetime.now(UTC)), review=booking.reviewable
    )
    await message.answer(text, reply_markup=keyboard)


async def _chosen(session: AsyncSession, state: FSMContext, user: User) -> GuestBooking | None:
    booking_id = (await state.get_data()).get("mb_booking_id")
    return await guest_booking(session, user.id or 0, str(booking_id)) if booking_id else None


@router.message(MyBookingsStates.details, F.text.in_(variants("btn_back")))
async def back_to_list(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    await show_bookings(message, state, session, user, lang)


@router.message(MyBookingsStates.details, NOT_MENU)
async def booking_action(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    booking = await _chosen(session, state, user)
    if booking is None:
        await show_bookings(message, state, session, user, lang)
        return
    action = key_of(message.text, "btn_cancel_booking", "btn_leave_review")
    if action == "btn_cancel_booking" and booking.cancellable(datetime.now(UTC)):
        await _ask_reason(message, state, lang, booking.id)
    elif action == "btn_leave_review" and booking.reviewable:
        await ask_rating(message, state, lang, booking)
    else:
        await message.answer(t("unknown_input", lang))


async def _ask_reason(message: Message, state: FSMContext, lang: str, booking_id: str) -> None:
    await state.set_state(MyBookingsStates.reason)
    await message.answer(
        t("mb_choose_reason", lang, booking_id=booking_id), reply_markup=views.cancel_reasons(lang)
    )


# --- cancelling ---------------------------------------------------------------------------


@router.message(MyBookingsStates.reason, F.text.in_(variants("btn_back")))
async def back_to_details(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    booking = await _chosen(session, state, user)
    if booking is None:
        await show_bookings(message, state, session, user, lang)
        return
    await _show_details(message, state, lang, booking)


@router.message(MyBookingsStates.reason, NOT_MENU)
async def reason_chosen(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    key = key_of(message.text, *REASONS)
    if key is None:
        await message.answer(t("mb_reason_unknown", lang), reply_markup=views.cancel_reasons(lang))
        return
    await state.update_data(mb_reason=REASONS[key].value, mb_comment=None)
    if REASONS[key] is CancelReason.OTHER:
        await state.set_state(MyBookingsStates.comment)
        await message.answer(t("mb_ask_comment", lang), reply_markup=views.back_only(lang))
        return
    await _preview(message, state, session, user, lang)


@router.message(MyBookingsStates.comment, F.text.in_(variants("btn_back")))
async def back_to_reasons(message: Message, state: FSMContext, lang: str) -> None:
    booking_id = str((await state.get_data()).get("mb_booking_id"))
    await _ask_reason(message, state, lang, booking_id)


@router.message(MyBookingsStates.comment, NOT_MENU)
async def comment_written(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    comment = (message.text or "").strip()
    if not comment or len(comment) > MAX_COMMENT:
        await message.answer(t("mb_comment_expected", lang), reply_markup=views.back_only(lang))
        return
    await state.update_data(mb_comment=comment)
    await _preview(message, state, session, user, lang)


async def _preview(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    """The refund the policy gives if cancelled now, shown before the guest confirms."""
    booking_id = str((await state.get_data()).get("mb_booking_id"))
    preview = await refund_preview(session, user.id or 0, booking_id, datetime.now(UTC))
    if preview is None or not preview.cancellable:
        await state.clear()
        await message.answer(t("mb_not_cancellable", lang), reply_markup=main_menu(user, lang))
        return
    booking = preview.booking
    key = "mb_preview_paid" if booking.paid else "mb_preview_unpaid"
    text = t(
        key,
        lang,
        booking_id=booking.id,
        refund=kzt(preview.refund),
        total=kzt(booking.total),
        policy=views.policy_line(booking.cancellation_policy.value, lang),
    )
    await state.set_state(MyBookingsStates.confirm)
    await message.answer(text, reply_markup=views.confirm_cancel(lang))


@router.message(MyBookingsStates.confirm, F.text.in_(variants("btn_keep_booking")))
async def cancel_declined(message: Message, state: FSMContext, user: User, lang: str) -> None:
    booking_id = str((await state.get_data()).get("mb_booking_id"))
    await state.clear()
    await message.answer(
        t("mb_kept", lang, booking_id=booking_id), reply_markup=main_menu(user, lang)
    )


@router.message(MyBookingsStates.confirm, F.text.in_(variants("btn_confirm_cancel")))
async def cancel_confirmed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
) -> None:
    data = await state.get_data()
    booking_id = str(data.get("mb_booking_id"))
    request = CancelRequest(
        reason=CancelReason(data["mb_reason"]),
        comment=data.get("mb_comment"),
        by=CancelledBy.GUEST,
        by_user_id=user.id,
        guest_told=True,  # the reply below says it, with the refund
    )
    await session.close()  # no connection held while the workflow works
    try:
        client = await deps.booking_client()
        result = await client.cancel(booking_id, request)
    except (BookingRefused, BookingNotFound):
        await state.clear()
        await message.answer(t("mb_not_cancellable", lang), reply_markup=main_menu(user, lang))
        return
    except (RPCError, RuntimeError):
        await message.answer(t("bk_service_down", lang), reply_markup=views.confirm_cancel(lang))
        return
    await state.clear()
    await message.answer(
        t("mb_cancelled", lang, booking_id=booking_id, refund=kzt(result.refund_amount)),
        reply_markup=main_menu(user, lang),
    )


@router.message(MyBookingsStates.confirm, NOT_MENU)
async def confirm_expected(message: Message, lang: str) -> None:
    await message.answer(t("mb_confirm_expected", lang), reply_markup=views.confirm_cancel(lang))
