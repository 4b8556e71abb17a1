"""Anything unexpected on the owner's list or card: a hint, the state kept.

Included after the other owner routers, so their buttons are matched first.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import Message

from bots.telegram.owner_keyboards import card_actions
from bots.telegram.owner_states import OwnerStates
from bots.texts import t

router = Router(name=__name__)


@router.message(OwnerStates.properties)
async def list_unknown(message: Message, lang: str) -> None:
    await message.answer(t("owner_unknown_list_choice", lang))


@router.message(OwnerStates.card)
async def card_unknown(message: Message, lang: str) -> None:
    await message.answer(t("owner_unknown_card_action", lang), reply_markup=card_actions(lang))
