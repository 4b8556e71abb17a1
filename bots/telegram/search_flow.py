"""The apartment card screen of a `/start prop_<id>` link (its photos, the card, "📅
Забронировать", "⭐ В избранное"); the search itself is the shared journey's
(bots/journey/search.py), drawn by bots/telegram/journey.py."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message, ReplyKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bots import cards
from bots.telegram import search_views as views
from bots.telegram.keyboards import main_menu
from bots.texts import t
from models import User
from services.property_media import telegram_photos
from services.search import property_card


class Search(StatesGroup):
    detail = State()


async def send_apartment(
    message: Message,
    session: AsyncSession,
    user: User,
    lang: str,
    property_id: int,
    keyboard: ReplyKeyboardMarkup,
) -> bool:
    """Its photos (one album), then the full card with `keyboard`; False (and the menu) if
    it is gone."""
    card = await property_card(session, property_id)
    if card is None:
        await message.answer(
            t("search_property_not_found", lang), reply_markup=main_menu(user, lang)
        )
        return False
    photos = (await telegram_photos(session, [card.id])).get(card.id, [])
    await views.send_photos(message, photos, card.title)
    await message.answer(cards.detail_text(card, lang), reply_markup=keyboard)
    return True


async def open_apartment(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    property_id: int,
) -> None:
    if not await send_apartment(
        message, session, user, lang, property_id, views.apartment(lang, back_to_results=False)
    ):
        await state.clear()
        return
    await state.set_state(Search.detail)
    await state.update_data(property_id=property_id)
