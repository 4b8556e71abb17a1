"""🏠 My apartments: the list (own, or everyone's for staff), the card, bookings, reviews.

The entry points answer in any state, so a stale button or a typed /prop_<id> works from
anywhere; whether the apartment may be opened is decided by services.owner.
"""

from __future__ import annotations

import re

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.telegram.keyboards import main_menu
from bots.telegram.owner_input import money
from bots.telegram.owner_keyboards import PROPERTY_BUTTON, card_actions
from bots.telegram.owner_states import OwnerStates
from bots.telegram.owner_views import current_property, refuse, show_card, show_list
from bots.texts import t, variants
from core.clock import today_local
from models import User
from services.owner import PropertyAccessDenied, is_owner, owner_card
from services.owner_stays import property_reviews, property_stays

router = Router(name=__name__)
PROP_COMMAND = re.compile(r"^/prop_(\d{1,9})(?:@\w+)?$")


@router.message(F.text.in_(variants("btn_my_properties")))
async def my_properties(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    await show_list(message, state, session, user, lang, page=1)


@router.message(F.text.regexp(PROP_COMMAND).as_("match"))
@router.message(F.text.regexp(PROPERTY_BUTTON).as_("match"))
async def open_property(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    match: re.Match[str],
) -> None:
    if not is_owner(user):
        await state.clear()
        await message.answer(t("not_allowed", lang), reply_markup=main_menu(user, lang))
        return
    await show_card(message, state, session, user, lang, int(match[1]))


@router.message(
    OwnerStates.properties,
    F.text.in_(variants("btn_owner_next_page") | variants("btn_owner_prev_page")),
)
async def turn_page(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    page = int((await state.get_data()).get("page") or 1)
    page += 1 if message.text in variants("btn_owner_next_page") else -1
    await show_list(message, state, session, user, lang, page=page)


@router.message(OwnerStates.properties, F.text.in_(variants("btn_back")))
async def list_back(message: Message, state: FSMContext, user: User, lang: str) -> None:
    await state.clear()
    await message.answer(t("main_menu", lang), reply_markup=main_menu(user, lang))


@router.message(OwnerStates.card, F.text.in_(variants("btn_back")))
async def card_back(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    page = int((await state.get_data()).get("page") or 1)
    await show_list(message, state, session, user, lang, page=page)


@router.message(OwnerStates.card, F.text.in_(variants("btn_owner_bookings")))
async def bookings(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    property_id = await current_property(state)
    try:
        card = await owner_card(session, user, property_id or 0, today=today_local())
        lines = await property_stays(session, user, property_id or 0, today=today_local())
    except PropertyAccessDenied:
        await refuse(message, state, session, user, lang)
        return
    text = [t("owner_bookings_title", lang, title=card.title)]
    text += [
        t(
            "owner_booking_line",
            lang,
            check_in=f"{b.check_in:%d.%m.%Y}",
            check_out=f"{b.check_out:%d.%m.%Y}",
            nights=b.nights,
            guest=b.guest,
            total=money(b.total),
            status=t(f"owner_status_{b.status}", lang),
        )
        for b in lines
    ] or [t("owner_bookings_empty", lang)]
    await message.answer("\n".join(text), reply_markup=card_actions(lang))


@router.message(OwnerStates.card, F.text.in_(variants("btn_owner_reviews")))
async def reviews(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    property_id = await current_property(state)
    try:
        card = await owner_card(session, user, property_id or 0, today=today_local())
        lines = await property_reviews(session, user, property_id or 0)
    except PropertyAccessDenied:
        await refuse(message, state, session, user, lang)
        return
    if not lines:
        await message.answer(t("owner_reviews_empty", lang), reply_markup=card_actions(lang))
        return
    text = [
        t(
            "owner_reviews_title",
            lang,
            title=card.title,
            rating=card.rating if card.rating is not None else "—",
            count=card.reviews,
        )
    ]
    text += [
        t(
            "owner_review_line",
            lang,
            stars="⭐" * r.rating,
            guest=r.guest,
            day=f"{r.created_at:%d.%m.%Y}",
            text=r.text or "—",
        )
        for r in lines
    ]
    await message.answer("\n\n".join(text)[:4000], reply_markup=card_actions(lang))
