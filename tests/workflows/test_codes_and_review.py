"""Stories after payment: access codes before check-in (and nowhere else), the stay, the review.

Also the apartment's free/occupied status. That one follows the REAL date (it says whether
someone sleeps there tonight), not the skipped Temporal clock, so its story uses today.
"""

from __future__ import annotations

import json
import logging
import sys
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
import structlog

from models.booking_io import ReviewSubmission
from models.enums import CancellationPolicy
from services.booking_client import BookingClient, BookingRefused, timings_from
from tests.support.factories import (
    ALMATY,
    KEY_SAFE_CODE,
    SMART_LOCK_CODE,
    booking_row,
    eventually,
    id_of,
    make_owner,
    make_property,
    stay,
    wait_status,
)
from tests.support.lifecycle import (
    book,
    book_and_pay,
    check_in_at,
    check_out_at,
    deliveries_of,
    history_text,
    move_clock_to,
    property_status,
    reviews_of,
)
from tests.support.payments import messages_to

CODES = (KEY_SAFE_CODE, SMART_LOCK_CODE)


@contextmanager
def app_json_logs_into(stream):
    """Points the app's structlog JSON handler (on the root logger) at `stream` for a while."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.StreamHandler)
        and isinstance(h.formatter, structlog.stdlib.ProcessorFormatter)
    ]
    assert handlers, "the app's JSON log handler is not installed"
    previous = [h.setStream(stream) for h in handlers]
    try:
        yield
    finally:
        for handler, old in zip(handlers, previous, strict=True):
            handler.setStream(old)


def codes_in(text: str) -> list[str]:
    return [code for code in CODES if code in text]


async def test_codes_arrive_at_lead_time_and_stay_out_of_history_db_and_logs(stack, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=1, nights=2)
    codes_due = check_in_at(check_in) - stack.settings.codes_lead_time
    with app_json_logs_into(sys.stdout):
        booked = await book_and_pay(stack, id_of(prop), check_in, check_out)

        await move_clock_to(stack, codes_due - timedelta(minutes=10))
        assert [t for t in await messages_to(stack, booked.guest_chat) if codes_in(t)] == []
        assert "access_codes" not in [
            d.event for d in await deliveries_of(stack, booked.booking_id)
        ]

        await move_clock_to(stack, codes_due + timedelta(minutes=10))
        texts = await eventually(
            lambda: messages_to(stack, booked.guest_chat),
            until=lambda ts: any(codes_in(t) for t in ts),
        )
    with_codes = [t for t in texts if codes_in(t)]
    assert len(with_codes) == 1 and codes_in(with_codes[0]) == list(CODES), with_codes
    row = await booking_row(stack, booked.booking_id)
    assert row is not None
    assert row.codes_sent_at is not None

    history = await stack.client.get_workflow_handle(f"booking-{booked.booking_id}").fetch_history()
    scanned = history_text(history)
    assert "send_access_codes" in scanned
    assert prop.title in scanned  # decoded payloads are really part of the scan
    assert codes_in(scanned) == []

    deliveries = await deliveries_of(stack, booked.booking_id)
    codes_row = [d for d in deliveries if d.event == "access_codes"]
    assert [d.status for d in codes_row] == ["sent"]
    assert codes_row[0].context["property_title"] == prop.title
    assert codes_in(json.dumps([d.context for d in deliveries], ensure_ascii=False)) == []

    stdout = capsys.readouterr().out
    assert f'"booking_id": "{booked.booking_id}"' in stdout and '"access_codes"' in stdout
    assert codes_in(stdout) == []
    mine = [r.getMessage() for r in caplog.records if booked.booking_id in r.getMessage()]
    assert any("notification sent" in m and "access_codes" in m for m in mine), mine
    assert codes_in(caplog.text) == []
    assert codes_in("\n".join(r.getMessage() for r in caplog.records)) == []


async def test_stay_completes_asks_for_a_review_reminds_once_and_takes_one_review(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=1, nights=1)
    booked = await book_and_pay(stack, id_of(prop), check_in, check_out)

    def asks(ts: list[str]) -> list[str]:
        return [t for t in ts if "Как прошло проживание" in t]

    def reminders(ts: list[str]) -> list[str]:
        return [t for t in ts if "Напоминаем: ваш отзыв" in t]

    await move_clock_to(stack, check_out_at(check_out) + timedelta(minutes=5))

    row = await wait_status(stack, booked.booking_id, "completed")
    assert row.completed_at is not None
    texts = await eventually(
        lambda: messages_to(stack, booked.guest_chat), until=lambda ts: len(asks(ts)) == 1
    )
    assert prop.title in asks(texts)[0] and reminders(texts) == []

    await stack.env.sleep(stack.settings.review_reminder_after + timedelta(minutes=5))
    await eventually(
        lambda: messages_to(stack, booked.guest_chat), until=lambda ts: len(reminders(ts)) == 1
    )
    await stack.env.sleep(timedelta(days=1))
    texts = await messages_to(stack, booked.guest_chat)
    assert len(reminders(texts)) == 1 and len(asks(texts)) == 1

    bookings = BookingClient(
        stack.client,
        task_queue=stack.settings.temporal_task_queue,
        timings=timings_from(stack.settings),
    )
    state = await bookings.submit_review(
        booked.booking_id, ReviewSubmission(rating=5, text="Чисто, тепло, хозяин на связи")
    )
    assert state.reviewed is True
    reviews = await reviews_of(stack, booked.booking_id)
    assert [(r.rating, r.text, r.property_id) for r in reviews] == [
        (5, "Чисто, тепло, хозяин на связи", prop.id)
    ]
    with pytest.raises(BookingRefused):
        await bookings.submit_review(booked.booking_id, ReviewSubmission(rating=1, text="ещё раз"))
    assert len(await reviews_of(stack, booked.booking_id)) == 1


async def test_apartment_is_occupied_while_a_booking_holds_tonight_and_free_once_released(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner, cancellation_policy=CancellationPolicy.FLEXIBLE)
    assert await property_status(stack, id_of(prop)) == "free"
    tonight = datetime.now(ALMATY).date()  # the real date: status is about tonight, for real

    booked = await book(stack, id_of(prop), tonight, tonight + timedelta(days=1))
    assert await property_status(stack, id_of(prop)) == "occupied"

    # Check-in time may already be behind the (skipped) workflow clock, so a guest cancel
    # could be refused; the unpaid hold is released by the payment timeout instead.
    await stack.env.sleep(stack.settings.kaspi_payment_timeout + timedelta(minutes=1))
    await wait_status(stack, booked.booking_id, "auto_cancelled")
    assert await property_status(stack, id_of(prop)) == "free"
