"""Screens several handler modules show (so they need not import each other)."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bots.telegram.keyboards import main_menu
from bots.texts import t
from models import User


async def show_menu(
    message: Message, state: FSMContext, user: User, lang: str, *, key: str = "main_menu"
) -> None:
    """Clears the conversation and shows the main menu; every "🧭" button ends here."""
    await state.clear()
    await message.answer(t(key, lang), reply_markup=main_menu(user, lang))
