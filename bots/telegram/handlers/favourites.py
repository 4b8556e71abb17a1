"""⭐ Favourites: one numbered list, each apartment to open (then book) or to remove."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots import cards as texts
from bots.telegram import journey
from bots.telegram import search_views as views
from bots.telegram.deps import BotDeps
from bots.telegram.keyboards import NOT_MENU, main_menu
from bots.telegram.search_flow import send_apartment
from bots.texts import t, variants
from models import User
from services.favourites import favourite_cards, remove_favourite

router = Router(name=__name__)


class Favourites(StatesGroup):
    browsing = State()
    detail = State()


@router.message(F.text.in_(variants("btn_favourites")))
async def favourites(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    await show_favourites(message, state, session, user, lang)


async def show_favourites(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    """Every favourite in one numbered list; the keyboard opens or removes each one."""
    await state.clear()
    cards = await favourite_cards(session, user_id=user.id or 0)
    if not cards:
        await message.answer(t("fav_empty", lang), reply_markup=main_menu(user, lang))
        return
    items: list[dict[str, Any]] = []
    for n, card in enumerate(cards, start=1):
        items.append(
            {
                "id": card.id,
                "n": n,
                "title": card.title,
                "open": views.pick_label(n, card.title),
                "remove": t("fav_btn_remove", lang, n=n),
            }
        )
    await state.set_state(Favourites.browsing)
    await state.update_data(fav_items=items)
    await _list_prompt(message, items, lang, texts.favourites_text(cards, lang))


async def _list_prompt(message: Message, items: list[dict[str, Any]], lang: str, text: str) -> None:
    pairs = [(str(item["open"]), str(item["remove"])) for item in items]
    await message.answer(text, reply_markup=views.favourites(pairs, lang))


@router.message(Favourites.browsing, NOT_MENU)
async def favourite_picked(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    items: list[dict[str, Any]] = (await state.get_data()).get("fav_items") or []
    typed = (message.text or "").strip()
    to_open = next((i for i in items if typed in (i["open"], str(i["n"]))), None)
    to_remove = next((i for i in items if typed == i["remove"]), None)
    if to_remove is not None:
        await remove_favourite(session, user_id=user.id or 0, property_id=int(to_remove["id"]))
        # The others keep their numbers: the list above stays true.
        items = [i for i in items if i is not to_remove]
        removed = t("fav_removed", lang, title=to_remove["title"])
        if not items:
            await state.clear()
            text = removed + "\n" + t("fav_empty", lang)
            await message.answer(text, reply_markup=main_menu(user, lang))
            return
        await state.update_data(fav_items=items)
        await _list_prompt(message, items, lang, removed)
        return
    if to_open is None:
        await _list_prompt(message, items, lang, t("fav_unknown_pick", lang))
        return
    property_id = int(to_open["id"])
    keyboard = views.favourite_apartment(lang)
    if not await send_apartment(message, session, user, lang, property_id, keyboard):
        await state.clear()
        return
    await state.set_state(Favourites.detail)
    await state.update_data(property_id=property_id, fav_title=to_open["title"])


@router.message(Favourites.detail, F.text.in_(variants("search_btn_book")))
async def book(message: Message, state: FSMContext, deps: BotDeps, user: User) -> None:
    property_id = int((await state.get_data())["property_id"])
    await journey.book(message, state, deps, user, property_id)


@router.message(Favourites.detail, F.text.in_(variants("fav_btn_remove_this")))
async def remove_this(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    data = await state.get_data()
    await remove_favourite(session, user_id=user.id or 0, property_id=int(data["property_id"]))
    await message.answer(t("fav_removed", lang, title=data.get("fav_title", "")))
    await show_favourites(message, state, session, user, lang)


@router.message(
    Favourites.detail, F.text.in_(variants("fav_btn_back_to_list") | variants("btn_back"))
)
async def back_to_list(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    await show_favourites(message, state, session, user, lang)


@router.message(Favourites.detail, NOT_MENU)
async def detail_unknown(message: Message, lang: str) -> None:
    await message.answer(
        t("fav_unknown_detail", lang), reply_markup=views.favourite_apartment(lang)
    )
