"""Issue 9 #4: a booking id is no longer derived from the client's key, a key is the caller's
own, and a guest's cancel needs the booking's secret, not just its id."""

from __future__ import annotations

from models import User
from models.enums import Role
from services.auth import issue_token
from tests.support.factories import (
    booking_body,
    id_of,
    make_owner,
    make_property,
    saved_booking,
    stay,
)
from tests.support.rows import bookings_of_property

BOOKINGS = "/api/v1/bookings"


async def _staff_token(stack) -> str:
    async with stack.sessions() as session:
        user = User(name="Another partner", role=Role.SUPER_USER)
        session.add(user)
        await session.flush()
        token = await issue_token(session, user.id or 0, "other")
        await session.commit()
        return token


async def test_the_same_key_from_another_caller_is_another_booking(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    first_stay = await stay(stack, starts_in_days=50, nights=2)
    second_stay = await stay(stack, starts_in_days=53, nights=2)
    key = {"Idempotency-Key": "shared-key-1"}
    other = {**key, "Authorization": f"Bearer {await _staff_token(stack)}"}

    mine = await stack.partner.post(
        BOOKINGS, json=booking_body(id_of(prop), *first_stay), headers=key
    )
    theirs = await stack.http.post(
        BOOKINGS, json=booking_body(id_of(prop), *second_stay), headers=other
    )

    assert (mine.status_code, theirs.status_code) == (201, 201), theirs.text
    assert mine.json()["booking_id"] != theirs.json()["booking_id"]
    # Nothing of the first booking leaks into the second answer.
    assert mine.json()["payment"]["payment_url"] != theirs.json()["payment"]["payment_url"]
    assert len(await bookings_of_property(stack, prop.id)) == 2


async def test_the_same_key_with_another_body_is_refused(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=56, nights=2)
    body = booking_body(id_of(prop), check_in, check_out)
    headers = {"Idempotency-Key": "retry-7"}

    first = await stack.partner.post(BOOKINGS, json=body, headers=headers)
    changed = {**body, "guests": 1}
    second = await stack.partner.post(BOOKINGS, json=changed, headers=headers)

    assert first.status_code == 201, first.text
    assert second.status_code == 422, second.text
    assert second.json()["error"] == "idempotency_key_reused"
    assert await bookings_of_property(stack, prop.id) == [first.json()["booking_id"]]


async def test_booking_ids_are_random_for_the_same_key_and_body(stack):
    """The old id was sha256(key): anyone could compute it offline."""
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    ids = []
    for offset in (60, 63):
        body = booking_body(id_of(prop), *(await stay(stack, starts_in_days=offset, nights=1)))
        other = {"Idempotency-Key": "k", "Authorization": f"Bearer {await _staff_token(stack)}"}
        response = await stack.http.post(BOOKINGS, json=body, headers=other)
        assert response.status_code == 201, response.text
        ids.append(response.json()["booking_id"])
    assert ids[0] != ids[1]


async def test_a_guest_cancels_only_with_the_bookings_secret(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=66, nights=2)
    body = booking_body(id_of(prop), check_in, check_out)
    body["guest"].pop("telegram_id")
    made = await stack.http.post(BOOKINGS, json=body)
    assert made.status_code == 201, made.text
    booking_id, token = made.json()["booking_id"], made.json()["guest_token"]
    url = f"{BOOKINGS}/{booking_id}/cancel"
    reason = {"reason": "plans_changed"}

    refused = [
        await stack.http.post(url, json=reason),
        await stack.http.post(url, json=reason, headers={"X-Guest-Token": "guessed"}),
        await stack.http.post(url, json=reason, headers={"X-Guest-Token": token[:-1] + "A"}),
    ]

    assert [r.status_code for r in refused] == [403, 403, 403]
    assert (await saved_booking(stack, booking_id)).status == "pending_payment"
    accepted = await stack.http.post(url, json=reason, headers={"X-Guest-Token": token})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["cancelled_by"] == "guest"


async def test_the_read_route_shows_nothing_personal(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=70, nights=2)
    body = booking_body(id_of(prop), check_in, check_out)
    made = await stack.partner.post(BOOKINGS, json=body)
    assert made.status_code == 201, made.text

    read = await stack.http.get(f"{BOOKINGS}/{made.json()['booking_id']}")

    assert read.status_code == 200
    for personal in (body["guest"]["name"], body["guest"]["phone"], "guest_token"):
        assert personal not in read.text
    assert str(body["guest"]["telegram_id"]) not in read.text
