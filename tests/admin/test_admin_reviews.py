"""Reviews in the web admin: an owner reads and answers them but never rewrites a guest's
words; only staff remove one, with a reason that stays, and a removed review counts
nowhere (search cards, the owner's card and review list in the bot, the admin list)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.clock import today_local
from models import Property, Review, User
from models.enums import Role
from services.owner import owner_card
from services.owner_stays import property_reviews
from tests.admin.support import almaty_today, booked_stay, person_with_password, signed_in
from tests.support.factories import id_of, make_owner, make_property

GUEST_WORDS = "Шумно, соседи за стеной до утра."


async def reviewed_stay(stack: Any, prop: Property, rating: int, days_ago: int) -> Review:
    guest, _ = await make_owner(stack, role=Role.GUEST)
    check_in = almaty_today() - timedelta(days=days_ago)
    booking_id = await booked_stay(stack, prop, guest, check_in, 2)
    async with stack.sessions() as session:
        review = Review(
            booking_id=booking_id,
            property_id=id_of(prop),
            guest_id=guest.id or 0,
            rating=rating,
            text=GUEST_WORDS,
        )
        session.add(review)
        await session.commit()
        await session.refresh(review)
    return review


async def reloaded(stack: Any, review: Review) -> Review:
    async with stack.sessions() as session:
        row: Review | None = await session.get(Review, review.id)
    assert row is not None
    return row


async def test_an_owner_answers_a_review_but_cannot_rewrite_it(stack):
    owner = await person_with_password(stack)
    prop = await make_property(stack, owner)
    review = await reviewed_stay(stack, prop, rating=2, days_ago=10)
    async with signed_in(stack, owner) as admin:
        form = await admin.get(f"/admin/review/edit/{review.id}")
        posted = await admin.post(
            f"/admin/review/edit/{review.id}",
            data={"text": "Всё отлично!", "rating": "5", "owner_reply": "Спасибо, учтём."},
        )
    assert form.status_code == 200
    assert 'name="owner_reply"' in form.text
    assert 'name="text"' not in form.text and 'name="deletion_reason"' not in form.text
    assert posted.status_code == 302, posted.text

    row = await reloaded(stack, review)
    assert (row.text, row.rating) == (GUEST_WORDS, 2)
    assert row.owner_reply == "Спасибо, учтём." and row.owner_reply_at is not None
    assert row.deleted_at is None


async def test_only_staff_remove_a_review_and_the_reason_stays(stack):
    owner = await person_with_password(stack)
    staff = await person_with_password(stack, role=Role.SUPER_ADMIN)
    prop = await make_property(stack, owner)
    review = await reviewed_stay(stack, prop, rating=1, days_ago=10)
    async with signed_in(stack, owner) as admin:
        listing = await admin.get("/admin/review/list")
        erased = await admin.delete(f"/admin/review/delete?pks={review.id}")
        hidden = await admin.post(
            f"/admin/review/edit/{review.id}", data={"deletion_reason": "не нравится"}
        )
    assert "/admin/review/delete" not in listing.text
    assert erased.status_code == 403
    assert hidden.status_code == 302
    row = await reloaded(stack, review)
    assert (row.deleted_at, row.deletion_reason) == (None, None)

    async with signed_in(stack, staff) as admin:
        form = await admin.get(f"/admin/review/edit/{review.id}")
        refused = await admin.post(f"/admin/review/edit/{review.id}", data={})
        removed = await admin.post(
            f"/admin/review/edit/{review.id}",
            data={"deletion_reason": "Оскорбления в адрес хозяина", "text": "—"},
        )
    assert 'name="deletion_reason"' in form.text and 'name="text"' not in form.text
    assert refused.status_code == 400  # no removal without a reason
    assert removed.status_code == 302, removed.text
    row = await reloaded(stack, review)
    assert row.deleted_at is not None and row.deleted_by_id == staff.id
    assert row.deletion_reason == "Оскорбления в адрес хозяина"
    assert row.text == GUEST_WORDS  # kept, hidden


async def test_a_removed_review_counts_nowhere(stack):
    owner = await person_with_password(stack)
    staff = await person_with_password(stack, role=Role.SUPER_USER)
    prop = await make_property(stack, owner, district=f"Отзывы-{owner.id}")
    await reviewed_stay(stack, prop, rating=5, days_ago=20)
    unfair = await reviewed_stay(stack, prop, rating=1, days_ago=10)
    search = {"city": prop.city, "district": prop.district}
    before = await stack.http.get("/api/v1/properties", params=search)  # now cached
    assert [(c["rating"], c["reviews"]) for c in before.json()["items"]] == [(3.0, 2)]

    async with signed_in(stack, staff) as admin:
        removed = await admin.post(
            f"/admin/review/edit/{unfair.id}", data={"deletion_reason": "Заказной отзыв"}
        )
    assert removed.status_code == 302

    after = await stack.http.get("/api/v1/properties", params=search)
    card = await stack.http.get(f"/api/v1/properties/{id_of(prop)}")
    assert [(c["rating"], c["reviews"]) for c in after.json()["items"]] == [(5.0, 1)]
    assert (card.json()["rating"], card.json()["reviews"]) == (5.0, 1)
    async with stack.sessions() as session:
        actor = await session.get(User, owner.id)
        assert actor is not None
        mine = await owner_card(session, actor, id_of(prop), today=today_local())
        lines = await property_reviews(session, actor, id_of(prop))
    assert (mine.rating, mine.reviews) == (5.0, 1)
    assert [line.rating for line in lines] == [5]
    async with signed_in(stack, owner) as admin:
        details = await admin.get(f"/admin/review/details/{unfair.id}")
    assert details.status_code == 403  # gone from the owner's admin too
    async with signed_in(stack, staff) as admin:
        details = await admin.get(f"/admin/review/details/{unfair.id}")
    assert details.status_code == 200 and "Заказной отзыв" in details.text
