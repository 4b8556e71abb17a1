"""The apartment's prices and rules in the web admin (/admin/pricing/<id>): an owner sets a
weekend price and a weekly discount in the form, the page's month calendar shows each
night's price and what holds it, the preview prices two stays; a bad line is refused with
its reason and nothing is saved; another owner's apartment is 403."""

from __future__ import annotations

from datetime import date, timedelta

from models import Property
from tests.admin.support import almaty_today, owner_block, person_with_password, signed_in, tags
from tests.support.factories import make_owner, make_property


async def test_owner_sets_weekend_price_and_discount_in_the_form(stack):
    owner = await person_with_password(stack)
    prop = await make_property(stack, owner, price_per_night=20_000, cleaning_fee=5_000)
    blocked = almaty_today() + timedelta(days=3)
    await owner_block(stack, prop, blocked)

    async with signed_in(stack, owner) as admin:
        page = await admin.get(f"/admin/pricing/{prop.id}")
        assert page.status_code == 200, (page.headers.get("location"), page.text)
        assert 'id="pricing-form"' in page.text
        details = await admin.get(f"/admin/property/details/{prop.id}")
        assert f"/admin/pricing/{prop.id}" in details.text  # reached from the apartment

        saved = await admin.post(
            f"/admin/pricing/{prop.id}",
            data={
                "weekend_price": "30000",
                "weekend_days": ["4", "5"],
                "discounts": "7 10",
                "seasons": "",
                "dates": "31.12 45000",
                "extra_guest_fee": "0",
                "guests_included": "2",
            },
        )
        assert saved.status_code == 303, saved.text
        page = await admin.get(saved.headers["location"])
        assert 'id="saved"' in page.text

        month = f"{blocked:%Y-%m}"
        calendar = await admin.get(f"/admin/pricing/{prop.id}?month={month}")
        nights = {c["data-night"]: c for c in tags(calendar.text, "data-night=")}
        cell = nights[blocked.isoformat()]
        assert cell["data-state"] == "owner"
        expected = "30000" if blocked.weekday() in (4, 5) else "20000"
        assert cell["data-price"] == expected
        fridays = [c for n, c in nights.items() if n and _weekday(n) == 4]
        assert fridays and all(c["data-price"] == "30000" for c in fridays)
        previews = tags(page.text, "data-nights=")
        assert [p["data-nights"] for p in previews] == ["3", "7"]
        assert "−10 %" in page.text.split('data-nights="7"', 1)[1].split("</tr>", 1)[0]

    async with stack.sessions() as session:
        row = await session.get(Property, prop.id)
        assert row is not None
        assert row.pricing["weekend_price"] == 30_000
        assert row.pricing["discounts"] == [{"min_nights": 7, "percent": 10}]
        assert row.pricing["dates"][0]["price"] == 45_000


def _weekday(night: str) -> int:
    return date.fromisoformat(night).weekday()


async def test_a_bad_line_is_refused_and_another_owners_apartment_is_closed(stack):
    owner = await person_with_password(stack)
    prop = await make_property(stack, owner, pricing={"weekend_price": 25_000})
    other, _ = await make_owner(stack)
    theirs = await make_property(stack, other)

    async with signed_in(stack, owner) as admin:
        refused = await admin.post(
            f"/admin/pricing/{prop.id}",
            data={
                "weekend_price": "30000",
                "seasons": "01.06.2027–31.08.2027 26000\n15.08.2027–15.09.2027 28000",
            },
        )
        assert refused.status_code == 422
        assert "15.08.2027–15.09.2027 28000" in refused.text and "seasons overlap" in refused.text
        assert (await admin.get(f"/admin/pricing/{theirs.id}")).status_code == 403
        for typo in (
            "/admin/pricing/abc",
            "/admin/property/details/abc",
            "/admin/property/edit/abc",
        ):
            assert (await admin.get(typo)).status_code in (403, 404), typo  # never a 500
        assert (await admin.post(f"/admin/pricing/{theirs.id}", data={})).status_code == 403

    async with stack.sessions() as session:
        row = await session.get(Property, prop.id)
        assert row is not None and row.pricing == {"weekend_price": 25_000}  # unchanged
