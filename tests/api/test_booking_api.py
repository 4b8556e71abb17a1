"""POST /api/v1/bookings refuses what can never succeed (422) and taken nights (409), and
writes nothing when it refuses; owner routes refuse a bad token."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from tests.support.factories import (
    ALMATY,
    booking_body,
    booking_row,
    id_of,
    make_owner,
    make_property,
    stay,
    wait_status,
)
from tests.support.rows import blocked_nights, bookings_of_property, users_with_phone
from tests.support.webhooks import recorded_payments

BOOKINGS = "/api/v1/bookings"


Body = dict[str, Any]


def _dates(check_in: date, check_out: date) -> Body:
    return {"check_in": check_in.isoformat(), "check_out": check_out.isoformat()}


def _in_the_past(body: Body, check_in: date) -> Body:
    yesterday = datetime.now(ALMATY).date() - timedelta(days=1)
    return {**body, **_dates(yesterday, yesterday + timedelta(days=3))}


def _nights(count: int) -> Callable[[Body, date], Body]:
    return lambda body, check_in: {**body, **_dates(check_in, check_in + timedelta(days=count))}


def _guest(**changes: str) -> Callable[[Body, date], Body]:
    return lambda body, check_in: {**body, "guest": {**body["guest"], **changes}}


# The apartment takes 2 to 5 nights and at most 3 guests; the request starts valid.
BAD_REQUESTS = [
    pytest.param(
        lambda body, check_in: {**body, **_dates(check_in, check_in)},
        ["check_out must be after check_in"],
        id="check-out-equals-check-in",
    ),
    pytest.param(
        lambda body, check_in: {**body, **_dates(check_in, check_in - timedelta(days=2))},
        ["check_out must be after check_in"],
        id="check-out-before-check-in",
    ),
    pytest.param(_in_the_past, ["check_in is in the past"], id="check-in-yesterday"),
    pytest.param(_nights(1), ["minimum stay is 2 nights"], id="below-min-nights"),
    pytest.param(_nights(6), ["maximum stay is 5 nights"], id="above-max-nights"),
    pytest.param(
        lambda body, check_in: {**body, "property_id": 2**31 - 1},
        [f"property {2**31 - 1} does not exist"],
        id="unknown-property",
    ),
    pytest.param(
        lambda body, check_in: {**body, "guests": 4}, ["at most 3 guests"], id="too-many-guests"
    ),
    pytest.param(_guest(phone="call me maybe"), ["phone", "not a phone number"], id="bad-phone"),
    pytest.param(
        lambda body, check_in: {**body, "channel": "viber"},
        ["channel", "'telegram', 'whatsapp' or 'api'"],
        id="unknown-channel",
    ),
    pytest.param(
        lambda body, check_in: {**body, "coupon": "FREE"},
        ["coupon", "Extra inputs are not permitted"],
        id="unknown-field",
    ),
    pytest.param(
        lambda body, check_in: json.dumps(body).encode()[:-7],
        ["JSON decode error"],
        id="malformed-json",
    ),
]


@pytest.mark.parametrize(("change", "reasons"), BAD_REQUESTS)
async def test_bad_request_is_refused_with_a_reason_and_writes_nothing(stack, change, reasons):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner, min_nights=2, max_nights=5, max_guests=3)
    check_in, check_out = await stay(stack, starts_in_days=30, nights=3)
    body = booking_body(id_of(prop), check_in, check_out)
    request = change(body, check_in)

    if isinstance(request, bytes):
        headers = {"Content-Type": "application/json"}
        response = await stack.partner.post(BOOKINGS, content=request, headers=headers)
    else:
        response = await stack.partner.post(BOOKINGS, json=request)

    assert response.status_code == 422, response.text
    answer = response.json()
    assert answer["error"] == "invalid_request"
    detail = json.dumps(answer["detail"], ensure_ascii=False)
    assert all(reason in detail for reason in reasons), detail
    assert await bookings_of_property(stack, prop.id) == []
    assert await blocked_nights(stack, prop.id) == []
    assert await users_with_phone(stack, body["guest"]["phone"]) == 0


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(-2, 1, id="shares-first-night"),
        pytest.param(2, 4, id="shares-last-night"),
        pytest.param(1, 2, id="one-night-inside"),
        pytest.param(-1, 4, id="wraps-the-stay"),
        pytest.param(0, 3, id="same-dates"),
    ],
)
async def test_any_taken_night_makes_the_dates_unavailable(stack, start, end):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=40, nights=3)
    first = await stack.partner.post(BOOKINGS, json=booking_body(id_of(prop), check_in, check_out))
    assert first.status_code == 201, first.text
    taken_by = first.json()["booking_id"]

    other = booking_body(
        id_of(prop), check_in + timedelta(days=start), check_in + timedelta(days=end)
    )
    response = await stack.partner.post(BOOKINGS, json=other)

    assert response.status_code == 409, response.text
    assert response.json()["error"] == "dates_unavailable"
    assert await bookings_of_property(stack, prop.id) == [taken_by]
    assert await blocked_nights(stack, prop.id) == [
        (check_in + timedelta(days=i), taken_by) for i in range(3)
    ]
    assert await users_with_phone(stack, other["guest"]["phone"]) == 0


async def test_stays_that_touch_but_do_not_share_a_night_are_both_booked(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=40, nights=3)
    stays = [
        (check_in, check_out),
        (check_in - timedelta(days=2), check_in),
        (check_out, check_out + timedelta(days=2)),
    ]

    answers = [
        await stack.partner.post(BOOKINGS, json=booking_body(id_of(prop), *dates))
        for dates in stays
    ]

    assert [a.status_code for a in answers] == [201, 201, 201], [a.text for a in answers]
    nights = await blocked_nights(stack, prop.id)
    assert [night for night, _ in nights] == [check_in + timedelta(days=i) for i in range(-2, 5)]


async def test_unknown_booking_is_not_found(stack):
    response = await stack.http.get(f"{BOOKINGS}/NOSUCHBOOKING1")

    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "booking NOSUCHBOOKING1 not found"}


async def test_owner_routes_refuse_a_bad_token_and_change_nothing(stack):
    owner, token = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=25, nights=2)
    held = await stack.partner.post(
        BOOKINGS, json=booking_body(id_of(prop), check_in, check_out, method="manual")
    )
    booking_id = held.json()["booking_id"]
    forged = {"Authorization": "Bearer zg_not-a-real-token"}

    attempts = [
        await stack.http.post(f"{BOOKINGS}/{booking_id}/manual-payment", headers=forged),
        await stack.http.post(f"{BOOKINGS}/{booking_id}/manual-payment"),
        await stack.http.post(
            f"{BOOKINGS}/{booking_id}/cancel", json={"reason": "other"}, headers=forged
        ),
    ]

    assert [a.status_code for a in attempts] == [401, 401, 401]
    assert all(a.json()["error"] == "unauthorized" for a in attempts)
    assert all(a.headers["WWW-Authenticate"] == "Bearer" for a in attempts)
    booking = await booking_row(stack, booking_id)
    assert booking is not None and booking.status == "pending_payment"
    assert await recorded_payments(stack, booking_id=booking_id) == []

    # The owner's own token is accepted: the refusals above were about the token.
    confirmed = await stack.http.post(
        f"{BOOKINGS}/{booking_id}/manual-payment", headers={"Authorization": f"Bearer {token}"}
    )
    assert confirmed.status_code == 200, confirmed.text
    await wait_status(stack, booking_id, "confirmed")
