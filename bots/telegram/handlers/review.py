"""A rating button (from the workflow's review request or the journey's "rate this stay")
starts or answers the review journey (bots/journey/review.py) in any state. This router
sits before the other feature routers."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.journey import review
from bots.telegram import journey
from bots.telegram.deps import BotDeps
from core.notification_catalogue import RATING_BUTTONS
from models import User

router = Router(name=__name__)


@router.message(F.text.in_(RATING_BUTTONS))
async def rating_pressed(
    message: Message, state: FSMContext, session: AsyncSession, deps: BotDeps, user: User
) -> None:
    await session.close()  # the journey opens its own sessions
    rating = RATING_BUTTONS.index(message.text or "") + 1
    j = journey.context(deps, user, await state.get_data())
    await journey.show(message, state, deps, j, await review.rate(j, rating))
