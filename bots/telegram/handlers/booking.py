"""Booking an apartment in Telegram: `/book_<id>`, and every message while the guest is on
a step of the shared journey (dates, nights, guests, quote, phone, payment) — the steps
themselves are bots/journey's, drawn by bots/telegram/journey.py."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.telegram import journey
from bots.telegram.deps import BotDeps
from bots.telegram.keyboards import NOT_MENU
from models import User

router = Router(name=__name__)


@router.message(F.text.regexp(r"^/book_\d{1,9}$"))
async def book_command(
    message: Message, state: FSMContext, session: AsyncSession, deps: BotDeps, user: User
) -> None:
    """`/book_<id>`: the apartment's card and its dates (links in messages, `make chat`)."""
    await session.close()  # the journey opens its own sessions
    property_id = int(str(message.text).removeprefix("/book_"))
    await journey.open_apartment(message, state, deps, user, property_id)


@router.message(journey.JourneyStates.active, NOT_MENU)
async def journey_step(
    message: Message, state: FSMContext, session: AsyncSession, deps: BotDeps, user: User
) -> None:
    # The journey opens its own sessions: none is held while the workflow answers the hold.
    await session.close()
    await journey.answer(message, state, deps, user)
