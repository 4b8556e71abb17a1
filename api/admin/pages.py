"""The admin's own pages: the property page's charts and the analytics dashboard."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqladmin import BaseView, expose
from starlette.requests import Request
from starlette.responses import Response

from api.admin.auth import current_scope, current_sessions
from api.admin.charts import bars, price_chart
from models import Property
from services.analytics import PeriodKey, build_report, period_for
from services.analytics_csv import Mode, filename, overview_rows, render
from services.property_insights import nights_ahead, price_points

LOCAL_TZ = ZoneInfo("Asia/Almaty")
HEATMAP_DAYS = 30


def today() -> date:
    return datetime.now(LOCAL_TZ).date()


async def property_page_context(request: Request, property_id: int) -> dict[str, Any]:
    """Price history and the next 30 nights; sqladmin has already checked the scope."""
    async with current_sessions(request)() as session:
        prop = await session.get(Property, property_id)
        if prop is None:
            return {}
        points = await price_points(session, property_id)
        nights = await nights_ahead(session, prop, today(), HEATMAP_DAYS)
    return {"price_chart": price_chart(points), "nights": nights}


class AnalyticsView(BaseView):
    name = "Analytics"
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
        context = {
            "report": report,
            "period_key": key.value,
            "periods": [p.value for p in PeriodKey],
            "figures": overview_rows(report.overview),
            "revenue_bars": bars([(a.title, a.figures.revenue) for a in report.apartments]),
            "occupancy_bars": bars(
                [(a.title, round(a.figures.occupancy)) for a in report.apartments], top=100
            ),
        }
        return await self.templates.TemplateResponse(request, "zhilyego/analytics.html", context)
