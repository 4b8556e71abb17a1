"""External calendars in the web admin: an owner adds an Airbnb / Booking.com feed to one
of their apartments and its import Schedule exists at once (no worker restart); deleting
the feed drops the schedule and, by the foreign key's ON DELETE CASCADE, its imported nights."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, ClassVar

from sqlalchemy import update
from sqlmodel import col
from starlette.requests import Request
from temporalio.service import RPCError

# WTForms ships neither stubs nor py.typed (sqladmin builds its forms with it).
from wtforms import Field, Form, SelectField, StringField  # type: ignore[import-untyped]
from wtforms.validators import (  # type: ignore[import-untyped]
    InputRequired,
    Length,
    ValidationError,
)

from activities.property_status import refresh_property_status
from api.admin.auth import current_scope, current_sessions
from api.admin.formatting import apartment
from api.admin.i18n import Text
from api.admin.views import ScopedView
from api.state import AppState
from core.logging import get_logger
from models import ExternalCalendar
from services.external_calendars import (
    apartment_choices,
    drop_feeds_schedules,
    feed_problem,
    feed_url_problem,
    follow_feed,
)

log = get_logger(__name__)
NOT_SCHEDULED = "Temporal was out of reach: the import is scheduled at the next worker start."

# sqladmin builds the form without the request and WTForms cannot await, so the create
# form's apartments are loaded per request (create_context) and read from here; a form
# built any other way offers no apartment at all.
_APARTMENTS: ContextVar[tuple[tuple[int, str], ...]] = ContextVar("zg_admin_apartments", default=())


def _apartments() -> list[tuple[int, str]]:
    return list(_APARTMENTS.get())


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _feed_url(_form: Form, field: Field) -> None:
    problem = feed_url_problem(field.data or "")
    if problem is not None:
        raise ValidationError(problem)


_APARTMENT = SelectField(
    Text("Apartment"), coerce=int, choices=_apartments, validators=[InputRequired()]
)
_NAME = StringField(
    Text("Title"),
    validators=[InputRequired(), Length(max=100)],
    filters=[_strip],
    description="Where the feed comes from, e.g. Airbnb or Booking.com.",
)
_URL = StringField(
    Text("Feed URL"),
    validators=[InputRequired(), _feed_url],
    filters=[_strip],
    description="The channel's calendar export link (https://…/calendar.ics).",
)


class CreateCalendarForm(Form):  # type: ignore[misc]  # Form is untyped
    property_id = _APARTMENT
    name = _NAME
    url = _URL


class EditCalendarForm(Form):  # type: ignore[misc]
    """No apartment here: the imported nights belong to the one chosen at creation."""

    name = _NAME
    url = _URL


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.root.state.zg
    return state


class ExternalCalendarAdmin(ScopedView, model=ExternalCalendar):
    name, name_plural = Text("External calendar"), Text("External calendars")
    icon = "fa-solid fa-calendar-plus"
    column_list: ClassVar[Any] = [
        ExternalCalendar.id,
        ExternalCalendar.property_id,
        ExternalCalendar.name,
        ExternalCalendar.url,
        ExternalCalendar.last_synced_at,
        ExternalCalendar.last_error,
    ]
    column_searchable_list: ClassVar[Any] = [ExternalCalendar.name]
    column_labels: ClassVar[Any] = {
        ExternalCalendar.id: Text("No."),
        ExternalCalendar.property_id: Text("Apartment"),
        ExternalCalendar.name: Text("Title"),
        ExternalCalendar.url: Text("Feed URL"),
        ExternalCalendar.last_synced_at: Text("Last sync"),
        ExternalCalendar.last_error: Text("Last error"),
        ExternalCalendar.created_at: Text("Created"),
    }
    column_formatters: ClassVar[Any] = {ExternalCalendar.property_id: apartment}
    column_formatters_detail: ClassVar[Any] = column_formatters
    # Sync time and error are the import's to write: shown, never in a form.
    form_columns: ClassVar[Any] = [
        ExternalCalendar.property_id,
        ExternalCalendar.name,
        ExternalCalendar.url,
    ]
    form_create_rules: ClassVar[Any] = ["property_id", "name", "url"]
    form_edit_rules: ClassVar[Any] = ["name", "url"]

    async def scaffold_form(self, rules: list[str] | None = None) -> type[Form]:
        return CreateCalendarForm if rules and "property_id" in rules else EditCalendarForm

    async def create_context(self, request: Request) -> dict[str, Any]:
        async with current_sessions(request)() as session:
            _APARTMENTS.set(tuple(await apartment_choices(session, current_scope(request))))
        return await super().create_context(request)

    async def on_model_change(
        self, data: dict[str, Any], model: Any, is_created: bool, request: Request
    ) -> None:
        await super().on_model_change(data, model, is_created, request)
        # Where the link leads needs DNS, which a (synchronous) form validator cannot await;
        # refused here, the form comes back with the reason and nothing is written.
        problem = await feed_problem(str(data.get("url") or ""), app_state(request).settings)
        if problem is not None:
            raise ValueError(problem)

    async def after_model_change(
        self, data: dict[str, Any], model: Any, is_created: bool, request: Request
    ) -> None:
        await super().after_model_change(data, model, is_created, request)
        state = app_state(request)
        try:
            await follow_feed(await state.temporal(), model.id, state.settings)
        except (RPCError, RuntimeError) as exc:
            # The row is saved; the worker's start-up ensures every calendar's schedule.
            log.warning(
                "ical schedule not ensured", external_calendar_id=model.id, error=str(exc)[:200]
            )
            async with current_sessions(request)() as session:
                await session.execute(
                    update(ExternalCalendar)
                    .where(col(ExternalCalendar.id) == model.id)
                    .values(last_error=NOT_SCHEDULED)
                )
                await session.commit()

    async def on_model_delete(self, model: Any, request: Request) -> None:
        # First the schedule: if Temporal is out of reach the feed stays, whole, and the
        # owner sees the error instead of an orphan schedule importing into nothing.
        await drop_feeds_schedules(await app_state(request).temporal(), [model.id])

    async def after_model_delete(self, model: Any, request: Request) -> None:
        # The cascade freed the imported nights: tonight may be free again, and searches
        # that left the apartment out must ask again.
        async with current_sessions(request)() as session:
            await refresh_property_status(session, model.property_id)
            await session.commit()
        await super().after_model_delete(model, request)
