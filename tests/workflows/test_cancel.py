"""Stories of cancelling a booking: the policy decides the refund, Kaspi pays it back.

Every apartment here costs 15 001 ₸ a night plus a 4 000 ₸ cleaning fee; a stay is 3
nights, so the guest pays 3 × 15 001 + 4 000 = 49 003 ₸ and the first night is 15 001 ₸.
The expected refunds are worked out by hand from the rules in models/cancellation.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from models import Property, User
from models.enums import CancellationPolicy
from tests.support.factories import (
    booking_row,
    id_of,
    make_owner,
    make_property,
    stay,
    wait_status,
)
from tests.support.lifecycle import (
    book,
    book_and_pay,
    cancel,
    check_in_at,
    deliveries_of,
    move_clock_to,
    refunds_of,
    sandbox_refunds,
    tenge,
    workflow_closed,
)
from tests.support.payments import messages_to, nights_of

PRICE, CLEANING, NIGHTS, TOTAL = 15_001, 4_000, 3, 49_003


@dataclass(frozen=True)
class Case:
    policy: CancellationPolicy
    starts_in_days: int  # check-in this many days after the booking is made
    cancel_before: timedelta  # the guest cancels this long before check-in
    refund: int

    def __str__(self) -> str:
        hours = int(self.cancel_before.total_seconds() // 3600)
        return f"{self.policy.value}-booked-{self.starts_in_days}d-ahead-cancelled-{hours}h-before"


CASES = [
    # flexible: everything back until 24 h before check-in ...
    Case(CancellationPolicy.FLEXIBLE, 2, timedelta(hours=30), TOTAL),
    # ... then the first night is kept: 49 003 − 15 001
    Case(CancellationPolicy.FLEXIBLE, 2, timedelta(hours=20), 34_002),
    # moderate: everything back until 5 days before ...
    Case(CancellationPolicy.MODERATE, 7, timedelta(days=6), TOTAL),
    # ... then first night kept, half the other nights back: (45 003 − 15 001) // 2 + 4 000
    Case(CancellationPolicy.MODERATE, 4, timedelta(days=3), 19_001),
    # strict: within 48 h of booking and check-in 14+ days away → everything back
    Case(CancellationPolicy.STRICT, 20, timedelta(days=19), TOTAL),
    # strict, more than 48 h after booking, 17 days out → half the nights: 45 003 // 2 + 4 000
    Case(CancellationPolicy.STRICT, 20, timedelta(days=17), 26_501),
    # strict, booked only 10 days ahead: no grace even within 48 h → half the nights
    Case(CancellationPolicy.STRICT, 10, timedelta(days=9), 26_501),
    # strict, under 7 days: none of the nights, only the cleaning fee
    Case(CancellationPolicy.STRICT, 4, timedelta(days=3), CLEANING),
    # non-refundable: nothing back
    Case(CancellationPolicy.NON_REFUNDABLE, 3, timedelta(days=2), 0),
]


async def apartment(
    stack: Any, policy: CancellationPolicy = CancellationPolicy.FLEXIBLE
) -> tuple[User, str, Property]:
    owner, token = await make_owner(stack)
    prop = await make_property(
        stack, owner, price_per_night=PRICE, cleaning_fee=CLEANING, cancellation_policy=policy
    )
    return owner, token, prop


@pytest.mark.parametrize("case", CASES, ids=str)
async def test_guest_cancels_a_paid_booking_and_gets_the_policy_refund(stack, case):
    _, _, prop = await apartment(stack, case.policy)
    check_in, check_out = await stay(stack, starts_in_days=case.starts_in_days, nights=NIGHTS)
    booked = await book_and_pay(stack, id_of(prop), check_in, check_out)
    assert booked.total == TOTAL
    await move_clock_to(stack, check_in_at(check_in) - case.cancel_before)

    response = await cancel(stack, booked.booking_id, {"reason": "plans_changed"})

    assert response.status_code == 200, response.text
    assert response.json() == {
        "booking_id": booked.booking_id,
        "status": "cancelled",
        "refund_amount": case.refund,
        "cancelled_by": "guest",
    }
    await workflow_closed(stack, booked.booking_id)
    row = await booking_row(stack, booked.booking_id)
    assert row is not None
    assert (row.status, row.cancelled_by, row.cancel_reason, row.refund_amount) == (
        "cancelled",
        "guest",
        "plans_changed",
        case.refund,
    )
    assert row.cancelled_at is not None
    assert await nights_of(stack, booked.booking_id) == 0
    refunds = await refunds_of(stack, booked.booking_id)
    guest_texts = await messages_to(stack, booked.guest_chat)
    if case.refund:
        assert sandbox_refunds(stack, booked.kaspi_payment_id) == [
            (booked.kaspi_payment_id, case.refund)
        ]
        assert [(r.amount, r.status) for r in refunds] == [(case.refund, "sent")]
        sandbox_ids = [r["refund_id"] for r in stack.kaspi.refunds]
        assert refunds[0].provider_refund_id in sandbox_ids
        assert any(f"Возврат: {tenge(case.refund)}" in t for t in guest_texts), guest_texts
        assert any(f"Возврат {tenge(case.refund)}" in t for t in guest_texts), guest_texts
    else:
        assert sandbox_refunds(stack, booked.kaspi_payment_id) == []
        assert refunds == []
        assert any("Возврат не предусмотрен" in t for t in guest_texts), guest_texts


async def test_owner_cancel_refunds_everything_even_when_non_refundable(stack):
    owner, token, prop = await apartment(stack, CancellationPolicy.NON_REFUNDABLE)
    check_in, check_out = await stay(stack, starts_in_days=1, nights=NIGHTS)
    booked = await book_and_pay(stack, id_of(prop), check_in, check_out)
    await move_clock_to(stack, check_in_at(check_in) - timedelta(hours=6))

    response = await cancel(
        stack,
        booked.booking_id,
        {"reason": "owner_unavailable", "comment": "трубу прорвало"},
        token,
    )

    assert response.status_code == 200, response.text
    assert response.json()["refund_amount"] == TOTAL
    assert response.json()["cancelled_by"] == "owner"
    await workflow_closed(stack, booked.booking_id)
    row = await booking_row(stack, booked.booking_id)
    assert row is not None
    assert (row.status, row.cancelled_by, row.cancel_reason, row.cancel_comment) == (
        "cancelled",
        "owner",
        "owner_unavailable",
        "трубу прорвало",
    )
    assert sandbox_refunds(stack, booked.kaspi_payment_id) == [(booked.kaspi_payment_id, TOTAL)]
    assert [r.amount for r in await refunds_of(stack, booked.booking_id)] == [TOTAL]
    assert await nights_of(stack, booked.booking_id) == 0
    guest_texts = await messages_to(stack, booked.guest_chat)
    assert any("Хозяин отменил" in t and f"Мы вернём {tenge(TOTAL)}" in t for t in guest_texts)
    owner_texts = await messages_to(stack, owner.telegram_id)
    assert any(f"Бронь {booked.booking_id} отменена" in t for t in owner_texts), owner_texts


async def test_cancelling_an_unpaid_booking_refunds_nothing(stack):
    _, _, prop = await apartment(stack)
    check_in, check_out = await stay(stack, starts_in_days=5, nights=NIGHTS)
    booked = await book(stack, id_of(prop), check_in, check_out)

    response = await cancel(stack, booked.booking_id, {"reason": "found_another"})

    assert response.status_code == 200, response.text
    assert response.json()["refund_amount"] == 0
    await workflow_closed(stack, booked.booking_id)
    row = await booking_row(stack, booked.booking_id)
    assert row is not None
    assert (row.status, row.cancelled_by, row.cancel_reason, row.refund_amount) == (
        "cancelled",
        "guest",
        "found_another",
        0,
    )
    assert await nights_of(stack, booked.booking_id) == 0
    assert sandbox_refunds(stack, booked.kaspi_payment_id) == []
    assert await refunds_of(stack, booked.booking_id) == []
    events = [d.event for d in await deliveries_of(stack, booked.booking_id)]
    assert "refund_sent" not in events and "booking_cancelled" in events


async def test_cancel_after_check_in_is_refused_and_changes_nothing(stack):
    _, _, prop = await apartment(stack)
    check_in, check_out = await stay(stack, starts_in_days=1, nights=NIGHTS)
    booked = await book_and_pay(stack, id_of(prop), check_in, check_out)
    await move_clock_to(stack, check_in_at(check_in) + timedelta(hours=1))

    response = await cancel(stack, booked.booking_id, {"reason": "plans_changed"})

    assert response.status_code == 409, response.text
    assert response.json()["error"] == "not_cancellable"
    assert "check-in has passed" in response.json()["detail"]
    row = await booking_row(stack, booked.booking_id)
    assert row is not None
    assert (row.status, row.cancelled_at, row.cancelled_by, row.refund_amount) == (
        "confirmed",
        None,
        None,
        None,
    )
    assert await nights_of(stack, booked.booking_id) == NIGHTS
    assert sandbox_refunds(stack, booked.kaspi_payment_id) == []
    state = (await stack.http.get(f"/api/v1/bookings/{booked.booking_id}")).json()["workflow"]
    assert (state["status"], state["cancel_reason"]) == ("confirmed", None)


async def test_cancel_twice_is_refused_the_second_time(stack):
    _, _, prop = await apartment(stack)
    check_in, check_out = await stay(stack, starts_in_days=6, nights=NIGHTS)
    booked = await book_and_pay(stack, id_of(prop), check_in, check_out)
    first = await cancel(stack, booked.booking_id, {"reason": "plans_changed"})
    assert first.status_code == 200, first.text
    await workflow_closed(stack, booked.booking_id)

    second = await cancel(stack, booked.booking_id, {"reason": "price"})

    assert second.status_code == 409, second.text
    assert second.json()["error"] == "not_cancellable"
    row = await booking_row(stack, booked.booking_id)
    assert row is not None
    assert (row.cancel_reason, row.refund_amount) == ("plans_changed", TOTAL)
    assert sandbox_refunds(stack, booked.kaspi_payment_id) == [(booked.kaspi_payment_id, TOTAL)]


async def test_cancel_of_an_unknown_booking_is_404(stack):
    response = await cancel(stack, "NOSUCHBOOKING1", {"reason": "plans_changed"})
    assert response.status_code == 404, response.text


async def test_cancel_with_a_reason_outside_the_list_is_422(stack):
    _, _, prop = await apartment(stack)
    check_in, check_out = await stay(stack, starts_in_days=5, nights=NIGHTS)
    booked = await book(stack, id_of(prop), check_in, check_out)

    response = await cancel(stack, booked.booking_id, {"reason": "bored"})

    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_request"
    await wait_status(stack, booked.booking_id, "pending_payment")
    assert await nights_of(stack, booked.booking_id) == NIGHTS
