"""Values as an owner reads them: "23 000 ₸", 05.03.2026, names instead of ids, words
instead of codes; and the base of every model view, which loads those names for a page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from markupsafe import Markup
from sqladmin.formatters import BASE_FORMATTERS
from sqladmin.pagination import Pagination
from sqlalchemy import select as sa_select
from sqlmodel import col
from starlette.requests import Request

from api.admin.auth import current_sessions
from api.admin.export import SafeExportView
from api.admin.i18n import t
from core.clock import LOCAL_TZ
from core.money import kzt
from models import Property, User
from services.people import first_name, reveals_guest

Formatter = Callable[..., Any]
# Columns that hold a person's id, shown as the person's name.
PEOPLE_COLUMNS = ("owner_id", "guest_id", "deleted_by_id", "confirmed_by_id")


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def moment(value: datetime) -> str:
    """Local (Almaty) date and time; stored times are UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ).strftime("%d.%m.%Y %H:%M")


def clock(value: time) -> str:
    return value.strftime("%H:%M")


def _yes_no(value: bool) -> Markup:
    icon = "fa-check text-success" if value else "fa-times text-danger"
    return Markup('<i class="fa {}" title="{}"></i>').format(icon, t("yes" if value else "no"))


TYPE_FORMATTERS: dict[Any, Formatter] = {
    **BASE_FORMATTERS,
    bool: _yes_no,
    date: day,
    datetime: moment,
    time: clock,
}


def money(model: Any, name: str) -> str:
    value = getattr(model, name, None)
    return "" if value is None else kzt(int(value))


def words(prefix: str) -> Formatter:
    """A code ("confirmed") as words in the current language ("подтверждена")."""

    def formatter(model: Any, name: str) -> str:
        value = getattr(model, name, None)
        return "" if value is None or value == "" else t(f"{prefix}.{value}")

    return formatter


@dataclass
class Names:
    """The apartments (title, owner) and people (name) the rows of one page point to."""

    apartments: dict[int, tuple[str, int]] = field(default_factory=dict)
    people: dict[int, str] = field(default_factory=dict)


def _names(request: Request | None) -> Names:
    names = getattr(request.state, "zg_names", None) if request is not None else None
    return names if isinstance(names, Names) else Names()


async def remember_names(request: Request, rows: Sequence[Any]) -> None:
    """One query for the apartments and one for the people of these (already scoped) rows."""
    property_ids = {
        v for r in rows if isinstance(v := getattr(r, "property_id", None), int) and v > 0
    }
    person_ids = {
        v for r in rows for c in PEOPLE_COLUMNS if isinstance(v := getattr(r, c, None), int)
    }
    names = Names()
    async with current_sessions(request)() as session:
        if property_ids:
            found = await session.execute(
                sa_select(col(Property.id), col(Property.title), col(Property.owner_id)).where(
                    col(Property.id).in_(property_ids)
                )
            )
            names.apartments = {pid or 0: (title, owner) for pid, title, owner in found.all()}
        if person_ids:
            people = await session.execute(
                sa_select(col(User.id), col(User.name)).where(col(User.id).in_(person_ids))
            )
            names.people = {uid or 0: name for uid, name in people.all()}
    request.state.zg_names = names


def apartment(model: Any, name: str, request: Request) -> Markup | str:
    """The apartment's title, a link to its page."""
    pid = getattr(model, name, None)
    found = _names(request).apartments.get(pid) if isinstance(pid, int) else None
    if found is None:
        return "" if pid is None else f"#{pid}"
    url = request.url_for("admin:details", identity="property", pk=str(pid))
    return Markup('<a href="{}" data-apartment="{}">{}</a>').format(url, pid, found[0])


def person(model: Any, name: str, request: Request) -> str:
    uid = getattr(model, name, None)
    if uid is None:
        return ""
    return _names(request).people.get(uid) or f"#{uid}"


def guest(model: Any, name: str, request: Request) -> str:
    """The guest's first name; the whole name to the apartment's own owner once the stay is
    paid (services/people.py: the same rule as the bots)."""
    uid = getattr(model, name, None)
    if uid is None:
        return ""
    names = _names(request)
    full = names.people.get(uid)
    if full is None:
        return f"#{uid}"
    owner_id = names.apartments.get(getattr(model, "property_id", -1), ("", -1))[1]
    viewer = getattr(request.state, "zg_user", None)
    status = str(getattr(model, "status", ""))
    if reveals_guest(status, owner_id, getattr(viewer, "id", None)):
        return full or "—"
    return first_name(full)


class AdminView(SafeExportView):
    """Every model view: formatted values, and the names its columns point to."""

    column_type_formatters = TYPE_FORMATTERS
    column_type_formatters_detail = TYPE_FORMATTERS

    async def get_object_for_edit(self, request: Request) -> Any:
        try:
            return await super().get_object_for_edit(request)
        except ValueError:  # "/edit/abc" likewise
            return None

    def search_placeholder(self) -> str:
        # sqladmin joins the labels with str.join, which reads a Text's key, not its words.
        return ", ".join(str(self._column_labels.get(f, f)) for f in self._search_fields)

    async def list(self, request: Request) -> Pagination:
        page = await super().list(request)
        await remember_names(request, page.rows)
        return page

    async def get_object_for_details(self, request: Request) -> Any:
        try:
            row = await super().get_object_for_details(request)
        except ValueError:  # "/details/abc" for a numeric key: no such row (403), never a 500
            return None
        if row is not None:
            await remember_names(request, [row])
        return row


def both(formatters: dict[Any, Formatter]) -> tuple[dict[Any, Formatter], dict[Any, Formatter]]:
    """The same formatters for the list and the details page."""
    return formatters, dict(formatters)
