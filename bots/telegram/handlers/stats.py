""" "📊 Статистика": a period, then the general / realtors / agencies views and their CSV.

Owners (admin) see their own apartments; super_admin and super_user see everything;
guests are turned away. Numbers come from services.analytics, one report per screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.telegram import stats_views as views
from bots.telegram.keyboards import main_menu
from bots.texts import key_of, t, variants
from core.clock import today_local
from models import User
from services import analytics_csv
from services.analytics import Period, Report, build_report, period_for
from services.analytics_csv import Mode
from services.scope import Scope, scope_of

router = Router(name=__name__)


class StatsStates(StatesGroup):
    period = State()
    report = State()


def _any_of(keys: Iterable[str]) -> frozenset[str]:
    return frozenset(text for key in keys for text in variants(key))


async def _denied(message: Message, state: FSMContext, user: User, lang: str) -> None:
    await state.clear()
    await message.answer(t("not_allowed", lang), reply_markup=main_menu(user, lang))


async def _ask_period(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(StatsStates.period)
    await message.answer(t("stats_choose_period", lang), reply_markup=views.periods(lang))


async def _report(
    state: FSMContext, session: AsyncSession, scope: Scope
) -> tuple[Report, Mode] | None:
    data = await state.get_data()
    if "stats_start" not in data:
        return None
    period = Period(date.fromisoformat(data["stats_start"]), date.fromisoformat(data["stats_end"]))
    return await build_report(session, scope, period), Mode(data.get("stats_mode", "general"))


@router.message(F.text.in_(variants("btn_statistics")))
async def open_statistics(message: Message, state: FSMContext, user: User, lang: str) -> None:
    if scope_of(user) is None:
        await _denied(message, state, user, lang)
        return
    await _ask_period(message, state, lang)


@router.message(StatsStates.period, F.text.in_(_any_of(views.PERIOD_BUTTONS)))
async def period_chosen(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    scope = scope_of(user)
    key = key_of(message.text, *views.PERIOD_BUTTONS)
    if scope is None or key is None:
        await _denied(message, state, user, lang)
        return
    # The period is fixed here, so the views and the CSV show the very days first seen.
    period = period_for(views.PERIOD_BUTTONS[key], today_local())
    await state.set_state(StatsStates.report)
    await state.update_data(
        stats_start=period.start.isoformat(),
        stats_end=period.end.isoformat(),
        stats_mode=Mode.GENERAL.value,
    )
    report = await build_report(session, scope, period)
    await message.answer(views.render(report, Mode.GENERAL, lang), reply_markup=views.actions(lang))


@router.message(StatsStates.period, F.text.in_(variants("btn_back")))
async def period_back(message: Message, state: FSMContext, user: User, lang: str) -> None:
    await state.clear()
    await message.answer(t("main_menu", lang), reply_markup=main_menu(user, lang))


@router.message(StatsStates.period)
async def period_unknown(message: Message, lang: str) -> None:
    await message.answer(t("stats_choose_period_hint", lang), reply_markup=views.periods(lang))


@router.message(StatsStates.report, F.text.in_(_any_of(views.MODE_BUTTONS)))
async def mode_chosen(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    scope = scope_of(user)
    key = key_of(message.text, *views.MODE_BUTTONS)
    if scope is None or key is None:
        await _denied(message, state, user, lang)
        return
    mode = views.MODE_BUTTONS[key]
    await state.update_data(stats_mode=mode.value)
    found = await _report(state, session, scope)
    if found is None:
        await _ask_period(message, state, lang)
        return
    await message.answer(views.render(found[0], mode, lang), reply_markup=views.actions(lang))


@router.message(StatsStates.report, F.text.in_(variants("btn_stats_export")))
async def export_csv(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    scope = scope_of(user)
    if scope is None:
        await _denied(message, state, user, lang)
        return
    found = await _report(state, session, scope)
    if found is None:
        await _ask_period(message, state, lang)
        return
    report, mode = found
    document = BufferedInputFile(
        analytics_csv.render(report, mode, views.csv_label(lang)),
        filename=analytics_csv.filename(report, mode),
    )
    await message.answer_document(
        document, caption=views.csv_caption(report, mode, lang), reply_markup=views.actions(lang)
    )


@router.message(StatsStates.report, F.text.in_(variants("btn_stats_period") | variants("btn_back")))
async def another_period(message: Message, state: FSMContext, lang: str) -> None:
    await _ask_period(message, state, lang)


@router.message(StatsStates.report)
async def report_unknown(message: Message, lang: str) -> None:
    await message.answer(t("stats_choose_action_hint", lang), reply_markup=views.actions(lang))
