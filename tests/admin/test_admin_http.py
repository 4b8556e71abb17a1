"""The web admin over real HTTP: who may sign in, whose apartments they see, what they read."""

from __future__ import annotations

from datetime import timedelta

import httpx

from models.enums import Role
from tests.admin.support import (
    almaty_today,
    booked_stay,
    change_price,
    owner_block,
    person_with_password,
    signed_in,
    tags,
)
from tests.support.factories import id_of, make_owner, make_property


async def test_owner_signs_in_and_reaches_the_apartments(stack):
    owner = await person_with_password(stack)
    async with signed_in(stack, owner) as admin:
        page = await admin.get("/admin/property/list")
    assert page.status_code == 200
    assert "Квартиры" in page.text  # Russian unless the person chooses otherwise


async def test_guests_wrong_passwords_and_strangers_are_turned_away(stack):
    guest = await person_with_password(stack, role=Role.GUEST)
    owner = await person_with_password(stack)
    async with httpx.AsyncClient(base_url=stack.api_url, timeout=30) as anonymous:
        for email, password in [
            (guest.email, "correct horse battery staple"),
            (owner.email, "wrong password"),
            ("nobody@example.kz", "whatever"),
        ]:
            answer = await anonymous.post(
                "/admin/login", data={"username": email, "password": password}
            )
            assert answer.status_code == 400, (email, answer.status_code)
            assert "zg_admin" not in anonymous.cookies
        closed = await anonymous.get("/admin/property/list")
    assert closed.status_code == 302
    assert closed.headers["location"].endswith("/admin/login")


async def test_an_owner_lists_only_their_own_apartments(stack):
    owner = await person_with_password(stack)
    other, _ = await make_owner(stack)
    mine = await make_property(stack, owner, title="Моя квартира у парка")
    theirs = await make_property(stack, other, title="Чужая квартира на Абая")
    async with signed_in(stack, owner) as admin:
        page = await admin.get("/admin/property/list")
        users = await admin.get("/admin/user/list")
    assert mine.title in page.text
    assert theirs.title not in page.text
    assert users.status_code == 403  # people and agencies are for staff only


async def test_an_owner_cannot_open_or_edit_another_owners_apartment(stack):
    owner = await person_with_password(stack)
    other, _ = await make_owner(stack)
    theirs = await make_property(stack, other)
    staff = await person_with_password(stack, role=Role.SUPER_ADMIN)
    async with signed_in(stack, owner) as admin:
        details = await admin.get(f"/admin/property/details/{id_of(theirs)}")
        edit = await admin.get(f"/admin/property/edit/{id_of(theirs)}")
        delete = await admin.delete(f"/admin/property/delete?pks={id_of(theirs)}")
    assert (details.status_code, edit.status_code, delete.status_code) == (403, 403, 403)
    async with signed_in(stack, staff) as admin:
        assert (await admin.get(f"/admin/property/details/{id_of(theirs)}")).status_code == 200


async def test_bookings_are_read_only_with_a_link_to_their_workflow(stack):
    owner = await person_with_password(stack)
    guest, _ = await make_owner(stack, role=Role.GUEST)
    prop = await make_property(stack, owner)
    booking_id = await booked_stay(stack, prop, guest, almaty_today() + timedelta(days=3), 2)
    async with signed_in(stack, owner) as admin:
        listing = await admin.get("/admin/booking/list")
        details = await admin.get(f"/admin/booking/details/{booking_id}")
        create = await admin.get("/admin/booking/create")
        edit = await admin.get(f"/admin/booking/edit/{booking_id}")
        delete = await admin.delete(f"/admin/booking/delete?pks={booking_id}")
    assert listing.status_code == 200 and booking_id in listing.text
    assert "/admin/booking/create" not in listing.text
    assert (create.status_code, edit.status_code, delete.status_code) == (403, 403, 403)
    link = f"{stack.settings.temporal_ui_url}/namespaces/default/workflows/booking-{booking_id}"
    assert link in details.text


async def test_property_page_draws_price_history_and_the_next_30_nights(stack):
    owner = await person_with_password(stack)
    guest, _ = await make_owner(stack, role=Role.GUEST)
    prop = await make_property(stack, owner, price_per_night=20_000)
    await change_price(stack, prop, 25_000)
    await change_price(stack, prop, 22_000)
    today = almaty_today()
    await booked_stay(stack, prop, guest, today + timedelta(days=2), 3)
    await owner_block(stack, prop, today + timedelta(days=10))
    async with signed_in(stack, owner) as admin:
        page = await admin.get(f"/admin/property/details/{id_of(prop)}")
    assert page.status_code == 200
    assert [p["data-price"] for p in tags(page.text, "data-changed-at=")] == [
        "20000",
        "25000",
        "22000",
    ]
    assert 'points="' in page.text  # the polyline through them
    cells = tags(page.text, "data-night=")
    assert [c["data-night"] for c in cells] == [
        (today + timedelta(days=i)).isoformat() for i in range(30)
    ]
    states = {c["data-night"]: c["data-state"] for c in cells}
    booked = {(today + timedelta(days=i)).isoformat() for i in (2, 3, 4)}
    assert {n for n, s in states.items() if s == "booking"} == booked
    assert {n for n, s in states.items() if s == "owner"} == {
        (today + timedelta(days=10)).isoformat()
    }
    assert {c["data-price"] for c in cells} == {"22000"}


async def test_analytics_page_shows_the_owners_figures_and_the_same_csv(stack):
    owner = await person_with_password(stack)
    guest, _ = await make_owner(stack, role=Role.GUEST)
    prop = await make_property(stack, owner, title="Аналитика у метро")
    await booked_stay(stack, prop, guest, almaty_today() - timedelta(days=5), 2)
    async with signed_in(stack, owner) as admin:
        page = await admin.get("/admin/analytics?period=30d")
        csv = await admin.get("/admin/analytics?period=30d&download=csv")
    assert page.status_code == 200
    metrics = {t["data-metric"]: t["data-value"] for t in tags(page.text, "data-metric=")}
    assert metrics["apartments"] == "1"  # the owner's own apartment only
    assert metrics["bookings"] == "1"
    assert prop.title in page.text and 'id="csv-download"' in page.text
    assert csv.headers["content-type"].startswith("text/csv")
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert "bookings;1" in rows and "apartments;1" in rows


async def test_an_admin_edit_is_never_hidden_by_a_cached_search_page(stack):
    owner = await person_with_password(stack)
    district = f"Admin-{owner.id}"
    prop = await make_property(stack, owner, district=district)
    search = {"city": prop.city, "district": district}
    before = await stack.http.get("/api/v1/properties", params=search)
    assert [p["id"] for p in before.json()["items"]] == [id_of(prop)]  # now cached

    async with signed_in(stack, owner) as admin:
        deleted = await admin.delete(f"/admin/property/delete?pks={id_of(prop)}")
    assert deleted.status_code == 200, deleted.text
    assert "error" not in deleted.text, deleted.text

    after = await stack.http.get("/api/v1/properties", params=search)
    assert after.json()["items"] == []
