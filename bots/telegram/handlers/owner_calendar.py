"""Owner blocks and unblocks nights: first night, then how many; the change itself runs
as OwnerCalendarWorkflow, and nights held by bookings are reported, never overwritten."""

from __future__ import annotations

from datetime import date, timedelta

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import WorkflowFailureError
from temporalio.service import RPCError

from bots.telegram.deps import BotDeps
from bots.telegram.owner_input import day_label, nights_text, parse_count, parse_day
from bots.telegram.owner_keyboards import card_actions, days, night_counts
from bots.telegram.owner_states import OwnerStates
from bots.telegram.owner_views import back_to_card, current_property, refuse
from bots.texts import t, variants
from core.clock import today_local
from core.logging import get_logger
from models import User
from models.calendar_io import CalendarAction, CalendarChangeResult
from models.enums import CalendarBlockKind
from services.calendar_client import CalendarClient, calendar_nights, night_range
from services.owner import PropertyAccessDenied

router = Router(name=__name__)
log = get_logger(__name__)
BLOCK_WINDOW_DAYS = 30
UNBLOCK_LOOKAHEAD_DAYS = 365
MAX_NIGHTS_AT_ONCE = 30
MAX_DAY_BUTTONS = 32


async def _offer_days(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    action: CalendarAction,
) -> None:
    today = today_local()
    block = action is CalendarAction.BLOCK
    try:
        taken = await calendar_nights(
            session,
            user,
            await current_property(state) or 0,
            first=today,
            days=BLOCK_WINDOW_DAYS if block else UNBLOCK_LOOKAHEAD_DAYS,
        )
    except PropertyAccessDenied:
        await refuse(message, state, session, user, lang)
        return
    if block:
        window = (today + timedelta(days=i) for i in range(BLOCK_WINDOW_DAYS))
        choices = [day for day in window if day not in taken]
    else:
        choices = sorted(d for d, kind in taken.items() if kind == CalendarBlockKind.OWNER)
        if not choices:
            await back_to_card(message, state, lang, t("owner_unblock_none", lang))
            return
    await state.set_state(OwnerStates.calendar_day)
    await state.update_data(calendar_action=action.value)
    await message.answer(
        t("owner_block_ask" if block else "owner_unblock_ask", lang),
        reply_markup=days(choices[:MAX_DAY_BUTTONS], lang),
    )


async def _action(state: FSMContext) -> CalendarAction:
    return CalendarAction((await state.get_data()).get("calendar_action", "block"))


@router.message(
    OwnerStates.card, F.text.in_(variants("btn_owner_block") | variants("btn_owner_unblock"))
)
async def ask_first_night(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    unblock = message.text in variants("btn_owner_unblock")
    action = CalendarAction.UNBLOCK if unblock else CalendarAction.BLOCK
    await _offer_days(message, state, session, user, lang, action)


@router.message(OwnerStates.calendar_day, F.text.in_(variants("btn_back")))
async def day_back(message: Message, state: FSMContext, lang: str) -> None:
    await back_to_card(message, state, lang, t("owner_choose_action", lang))


@router.message(OwnerStates.calendar_day)
async def day_chosen(message: Message, state: FSMContext, lang: str) -> None:
    day = parse_day(message.text, today_local())
    if day is None:
        await message.answer(t("owner_day_bad", lang))
        return
    await state.set_state(OwnerStates.calendar_nights)
    await state.update_data(first_night=day.isoformat())
    await message.answer(
        t("owner_nights_ask", lang, day=day_label(day, lang), max=MAX_NIGHTS_AT_ONCE),
        reply_markup=night_counts(lang),
    )


@router.message(OwnerStates.calendar_nights, F.text.in_(variants("btn_back")))
async def nights_back(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    await _offer_days(message, state, session, user, lang, await _action(state))


def _report(result: CalendarChangeResult, lang: str) -> str:
    block = result.action is CalendarAction.BLOCK
    lines: list[str] = []
    if result.changed:
        key = "owner_blocked_done" if block else "owner_unblocked_done"
        lines.append(t(key, lang, count=len(result.changed), nights=nights_text(result.changed)))
    if result.conflicting:
        lines.append(t("owner_calendar_conflicts", lang, nights=nights_text(result.conflicting)))
    if result.unchanged:
        key = "owner_calendar_already_blocked" if block else "owner_calendar_already_free"
        lines.append(t(key, lang, nights=nights_text(result.unchanged)))
    return "\n".join(lines)


@router.message(OwnerStates.calendar_nights)
async def nights_chosen(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
) -> None:
    count = parse_count(message.text, MAX_NIGHTS_AT_ONCE)
    data = await state.get_data()
    if count is None or not data.get("first_night"):
        await message.answer(
            t("owner_nights_bad", lang, max=MAX_NIGHTS_AT_ONCE), reply_markup=night_counts(lang)
        )
        return
    nights = night_range(date.fromisoformat(data["first_night"]), count)
    try:
        calendar = CalendarClient.alongside(await deps.booking_client())
        result = await calendar.change(
            session, user, await current_property(state) or 0, await _action(state), nights
        )
    except PropertyAccessDenied:
        await refuse(message, state, session, user, lang)
        return
    except (WorkflowFailureError, RPCError, OSError) as exc:
        log.error("calendar change failed", user_id=user.id, error=type(exc).__name__)
        await message.answer(t("owner_calendar_failed", lang), reply_markup=card_actions(lang))
        await state.set_state(OwnerStates.card)
        return
    await back_to_card(message, state, lang, _report(result, lang))
