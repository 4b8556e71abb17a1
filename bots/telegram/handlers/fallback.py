"""Last router: the first message ever (no /start) gets the menu; anything unexpected a
friendly hint, with the conversation state kept; stale inline buttons the menu."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bots.telegram.keyboards import main_menu
from bots.texts import t
from models import User

router = Router(name=__name__)


@router.message()
async def anything_else(message: Message, state: FSMContext, user: User, lang: str) -> None:
    if await state.get_state() is None:
        await message.answer(t("welcome", lang), reply_markup=main_menu(user, lang))
        return
    await message.answer(t("unknown_input", lang))


@router.callback_query()
async def stale_button(query: CallbackQuery, state: FSMContext, user: User, lang: str) -> None:
    await query.answer()
    await state.clear()
    if query.message is not None:
        await query.message.answer(t("stale_button", lang), reply_markup=main_menu(user, lang))
