"""Model views of the web admin. Owners see rows of their own apartments; staff see all."""

from __future__ import annotations

import secrets
from typing import Any, ClassVar
from urllib.parse import quote

from markupsafe import Markup
from sqladmin import ModelView
from sqlalchemy import Select, select
from sqlmodel import col
from starlette.requests import Request

from api.admin.auth import current_scope, current_sessions
from api.admin.export import SafeExportView
from api.admin.pages import property_page_context
from core.settings import Settings
from models import Agency, Booking, NotificationTemplate, Property, PropertyPhoto, User
from services.booking_client import workflow_id
from services.external_calendars import calendar_ids_of, drop_feeds_schedules
from services.scope import within
from services.search_cache import SearchCache


class ScopedView(SafeExportView):
    """Rows reached through `property_id` (or the apartment itself) within the user's scope."""

    def _narrow(self, request: Request, stmt: Select[Any]) -> Select[Any]:
        model: Any = self.model
        if model is not Property:
            stmt = stmt.join(Property, col(Property.id) == model.property_id)
        return within(stmt, current_scope(request))

    def list_query(self, request: Request) -> Select[Any]:
        return self._narrow(request, super().list_query(request))

    def count_query(self, request: Request) -> Select[Any]:
        return self._narrow(request, super().count_query(request))

    def details_query(self, request: Request) -> Select[Any]:
        return self._narrow(request, super().details_query(request))

    def form_edit_query(self, request: Request) -> Select[Any]:
        return self._narrow(request, super().form_edit_query(request))

    async def check_can_view_details(self, request: Request, model: Any) -> bool:
        return model is not None and await super().check_can_view_details(request, model)

    async def check_can_edit(self, request: Request, model: Any) -> bool:
        return model is not None and await super().check_can_edit(request, model)

    async def check_can_delete(self, request: Request, model: Any) -> bool:
        return model is not None and await super().check_can_delete(request, model)

    async def on_model_change(
        self, data: dict[str, Any], model: Any, is_created: bool, request: Request
    ) -> None:
        """An owner may attach rows only to an apartment of their own."""
        scope = current_scope(request)
        property_id = data.get("property_id", getattr(model, "property_id", None))
        if scope.everything or property_id is None:
            return
        async with current_sessions(request)() as session:
            owner_id = await session.scalar(
                select(col(Property.owner_id)).where(col(Property.id) == property_id)
            )
        if owner_id != scope.owner_id:
            raise ValueError("not one of your apartments")

    async def after_model_change(
        self, data: dict[str, Any], model: Any, is_created: bool, request: Request
    ) -> None:
        await _forget_search_pages(request)

    async def after_model_delete(self, model: Any, request: Request) -> None:
        await _forget_search_pages(request)


async def _forget_search_pages(request: Request) -> None:
    """Apartments, photos and reviews shape search results: no stale page after an edit."""
    state = request.app.state.root.state.zg
    await SearchCache.from_settings(state.redis, state.settings).invalidate()


class StaffView(SafeExportView):
    """Tables only super_admin / super_user manage."""

    def is_accessible(self, request: Request) -> bool:
        return current_scope(request).everything

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)


class PropertyAdmin(ScopedView, model=Property):
    name, name_plural, icon = "Apartment", "Apartments", "fa-solid fa-building"
    column_list: ClassVar[Any] = [
        Property.id,
        Property.title,
        Property.city,
        Property.district,
        Property.rooms,
        Property.price_per_night,
        Property.owner_id,
        Property.is_active,
    ]
    column_searchable_list: ClassVar[Any] = [Property.title, Property.city, Property.district]
    column_details_exclude_list: ClassVar[Any] = [
        Property.key_safe_code_enc,
        Property.smart_lock_code_enc,
        Property.ical_token,
    ]
    form_include_pk = True  # shows owner_id (a foreign key); the id itself stays out
    form_excluded_columns: ClassVar[Any] = [
        Property.id,
        Property.ical_token,
        Property.key_safe_code_enc,
        Property.smart_lock_code_enc,
        Property.created_at,
        Property.updated_at,
        Property.price_updated_at,
        Property.photos_updated_at,
    ]
    details_template = "zhilyego/property_details.html"

    async def on_model_change(
        self, data: dict[str, Any], model: Any, is_created: bool, request: Request
    ) -> None:
        scope = current_scope(request)
        if scope.owner_id is not None:
            data["owner_id"] = scope.owner_id
        if is_created:
            data["ical_token"] = secrets.token_urlsafe(16)

    async def details_context(self, request: Request) -> dict[str, Any]:
        return await property_page_context(request, int(request.path_params["pk"]))

    async def on_model_delete(self, model: Any, request: Request) -> None:
        """Its external calendars go with it (cascade): their import schedules go first."""
        async with current_sessions(request)() as session:
            calendar_ids = await calendar_ids_of(session, model.id)
        if calendar_ids:  # most apartments have none: no need to reach Temporal
            state = request.app.state.root.state.zg
            await drop_feeds_schedules(await state.temporal(), calendar_ids)


class PropertyPhotoAdmin(ScopedView, model=PropertyPhoto):
    name, name_plural, icon = "Photo", "Photos", "fa-solid fa-image"
    column_list: ClassVar[Any] = [
        PropertyPhoto.id,
        PropertyPhoto.property_id,
        PropertyPhoto.url,
        PropertyPhoto.position,
    ]
    form_include_pk = True
    form_excluded_columns: ClassVar[Any] = [PropertyPhoto.id, PropertyPhoto.created_at]


def booking_admin(settings: Settings) -> type[ModelView]:
    """Bookings change only through their workflow: here they are read, with its link."""
    base = settings.temporal_ui_url.rstrip("/")
    namespace = quote(settings.temporal_namespace, safe="")

    def workflow_link(model: Any, _attribute: Any) -> Markup:
        wid = workflow_id(model.id)
        url = f"{base}/namespaces/{namespace}/workflows/{quote(wid, safe='')}"
        return Markup(
            '<a href="{}" target="_blank" rel="noopener" data-workflow="{}">{}</a>'
        ).format(url, wid, wid)

    class BookingAdmin(ScopedView, model=Booking):
        name, name_plural, icon = "Booking", "Bookings", "fa-solid fa-calendar-check"
        can_create = False
        can_edit = False
        can_delete = False
        column_list: ClassVar[Any] = [
            Booking.id,
            Booking.property_id,
            Booking.check_in,
            Booking.check_out,
            Booking.status,
            Booking.total,
            Booking.channel,
            Booking.created_at,
        ]
        column_default_sort: ClassVar[Any] = (Booking.created_at, True)
        column_searchable_list: ClassVar[Any] = [Booking.id]
        column_formatters: ClassVar[Any] = {Booking.id: workflow_link}
        column_formatters_detail: ClassVar[Any] = {Booking.id: workflow_link}

        def _stmt_by_identifier(self, identifier: str) -> Select[Any]:
            # sqladmin cannot coerce SQLModel's AutoString key; the id is the string itself.
            return select(Booking).where(col(Booking.id) == identifier)

    return BookingAdmin


class UserAdmin(StaffView, model=User):
    name, name_plural, icon = "User", "Users", "fa-solid fa-user"
    column_list: ClassVar[Any] = [User.id, User.name, User.phone, User.email, User.role]
    column_searchable_list: ClassVar[Any] = [User.name, User.phone, User.email]
    column_details_exclude_list: ClassVar[Any] = [User.password_hash]
    form_excluded_columns: ClassVar[Any] = [User.password_hash, User.created_at]


class AgencyAdmin(StaffView, model=Agency):
    name, name_plural, icon = "Agency", "Agencies", "fa-solid fa-people-group"
    column_list: ClassVar[Any] = [Agency.id, Agency.name, Agency.created_at]


class NotificationTemplateAdmin(StaffView, model=NotificationTemplate):
    name, name_plural, icon = "Template", "Templates", "fa-solid fa-envelope"
    column_list: ClassVar[Any] = [
        NotificationTemplate.id,
        NotificationTemplate.event,
        NotificationTemplate.channel,
        NotificationTemplate.language,
    ]
    column_searchable_list: ClassVar[Any] = [NotificationTemplate.event]
