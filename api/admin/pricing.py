"""The apartment's prices and rules in the web admin (/admin/pricing/<id>): a form for the
weekend price and days, stay discounts, seasons, holiday dates and extra guests — seasons,
holidays and discounts one per line in the admin bot's syntax (services/pricing_input.py) —
a month calendar with each night's price and what holds it, and two stays priced as a guest
would be charged. Saved through services.owner.set_pricing: scoped, history recorded,
search pages forgotten."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqladmin import BaseView, expose
from sqladmin.i18n import get_locale
from sqlmodel import col, select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from api.admin.auth import current_sessions, current_user
from api.admin.charts import WEEKDAYS
from api.admin.i18n import Text, t
from api.state import AppState
from bots.texts import t as bot_text
from core.clock import today_local
from models import CalendarNight, Property
from models.pricing import PricingRules, StayRuleError, night_price, quote_stay
from services import pricing_input
from services.owner import PropertyAccessDenied, require_property, set_pricing
from services.pricing import price_rules
from services.search_cache import SearchCache

STATE_COLOURS = {
    "free": "#f1f5f9",
    "booking": "#fca5a5",
    "owner": "#cbd5e1",
    "ical": "#fde68a",
    "turnover": "#c7d2fe",
}


@dataclass(frozen=True)
class NightPrice:
    night: date
    price: int
    state: str  # free | booking | owner | ical


def rule_lines(rules: PricingRules) -> dict[str, str]:
    """The rules as the form's text areas show them (the syntax they are typed in)."""
    seasons = []
    for s in rules.seasons:
        minimum = f" мин {s.min_nights}" if s.min_nights else ""
        seasons.append(f"{s.start:%d.%m.%Y}–{s.end:%d.%m.%Y} {s.price}{minimum}")
    return {
        "seasons": "\n".join(seasons),
        "dates": "\n".join(f"{d.night:%d.%m.%Y} {d.price}" for d in rules.dates),
        "discounts": "\n".join(f"{d.min_nights} {d.percent}" for d in rules.discounts),
    }


def _number(form: FormData, name: str) -> int | None:
    raw = str(form.get(name) or "").replace(" ", "").strip()
    return int(raw) if raw.isdigit() else None


def rules_from_form(form: FormData, today: date, lang: str) -> PricingRules | str:
    """New rules from the submitted form, or what is wrong with it (one line, user-facing)."""
    days = sorted({int(str(d)) for d in form.getlist("weekend_days") if str(d).isdigit()})
    try:
        rules = PricingRules(
            weekend_price=_number(form, "weekend_price") or None,
            weekend_days=tuple(days) or (4, 5),
            extra_guest_fee=_number(form, "extra_guest_fee") or 0,
            guests_included=_number(form, "guests_included") or 2,
            advance_notice_days=_number(form, "advance_notice_days") or 0,
            same_day_cutoff_hour=_number(form, "same_day_cutoff_hour"),
            turnover_nights=_number(form, "turnover_nights") or 0,
        )
    except ValueError as exc:
        return str(exc)
    for field in ("discounts", "seasons", "dates"):
        for line in str(form.get(field) or "").splitlines():
            if not line.strip():
                continue
            changed = _parsed(field, rules, line, today)
            if isinstance(changed, pricing_input.RuleRefusal):
                reason = bot_text(changed.key, lang, detail=changed.detail)
                return f"«{line.strip()}»: {reason}"
            rules = changed
    return rules


def _parsed(
    field: str, rules: PricingRules, line: str, today: date
) -> PricingRules | pricing_input.RuleRefusal:
    if field == "discounts":
        return pricing_input.stay_discount(rules, line)
    if field == "seasons":
        return pricing_input.season(rules, line, today)
    return pricing_input.holiday(rules, line, today)


async def month_nights(prop: Property, month: date, request: Request) -> list[NightPrice]:
    """Every night of `month`: its price under the rules and what holds it, if anything."""
    days = monthrange(month.year, month.month)[1]
    end = month + timedelta(days=days)
    async with current_sessions(request)() as session:
        rows = await session.execute(
            select(col(CalendarNight.night), col(CalendarNight.kind)).where(
                col(CalendarNight.property_id) == prop.id,
                col(CalendarNight.night) >= month,
                col(CalendarNight.night) < end,
            )
        )
        held = {night: str(kind) for night, kind in rows.all()}
    rules = price_rules(prop)
    return [
        NightPrice(night, night_price(rules, night), held.get(night, "free"))
        for night in (month + timedelta(days=i) for i in range(days))
    ]


def month_weeks(nights: list[NightPrice]) -> list[list[NightPrice | None]]:
    """Monday-first weeks, blank cells before the first and after the last night."""
    cells: list[NightPrice | None] = [None] * nights[0].night.weekday() + list(nights)
    cells += [None] * (-len(cells) % 7)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def previews(prop: Property, today: date) -> list[dict[str, Any]]:
    """Three nights from the next Friday, seven from the next Monday, as a guest pays."""
    rules = price_rules(prop)
    friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    shown = []
    for start, nights in ((friday, 3), (monday, 7)):
        try:
            quote = quote_stay(rules, start, start + timedelta(days=nights))
        except StayRuleError as exc:
            shown.append({"start": start, "nights": nights, "refused": str(exc)})
            continue
        shown.append({"start": start, "nights": nights, "quote": quote})
    return shown


class PricingView(BaseView):
    """Reached from the apartment's page; not in the menu (it needs an apartment)."""

    name = Text("Prices and rules")
    icon = "fa-solid fa-tags"

    def is_visible(self, request: Request) -> bool:
        return False

    @expose("/pricing/{pk}", methods=["GET", "POST"], identity="pricing")
    async def pricing(self, request: Request) -> Response:
        raw = str(request.path_params.get("pk", ""))
        user = current_user(request)
        async with current_sessions(request)() as session:
            try:
                prop = await require_property(session, user, int(raw) if raw.isdigit() else 0)
            except PropertyAccessDenied:
                return Response(t("Not allowed."), status_code=403)
            today = today_local()
            error = ""
            if request.method == "POST":
                form = await request.form()
                rules = rules_from_form(form, today, get_locale())
                if isinstance(rules, str):
                    error = rules
                else:
                    state: AppState = request.app.state.root.state.zg
                    cache = SearchCache.from_settings(state.redis, state.settings)
                    await set_pricing(session, user, prop.id or 0, rules, search_cache=cache)
                    return RedirectResponse(f"{request.url.path}?saved=1", status_code=303)
        month = _month(request.query_params.get("month"), today)
        nights = await month_nights(prop, month, request)
        current = price_rules(prop).pricing
        context = {
            "prop": prop,
            "rules": current,
            "lines": rule_lines(current),
            "error": error,
            "saved": request.query_params.get("saved") == "1",
            "weeks": month_weeks(nights),
            "weekdays": [t(d) for d in WEEKDAYS],
            "month": month,
            "previous": _shift(month, -1),
            "following": _shift(month, 1),
            "colours": STATE_COLOURS,
            "previews": previews(prop, today),
        }
        status = 422 if error else 200
        response = await self.templates.TemplateResponse(request, "zhilyego/pricing.html", context)
        response.status_code = status
        return response


def _month(raw: str | None, today: date) -> date:
    try:
        year, month = (int(x) for x in (raw or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _shift(month: date, by: int) -> str:
    index = month.year * 12 + month.month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
