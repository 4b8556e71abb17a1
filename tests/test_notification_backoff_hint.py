"""A messenger's own back-off hint (Telegram's 429 `retry_after`, WhatsApp's `Retry-After`)
decides when the notify activity is retried; without a hint the workflow's NOTIFY_RETRY does.
What the activity asked Temporal for is read off the pending activity's failure, when the retry
really started off the workflow's history (the Temporal test clock): nothing is wall-timed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import col, select
from temporalio.api.workflow.v1 import PendingActivityInfo

from activities.clients.messengers import (
    DeliveryError,
    TelegramMessenger,
    WhatsAppMessenger,
    retry_after_header,
)
from activities.notify import MAX_RETRY_HINT, MIN_RETRY_HINT, retry_delay
from devstack.telegram_standin import create_telegram_standin
from devstack.whatsapp_standin import create_whatsapp_standin
from models import NotificationDelivery
from tests.support.factories import (
    eventually,
    wait_status,
)
from tests.support.notify import held_booking
from tests.support.payments import sandbox_pay
from tests.support.servers import free_port, serve
from workflows.booking import NOTIFY_RETRY

TOKEN = "1000000002:hint-test"


@pytest.fixture
async def drills(stack: Any) -> AsyncIterator[Any]:
    """The stand-ins' fault switches, always reset when the test ends."""
    yield stack
    for recorder in (stack.telegram, stack.whatsapp):
        recorder.fail_next, recorder.fail_status, recorder.retry_after = 0, 500, 1


# --- the hint as the clients read it and the activity bounds it ---------------------------


def test_retry_delay_is_bounded() -> None:
    assert retry_delay(None) is None
    assert retry_delay(45) == timedelta(seconds=45)
    assert retry_delay(2.5) == timedelta(seconds=2.5)
    assert retry_delay(0) == MIN_RETRY_HINT == timedelta(seconds=1)
    assert retry_delay(3600) == MAX_RETRY_HINT == timedelta(minutes=10)
    assert retry_delay(float("inf")) == MAX_RETRY_HINT


def test_retry_after_header_forms() -> None:
    assert retry_after_header(None) is None
    assert retry_after_header("") is None
    assert retry_after_header(" 30 ") == 30.0
    assert retry_after_header("-5") == 0.0
    assert retry_after_header("soon") is None
    assert retry_after_header("nan") is None
    later = datetime.now(UTC) + timedelta(seconds=120)
    seconds = retry_after_header(later.strftime("%a, %d %b %Y %H:%M:%S GMT"))
    assert seconds is not None and 110 <= seconds <= 120
    assert retry_after_header("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # already past


async def test_clients_carry_the_messengers_hint() -> None:
    tg_app, tg = create_telegram_standin()
    wa_app, _ = create_whatsapp_standin()
    async with (
        serve(tg_app, free_port()) as tg_url,
        serve(wa_app, free_port()) as wa_url,
        httpx.AsyncClient(timeout=10) as http,
    ):
        telegram = TelegramMessenger(TOKEN, tg_url)
        whatsapp = WhatsAppMessenger(
            token="t", phone_number_id="100", api_base=f"{wa_url}/v21.0", http=http
        )
        try:
            tg.fail_next, tg.fail_status, tg.retry_after = 1, 429, 7
            with pytest.raises(DeliveryError, match="TelegramRetryAfter") as caught:
                await telegram.send_text("5", "a")
            assert caught.value.retry_after == 7.0
            tg.fail_next, tg.fail_status = 1, 500
            with pytest.raises(DeliveryError) as caught:
                await telegram.send_text("5", "b")
            assert caught.value.retry_after is None
        finally:
            await telegram.close()

        await http.post(
            f"{wa_url}/sandbox/faults", params={"count": 1, "status": 429, "retry_after": 4}
        )
        with pytest.raises(DeliveryError, match="429") as caught:
            await whatsapp.send_text("+77015550000", "a")
        assert caught.value.retry_after == 4.0
        await http.post(f"{wa_url}/sandbox/faults", params={"count": 1, "status": 500})
        with pytest.raises(DeliveryError, match="500") as caught:
            await whatsapp.send_text("+77015550000", "b")
        assert caught.value.retry_after is None


# --- end to end: the notify activity's next attempt ---------------------------------------


async def _failed_notify(stack: Any, booking_id: str) -> PendingActivityInfo:
    """The booking's one notify activity that failed and waits for its next attempt."""
    handle = stack.client.get_workflow_handle(f"booking-{booking_id}")

    async def probe() -> list[PendingActivityInfo]:
        pending = (await handle.describe()).raw_description.pending_activities
        return [
            p for p in pending if p.activity_type.name == "notify" and p.HasField("last_failure")
        ]

    found = await eventually(probe, until=bool)
    assert len(found) == 1, found
    return found[0]


def _hint_on(pending: PendingActivityInfo) -> timedelta | None:
    """The retry delay the activity's failure asked Temporal for."""
    info = pending.last_failure.application_failure_info
    return info.next_retry_delay.ToTimedelta() if info.HasField("next_retry_delay") else None


async def _retries(stack: Any, booking_id: str) -> list[tuple[datetime, datetime]]:
    """Each retried notify activity: when it was scheduled and when its last attempt
    started, on the Temporal clock (from the workflow's history)."""
    history = await stack.client.get_workflow_handle(f"booking-{booking_id}").fetch_history()
    events = {e.event_id: e for e in history.events}
    found = []
    for event in history.events:
        started = event.activity_task_started_event_attributes
        if not event.HasField("activity_task_started_event_attributes") or started.attempt < 2:
            continue
        scheduled = events[started.scheduled_event_id]
        if scheduled.activity_task_scheduled_event_attributes.activity_type.name == "notify":
            found.append((scheduled.event_time.ToDatetime(), event.event_time.ToDatetime()))
    return found


async def _wait_after_failure(
    stack: Any, booking_id: str, pending: PendingActivityInfo
) -> timedelta:
    """From the failed attempt's end to the retry's start."""
    [(_, retried)] = await _retries(stack, booking_id)
    wait: timedelta = retried - pending.last_attempt_complete_time.ToDatetime()
    return wait


async def _sent_rows(stack: Any, booking_id: str) -> dict[str, NotificationDelivery]:
    async with stack.sessions() as session:
        rows = await session.scalars(
            select(NotificationDelivery).where(col(NotificationDelivery.booking_id) == booking_id)
        )
        return {r.event: r for r in rows.all() if r.status == "sent"}


async def _skip_until(stack: Any, probe: Callable[[], Awaitable[Any]], until: Any) -> Any:
    """Skips the Temporal clock in short steps until `until` holds."""

    async def step() -> Any:
        await stack.env.sleep(timedelta(seconds=5))
        return await probe()

    return await eventually(step, until=until, timeout=60)


async def _settle(stack: Any, booking_id: str) -> None:
    """Both confirmations sent: the workflow is idle (waiting for the check-in), so no leftover
    retry eats the next test's drill."""
    await _skip_until(
        stack,
        lambda: _sent_rows(stack, booking_id),
        until=lambda rows: {"booking_confirmed", "owner_new_booking"} <= set(rows),
    )


async def _confirm(stack: Any, booking_id: str, payment_id: str) -> None:
    paid = await sandbox_pay(stack, payment_id)
    assert paid["webhook_status"] == 200, paid
    await wait_status(stack, booking_id, "confirmed")


def _telegram_confirmations(stack: Any, booking_id: str) -> list[str]:
    return [t for t in stack.telegram.texts() if booking_id in t]


async def test_telegram_429_retry_after_sets_the_next_attempt(drills: Any) -> None:
    stack = drills
    booking_id, payment_id, _ = await held_booking(stack, starts_in_days=26, channel="telegram")
    stack.telegram.fail_status, stack.telegram.retry_after = 429, 45
    stack.telegram.fail_next = 1  # guest's or owner's message, whichever goes first

    await _confirm(stack, booking_id, payment_id)

    # The time-skipping server leaves `next_attempt_schedule_time` unset; the failure shows
    # what was asked for, the history when the retry really started.
    pending = await _failed_notify(stack, booking_id)
    assert "TelegramRetryAfter" in pending.last_failure.message
    assert pending.last_failure.application_failure_info.type == "DeliveryError"
    assert _hint_on(pending) == timedelta(seconds=45)

    await _settle(stack, booking_id)
    wait = await _wait_after_failure(stack, booking_id, pending)
    assert timedelta(seconds=45) <= wait < timedelta(seconds=46), wait  # not NOTIFY_RETRY's 2 s
    rows = (await _sent_rows(stack, booking_id)).values()
    assert sorted(r.attempts for r in rows) == [1, 2]
    assert all(r.channel == "telegram" and r.last_error is None for r in rows)
    await stack.env.sleep(timedelta(seconds=30))  # no late duplicate from a stray retry
    assert len(_telegram_confirmations(stack, booking_id)) == 2


async def test_whatsapp_429_retry_after_header_sets_the_next_attempt(drills: Any) -> None:
    stack = drills
    booking_id, payment_id, body = await held_booking(stack, starts_in_days=26, channel="whatsapp")
    phone = body["guest"]["phone"]
    answered = await stack.http.post(
        f"{stack.settings.whatsapp_api_base.rsplit('/', 1)[0]}/sandbox/faults",
        params={"count": 1, "status": 429, "retry_after": 75},
    )
    assert answered.status_code == 200, answered.text

    await _confirm(stack, booking_id, payment_id)

    pending = await _failed_notify(stack, booking_id)  # the guest's: the owner is on Telegram
    assert "whatsapp answered 429" in pending.last_failure.message
    assert _hint_on(pending) == timedelta(seconds=75)

    await _settle(stack, booking_id)
    wait = await _wait_after_failure(stack, booking_id, pending)
    assert timedelta(seconds=75) <= wait < timedelta(seconds=76), wait
    texts = [m.text for m in stack.whatsapp.sent_to(phone) if booking_id in m.text]
    assert len(texts) == 1 and "подтверждена" in texts[0]
    guest_row = (await _sent_rows(stack, booking_id))["booking_confirmed"]
    assert (guest_row.channel, guest_row.attempts, guest_row.last_error) == ("whatsapp", 2, None)
    # One refusal is not a reason to fall back to the guest's Telegram.
    assert not [t for t in stack.telegram.texts(body["guest"]["telegram_id"]) if booking_id in t]
    await stack.env.sleep(timedelta(seconds=30))
    assert len([m for m in stack.whatsapp.sent_to(phone) if booking_id in m.text]) == 1


async def test_500_without_a_hint_keeps_the_workflows_backoff(drills: Any) -> None:
    stack = drills
    booking_id, payment_id, _ = await held_booking(stack, starts_in_days=26, channel="telegram")
    stack.telegram.fail_status, stack.telegram.fail_next = 500, 1

    await _confirm(stack, booking_id, payment_id)
    await _settle(stack, booking_id)

    # From the history alone: the 2 s wait may be over before a describe could see it, so
    # this counts from the scheduling and includes the failed attempt's own run time.
    [(scheduled, retried)] = await _retries(stack, booking_id)
    backoff = NOTIFY_RETRY.initial_interval
    assert backoff == timedelta(seconds=2)
    assert backoff <= retried - scheduled < backoff + timedelta(seconds=5), retried - scheduled
    rows = (await _sent_rows(stack, booking_id)).values()
    assert sorted(r.attempts for r in rows) == [1, 2]
    await stack.env.sleep(timedelta(seconds=30))
    assert len(_telegram_confirmations(stack, booking_id)) == 2
