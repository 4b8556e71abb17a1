"""The Kaspi webhook believes only fresh requests signed over the exact bytes received.

Every refused request carries a payment id of its own. After the refusal the booking is
still waiting, and it confirms with its real Kaspi payment only: if a refused request had
slipped through, the booking would already be paid with the forged id.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.factories import booking_row, wait_status
from tests.support.webhooks import (
    HeldBooking,
    hold_kaspi_booking,
    payment_event,
    post_webhook,
    recorded_payments,
    signed_headers,
)


async def assert_nothing_recorded(stack, held: HeldBooking, forged_id: str) -> None:
    assert await recorded_payments(stack, booking_id=held.booking_id) == []
    assert await recorded_payments(stack, provider_payment_id=forged_id) == []
    booking = await booking_row(stack, held.booking_id)
    assert booking is not None and booking.status == "pending_payment"
    # The genuine payment still confirms, and it is the one recorded.
    real = payment_event(held.booking_id, held.kaspi_payment_id, held.total)
    assert (await post_webhook(stack, real, signed_headers(stack, real))).status_code == 200
    await wait_status(stack, held.booking_id, "confirmed")
    assert await recorded_payments(stack, booking_id=held.booking_id) == [
        (held.kaspi_payment_id, held.total)
    ]


async def test_signed_payment_confirms_the_booking(stack):
    held = await hold_kaspi_booking(stack)
    event = payment_event(held.booking_id, held.kaspi_payment_id, held.total)

    response = await post_webhook(stack, event, signed_headers(stack, event))

    assert response.status_code == 200, response.text
    assert response.json() == {"status": "accepted"}
    await wait_status(stack, held.booking_id, "confirmed")
    assert await recorded_payments(stack, booking_id=held.booking_id) == [
        (held.kaspi_payment_id, held.total)
    ]


@pytest.mark.parametrize(
    "timestamp",
    [
        pytest.param(lambda: math.ceil(time.time()) - 299, id="299s-old"),
        pytest.param(lambda: int(time.time()) + 299, id="299s-ahead"),
    ],
)
async def test_clock_skew_under_five_minutes_is_accepted(stack, timestamp):
    held = await hold_kaspi_booking(stack)
    event = payment_event(held.booking_id, held.kaspi_payment_id, held.total)

    response = await post_webhook(stack, event, signed_headers(stack, event, timestamp=timestamp()))

    assert response.status_code == 200, response.text
    await wait_status(stack, held.booking_id, "confirmed")


Forgery = Callable[[Any, bytes], tuple[bytes, dict[str, str]]]


def _no_headers(stack: Any, body: bytes) -> tuple[bytes, dict[str, str]]:
    return body, {"Content-Type": "application/json"}


def _without(header: str) -> Forgery:
    def forge(stack: Any, body: bytes) -> tuple[bytes, dict[str, str]]:
        headers = signed_headers(stack, body)
        del headers[header]
        return body, headers

    return forge


def _wrong_secret(stack, body):
    return body, signed_headers(stack, body, secret="not-the-shared-secret")


def _zero_signature(stack, body):
    return body, {**signed_headers(stack, body), "X-Kaspi-Signature": "0" * 64}


def _whitespace_added_after_signing(stack, body):
    return body.replace(b", ", b",  ", 1), signed_headers(stack, body)


def _timestamp_swapped_after_signing(stack, body):
    now = int(time.time())
    return body, {**signed_headers(stack, body, timestamp=now - 10), "X-Kaspi-Timestamp": str(now)}


def _skewed(seconds: int) -> Forgery:
    def forge(stack: Any, body: bytes) -> tuple[bytes, dict[str, str]]:
        now = time.time()
        at = int(now) - seconds if seconds > 0 else math.ceil(now) - seconds
        return body, signed_headers(stack, body, timestamp=at)

    return forge


def _timestamp_not_a_number(stack, body):
    headers = signed_headers(stack, body)
    return body, {**headers, "X-Kaspi-Timestamp": "yesterday"}


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        pytest.param(_no_headers, "missing_signature", id="no-headers"),
        pytest.param(_without("X-Kaspi-Signature"), "missing_signature", id="no-signature"),
        pytest.param(_without("X-Kaspi-Timestamp"), "missing_signature", id="no-timestamp"),
        pytest.param(_wrong_secret, "bad_signature", id="wrong-secret"),
        pytest.param(_zero_signature, "bad_signature", id="zero-signature"),
        pytest.param(_whitespace_added_after_signing, "bad_signature", id="body-changed"),
        pytest.param(_timestamp_swapped_after_signing, "bad_signature", id="timestamp-changed"),
        pytest.param(_skewed(301), "stale_timestamp", id="301s-old"),
        pytest.param(_skewed(-301), "stale_timestamp", id="301s-ahead"),
        pytest.param(_timestamp_not_a_number, "bad_timestamp", id="timestamp-not-a-number"),
    ],
)
async def test_unauthentic_webhook_is_forbidden_and_writes_nothing(stack, forge, reason):
    held = await hold_kaspi_booking(stack)
    forged_id = "FORGED-" + reason
    body, headers = forge(stack, payment_event(held.booking_id, forged_id, held.total))

    response = await post_webhook(stack, body, headers)

    assert response.status_code == 403, response.text
    assert response.json() == {"error": "forbidden", "detail": reason}
    await assert_nothing_recorded(stack, held, forged_id)


def _event_without(field: str) -> Callable[[HeldBooking, str], bytes]:
    def body(held: HeldBooking, payment_id: str) -> bytes:
        event = json.loads(payment_event(held.booking_id, payment_id, held.total))
        del event[field]
        return json.dumps(event).encode()

    return body


@pytest.mark.parametrize(
    "make_body",
    [
        pytest.param(lambda held, pid: b'{"payment_id": "' + pid.encode() + b'", ', id="truncated"),
        pytest.param(lambda held, pid: b"not json at all", id="not-json"),
        pytest.param(lambda held, pid: b"[]", id="json-array"),
        pytest.param(_event_without("amount"), id="no-amount"),
        pytest.param(_event_without("booking_id"), id="no-booking-id"),
        pytest.param(_event_without("status"), id="no-status"),
        pytest.param(
            lambda held, pid: payment_event(held.booking_id, pid, held.total).replace(
                f'"amount": {held.total}'.encode(), b'"amount": "a lot"'
            ),
            id="amount-not-a-number",
        ),
    ],
)
async def test_signed_but_malformed_body_is_a_bad_request(stack, make_body):
    held = await hold_kaspi_booking(stack)
    forged_id = "MALFORMED-" + held.booking_id
    body = make_body(held, forged_id)

    response = await post_webhook(stack, body, signed_headers(stack, body))

    assert response.status_code == 400, response.text
    assert response.json()["error"] == "malformed_payload"
    await assert_nothing_recorded(stack, held, forged_id)


async def test_same_payment_twice_is_one_confirmation(stack):
    held = await hold_kaspi_booking(stack)
    event = payment_event(held.booking_id, held.kaspi_payment_id, held.total)

    first = await post_webhook(stack, event, signed_headers(stack, event))
    second = await post_webhook(stack, event, signed_headers(stack, event))
    await wait_status(stack, held.booking_id, "confirmed")
    after_confirmation = await post_webhook(stack, event, signed_headers(stack, event))

    assert [first.status_code, second.status_code, after_confirmation.status_code] == [200] * 3
    assert after_confirmation.json() == {"status": "duplicate"}
    assert await recorded_payments(stack, booking_id=held.booking_id) == [
        (held.kaspi_payment_id, held.total)
    ]
    state = (await stack.http.get(f"/api/v1/bookings/{held.booking_id}")).json()
    assert state["workflow"]["paid_amount"] == held.total


async def test_payment_for_unknown_booking_is_not_found(stack):
    event = payment_event("NOSUCHBOOKING", "KSP-ORPHAN-1", 50_000)

    response = await post_webhook(stack, event, signed_headers(stack, event))

    assert response.status_code == 404, response.text
    assert response.json()["error"] == "not_found"
    assert await recorded_payments(stack, provider_payment_id="KSP-ORPHAN-1") == []
