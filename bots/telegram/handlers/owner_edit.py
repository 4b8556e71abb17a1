"""Owner edits through states: price, description and access codes.

Access codes are never shown back in full: the owner's message with the plain code is
deleted from the chat and only a masked form is echoed.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.telegram.deps import BotDeps
from bots.telegram.owner_input import money, parse_price
from bots.telegram.owner_keyboards import back_only, card_actions, code_kinds
from bots.telegram.owner_states import OwnerStates
from bots.telegram.owner_views import back_to_card, current_property, managed_property, refuse
from bots.texts import t, variants
from core.crypto import CodeCipher
from models import User
from services.owner import (
    MAX_PRICE,
    InvalidValue,
    PropertyAccessDenied,
    set_access_code,
    set_description,
    set_price,
)
from services.search_cache import SearchCache

router = Router(name=__name__)
EDIT_STATES = (
    OwnerStates.price,
    OwnerStates.description,
    OwnerStates.codes,
    OwnerStates.code_input,
)


@router.message(OwnerStates.card, F.text.in_(variants("btn_owner_price")))
async def ask_price(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    prop = await managed_property(message, state, session, user, lang)
    if prop is None:
        return
    await state.set_state(OwnerStates.price)
    await message.answer(
        t("owner_price_ask", lang, price=money(prop.price_per_night)), reply_markup=back_only(lang)
    )


@router.message(OwnerStates.card, F.text.in_(variants("btn_owner_description")))
async def ask_description(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    prop = await managed_property(message, state, session, user, lang)
    if prop is None:
        return
    await state.set_state(OwnerStates.description)
    current = prop.description or t("owner_no_description", lang)
    await message.answer(
        t("owner_description_ask", lang, current=current[:3000]), reply_markup=back_only(lang)
    )


@router.message(OwnerStates.card, F.text.in_(variants("btn_owner_codes")))
async def ask_code_kind(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    prop = await managed_property(message, state, session, user, lang)
    if prop is None:
        return
    await state.set_state(OwnerStates.codes)
    await message.answer(
        t(
            "owner_codes_ask",
            lang,
            key_safe=t("owner_code_set" if prop.key_safe_code_enc else "owner_code_unset", lang),
            smart_lock=t(
                "owner_code_set" if prop.smart_lock_code_enc else "owner_code_unset", lang
            ),
        ),
        reply_markup=code_kinds(lang),
    )


@router.message(StateFilter(*EDIT_STATES), F.text.in_(variants("btn_back")))
async def edit_back(message: Message, state: FSMContext, lang: str) -> None:
    await back_to_card(message, state, lang, t("owner_choose_action", lang))


@router.message(OwnerStates.price, F.text)
async def price_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
) -> None:
    price = parse_price(message.text)
    if price is None:
        await message.answer(t("owner_price_bad", lang), reply_markup=back_only(lang))
        return
    try:
        change = await set_price(
            session,
            user,
            await current_property(state) or 0,
            price,
            search_cache=SearchCache.from_settings(deps.redis, deps.settings),
        )
    except PropertyAccessDenied:
        await refuse(message, state, session, user, lang)
        return
    except InvalidValue as exc:
        key = "owner_price_too_high" if exc.reason == "price_too_high" else "owner_price_bad"
        await message.answer(t(key, lang, max=money(MAX_PRICE)), reply_markup=back_only(lang))
        return
    await back_to_card(
        message,
        state,
        lang,
        t("owner_price_saved", lang, old=money(change.old), new=money(change.new)),
    )


@router.message(OwnerStates.price)
async def price_not_text(message: Message, lang: str) -> None:
    await message.answer(t("owner_price_bad", lang), reply_markup=back_only(lang))


@router.message(OwnerStates.description, F.text)
async def description_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
) -> None:
    try:
        await set_description(
            session,
            user,
            await current_property(state) or 0,
            message.text or "",
            search_cache=SearchCache.from_settings(deps.redis, deps.settings),
        )
    except PropertyAccessDenied:
        await refuse(message, state, session, user, lang)
        return
    except InvalidValue:
        await message.answer(t("owner_description_bad", lang), reply_markup=back_only(lang))
        return
    await back_to_card(message, state, lang, t("owner_description_saved", lang))


@router.message(OwnerStates.description)
async def description_not_text(message: Message, lang: str) -> None:
    await message.answer(t("owner_description_bad", lang), reply_markup=back_only(lang))


@router.message(
    OwnerStates.codes,
    F.text.in_(variants("btn_owner_code_key_safe") | variants("btn_owner_code_smart_lock")),
)
async def ask_code(message: Message, state: FSMContext, lang: str) -> None:
    smart_lock = message.text in variants("btn_owner_code_smart_lock")
    await state.set_state(OwnerStates.code_input)
    await state.update_data(smart_lock=smart_lock)
    await message.answer(t("owner_code_ask", lang), reply_markup=back_only(lang))


@router.message(OwnerStates.codes)
async def code_kind_unknown(message: Message, lang: str) -> None:
    await message.answer(t("unknown_input", lang), reply_markup=code_kinds(lang))


@router.message(OwnerStates.code_input, F.text)
async def code_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
) -> None:
    # The plain code leaves the chat first, whatever happens next.
    try:
        deleted = bool(await message.delete())
    except TelegramAPIError:
        deleted = False
    data = await state.get_data()
    try:
        masked = await set_access_code(
            session,
            user,
            await current_property(state) or 0,
            smart_lock=bool(data.get("smart_lock")),
            plain=message.text or "",
            cipher=CodeCipher.from_settings(deps.settings),
        )
    except PropertyAccessDenied:
        await refuse(message, state, session, user, lang)
        return
    except InvalidValue:
        await message.answer(t("owner_code_bad", lang), reply_markup=back_only(lang))
        return
    key = "owner_code_saved" if deleted else "owner_code_saved_not_deleted"
    await state.set_state(OwnerStates.card)
    await message.answer(t(key, lang, masked=masked), reply_markup=card_actions(lang))


@router.message(OwnerStates.code_input)
async def code_not_text(message: Message, lang: str) -> None:
    await message.answer(t("owner_text_expected", lang), reply_markup=back_only(lang))
