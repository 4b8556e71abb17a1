"""The shared guest journey (bots/journey) in Telegram: a message becomes `Said`, the
journey's outputs become messages with reply keyboards. The journey's state lives in the
FSM data under "journey" while the conversation is in `JourneyStates.active`."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    WebAppInfo,
)
from aiogram.utils.keyboard import ReplyKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bots import cards
from bots.journey import booking, guest
from bots.journey.context import Journey, JourneyDeps
from bots.journey.screens import (
    BACK,
    MENU,
    AskPhone,
    Card,
    DatePicker,
    Home,
    Leave,
    Link,
    Menu,
    Out,
    Said,
    Text,
    calendar_property,
    dates_of,
    pick,
)
from bots.telegram import booking_views as views
from bots.telegram import search_flow, search_views
from bots.telegram.deps import BotDeps
from bots.telegram.keyboards import main_menu
from bots.texts import t
from models import User
from models.enums import Channel
from services.property_media import telegram_photos
from services.search_cache import SearchCache

KEY = "journey"


class JourneyStates(StatesGroup):
    active = State()


def context(deps: BotDeps, user: User, data: dict[str, Any]) -> Journey:
    shared = JourneyDeps(
        deps.settings,
        deps.sessions,
        SearchCache.from_settings(deps.redis, deps.settings),
        deps.booking_client,
    )
    return Journey(shared, user, Channel.TELEGRAM, dict(data.get(KEY) or {}))


async def open_apartment(
    message: Message, state: FSMContext, deps: BotDeps, user: User, property_id: int
) -> None:
    """`/book_<id>` and links: the apartment's card, then its dates."""
    j = context(deps, user, await state.get_data())
    await show(message, state, deps, j, await booking.open_apartment(j, property_id))


async def book(
    message: Message, state: FSMContext, deps: BotDeps, user: User, property_id: int
) -> None:
    """ "📅 Забронировать" under a card already shown: its dates."""
    j = context(deps, user, await state.get_data())
    j.state.update(property_id=property_id, origin="card")
    await show(message, state, deps, j, await booking.ask_dates(j))


async def start_search(message: Message, state: FSMContext, deps: BotDeps, user: User) -> None:
    """ "🔍 Поиск квартир": when → guests → where → budget → results."""
    j = context(deps, user, {})
    await show(message, state, deps, j, await guest.start_search(j))


async def answer(message: Message, state: FSMContext, deps: BotDeps, user: User) -> None:
    """The guest's message on a journey step."""
    j = context(deps, user, await state.get_data())
    await show(message, state, deps, j, await guest.answer(j, said(message, j.state)))


def said(message: Message, state: dict[str, Any]) -> Said:
    if message.contact is not None:
        sender = message.from_user.id if message.from_user else None
        if message.contact.user_id is None or message.contact.user_id != sender:
            return Said(foreign_contact=True)
        return Said(own_contact="+" + message.contact.phone_number.strip().lstrip("+"))
    if message.photo:  # the largest size; the bot can fetch it again with getFile
        return Said(message.caption or "", photo="telegram:" + message.photo[-1].file_id)
    if message.web_app_data is not None:  # the Mini App calendar's chosen stay
        try:
            payload = json.loads(message.web_app_data.data)
        except ValueError:
            payload = None
        return Said(dates=dates_of(payload), dates_for=calendar_property(payload))
    text = message.text or ""
    # Telegram's buttons send their titles; a typed number is never a row number here.
    return Said(text, pick(state.get("choices", []), None, text, by_number=False))


async def show(
    message: Message, state: FSMContext, deps: BotDeps, j: Journey, outs: list[Out]
) -> None:
    """Sends the journey's outputs and keeps its state (or leaves the journey)."""
    lang = j.lang
    await state.set_state(JourneyStates.active)
    for out in outs:
        if isinstance(out, Menu):
            j.state.update(choices=[list(c) for c in out.choices])
            await message.answer(out.body, reply_markup=keyboard(out, deps, lang))
        elif isinstance(out, AskPhone):
            j.state.update(choices=[[BACK, t("btn_back", lang)]])
            await message.answer(out.body, reply_markup=views.share_phone(lang))
        elif isinstance(out, Card):
            await _card(message, deps, out, lang)
        elif isinstance(out, Link):
            await message.answer(out.body, reply_markup=views.pay_link(out.url, out.label))
        elif isinstance(out, Text):
            await message.answer(out.body)
        elif isinstance(out, Home):
            await state.clear()
            await message.answer(out.body, reply_markup=main_menu(j.user, lang))
            return
        elif isinstance(out, Leave):
            await _leave(message, state, deps, j)
            return
    await state.update_data({KEY: j.state})


async def _card(message: Message, deps: BotDeps, out: Card, lang: str) -> None:
    async with deps.sessions() as session:
        photos = (await telegram_photos(session, [out.card.id])).get(out.card.id, [])
    await search_views.send_photos(message, photos, out.card.title)
    await message.answer(cards.detail_text(out.card, lang))


async def _leave(message: Message, state: FSMContext, deps: BotDeps, j: Journey) -> None:
    """Back past the dates: the apartment's card screen it was booked from, else the menu."""
    await state.set_state(None)
    await state.update_data({KEY: None})
    if j.state.get("origin") != "card":
        await state.clear()
        await message.answer(t("main_menu", j.lang), reply_markup=main_menu(j.user, j.lang))
        return
    session: AsyncSession
    async with deps.sessions() as session:
        await search_flow.open_apartment(
            message, state, session, j.user, j.lang, int(j.state["property_id"])
        )


def keyboard(menu: Menu, deps: BotDeps, lang: str) -> ReplyKeyboardMarkup:
    """The options `width` to a row, "back" (where the step has one) with "main menu" on the
    last row, and — with a public HTTPS address for the Mini App — the calendar button on
    top."""
    builder = ReplyKeyboardBuilder()
    url = calendar_url(menu.picker, deps.settings.webapp_base_url, lang)
    if url:
        builder.row(KeyboardButton(text=t("bk_btn_calendar", lang), web_app=WebAppInfo(url=url)))
    # "Back" and the main menu are always on the last row (the main menu on every keyboard).
    options = [title for cid, title in menu.choices if cid not in (BACK, MENU)]
    for start in range(0, len(options), menu.width):
        builder.row(*(KeyboardButton(text=o) for o in options[start : start + menu.width]))
    last = [KeyboardButton(text=t("btn_main_menu", lang))]
    if any(cid == BACK for cid, _ in menu.choices):
        last.insert(0, KeyboardButton(text=t("btn_back", lang)))
    builder.row(*last)
    return builder.as_markup(resize_keyboard=True)


def calendar_url(picker: DatePicker | None, base: str, lang: str) -> str | None:
    """The Mini App's address for this apartment; none without a public HTTPS base."""
    if picker is None or not base.startswith("https://"):
        return None
    query = urlencode(
        {
            "property": picker.property_id,
            "lang": lang,
            "from": picker.check_in_from.isoformat(),
            "until": picker.check_in_to.isoformat(),
        }
    )
    return f"{base.rstrip('/')}/webapp/dates?{query}"
