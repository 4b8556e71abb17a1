""" "🔄 Новая ссылка на оплату" (the button of the workflow's "kaspi_link_failed" message):
a new Kaspi link for the guest's booking that waits for a Kaspi payment, in any state
(bots/journey/payment.renew_link). This router sits before the other feature routers,
like the review's rating buttons.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bots.journey.payment import renew_link
from bots.telegram import journey
from bots.telegram.deps import BotDeps
from core.notification_catalogue import NEW_PAYMENT_LINK_BUTTON
from models import User

router = Router(name=__name__)


@router.message(F.text == NEW_PAYMENT_LINK_BUTTON)
async def new_payment_link(message: Message, state: FSMContext, deps: BotDeps, user: User) -> None:
    await state.clear()
    j = journey.context(deps, user, {})
    await journey.show(message, state, deps, j, await renew_link(j))
