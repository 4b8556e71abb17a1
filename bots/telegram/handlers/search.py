"""Guest search handlers: city → district → class → rooms (each step offers "any"); results
with paging; one filter refined at a time while the others are kept; the apartment card;
the hand-over to booking. The screens themselves are in bots/telegram/search_flow.py."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.telegram import journey
from bots.telegram import search_views as views
from bots.telegram.deps import BotDeps
from bots.telegram.keyboards import NOT_MENU, main_menu
from bots.telegram.screens import show_menu
from bots.telegram.search_flow import (
    CLASS_KEYS,
    MAX_ROOMS,
    REFINE_KEYS,
    STEP_OF_REFINE,
    STEPS,
    Search,
    ask_step,
    choose,
    open_apartment,
    results_keyboard,
    show_results,
    step_index,
)
from bots.texts import key_of, t, variants
from models import User
from services.favourites import add_favourite
from services.search_options import cities, districts
from services.search_places import same_city, same_district

router = Router(name=__name__)
# --- the four steps ----------------------------------------------------------------------


@router.message(F.text.in_(variants("btn_search") | variants("search_btn_new")))
async def new_search(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    await state.clear()
    await state.update_data(filters={}, refining=False)
    await ask_step(Search.city, message, state, session, user, lang)


@router.message(StateFilter(*STEPS), F.text.in_(variants("btn_back")))
async def step_back(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
) -> None:
    data = await state.get_data()
    if data.get("refining"):
        await show_results(message, state, session, deps, user, lang, page=data.get("page", 1))
        return
    index = step_index(await state.get_state())
    if index == 0:
        await show_menu(message, state, user, lang)
        return
    await ask_step(STEPS[index - 1], message, state, session, user, lang)


@router.message(StateFilter(*STEPS), F.text.in_(variants("search_btn_any")))
async def step_any(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
) -> None:
    step = STEPS[step_index(await state.get_state())]
    changes: dict[str, Any] = {
        Search.city: {"city": None},
        Search.district: {"district": None},
        Search.property_class: {"property_class": None},
        Search.rooms: {"rooms": None, "min_rooms": None},
    }[step]
    await choose(message, state, session, deps, user, lang, **changes)


@router.message(Search.city, NOT_MENU)
async def city_chosen(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
) -> None:
    typed = (message.text or "").strip()
    city = next((c for c in await cities(session) if same_city(typed, c)), None)
    if city is None:
        await ask_step(Search.city, message, state, session, user, lang, hint="search_unknown_city")
        return
    await choose(message, state, session, deps, user, lang, city=city)


@router.message(Search.district, NOT_MENU)
async def district_chosen(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
) -> None:
    filters: dict[str, Any] = (await state.get_data()).get("filters") or {}
    typed = (message.text or "").strip()
    options = await districts(session, filters.get("city"))
    district = next((d for d in options if same_district(typed, d)), None)
    if district is None:
        hint = "search_unknown_district"
        await ask_step(Search.district, message, state, session, user, lang, hint=hint)
        return
    await choose(message, state, session, deps, user, lang, district=district)


@router.message(Search.property_class, NOT_MENU)
async def class_chosen(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
) -> None:
    typed = (message.text or "").strip()
    key = key_of(typed, *CLASS_KEYS) or key_of(typed.capitalize(), *CLASS_KEYS)
    if key is None:
        hint = "search_unknown_class"
        await ask_step(Search.property_class, message, state, session, user, lang, hint=hint)
        return
    klass = key.removeprefix("search_class_")
    await choose(message, state, session, deps, user, lang, property_class=klass)


@router.message(Search.rooms, NOT_MENU)
async def rooms_chosen(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
) -> None:
    typed = (message.text or "").strip()
    if typed == views.ROOM_BUTTONS[-1]:
        await choose(message, state, session, deps, user, lang, rooms=None, min_rooms=4)
        return
    if not (typed.isdecimal() and len(typed) <= 3):
        hint = "search_rooms_not_number"
        await ask_step(Search.rooms, message, state, session, user, lang, hint=hint)
        return
    rooms = int(typed)
    if not 1 <= rooms <= MAX_ROOMS:
        await message.answer(
            t("search_rooms_out_of_range", lang, high=MAX_ROOMS),
            reply_markup=views.step_choices(views.ROOM_BUTTONS, lang, width=4),
        )
        return
    await choose(message, state, session, deps, user, lang, rooms=rooms, min_rooms=None)


# --- results -----------------------------------------------------------------------------


@router.message(Search.results, F.text.in_(variants("search_btn_next")))
async def next_page(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
) -> None:
    data = await state.get_data()
    page, pages = int(data.get("page", 1)), int(data.get("pages", 0))
    if page >= pages:
        keyboard = results_keyboard(data.get("picks") or {}, lang, page=page, pages=pages)
        hint = "search_last_page" if pages else "search_empty_hint"
        await message.answer(t(hint, lang), reply_markup=keyboard)
        return
    await show_results(message, state, session, deps, user, lang, page=page + 1)


@router.message(Search.results, F.text.in_(variants("btn_back")))
async def previous_page(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
) -> None:
    data = await state.get_data()
    page, pages = int(data.get("page", 1)), int(data.get("pages", 0))
    if page <= 1:
        keyboard = results_keyboard(data.get("picks") or {}, lang, page=page, pages=pages)
        hint = "search_first_page" if pages else "search_empty_hint"
        await message.answer(t(hint, lang), reply_markup=keyboard)
        return
    await show_results(message, state, session, deps, user, lang, page=page - 1)


@router.message(
    StateFilter(Search.results, Search.detail),
    F.text.in_(frozenset().union(*(variants(k) for k in REFINE_KEYS))),
)
async def refine(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    """Changes one filter; the others stay as they are."""
    key = key_of(message.text, *REFINE_KEYS)
    assert key is not None
    await state.update_data(refining=True)
    await ask_step(STEP_OF_REFINE[key], message, state, session, user, lang)


@router.message(Search.results, NOT_MENU)
async def card_picked(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    data = await state.get_data()
    picks: dict[str, int] = data.get("picks") or {}
    property_id = picks.get((message.text or "").strip())
    if property_id is None:
        keyboard = results_keyboard(
            picks, lang, page=int(data.get("page", 1)), pages=int(data.get("pages", 0))
        )
        hint = "search_unknown_pick" if picks else "search_empty_hint"
        await message.answer(t(hint, lang), reply_markup=keyboard)
        return
    await open_apartment(message, state, session, user, lang, property_id, from_results=True)


# --- the apartment -----------------------------------------------------------------------


async def open_property(
    message: Message,
    state: FSMContext,
    user: User,
    lang: str,
    property_id: int,
    *,
    session: AsyncSession,
) -> None:
    """The apartment card of a `/start prop_<id>` link, or the one the booking screens went
    back from (then "back to results" returns to the search it came from)."""
    from_results = bool((await state.get_data()).get("picks"))
    await open_apartment(
        message, state, session, user, lang, property_id, from_results=from_results
    )


async def book_property(
    message: Message, state: FSMContext, deps: BotDeps, user: User, property_id: int
) -> None:
    """Hands the chosen apartment over to the booking journey: its dates."""
    await state.update_data(property_id=property_id)
    await journey.book(message, state, deps, user, property_id)


@router.message(Search.detail, F.text.in_(variants("search_btn_book")))
async def book(message: Message, state: FSMContext, deps: BotDeps, user: User) -> None:
    property_id = int((await state.get_data())["property_id"])
    await book_property(message, state, deps, user, property_id)


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
    keyboard = views.apartment(lang, back_to_results=bool(data.get("from_results")))
    text = t("fav_added" if outcome == "added" else "fav_already", lang)
    await message.answer(text, reply_markup=keyboard)


@router.message(Search.detail, F.text.in_(variants("search_btn_to_results") | variants("btn_back")))
async def back_to_results(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
) -> None:
    data = await state.get_data()
    if not data.get("from_results"):
        await show_menu(message, state, user, lang)
        return
    await show_results(message, state, session, deps, user, lang, page=int(data.get("page", 1)))


@router.message(Search.detail, NOT_MENU)
async def detail_unknown(message: Message, state: FSMContext, lang: str) -> None:
    data = await state.get_data()
    keyboard = views.apartment(lang, back_to_results=bool(data.get("from_results")))
    await message.answer(t("search_unknown_detail", lang), reply_markup=keyboard)
