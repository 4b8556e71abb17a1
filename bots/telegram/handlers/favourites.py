"""⭐ Избранное: the journey's favourites list (bots/journey/favourites.py) — each apartment
to open (its card, then its dates) or to remove."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.journey import favourites as journey_favourites
from bots.telegram import journey
from bots.telegram.deps import BotDeps
from bots.texts import variants
from models import User

router = Router(name=__name__)


@router.message(F.text.in_(variants("btn_favourites")))
async def favourites(
    message: Message, state: FSMContext, session: AsyncSession, deps: BotDeps, user: User
) -> None:
    await session.close()  # the journey opens its own sessions
    await state.clear()
    j = journey.context(deps, user, {})
    await journey.show(message, state, deps, j, await journey_favourites.show(j))
