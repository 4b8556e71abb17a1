"""Rendering shared by the owner handler files: the apartment list, the card, refusals."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.cards import city_label, class_label, district_label
from bots.telegram.keyboards import main_menu
from bots.telegram.owner_input import money
from bots.telegram.owner_keyboards import card_actions, property_list
from bots.telegram.owner_states import OwnerStates
from bots.texts import t
from core.clock import today_local
from models import Property, User
from services.owner import (
    OwnedProperty,
    OwnerCard,
    PropertyAccessDenied,
    is_owner,
    list_properties,
    owner_card,
    require_property,
    sees_all,
)

DESCRIPTION_PREVIEW = 600


async def current_property(state: FSMContext) -> int | None:
    value = (await state.get_data()).get("property_id")
    return int(value) if isinstance(value, int) else None


def _whose(owner: str, agency: str | None, lang: str) -> str:
    if agency:
        return t("owner_whose_agency", lang, owner=owner, agency=agency)
    return t("owner_whose_private", lang, owner=owner)


def _list_line(item: OwnedProperty, lang: str, *, staff: bool) -> str:
    line = t(
        "owner_list_line",
        lang,
        id=item.id,
        title=item.title,
        city=city_label(item.city, lang),
        district=district_label(item.district, lang),
        price=money(item.price_per_night),
        hidden="" if item.is_active else t("owner_hidden", lang),
    )
    return line + "\n" + _whose(item.owner_name, item.agency_name, lang) if staff else line


async def show_list(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str, page: int
) -> None:
    if not is_owner(user):
        await state.clear()
        await message.answer(t("not_allowed", lang), reply_markup=main_menu(user, lang))
        return
    result = await list_properties(session, user, page=page)
    if not result.items:
        await state.clear()
        await message.answer(t("owner_list_empty", lang), reply_markup=main_menu(user, lang))
        return
    await state.set_state(OwnerStates.properties)
    await state.update_data(page=result.page, property_id=None)
    staff = sees_all(user)
    if staff:
        title = t(
            "owner_list_title_all", lang, total=result.total, page=result.page, pages=result.pages
        )
    else:
        title = t("owner_list_title", lang, total=result.total)
        if result.pages > 1:
            title += " " + t("owner_list_page", lang, page=result.page, pages=result.pages)
    lines = [title, *(_list_line(item, lang, staff=staff) for item in result.items)]
    lines.append(t("owner_list_hint", lang))
    await message.answer(
        "\n\n".join(lines),
        reply_markup=property_list(
            result.items, lang, has_prev=result.page > 1, has_next=result.page < result.pages
        ),
    )


def render_card(card: OwnerCard, lang: str, *, staff: bool) -> str:
    description = card.description or t("owner_no_description", lang)
    if len(description) > DESCRIPTION_PREVIEW:
        description = description[: DESCRIPTION_PREVIEW - 1] + "…"
    text = t(
        "owner_card",
        lang,
        id=card.id,
        title=card.title,
        hidden="" if card.is_active else t("owner_hidden", lang),
        city=city_label(card.city, lang),
        district=district_label(card.district, lang),
        address=card.address or "—",
        property_class=class_label(card.property_class, lang),
        rooms=card.rooms,
        price=money(card.price_per_night),
        cleaning=money(card.cleaning_fee),
        rating=card.rating if card.rating is not None else t("owner_no_rating", lang),
        reviews=card.reviews,
        photos=card.photos,
        key_safe=t("owner_code_set" if card.key_safe_set else "owner_code_unset", lang),
        smart_lock=t("owner_code_set" if card.smart_lock_set else "owner_code_unset", lang),
        bookings=card.active_bookings,
        blocked=card.owner_blocked_nights,
        description=description,
    )
    if staff:
        owner = _whose(card.owner_name, card.agency_name, lang).strip().removeprefix("👤 ")
        text += "\n\n" + t("owner_card_whose", lang, owner=owner)
    return text


async def show_card(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    property_id: int,
) -> None:
    """The apartment card and its actions, or a refusal if it is not the user's."""
    try:
        card = await owner_card(session, user, property_id, today=today_local())
    except PropertyAccessDenied:
        await refuse(message, state, session, user, lang)
        return
    await state.set_state(OwnerStates.card)
    await state.update_data(property_id=property_id)
    await message.answer(
        render_card(card, lang, staff=sees_all(user)), reply_markup=card_actions(lang)
    )


async def back_to_card(message: Message, state: FSMContext, lang: str, text: str) -> None:
    """After an edit: say what changed and offer the card's actions again."""
    await state.set_state(OwnerStates.card)
    await message.answer(text, reply_markup=card_actions(lang))


async def refuse(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    """Another owner's apartment (typed id, stale button): refused, back to one's own list."""
    if not is_owner(user):
        await state.clear()
        await message.answer(t("not_allowed", lang), reply_markup=main_menu(user, lang))
        return
    await message.answer(t("owner_prop_refused", lang))
    await show_list(message, state, session, user, lang, page=1)


async def managed_property(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> Property | None:
    """The apartment whose card the owner is on, if they may manage it; else refused (and
    None): every owner edit starts here."""
    try:
        return await require_property(session, user, await current_property(state) or 0)
    except PropertyAccessDenied:
        await refuse(message, state, session, user, lang)
        return None
