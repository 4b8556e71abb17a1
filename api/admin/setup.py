"""Mounts the web admin on the API application."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqladmin import Admin
from sqlalchemy.ext.asyncio import AsyncEngine

from api.admin.auth import AdminAuth
from api.admin.external_calendars import ExternalCalendarAdmin
from api.admin.pages import AnalyticsView
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
from core.settings import Settings

TEMPLATES = Path(__file__).resolve().parent / "templates"


def mount_admin(app: FastAPI, engine: AsyncEngine, settings: Settings) -> Admin:
    auth = AdminAuth(create_session_factory(engine), settings)
    admin = Admin(
        app,
        engine=engine,
        base_url="/admin",
        title="ZhilyeGO",
        templates_dir=str(TEMPLATES),
        authentication_backend=auth,
    )
    auth.templates = admin.templates  # the login page, for throttled sign-ins
    # Views reach the API's process state (Redis, settings) through the root app.
    admin.admin.state.root = app
    for view in (
        PropertyAdmin,
        PropertyPhotoAdmin,
        ExternalCalendarAdmin,
        booking_admin(settings),
        ReviewAdmin,
        UserAdmin,
        AgencyAdmin,
        NotificationTemplateAdmin,
        AnalyticsView,
    ):
        admin.add_view(view)
    return admin
