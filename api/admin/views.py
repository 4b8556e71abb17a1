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
from api.admin.formatting import AdminView, apartment, guest, money, person, words
from api.admin.i18n import Text
from api.admin.pages import property_page_context
from core.settings import Settings
from models import Agency, Booking, NotificationTemplate, Property, PropertyPhoto, User
from services.booking_client import workflow_id
from services.external_calendars import calendar_ids_of, drop_feeds_schedules
from services.scope import within
from services.search_cache import SearchCache


class ScopedView(AdminView):
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


class StaffView(AdminView):
    """Tables only super_admin / super_user manage."""

    def is_accessible(self, request: Request) -> bool:
        return current_scope(request).everything

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)


class PropertyAdmin(ScopedView, model=Property):
    name, name_plural, icon = Text("Apartment"), Text("Apartments"), "fa-solid fa-building"
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
    column_labels: ClassVar[Any] = {
        Property.id: Text("No."),
        Property.title: Text("Title"),
        Property.city: Text("City"),
        Property.district: Text("District"),
        Property.property_class: Text("Class"),
        Property.rooms: Text("Rooms"),
        Property.area_m2: Text("Area, m²"),
        Property.address: Text("Address"),
        Property.description: Text("Description"),
        Property.max_guests: Text("Max guests"),
        Property.price_per_night: Text("Price per night"),
        Property.cleaning_fee: Text("Cleaning fee"),
        Property.min_nights: Text("Min nights"),
        Property.max_nights: Text("Max nights"),
        Property.check_in_time: Text("Check-in time"),
        Property.check_out_time: Text("Check-out time"),
        Property.cancellation_policy: Text("Cancellation policy"),
        Property.status: Text("Status"),
        Property.is_active: Text("Shown to guests"),
        Property.checkin_instructions: Text("Check-in instructions"),
        Property.owner_id: Text("Owner"),
        Property.created_at: Text("Created"),
        Property.updated_at: Text("Updated"),
        Property.price_updated_at: Text("Price changed"),
        Property.photos_updated_at: Text("Photos changed"),
    }
    column_formatters: ClassVar[Any] = {
        Property.price_per_night: money,
        Property.cleaning_fee: money,
        Property.owner_id: person,
        Property.city: words("city"),
        Property.property_class: words("class"),
        Property.cancellation_policy: words("policy"),
        Property.status: words("status"),
    }
    column_formatters_detail: ClassVar[Any] = column_formatters
    column_details_exclude_list: ClassVar[Any] = [
        Property.key_safe_code_enc,
        Property.smart_lock_code_enc,
        Property.ical_token,
        Property.pricing,  # edited as rules (API, admin bot), not as raw JSON
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
        Property.pricing,
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
        raw = str(request.path_params.get("pk", ""))
        if not (raw.isascii() and raw.isdigit()):  # sqladmin answers the missing row itself
            return {}
        return await property_page_context(request, int(raw))

    async def on_model_delete(self, model: Any, request: Request) -> None:
        """Its external calendars go with it (cascade): their import schedules go first."""
        async with current_sessions(request)() as session:
            calendar_ids = await calendar_ids_of(session, model.id)
        if calendar_ids:  # most apartments have none: no need to reach Temporal
            state = request.app.state.root.state.zg
            await drop_feeds_schedules(await state.temporal(), calendar_ids)


class PropertyPhotoAdmin(ScopedView, model=PropertyPhoto):
    name, name_plural, icon = Text("Photo"), Text("Photos"), "fa-solid fa-image"
    column_list: ClassVar[Any] = [
        PropertyPhoto.id,
        PropertyPhoto.property_id,
        PropertyPhoto.url,
        PropertyPhoto.position,
    ]
    column_labels: ClassVar[Any] = {
        PropertyPhoto.id: Text("No."),
        PropertyPhoto.property_id: Text("Apartment"),
        PropertyPhoto.url: Text("URL"),
        PropertyPhoto.thumbnail_url: Text("Thumbnail"),
        PropertyPhoto.telegram_file_id: Text("Telegram file"),
        PropertyPhoto.position: Text("Position"),
        PropertyPhoto.created_at: Text("Created"),
    }
    column_formatters: ClassVar[Any] = {PropertyPhoto.property_id: apartment}
    column_formatters_detail: ClassVar[Any] = column_formatters
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
            '<a href="{}" target="_blank" rel="noopener" data-workflow="{}" title="{}">{}</a>'
        ).format(url, wid, wid, model.id)

    class BookingAdmin(ScopedView, model=Booking):
        name, name_plural = Text("Booking"), Text("Bookings")
        icon = "fa-solid fa-calendar-check"
        can_create = False
        can_edit = False
        can_delete = False
        column_list: ClassVar[Any] = [
            Booking.id,
            Booking.property_id,
            Booking.guest_id,
            Booking.check_in,
            Booking.check_out,
            Booking.total,
            Booking.status,
        ]
        column_default_sort: ClassVar[Any] = (Booking.created_at, True)
        column_searchable_list: ClassVar[Any] = [Booking.id]
        column_labels: ClassVar[Any] = {
            Booking.id: Text("Booking"),
            Booking.property_id: Text("Apartment"),
            Booking.guest_id: Text("Guest"),
            Booking.contact_phone: Text("Contact phone"),
            Booking.check_in: Text("Check-in"),
            Booking.check_out: Text("Check-out"),
            Booking.nights: Text("Nights"),
            Booking.guests: Text("Guests"),
            Booking.price_per_night: Text("Price per night"),
            Booking.cleaning_fee: Text("Cleaning fee"),
            Booking.total: Text("Total"),
            Booking.status: Text("Status"),
            Booking.channel: Text("Channel"),
            Booking.payment_method: Text("Payment"),
            Booking.cancellation_policy: Text("Cancellation policy"),
            Booking.expires_at: Text("Pay by"),
            Booking.created_at: Text("Created"),
            Booking.confirmed_at: Text("Confirmed"),
            Booking.cancelled_at: Text("Cancelled"),
            Booking.cancelled_by: Text("Cancelled by"),
            Booking.cancel_reason: Text("Reason"),
            Booking.cancel_comment: Text("Comment"),
            Booking.refund_amount: Text("Refund"),
            Booking.codes_sent_at: Text("Codes sent"),
            Booking.completed_at: Text("Completed"),
        }
        column_formatters: ClassVar[Any] = {
            Booking.id: workflow_link,
            Booking.property_id: apartment,
            Booking.guest_id: guest,
            Booking.price_per_night: money,
            Booking.cleaning_fee: money,
            Booking.total: money,
            Booking.refund_amount: money,
            Booking.status: words("status"),
            Booking.channel: words("channel"),
            Booking.payment_method: words("method"),
            Booking.cancellation_policy: words("policy"),
            Booking.cancelled_by: words("by"),
            Booking.cancel_reason: words("reason"),
        }
        column_formatters_detail: ClassVar[Any] = column_formatters

        def _stmt_by_identifier(self, identifier: str) -> Select[Any]:
            # sqladmin cannot coerce SQLModel's AutoString key; the id is the string itself.
            return select(Booking).where(col(Booking.id) == identifier)

    return BookingAdmin


class UserAdmin(StaffView, model=User):
    name, name_plural, icon = Text("User"), Text("Users"), "fa-solid fa-user"
    column_list: ClassVar[Any] = [User.id, User.name, User.phone, User.email, User.role]
    column_labels: ClassVar[Any] = {
        User.id: Text("No."),
        User.name: Text("Name"),
        User.phone: Text("Phone"),
        User.phone_verified: Text("Phone verified"),
        User.telegram_id: Text("Telegram ID"),
        User.whatsapp_phone: Text("WhatsApp"),
        User.language: Text("Language"),
        User.role: Text("Role"),
        User.agency_id: Text("Agency"),
        User.email: Text("Email"),
        User.whatsapp_last_inbound_at: Text("Last WhatsApp message"),
        User.created_at: Text("Created"),
    }
    column_formatters: ClassVar[Any] = {User.role: words("role"), User.language: words("language")}
    column_formatters_detail: ClassVar[Any] = column_formatters
    column_searchable_list: ClassVar[Any] = [User.name, User.phone, User.email]
    column_details_exclude_list: ClassVar[Any] = [User.password_hash]
    form_excluded_columns: ClassVar[Any] = [User.password_hash, User.created_at]


class AgencyAdmin(StaffView, model=Agency):
    name, name_plural, icon = Text("Agency"), Text("Agencies"), "fa-solid fa-people-group"
    column_list: ClassVar[Any] = [Agency.id, Agency.name, Agency.created_at]
    column_labels: ClassVar[Any] = {
        Agency.id: Text("No."),
        Agency.name: Text("Title"),
        Agency.created_at: Text("Created"),
    }


class NotificationTemplateAdmin(StaffView, model=NotificationTemplate):
    name, name_plural, icon = Text("Template"), Text("Templates"), "fa-solid fa-envelope"
    column_list: ClassVar[Any] = [
        NotificationTemplate.id,
        NotificationTemplate.event,
        NotificationTemplate.channel,
        NotificationTemplate.language,
    ]
    column_searchable_list: ClassVar[Any] = [NotificationTemplate.event]
    column_labels: ClassVar[Any] = {
        NotificationTemplate.id: Text("No."),
        NotificationTemplate.event: Text("Event"),
        NotificationTemplate.channel: Text("Channel"),
        NotificationTemplate.language: Text("Language"),
        NotificationTemplate.body: Text("Body"),
        NotificationTemplate.updated_at: Text("Updated"),
    }
    column_formatters: ClassVar[Any] = {NotificationTemplate.language: words("language")}
    column_formatters_detail: ClassVar[Any] = column_formatters
