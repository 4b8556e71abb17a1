"""The admin's own pages: the home dashboard, the property page's charts and analytics."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqladmin import BaseView, expose
from starlette.requests import Request
from starlette.responses import Response

from api.admin.auth import current_scope, current_sessions
from api.admin.charts import (
    WEEKDAYS,
    bar_chart,
    calendar_weeks,
    money,
    percent,
    price_chart,
    state_counts,
)
from api.admin.dashboard import build_dashboard
from api.admin.i18n import Text, t
from core.clock import today_local
from models import Property
from services.analytics import Figures, PeriodKey, Report, build_report, period_for
from services.analytics import percent as share
from services.analytics_csv import Mode, filename, overview_rows, render
from services.property_insights import nights_ahead, price_points

HEATMAP_DAYS = 30
PERIOD_WORDS = {
    PeriodKey.LAST_7_DAYS: "7 days",
    PeriodKey.LAST_30_DAYS: "30 days",
    PeriodKey.THIS_MONTH: "This month",
    PeriodKey.PREVIOUS_MONTH: "Last month",
    PeriodKey.THIS_YEAR: "This year",
}
MONEY_METRICS = frozenset({"revenue", "gross", "refunds"})
STATE_WORDS = {
    "free": "free",
    "booking": "booked",
    "owner": "closed by the owner",
    "ical": "busy in another calendar",
    "turnover": "preparation after a stay",
}
STATE_COLOURS = {
    "free": "#bbf7d0",
    "booking": "#fca5a5",
    "owner": "#cbd5e1",
    "ical": "#fde68a",
    "turnover": "#c7d2fe",
}


def today() -> date:
    return today_local()


def heatmap_context(nights: list[Any]) -> dict[str, Any]:
    return {
        "nights": nights,
        "weeks": calendar_weeks(nights),
        "weekdays": [t(d) for d in WEEKDAYS],
        "night_counts": state_counts(nights),
        "state_words": {k: t(v) for k, v in STATE_WORDS.items()},
        "state_colours": STATE_COLOURS,
    }


async def property_page_context(request: Request, property_id: int) -> dict[str, Any]:
    """Price history and the next 30 nights; sqladmin has already checked the scope."""
    async with current_sessions(request)() as session:
        prop = await session.get(Property, property_id)
        if prop is None:
            return {}
        points = await price_points(session, property_id)
        nights = await nights_ahead(session, prop, today(), HEATMAP_DAYS)
    return {"price_chart": price_chart(points), **heatmap_context(nights)}


async def dashboard_page(request: Request) -> dict[str, Any]:
    user = getattr(request.state, "zg_user", None)
    async with current_sessions(request)() as session:
        board = await build_dashboard(
            session, current_scope(request), today(), getattr(user, "id", None)
        )
    return {
        "board": board,
        "occupancy_chart": bar_chart(
            [(a.title, a.occupancy) for a in board.apartments],
            percent,
            top=100,
            width=470,
            left=160,
        ),
        "money": money,
        "percent": percent,
    }


def _shown(key: str, value: int | Decimal) -> str:
    """A metric as a person reads it; keys added to the report later show as numbers."""
    if isinstance(value, Decimal):
        return percent(value)
    if key in MONEY_METRICS or key.endswith(tuple(MONEY_METRICS)):  # new_revenue too
        return money(value)
    return f"{value:,}".replace(",", " ")


def _share_of(key: str, f: Figures) -> str:
    """The percentage that gives a count its meaning, where there is one."""
    shares = {
        "new_paid_bookings": (
            getattr(f, "new_paid_bookings", 0),  # booked-in-the-period figures, where present
            getattr(f, "new_bookings", 0),
        ),
        "paid_bookings": (f.paid_bookings, f.bookings),
        "cancellations": (f.cancellations, f.bookings),
        "expired_holds": (f.expired_holds, f.bookings),
        "refunds": (f.refunds, f.gross),
        "booked_nights": (f.booked_nights, f.available_nights),
    }
    if key not in shares:
        return ""
    part, whole = shares[key]
    return percent(share(part, whole)) if whole else ""


def analytics_context(report: Report, key: PeriodKey) -> dict[str, Any]:
    overview = report.overview
    figures = [
        {
            "key": k,
            "value": v,
            "label": t(f"metric.{k}"),
            "shown": _shown(k, v),
            "share": _share_of(k, overview),
        }
        for k, v in overview_rows(overview)
    ]
    lost = sum(r.count for r in report.reasons)
    reasons = [
        {
            "reason": r.reason,
            "label": t(f"reason.{r.reason}"),
            "count": r.count,
            "share": percent(share(r.count, lost)),
            "refunds": money(r.refunds),
        }
        for r in report.reasons
    ]
    return {
        "report": report,
        "period_key": key.value,
        "periods": [(p.value, t(PERIOD_WORDS[p])) for p in PeriodKey],
        "figures": figures,
        "reasons": reasons,
        "revenue_chart": bar_chart(
            [(a.title, a.figures.revenue) for a in report.apartments], money, width=560, left=170
        ),
        "occupancy_chart": bar_chart(
            [(a.title, a.figures.occupancy) for a in report.apartments],
            percent,
            top=100,
            width=560,
            left=170,
        ),
        "title": t("Analytics"),
        "money": money,
        "percent": percent,
    }


class AnalyticsView(BaseView):
    name = Text("Analytics")
    icon = "fa-solid fa-chart-column"

    @expose("/analytics", identity="analytics")
    async def analytics(self, request: Request) -> Response:
        try:
            key = PeriodKey(request.query_params.get("period", PeriodKey.LAST_30_DAYS.value))
        except ValueError:
            key = PeriodKey.LAST_30_DAYS
        try:
            mode = Mode(request.query_params.get("mode", Mode.GENERAL.value))
        except ValueError:
            mode = Mode.GENERAL
        async with current_sessions(request)() as session:
            report = await build_report(session, current_scope(request), period_for(key, today()))
        if request.query_params.get("download") == "csv":
            return Response(
                render(report, mode),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{filename(report, mode)}"'},
            )
        return await self.templates.TemplateResponse(
            request, "zhilyego/analytics.html", analytics_context(report, key)
        )
