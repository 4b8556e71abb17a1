"""Kaspi QR, the default: links and invoices, learned by polling payment/status from one
heartbeating activity, refunds through payment/return (real HTTP against the emulator).

The time-skipping server holds its clock while any activity is outstanding, so every story
here ends with no poll running (paid, failed or cancelled); `no_poll_left_running` makes sure.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from models.enums import CancellationPolicy
from services.guest_tokens import guest_token
from tests.support.factories import (
    booking_body,
    eventually,
    id_of,
    make_owner,
    make_property,
    stay,
    wait_status,
)
from tests.support.lifecycle import check_in_at, move_clock_to, refunds_of
from tests.support.payments import payments_of

WAITING = ("QrTokenCreated", "RemotePaymentCreated", "Wait")


async def emulator(qr: Any, method: str, path: str, **params: Any) -> Any:
    response = await qr.http.request(method, f"{qr.kaspi_url}{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def qr_payment(qr: Any, payment_id: str) -> dict[str, Any]:
    found: dict[str, Any] = await emulator(qr, "GET", f"/sandbox/qr/{payment_id}")
    return found


async def returns_of(qr: Any, payment_id: str) -> list[dict[str, Any]]:
    state = await emulator(qr, "GET", "/sandbox/state")
    return [r for r in state["returns"] if str(r["payment_id"]) == str(payment_id)]


async def history_events(qr: Any, booking_id: str) -> list[Any]:
    history = await qr.client.get_workflow_handle(f"booking-{booking_id}").fetch_history()
    return list(history.events)


def scheduled(events: list[Any], activity_type: str) -> int:
    return sum(
        1
        for e in events
        if e.HasField("activity_task_scheduled_event_attributes")
        and e.activity_task_scheduled_event_attributes.activity_type.name == activity_type
    )


async def pending_polls(qr: Any, booking_id: str) -> int:
    described = await qr.client.get_workflow_handle(f"booking-{booking_id}").describe()
    pending = described.raw_description.pending_activities
    return len(pending)


@pytest.fixture
async def no_poll_left_running(qr_stack: Any) -> AsyncIterator[None]:
    """After each story: every payment still waiting fails, and its poll ends, so the shared
    clock is free to skip again for the stories that follow."""
    yield
    state = await emulator(qr_stack, "GET", "/sandbox/state")
    for payment in state["qr_payments"]:
        if payment["status"] in WAITING:
            await emulator(qr_stack, "POST", f"/sandbox/qr/{payment['id']}/status", status="Error")
    for booking_id in {p["external_id"] for p in state["qr_payments"] if p.get("external_id")}:
        await eventually(polls_of(qr_stack, booking_id), until=lambda n: n == 0)


def polls_of(qr: Any, booking_id: str) -> Callable[[], Awaitable[int]]:
    return lambda: pending_polls(qr, booking_id)


pytestmark = pytest.mark.usefixtures("no_poll_left_running")


async def hold(stack: Any, qr: Any, prop: Any, *, days: int, **extra: Any) -> dict[str, Any]:
    check_in, check_out = await stay(stack, starts_in_days=days, nights=2)
    body = {**booking_body(id_of(prop), check_in, check_out), **extra}
    response = await qr.partner.post("/api/v1/bookings", json=body)
    assert response.status_code == 201, response.text
    held: dict[str, Any] = response.json()
    held["guest_chat"] = body["guest"]["telegram_id"]
    return held


async def apartment(stack: Any, **overrides: Any) -> Any:
    owner, _ = await make_owner(stack)
    return await make_property(
        stack, owner, price_per_night=20_000, cleaning_fee=5_000, **overrides
    )


async def test_link_paid_in_kaspi_confirms_by_polling_alone(stack, qr_stack):
    prop = await apartment(stack)
    held = await hold(stack, qr_stack, prop, days=30)
    payment = held["payment"]
    assert (payment["method"], payment["kaspi_mode"], payment["kaspi_invoice"]) == (
        "kaspi",
        "qr",
        False,
    )
    assert payment["payment_url"].startswith(f"{qr_stack.kaspi_url}/qr/pay/")
    assert payment["poll_interval_seconds"] == 1
    kaspi_id = payment["kaspi_payment_id"]
    created = await qr_payment(qr_stack, kaspi_id)
    assert (created["external_id"], created["amount"], created["kind"]) == (
        held["booking_id"],
        45_000,
        "link",
    )

    await emulator(qr_stack, "POST", f"/sandbox/qr/{kaspi_id}/pay")

    row = await wait_status(stack, held["booking_id"], "confirmed")
    assert row.confirmed_at is not None
    assert [(p.provider_payment_id, p.amount) for p in await payments_of(stack, row.id)] == [
        (kaspi_id, 45_000)
    ]
    events = await history_events(qr_stack, row.id)
    assert scheduled(events, "watch_kaspi_payment") == 1
    assert scheduled(events, "check_kaspi_payment") == 0
    await eventually(
        lambda: _texts(qr_stack, held["guest_chat"]),
        until=lambda texts: any(row.id in t and "подтверждена" in t for t in texts),
    )


async def _texts(qr: Any, chat: int) -> list[str]:
    texts: list[str] = qr.telegram.texts(chat)
    return texts


async def test_invoice_to_the_kaspi_app_names_the_apartment_and_confirms(stack, qr_stack):
    prop = await apartment(stack)
    held = await hold(stack, qr_stack, prop, days=32, kaspi_invoice=True)
    payment = held["payment"]
    assert (payment["kaspi_invoice"], payment["payment_url"]) == (True, None)
    invoice = await qr_payment(qr_stack, payment["kaspi_payment_id"])
    assert invoice["kind"] == "remote"
    assert prop.title in invoice["comment"] and held["booking_id"] in invoice["comment"]
    assert invoice["phone"].isdigit() and invoice["phone"].startswith("7")

    await emulator(qr_stack, "POST", f"/sandbox/qr/{payment['kaspi_payment_id']}/pay")

    await wait_status(stack, held["booking_id"], "confirmed")


async def test_invoice_needs_kaspi(qr_stack, stack):
    prop = await apartment(stack)
    check_in, check_out = await stay(stack, starts_in_days=33, nights=2)
    body = {
        **booking_body(id_of(prop), check_in, check_out, method="manual"),
        "kaspi_invoice": True,
    }

    response = await qr_stack.partner.post("/api/v1/bookings", json=body)

    assert response.status_code == 422
    assert "kaspi_invoice" in response.text


async def test_opened_then_paid_and_kaspi_outages_only_delay_the_confirmation(stack, qr_stack):
    prop = await apartment(stack)
    held = await hold(stack, qr_stack, prop, days=34)
    kaspi_id = held["payment"]["kaspi_payment_id"]
    await emulator(qr_stack, "POST", f"/sandbox/qr/{kaspi_id}/status", status="Wait")
    await eventually(lambda: qr_payment(qr_stack, kaspi_id), until=lambda p: p["polls"] >= 2)
    # A -999 spell, then HTTP 500s, while the guest pays.
    await emulator(qr_stack, "POST", "/sandbox/faults/kaspi-code", count=2, code=-999)
    await emulator(qr_stack, "POST", "/sandbox/faults", count=2, status=500)
    await emulator(qr_stack, "POST", f"/sandbox/qr/{kaspi_id}/pay")

    await wait_status(stack, held["booking_id"], "confirmed", timeout=30)

    faults = await emulator(qr_stack, "GET", "/sandbox/faults")
    assert faults["fail_next"] == 0
    assert len(await payments_of(stack, held["booking_id"])) == 1
    assert scheduled(await history_events(qr_stack, held["booking_id"]), "watch_kaspi_payment") == 1


async def test_failed_link_keeps_the_hold_and_a_new_link_pays(stack, qr_stack):
    prop = await apartment(stack)
    # The workflow's clock runs ahead of Kaspi's (here: other stories skipped it; in life:
    # clock skew): a fresh link still works for its whole lifetime, counted on ours.
    now = await stack.env.get_current_time()
    await move_clock_to(stack, now + timedelta(hours=2))
    held = await hold(stack, qr_stack, prop, days=36)
    booking_id, old = held["booking_id"], held["payment"]["kaspi_payment_id"]
    token = {"X-Guest-Token": guest_token(stack.settings.encryption_keys(), booking_id)}
    early = await qr_stack.http.post(f"/api/v1/bookings/{booking_id}/payment-link", headers=token)
    assert early.status_code == 409 and "still works" in early.text

    await emulator(qr_stack, "POST", f"/sandbox/qr/{old}/status", status="Error")

    await eventually(
        lambda: _texts(qr_stack, held["guest_chat"]),
        until=lambda texts: any(booking_id in t and "Новая ссылка" in t for t in texts),
    )
    row = await wait_status(stack, booking_id, "pending_payment")
    assert row.status == "pending_payment"
    stranger = await qr_stack.http.post(f"/api/v1/bookings/{booking_id}/payment-link")
    assert stranger.status_code == 403
    renewed = await qr_stack.http.post(f"/api/v1/bookings/{booking_id}/payment-link", headers=token)
    assert renewed.status_code == 200, renewed.text
    fresh = renewed.json()["kaspi_payment_id"]
    assert fresh != old and renewed.json()["payment_url"].endswith(str(fresh))

    await emulator(qr_stack, "POST", f"/sandbox/qr/{fresh}/pay")

    await wait_status(stack, booking_id, "confirmed")
    payments = await payments_of(stack, booking_id)
    assert [p.provider_payment_id for p in payments] == [str(fresh)]


async def test_wrong_amount_is_not_a_confirmation_and_goes_back(stack, qr_stack):
    prop = await apartment(stack)
    held = await hold(stack, qr_stack, prop, days=38)
    kaspi_id = held["payment"]["kaspi_payment_id"]

    await emulator(qr_stack, "POST", f"/sandbox/qr/{kaspi_id}/pay", amount=40_000)

    await eventually(lambda: returns_of(qr_stack, kaspi_id), until=lambda r: len(r) == 1)
    assert [r["amount"] for r in await returns_of(qr_stack, kaspi_id)] == [40_000]
    row = await wait_status(stack, held["booking_id"], "pending_payment")
    assert row.confirmed_at is None


CANCEL_CASES = [
    # (policy, check-in in days, cancelled this long before check-in, refund of 45 000)
    (CancellationPolicy.FLEXIBLE, 40, timedelta(hours=30), 45_000),
    (CancellationPolicy.FLEXIBLE, 42, timedelta(hours=20), 25_000),
    (CancellationPolicy.NON_REFUNDABLE, 44, timedelta(days=2), 0),
]


@pytest.mark.parametrize(("policy", "days", "before", "refund"), CANCEL_CASES)
async def test_cancel_refunds_the_policy_amount_through_payment_return(
    stack, qr_stack, policy, days, before, refund
):
    prop = await apartment(stack, cancellation_policy=policy)
    held = await hold(stack, qr_stack, prop, days=days)
    booking_id, kaspi_id = held["booking_id"], held["payment"]["kaspi_payment_id"]
    await emulator(qr_stack, "POST", f"/sandbox/qr/{kaspi_id}/pay")
    await wait_status(stack, booking_id, "confirmed")
    row = await wait_status(stack, booking_id, "confirmed")
    await move_clock_to(stack, check_in_at(row.check_in) - before)

    token = {"X-Guest-Token": guest_token(stack.settings.encryption_keys(), booking_id)}
    response = await qr_stack.http.post(
        f"/api/v1/bookings/{booking_id}/cancel", json={"reason": "plans_changed"}, headers=token
    )

    assert response.status_code == 200, response.text
    assert response.json()["refund_amount"] == refund
    if refund:
        returned = await eventually(
            lambda: returns_of(qr_stack, kaspi_id), until=lambda r: len(r) == 1
        )
        assert [r["amount"] for r in returned] == [refund]
        refunds = await eventually(
            lambda: refunds_of(stack, booking_id), until=lambda r: len(r) == 1
        )
        assert (refunds[0].amount, refunds[0].status) == (refund, "sent")
        assert refunds[0].provider_refund_id == str(returned[0]["operation_id"])
    else:
        await wait_status(stack, booking_id, "cancelled")
        assert await returns_of(qr_stack, kaspi_id) == []


async def test_refund_never_asks_more_than_kaspi_can_return(stack, qr_stack):
    prop = await apartment(stack)
    held = await hold(stack, qr_stack, prop, days=46)
    booking_id, kaspi_id = held["booking_id"], held["payment"]["kaspi_payment_id"]
    await emulator(qr_stack, "POST", f"/sandbox/qr/{kaspi_id}/pay")
    await wait_status(stack, booking_id, "confirmed")
    # Part of the money went back already (the owner refunded 15 000 in the Kaspi app).
    await emulator(qr_stack, "POST", f"/sandbox/qr/{kaspi_id}/available", amount=30_000)

    token = {"X-Guest-Token": guest_token(stack.settings.encryption_keys(), booking_id)}
    response = await qr_stack.http.post(
        f"/api/v1/bookings/{booking_id}/cancel", json={"reason": "plans_changed"}, headers=token
    )

    assert response.status_code == 200 and response.json()["refund_amount"] == 45_000
    returned = await eventually(lambda: returns_of(qr_stack, kaspi_id), until=lambda r: len(r) == 1)
    assert [r["amount"] for r in returned] == [30_000]
    refunds = await eventually(lambda: refunds_of(stack, booking_id), until=lambda r: len(r) == 1)
    assert refunds[0].amount == 30_000


async def test_a_waiting_booking_keeps_a_small_history_however_long_it_polls(stack, qr_stack):
    prop = await apartment(stack)
    held = await hold(stack, qr_stack, prop, days=48)
    booking_id, kaspi_id = held["booking_id"], held["payment"]["kaspi_payment_id"]
    await eventually(lambda: qr_payment(qr_stack, kaspi_id), until=lambda p: p["polls"] >= 2)
    early = len(await history_events(qr_stack, booking_id))

    await eventually(
        lambda: qr_payment(qr_stack, kaspi_id), until=lambda p: p["polls"] >= 12, timeout=30
    )

    events = await history_events(qr_stack, booking_id)
    assert len(events) == early, "the history grew with the polls"
    assert len(events) < 40
    assert scheduled(events, "watch_kaspi_payment") == 1


async def test_a_partial_refund_kaspi_refuses_goes_to_the_owner_never_lost(stack, qr_stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(
        stack,
        owner,
        price_per_night=20_000,
        cleaning_fee=5_000,
        cancellation_policy=CancellationPolicy.FLEXIBLE,
    )
    held = await hold(stack, qr_stack, prop, days=50)
    booking_id, kaspi_id = held["booking_id"], held["payment"]["kaspi_payment_id"]
    await emulator(qr_stack, "POST", f"/sandbox/qr/{kaspi_id}/pay")
    row = await wait_status(stack, booking_id, "confirmed")
    await emulator(qr_stack, "POST", f"/sandbox/qr/{kaspi_id}/no-partial")
    await move_clock_to(stack, check_in_at(row.check_in) - timedelta(hours=20))

    token = {"X-Guest-Token": guest_token(stack.settings.encryption_keys(), booking_id)}
    response = await qr_stack.http.post(
        f"/api/v1/bookings/{booking_id}/cancel", json={"reason": "plans_changed"}, headers=token
    )

    assert response.status_code == 200 and response.json()["refund_amount"] == 25_000
    refunds = await eventually(lambda: refunds_of(stack, booking_id), until=lambda r: len(r) == 1)
    assert (refunds[0].amount, refunds[0].status, refunds[0].provider_refund_id) == (
        25_000,
        "manual",
        None,
    )
    assert await returns_of(qr_stack, kaspi_id) == []
    owner_texts = await eventually(
        lambda: _texts(qr_stack, owner.telegram_id or 0),
        until=lambda texts: any("Верните гостю" in t for t in texts),
    )
    assert any(booking_id in t and "25 000 ₸" in t for t in owner_texts if "Верните" in t)
    guest_texts = await eventually(
        lambda: _texts(qr_stack, held["guest_chat"]),
        until=lambda texts: any("Хозяин вернёт" in t for t in texts),
    )
    assert not any("отправлен" in t and "Возврат" in t for t in guest_texts)
