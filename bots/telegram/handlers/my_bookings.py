""" "📋 Мои бронирования": the journey's list of stays (bots/journey/my_bookings.py) — one
booking's details, cancelling with a reason after seeing the refund, a review of a finished
stay; every step after this one is the journey's (bots/telegram/handlers/booking.py)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.journey import my_bookings
from bots.telegram import journey
from bots.telegram.deps import BotDeps
from bots.texts import variants
from models import User

router = Router(name=__name__)


@router.message(F.text.in_(variants("btn_bookings")))
async def show_bookings(
    message: Message, state: FSMContext, session: AsyncSession, deps: BotDeps, user: User
) -> None:
    await session.close()  # the journey opens its own sessions
    await state.clear()
    j = journey.context(deps, user, {})
    await journey.show(message, state, deps, j, await my_bookings.show_list(j))
