"""The owner's booking actions: confirm an invoice payment, cancel a guest's booking.

"📑 Брони" → "📥 Ожидают оплаты по счёту" / "📅 Предстоящие брони" → a booking →
"✅ Подтвердить оплату" (signals the workflow) or "❌ Отменить бронь гостя" → reason →
confirmation with the refund → the workflow cancels, refunds and tells the guest.
Owners see their apartments' bookings only; super_admin and super_user see all. The card
shows the guest masked, except to the apartment's own owner once the booking is paid.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.telegram import owner_actions_views as views
from bots.telegram.deps import BotDeps
from bots.telegram.keyboards import main_menu
from bots.texts import t, variants
from core.clock import today_local
from core.money import kzt
from models import User
from models.booking_io import CancelRequest, ManualPaymentConfirmation
from models.enums import CancelReason
from services.booking_client import BookingNotFound, BookingRefused
from services.owner_actions import (
    OwnerBooking,
    cancelled_by,
    owner_booking,
    pending_invoices,
    refund_preview,
    upcoming_bookings,
)
from services.scope import Scope, scope_of

router = Router(name=__name__)
MAX_COMMENT = 500
REASONS = {
    "btn_oa_reason_owner_unavailable": CancelReason.OWNER_UNAVAILABLE,
    "btn_oa_reason_other": CancelReason.OTHER,
}


class OwnerBookingStates(StatesGroup):
    menu = State()
    choosing = State()
    card = State()
    reason = State()
    comment = State()
    confirm_cancel = State()


def _now() -> datetime:
    return datetime.now(UTC)


async def _denied(message: Message, user: User, lang: str) -> None:
    await message.answer(t("not_allowed", lang), reply_markup=main_menu(user, lang))


async def _show_menu(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(OwnerBookingStates.menu)
    await message.answer(t("oa_menu", lang), reply_markup=views.menu(lang))


async def _show_list(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    scope: Scope,
    user: User,
    lang: str,
    kind: str,
) -> None:
    if kind == "pending":
        items = await pending_invoices(session, scope, viewer_id=user.id)
    else:
        items = await upcoming_bookings(session, scope, today_local(), viewer_id=user.id)
    if not items:
        await state.set_state(OwnerBookingStates.menu)
        await message.answer(t(f"oa_{kind}_empty", lang), reply_markup=views.menu(lang))
        return
    await state.set_state(OwnerBookingStates.choosing)
    await state.update_data(oa_list=kind)
    await message.answer(
        views.list_text(f"oa_{kind}_title", items, lang),
        reply_markup=views.booking_list(items, lang),
    )


async def _show_card(message: Message, state: FSMContext, item: OwnerBooking, lang: str) -> None:
    now = _now()
    await state.set_state(OwnerBookingStates.card)
    await state.update_data(oa_booking=item.booking_id)
    await message.answer(
        views.card_text(item, now, lang), reply_markup=views.card_actions(item, now, lang)
    )


async def _chosen(
    state: FSMContext, session: AsyncSession, scope: Scope, user: User
) -> OwnerBooking | None:
    booking_id = (await state.get_data()).get("oa_booking")
    if not booking_id:
        return None
    return await owner_booking(session, scope, str(booking_id), viewer_id=user.id)


# --- entry ---------------------------------------------------------------------------------


@router.message(F.text.in_(variants("btn_oa_bookings")))
async def open_menu(message: Message, state: FSMContext, user: User, lang: str) -> None:
    if scope_of(user) is None:
        await _denied(message, user, lang)
        return
    await _show_menu(message, state, lang)


@router.message(
    OwnerBookingStates.menu, F.text.in_(variants("btn_oa_pending") | variants("btn_oa_upcoming"))
)
@router.message(
    OwnerBookingStates.choosing,
    F.text.in_(variants("btn_oa_pending") | variants("btn_oa_upcoming")),
)
async def open_list(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    scope = scope_of(user)
    if scope is None:
        await _denied(message, user, lang)
        return
    kind = "pending" if message.text in variants("btn_oa_pending") else "upcoming"
    await _show_list(message, state, session, scope, user, lang, kind)


@router.message(OwnerBookingStates.choosing, F.text.in_(variants("btn_back")))
@router.message(OwnerBookingStates.card, F.text.in_(variants("btn_back")))
async def back_to_menu_or_list(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    scope = scope_of(user)
    if scope is None:
        await _denied(message, user, lang)
        return
    if await state.get_state() == OwnerBookingStates.card.state:
        kind = (await state.get_data()).get("oa_list", "pending")
        await _show_list(message, state, session, scope, user, lang, str(kind))
        return
    await _show_menu(message, state, lang)


@router.message(OwnerBookingStates.menu, F.text.in_(variants("btn_back")))
async def back_to_main(message: Message, state: FSMContext, user: User, lang: str) -> None:
    await state.clear()
    await message.answer(t("main_menu", lang), reply_markup=main_menu(user, lang))


@router.message(OwnerBookingStates.choosing, F.text)
async def choose_booking(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    scope = scope_of(user)
    if scope is None:
        await _denied(message, user, lang)
        return
    booking_id = views.booking_id_in(message.text)
    item = None
    if booking_id:
        item = await owner_booking(session, scope, booking_id, viewer_id=user.id)
    if item is None:  # unknown text, or another owner's booking: never shown
        await message.answer(t("oa_not_found", lang))
        return
    await _show_card(message, state, item, lang)


# --- confirm an invoice payment ------------------------------------------------------------


@router.message(OwnerBookingStates.card, F.text.in_(variants("btn_oa_confirm")))
async def confirm_payment(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
) -> None:
    scope = scope_of(user)
    item = await _chosen(state, session, scope, user) if scope else None
    if scope is None or item is None or user.id is None:
        await _denied(message, user, lang)
        return
    if not item.awaits_invoice_payment:
        await _refused_confirm(message, item, lang)
        return
    await session.close()  # no connection held while the workflow works
    client = await deps.booking_client()
    try:
        await client.confirm_manual_payment(
            item.booking_id, ManualPaymentConfirmation(confirmed_by_user_id=user.id)
        )
    except (BookingRefused, BookingNotFound):
        fresh = await owner_booking(session, scope, item.booking_id, viewer_id=user.id)
        await _refused_confirm(message, fresh or item, lang)
        return
    await state.set_state(OwnerBookingStates.menu)
    await message.answer(
        t("oa_confirmed", lang, booking_id=item.booking_id), reply_markup=views.menu(lang)
    )


async def _refused_confirm(message: Message, item: OwnerBooking, lang: str) -> None:
    await message.answer(
        t(
            "oa_confirm_refused",
            lang,
            booking_id=item.booking_id,
            status=views.status_name(item.status, lang),
        ),
        reply_markup=views.card_actions(item, _now(), lang),
    )


# --- cancel as the owner ------------------------------------------------------------------


@router.message(OwnerBookingStates.card, F.text.in_(variants("btn_oa_cancel")))
async def ask_reason(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    scope = scope_of(user)
    item = await _chosen(state, session, scope, user) if scope else None
    if scope is None or item is None:
        await _denied(message, user, lang)
        return
    if not item.cancellable(_now()):
        await _refused_cancel(message, item, lang)
        return
    await state.set_state(OwnerBookingStates.reason)
    await message.answer(
        t("oa_choose_reason", lang, booking_id=item.booking_id), reply_markup=views.reasons(lang)
    )


@router.message(OwnerBookingStates.reason, F.text.in_(variants("btn_oa_reason_owner_unavailable")))
async def reason_unavailable(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    await state.update_data(oa_reason=CancelReason.OWNER_UNAVAILABLE.value, oa_comment=None)
    await _ask_confirmation(message, state, session, user, lang)


@router.message(OwnerBookingStates.reason, F.text.in_(variants("btn_oa_reason_other")))
async def reason_other(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(OwnerBookingStates.comment)
    await message.answer(t("oa_ask_comment", lang), reply_markup=views.back_only(lang))


@router.message(OwnerBookingStates.reason, F.text.in_(variants("btn_back")))
async def reason_back(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    scope = scope_of(user)
    item = await _chosen(state, session, scope, user) if scope else None
    if item is None:
        await _show_menu(message, state, lang)
        return
    await _show_card(message, state, item, lang)


@router.message(OwnerBookingStates.comment, F.text.in_(variants("btn_back")))
@router.message(OwnerBookingStates.confirm_cancel, F.text.in_(variants("btn_back")))
async def back_to_reasons(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(OwnerBookingStates.reason)
    await message.answer(t("oa_ask_reason_again", lang), reply_markup=views.reasons(lang))


@router.message(OwnerBookingStates.comment, F.text)
async def comment_given(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    comment = (message.text or "").strip()
    if not comment or len(comment) > MAX_COMMENT:
        await message.answer(t("oa_comment_too_long", lang), reply_markup=views.back_only(lang))
        return
    await state.update_data(oa_reason=CancelReason.OTHER.value, oa_comment=comment)
    await _ask_confirmation(message, state, session, user, lang)


async def _ask_confirmation(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    scope = scope_of(user)
    item = await _chosen(state, session, scope, user) if scope else None
    if scope is None or item is None:
        await _denied(message, user, lang)
        return
    data = await state.get_data()
    reason = t(f"oa_reason_{data['oa_reason']}", lang)
    if data.get("oa_comment"):
        reason += f" — {data['oa_comment']}"
    refund = refund_preview(item, scope, _now())
    await state.set_state(OwnerBookingStates.confirm_cancel)
    await message.answer(
        views.confirm_cancel_text(item, reason, refund, lang),
        reply_markup=views.confirm_cancel(lang),
    )


@router.message(OwnerBookingStates.confirm_cancel, F.text.in_(variants("btn_oa_cancel_yes")))
async def cancel_booking(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
) -> None:
    scope = scope_of(user)
    item = await _chosen(state, session, scope, user) if scope else None
    if scope is None or item is None:
        await _denied(message, user, lang)
        return
    data = await state.get_data()
    request = CancelRequest(
        reason=CancelReason(data["oa_reason"]),
        comment=data.get("oa_comment"),
        by=cancelled_by(scope),
        by_user_id=user.id,
    )
    await session.close()
    client = await deps.booking_client()
    try:
        result = await client.cancel(item.booking_id, request)
    except (BookingRefused, BookingNotFound):
        await state.set_state(OwnerBookingStates.card)
        await _refused_cancel(message, item, lang)
        return
    await state.set_state(OwnerBookingStates.menu)
    await message.answer(
        t("oa_cancelled", lang, booking_id=item.booking_id, refund=kzt(result.refund_amount)),
        reply_markup=views.menu(lang),
    )


async def _refused_cancel(message: Message, item: OwnerBooking, lang: str) -> None:
    await message.answer(
        t(
            "oa_cancel_refused",
            lang,
            booking_id=item.booking_id,
            detail=t("oa_cancel_too_late", lang),
        ),
        reply_markup=views.card_actions(item, _now(), lang),
    )


# --- anything else inside these screens: a hint, the state kept --------------------------


@router.message(OwnerBookingStates.menu)
async def menu_unknown(message: Message, lang: str) -> None:
    await message.answer(t("unknown_input", lang), reply_markup=views.menu(lang))


@router.message(OwnerBookingStates.choosing)
async def choosing_unknown(message: Message, lang: str) -> None:
    await message.answer(t("oa_not_found", lang))


@router.message(OwnerBookingStates.card)
@router.message(OwnerBookingStates.reason)
@router.message(OwnerBookingStates.confirm_cancel)
@router.message(OwnerBookingStates.comment)
async def step_unknown(message: Message, lang: str) -> None:
    await message.answer(t("unknown_input", lang))
