"""The search screens as the handlers move between them: the four steps (city → district →
class → rooms), a results page, the apartment card. The FSM data holds the chosen
`filters` (each None for "any"), the `page`, the page's `picks` and whether the guest is
`refining` a single filter (then the other filters are kept and the results come next)."""

from __future__ import annotations

import math
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message, ReplyKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bots import cards
from bots.telegram import search_views as views
from bots.telegram.deps import BotDeps
from bots.telegram.keyboards import main_menu
from bots.texts import t
from models import User
from models.enums import PropertyClass
from services.property_media import telegram_photos
from services.search import SearchFilters, property_card
from services.search_cache import SearchCache
from services.search_options import cities, districts

MAX_ROOMS = 20
# A longer keyboard is not read; a city or district not shown can still be typed.
MAX_OPTIONS = 40
CLASS_KEYS = tuple(f"search_class_{c}" for c in views.CLASSES)
REFINE_KEYS = ("search_btn_city", "search_btn_district", "search_btn_class", "search_btn_rooms")


class Search(StatesGroup):
    city = State()
    district = State()
    property_class = State()
    rooms = State()
    results = State()
    detail = State()


STEPS = (Search.city, Search.district, Search.property_class, Search.rooms)
STEP_OF_REFINE = dict(zip(REFINE_KEYS, STEPS, strict=True))
STEP_PROMPTS = {
    Search.city: "search_choose_city",
    Search.district: "search_choose_district",
    Search.property_class: "search_choose_class",
    Search.rooms: "search_choose_rooms",
}


def step_index(state_name: str | None) -> int:
    return [s.state for s in STEPS].index(state_name) if state_name else 0


def search_filters(filters: dict[str, Any]) -> SearchFilters:
    klass = filters.get("property_class")
    return SearchFilters(
        city=filters.get("city"),
        district=filters.get("district"),
        property_class=PropertyClass(klass) if klass else None,
        rooms=filters.get("rooms"),
        min_rooms=filters.get("min_rooms"),
    )


def current_value(step: State, filters: dict[str, Any], lang: str) -> str:
    return cards.filter_labels(filters, lang)[STEPS.index(step)]


async def ask_step(
    step: State,
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    *,
    hint: str | None = None,
    note: str | None = None,
) -> None:
    """Shows a step (or, after bad input, `hint`) with its options; the state is that step."""
    data = await state.get_data()
    filters: dict[str, Any] = data.get("filters") or {}
    if step == Search.city:
        options = [cards.city_label(c, lang) for c in await cities(session)]
        if not options:
            await state.clear()
            await message.answer(t("search_no_cities", lang), reply_markup=main_menu(user, lang))
            return
    elif step == Search.district:
        names = await districts(session, filters.get("city"))
        options = list(dict.fromkeys(cards.district_label(d, lang) for d in names))
    elif step == Search.property_class:
        options = [cards.class_label(c, lang) for c in views.CLASSES]
    else:
        options = list(views.ROOM_BUTTONS)
    options = options[:MAX_OPTIONS]
    await state.set_state(step)
    text = t(hint, lang) if hint else t(STEP_PROMPTS[step], lang)
    if note:
        text += "\n" + t(note, lang)
    elif data.get("refining") and not hint:
        text += "\n" + t("search_current", lang, value=current_value(step, filters, lang))
    width = 4 if step == Search.rooms else 2
    await message.answer(text, reply_markup=views.step_choices(options, lang, width=width))


async def choose(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
    **changes: Any,
) -> None:
    """Keeps the choice; the next step, or the results when the search is complete or when
    the guest was changing just this one filter."""
    data = await state.get_data()
    filters: dict[str, Any] = dict(data.get("filters") or {})
    old_city = (filters.get("city") or "").casefold()
    filters.update(changes)
    city_moved = "city" in changes and (changes["city"] or "").casefold() != old_city
    await state.update_data(filters=filters)
    if data.get("refining"):
        if city_moved and filters.get("district"):
            # Another city's district would empty the list: this one is asked again.
            filters["district"] = None
            await state.update_data(filters=filters)
            note = "search_district_again"
            await ask_step(Search.district, message, state, session, user, lang, note=note)
            return
        await show_results(message, state, session, deps, user, lang, page=1)
        return
    index = step_index(await state.get_state())
    if index + 1 < len(STEPS):
        await ask_step(STEPS[index + 1], message, state, session, user, lang)
        return
    await show_results(message, state, session, deps, user, lang, page=1)


async def show_results(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    deps: BotDeps,
    user: User,
    lang: str,
    *,
    page: int,
) -> None:
    """One message per page: the numbered list, and a keyboard of its apartments, paging and
    refining. Photos come when the guest opens an apartment, not with the list."""
    filters: dict[str, Any] = (await state.get_data()).get("filters") or {}
    cache = SearchCache.from_settings(deps.redis, deps.settings)
    size = deps.settings.search_page_size
    found = await cache.search(session, search_filters(filters), page=page, page_size=size)
    pages = math.ceil(found.total / size)
    if found.total and page > pages:  # the list shrank since the last page was drawn
        page = pages
        found = await cache.search(session, search_filters(filters), page=page, page_size=size)
    await state.set_state(Search.results)
    if not found.items:
        await state.update_data(page=1, pages=0, picks={}, refining=False)
        await message.answer(t("search_empty", lang), reply_markup=views.empty_result(lang))
        return
    first = (page - 1) * size + 1
    picks: dict[str, int] = {}
    for n, card in enumerate(found.items, first):
        picks[views.pick_label(n, card.title)] = card.id
        picks[str(n)] = card.id  # the number typed instead of pressed
    await state.update_data(page=page, pages=pages, picks=picks, refining=False)
    text = cards.results_text(
        found.items,
        first=first,
        total=found.total,
        page=page,
        pages=pages,
        filters=filters,
        lang=lang,
    )
    await message.answer(
        text + "\n\n" + t("search_found_hint", lang),
        reply_markup=results_keyboard(picks, lang, page=page, pages=pages),
    )


def results_keyboard(
    picks: dict[str, int], lang: str, *, page: int, pages: int
) -> ReplyKeyboardMarkup:
    if pages == 0:
        return views.empty_result(lang)
    labels = [label for label in picks if not label.isdigit()]
    return views.results(labels, lang, has_prev=page > 1, has_next=page < pages)


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
    *,
    from_results: bool,
) -> None:
    keyboard = views.apartment(lang, back_to_results=from_results)
    if not await send_apartment(message, session, user, lang, property_id, keyboard):
        await state.clear()
        return
    await state.set_state(Search.detail)
    await state.update_data(property_id=property_id, from_results=from_results)
