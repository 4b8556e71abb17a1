""" "💰 Цены и правила" on an owner's apartment card: the weekend price, stay discounts,
seasons, holiday dates and the extra-guest fee, each set by typing one line
(services/pricing_input.py), with a preview of what two typical stays would cost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bots import cards
from bots.telegram.deps import BotDeps
from bots.telegram.keyboards import NOT_MENU, with_nav
from bots.telegram.owner_input import money
from bots.telegram.owner_states import OwnerStates
from bots.telegram.owner_views import back_to_card, current_property, managed_property, refuse
from bots.texts import key_of, t, variants
from core.clock import today_local
from models import Property, User
from models.pricing import PricingRules, StayRuleError, quote_stay
from services import pricing_input
from services.owner import PropertyAccessDenied, set_pricing
from services.pricing import price_rules
from services.search_cache import SearchCache

router = Router(name=__name__)
RULE_BUTTONS = (
    "btn_rules_weekend",
    "btn_rules_discount",
    "btn_rules_season",
    "btn_rules_holiday",
    "btn_rules_extra",
    "btn_rules_notice",
    "btn_rules_turnover",
    "btn_rules_clear",
)
Parsed = PricingRules | pricing_input.RuleRefusal
Parser = Callable[[PricingRules, str, date], Parsed]


def _weekend(rules: PricingRules, text: str, _today: date) -> Parsed:
    return pricing_input.weekend_price(rules, text)


def _discount(rules: PricingRules, text: str, _today: date) -> Parsed:
    return pricing_input.stay_discount(rules, text)


def _extra(rules: PricingRules, text: str, _today: date) -> Parsed:
    return pricing_input.extra_guests(rules, text)


def _notice(rules: PricingRules, text: str, _today: date) -> Parsed:
    return pricing_input.advance_notice(rules, text)


def _turnover(rules: PricingRules, text: str, _today: date) -> Parsed:
    return pricing_input.turnover(rules, text)


# Each rule button: what the owner is asked, and how their answer is read.
PARSERS: dict[str, tuple[str, Parser]] = {
    "btn_rules_weekend": ("owner_rules_weekend_ask", _weekend),
    "btn_rules_discount": ("owner_rules_discount_ask", _discount),
    "btn_rules_season": ("owner_rules_season_ask", pricing_input.season),
    "btn_rules_holiday": ("owner_rules_holiday_ask", pricing_input.holiday),
    "btn_rules_extra": ("owner_rules_extra_ask", _extra),
    "btn_rules_notice": ("owner_rules_notice_ask", _notice),
    "btn_rules_turnover": ("owner_rules_turnover_ask", _turnover),
}


def rules_keyboard(lang: str) -> ReplyKeyboardMarkup:
    return with_nav([t(key, lang) for key in RULE_BUTTONS], lang, width=2)


def describe(prop: Property, lang: str) -> str:
    """The apartment's prices as the owner reads them, and two stays priced as a guest sees."""
    rules = price_rules(prop)
    pricing = rules.pricing
    lines = [t("owner_rules_title", lang, title=prop.title, price=money(prop.price_per_night))]
    if pricing.weekend_price:
        names = t("bk_weekdays", lang).split(",")
        days = ", ".join(names[d] for d in pricing.weekend_days)
        lines.append(t("owner_rules_weekend", lang, price=money(pricing.weekend_price), days=days))
    for discount in pricing.discounts:
        lines.append(
            t("owner_rules_discount", lang, nights=discount.min_nights, percent=discount.percent)
        )
    for season in pricing.seasons:
        minimum = t("owner_rules_min", lang, nights=season.min_nights) if season.min_nights else ""
        lines.append(
            t(
                "owner_rules_season",
                lang,
                start=f"{season.start:%d.%m.%Y}",
                end=f"{season.end:%d.%m.%Y}",
                price=money(season.price),
                minimum=minimum,
            )
        )
    for special in pricing.dates:
        lines.append(
            t(
                "owner_rules_holiday",
                lang,
                night=f"{special.night:%d.%m.%Y}",
                price=money(special.price),
            )
        )
    if pricing.extra_guest_fee:
        lines.append(
            t(
                "owner_rules_extra",
                lang,
                fee=money(pricing.extra_guest_fee),
                included=pricing.guests_included,
            )
        )
    if pricing.advance_notice_days:
        lines.append(t("owner_rules_notice", lang, days=pricing.advance_notice_days))
    elif pricing.same_day_cutoff_hour is not None:
        lines.append(t("owner_rules_cutoff", lang, hour=pricing.same_day_cutoff_hour))
    if pricing.turnover_nights:
        lines.append(t("owner_rules_turnover", lang, nights=pricing.turnover_nights))
    if len(lines) == 1:
        lines.append(t("owner_rules_none", lang))
    lines.append("")
    lines.append(t("owner_rules_preview_title", lang))
    today = today_local()
    friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    for start, nights in ((friday, 3), (monday, 7)):
        try:
            quote = quote_stay(rules, start, start + timedelta(days=nights))
        except StayRuleError as exc:
            lines.append(t("owner_rules_preview_refused", lang, start=f"{start:%d.%m}", reason=exc))
            continue
        lines.append(
            t(
                "owner_rules_preview",
                lang,
                nights=nights,
                start=f"{start:%d.%m}",
                total=money(quote.total),
            )
        )
        lines.append(cards.quote_breakdown(quote, lang))
    return "\n".join(lines)


async def _show(
    message: Message, state: FSMContext, prop: Property, lang: str, notice: str = ""
) -> None:
    await state.set_state(OwnerStates.rules)
    text = describe(prop, lang)
    await message.answer(
        f"{notice}\n\n{text}" if notice else text, reply_markup=rules_keyboard(lang)
    )


@router.message(OwnerStates.card, F.text.in_(variants("btn_owner_rules")))
async def show_rules(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    prop = await managed_property(message, state, session, user, lang)
    if prop is None:
        return
    await _show(message, state, prop, lang)


@router.message(
    StateFilter(OwnerStates.rules, OwnerStates.rule_input), F.text.in_(variants("btn_back"))
)
async def rules_back(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    if await state.get_state() == OwnerStates.rule_input.state:
        prop = await managed_property(message, state, session, user, lang)
        if prop is None:
            return
        await _show(message, state, prop, lang)
        return
    await back_to_card(message, state, lang, t("owner_choose_action", lang))


@router.message(OwnerStates.rules, NOT_MENU)
async def rule_chosen(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
) -> None:
    key = key_of(message.text, *RULE_BUTTONS)
    if key is None:
        await message.answer(t("owner_rules_pick", lang), reply_markup=rules_keyboard(lang))
        return
    if key == "btn_rules_clear":
        await _save(message, state, session, user, lang, deps, PricingRules())
        return
    await state.set_state(OwnerStates.rule_input)
    await state.update_data(rule=key)
    await message.answer(t(PARSERS[key][0], lang), reply_markup=with_nav([], lang))


@router.message(OwnerStates.rule_input, F.text)
async def rule_typed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
) -> None:
    prop = await managed_property(message, state, session, user, lang)
    if prop is None:
        return
    key = str((await state.get_data()).get("rule"))
    ask, parse = PARSERS[key]
    changed = parse(price_rules(prop).pricing, message.text or "", today_local())
    if isinstance(changed, pricing_input.RuleRefusal):
        text = t(changed.key, lang, detail=changed.detail) + "\n\n" + t(ask, lang)
        await message.answer(text, reply_markup=with_nav([], lang))
        return
    await _save(message, state, session, user, lang, deps, changed)


async def _save(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
    rules: PricingRules,
) -> None:
    cache = SearchCache.from_settings(deps.redis, deps.settings)
    try:
        prop = await set_pricing(
            session, user, await current_property(state) or 0, rules, search_cache=cache
        )
    except PropertyAccessDenied:
        await refuse(message, state, session, user, lang)
        return
    await _show(message, state, prop, lang, t("owner_rules_saved", lang))
