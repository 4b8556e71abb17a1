"""Mounts the web admin on the API application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqladmin import Admin, BaseView, ModelView
from sqladmin.authentication import login_required
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response

from api.admin import i18n
from api.admin.auth import AdminAuth
from api.admin.external_calendars import ExternalCalendarAdmin
from api.admin.formatting import day, moment
from api.admin.pages import AnalyticsView, dashboard_page
from api.admin.pricing import PricingView
from api.admin.reviews import ReviewAdmin
from api.admin.views import (
    AgencyAdmin,
    NotificationTemplateAdmin,
    PropertyAdmin,
    PropertyPhotoAdmin,
    UserAdmin,
    booking_admin,
)
from core.db import create_session_factory
from core.money import kzt
from core.settings import Settings

TEMPLATES = Path(__file__).resolve().parent / "templates"


class ZhilyegoAdmin(Admin):
    """sqladmin with a home page: today's arrivals and departures, invoices to confirm,
    the next 30 nights and the month's revenue."""

    @login_required
    async def index(self, request: Request) -> Response:
        page: Response = await self.templates.TemplateResponse(
            request, "zhilyego/dashboard.html", await dashboard_page(request)
        )
        return page


def mount_admin(app: FastAPI, engine: AsyncEngine, settings: Settings) -> Admin:
    auth = AdminAuth(create_session_factory(engine), settings)
    admin = ZhilyegoAdmin(
        app,
        engine=engine,
        base_url="/admin",
        title="ZhilyeGO",
        templates_dir=str(TEMPLATES),
        authentication_backend=auth,
        i18n_config=i18n.install(),
    )
    env = admin.templates.env
    env.globals["t"] = i18n.t
    env.filters.update(kzt=kzt, day=day, moment=moment)
    auth.templates = admin.templates  # the login page, for throttled sign-ins
    # Views reach the API's process state (Redis, settings) through the root app.
    admin.admin.state.root = app
    for view in admin_views(settings):
        admin.add_view(view)
    return admin


def admin_views(settings: Settings) -> tuple[type[ModelView] | type[BaseView], ...]:
    """Every page of the admin, in menu order (tests/admin opens each of them)."""
    return (
        PropertyAdmin,
        PropertyPhotoAdmin,
        ExternalCalendarAdmin,
        booking_admin(settings),
        ReviewAdmin,
        UserAdmin,
        AgencyAdmin,
        NotificationTemplateAdmin,
        _own(AnalyticsView),
        _own(PricingView),
    )


def _own(view: type[BaseView]) -> type[BaseView]:
    """A page class for this admin alone: sqladmin keeps the admin that serves a page on its
    class, so two admins in one process (the tests build several apps) would share it."""
    return type(view.__name__, (view,), {})
