"""Guest search in Telegram: "🔍 Поиск квартир" / "🔄 Новый поиск" start the shared journey's
search (when → guests → where → budget → results, bots/journey/search.py); a `/start
prop_<id>` link opens the apartment's card with "📅 Забронировать" and "⭐ В избранное"."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.telegram import journey
from bots.telegram import search_views as views
from bots.telegram.deps import BotDeps
from bots.telegram.keyboards import NOT_MENU, main_menu
from bots.telegram.screens import show_menu
from bots.telegram.search_flow import Search, open_apartment
from bots.texts import t, variants
from models import User
from services.favourites import add_favourite

router = Router(name=__name__)


@router.message(F.text.in_(variants("btn_search") | variants("search_btn_new")))
async def new_search(
    message: Message, state: FSMContext, session: AsyncSession, deps: BotDeps, user: User
) -> None:
    await session.close()  # the journey opens its own sessions
    await state.clear()
    await journey.start_search(message, state, deps, user)


async def open_property(
    message: Message,
    state: FSMContext,
    user: User,
    lang: str,
    property_id: int,
    *,
    session: AsyncSession,
) -> None:
    """The apartment card of a `/start prop_<id>` link."""
    await open_apartment(message, state, session, user, lang, property_id)


@router.message(Search.detail, F.text.in_(variants("search_btn_book")))
async def book(message: Message, state: FSMContext, deps: BotDeps, user: User) -> None:
    property_id = int((await state.get_data())["property_id"])
    await journey.book(message, state, deps, user, property_id)


@router.message(Search.detail, F.text.in_(variants("search_btn_add_favourite")))
async def add_to_favourites(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    data = await state.get_data()
    outcome = await add_favourite(
        session, user_id=user.id or 0, property_id=int(data["property_id"])
    )
    if outcome == "gone":
        await state.clear()
        await message.answer(
            t("search_property_not_found", lang), reply_markup=main_menu(user, lang)
        )
        return
    keyboard = views.apartment(lang, back_to_results=False)
    text = t("fav_added" if outcome == "added" else "fav_already", lang)
    await message.answer(text, reply_markup=keyboard)


@router.message(Search.detail, F.text.in_(variants("btn_search") | variants("btn_back")))
async def back_from_card(message: Message, state: FSMContext, user: User, lang: str) -> None:
    await show_menu(message, state, user, lang)


@router.message(Search.detail, NOT_MENU)
async def detail_unknown(message: Message, lang: str) -> None:
    keyboard = views.apartment(lang, back_to_results=False)
    await message.answer(t("search_unknown_detail", lang), reply_markup=keyboard)
