"""Every page of every admin view, opened by an owner and by staff, in each language: the
list, the create form, a row's details and its edit form answer 200, or 403 where the role
or the scope forbids (never 500). A view added to the admin without a row here fails."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from sqladmin import ModelView

from api.admin.setup import admin_views
from api.admin.views import StaffView
from models import (
    Agency,
    Booking,
    ExternalCalendar,
    NotificationTemplate,
    Property,
    PropertyPhoto,
    Review,
    User,
)
from models.enums import Language, Role
from tests.admin.support import almaty_today, booked_stay, named_guest, person_with_password
from tests.admin.support import signed_in as signed_in_as
from tests.support.factories import make_owner, make_property

LANGUAGES = ("ru", "kk", "en")


async def _saved(stack: Any, row: Any) -> Any:
    async with stack.sessions() as session:
        session.add(row)
        await session.commit()
        await session.refresh(row)
    return row


async def _rows_of(stack: Any, owner: User) -> dict[type, Any]:
    """One row of each table, on an apartment of `owner` where rows belong to one."""
    guest = await named_guest(stack, "Гость Проверки")
    prop = await make_property(stack, owner)
    booking_id = await booked_stay(stack, prop, guest, almaty_today() - timedelta(days=9), 2)
    async with stack.sessions() as session:
        booking = await session.get(Booking, booking_id)
    tag = secrets.token_hex(4)
    return {
        Property: prop,
        PropertyPhoto: await _saved(
            stack, PropertyPhoto(property_id=prop.id or 0, url=f"https://img.example/{tag}.jpg")
        ),
        ExternalCalendar: await _saved(
            stack,
            ExternalCalendar(
                property_id=prop.id or 0, name="Airbnb", url=f"https://feeds.example/{tag}.ics"
            ),
        ),
        Booking: booking,
        Review: await _saved(
            stack,
            Review(
                booking_id=booking_id,
                property_id=prop.id or 0,
                guest_id=guest.id or 0,
                rating=5,
                text="Чисто и тихо",
            ),
        ),
        User: guest,
        Agency: await _saved(stack, Agency(name=f"Агентство {tag}")),
        NotificationTemplate: await _saved(
            stack,
            NotificationTemplate(
                event=f"test_{tag}", channel="telegram", language=Language.RU, body="Привет"
            ),
        ),
    }


def _pk(view: type[ModelView], row: Any) -> str:
    return str(getattr(row, view.pk_columns[0].key))


async def _open_everything(
    stack: Any, person: User, mine: dict[type, Any], theirs: dict[type, Any], staff: bool
) -> list[tuple[str, int, int]]:
    """(url, expected, got) for every page; the expectation follows role, scope and view."""
    views = admin_views(stack.settings)
    model_views = [v for v in views if issubclass(v, ModelView)]
    assert {v.model for v in model_views} <= set(mine), "a new view needs a row here"
    wrong = []
    async with signed_in_as(stack, person) as admin:
        for lang in LANGUAGES:
            await admin.get(f"/admin/?lang={lang}")  # kept in a cookie from here on
            pages: list[tuple[str, int]] = [("/admin/", 200), ("/admin/analytics", 200)]
            pages.append((f"/admin/pricing/{mine[Property].id}", 200))
            if not staff and Property in theirs:
                pages.append((f"/admin/pricing/{theirs[Property].id}", 403))
            for view in model_views:
                base = f"/admin/{view.identity}"
                allowed = staff or not issubclass(view, StaffView)
                ok = 200 if allowed else 403
                pages += [
                    (f"{base}/list", ok),
                    (f"{base}/create", ok if view.can_create else 403),
                    (f"{base}/details/{_pk(view, mine[view.model])}", ok),
                    (f"{base}/edit/{_pk(view, mine[view.model])}", ok if view.can_edit else 403),
                ]
                if not staff and view.model in theirs:  # another owner's row
                    pk = _pk(view, theirs[view.model])
                    pages += [(f"{base}/details/{pk}", 403), (f"{base}/edit/{pk}", 403)]
            for url, expected in pages:
                answer = await admin.get(url)
                if answer.status_code != expected:
                    wrong.append((f"{url} [{lang}]", expected, answer.status_code))
    return wrong


async def test_an_owner_opens_every_page_their_role_allows_and_no_other(stack):
    owner = await person_with_password(stack)
    other, _ = await make_owner(stack)
    mine = await _rows_of(stack, owner)
    theirs = await _rows_of(stack, other)
    assert await _open_everything(stack, owner, mine, theirs, staff=False) == []


async def test_staff_open_every_page(stack):
    staff = await person_with_password(stack, role=Role.SUPER_ADMIN)
    owner, _ = await make_owner(stack)
    rows = await _rows_of(stack, owner)
    assert await _open_everything(stack, staff, rows, {}, staff=True) == []
