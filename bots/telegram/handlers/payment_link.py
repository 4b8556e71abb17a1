""" "🔄 Новая ссылка на оплату" (the button of the workflow's "kaspi_link_failed" message):
a new Kaspi link for the guest's booking that waits for a Kaspi payment, in any state.

This router sits before the other feature routers, like the review's rating buttons.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.service import RPCError

from bots.payment_screens import renew_refused_text
from bots.telegram.deps import BotDeps
from bots.telegram.handlers.booking import answer_payment
from bots.telegram.keyboards import main_menu
from bots.texts import t
from core.notification_catalogue import NEW_PAYMENT_LINK_BUTTON
from models import User
from services.booking_client import BookingNotFound, BookingRefused
from services.guest_bookings import latest_awaiting_kaspi

router = Router(name=__name__)


@router.message(F.text == NEW_PAYMENT_LINK_BUTTON)
async def new_payment_link(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
) -> None:
    await state.clear()
    waiting = await latest_awaiting_kaspi(session, user.id or 0)
    if waiting is None:
        await message.answer(
            t("bk_renew_nothing_waiting", lang), reply_markup=main_menu(user, lang)
        )
        return
    await session.close()  # no connection held while the workflow works
    try:
        client = await deps.booking_client()
        payment = await client.renew_payment_link(waiting.id)
    except BookingRefused as exc:
        text = renew_refused_text(str(exc), lang)
        await message.answer(text, reply_markup=main_menu(user, lang))
        return
    except BookingNotFound:
        await message.answer(t("bk_renew_refused", lang), reply_markup=main_menu(user, lang))
        return
    except (RPCError, RuntimeError):
        await message.answer(t("bk_service_down", lang), reply_markup=main_menu(user, lang))
        return
    phone = waiting.contact_phone or user.phone or ""
    await answer_payment(message, waiting.id, payment, waiting.expires_at, phone, user, lang, deps)
