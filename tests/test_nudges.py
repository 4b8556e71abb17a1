"""Daily owner nudges, each rule on crafted data, run through OwnerNudgesWorkflow on the
time-skipping server with the real worker, Postgres and Telegram stand-in."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import col, select

from models import Booking, CalendarNight, NotificationDelivery, Property, User
from models.enums import (
    BookingStatus,
    CalendarBlockKind,
    CancellationPolicy,
    CancelledBy,
    Channel,
    PaymentMethod,
)
from models.nudge_io import NudgeRunResult
from tests.support.factories import id_of, make_owner, make_property
from workflows.nudges import OwnerNudgesWorkflow

ALMATY = ZoneInfo("Asia/Almaty")


async def _age(stack: Any, prop: Property, *, photos: datetime | None, price: datetime) -> None:
    """Set the change stamps after insert (the insert trigger stamps the price with now())."""
    async with stack.sessions() as session:
        await session.execute(
            update(Property)
            .where(col(Property.id) == id_of(prop))
            .values(photos_updated_at=photos, price_updated_at=price)
        )
        await session.commit()


async def _guest(stack: Any) -> int:
    async with stack.sessions() as session:
        guest = User(name="Гость", phone=f"+7705{secrets.randbelow(10**7):07d}")
        session.add(guest)
        await session.commit()
        assert guest.id is not None
        return guest.id


async def _booking(
    stack: Any,
    prop: Property,
    guest_id: int,
    *,
    created_at: datetime,
    status: BookingStatus,
    cancelled_by: CancelledBy | None = None,
    nights_from: int = 60,
    nights: int = 2,
    block: bool = False,
) -> None:
    """A booking row as the workflow leaves it; `block` writes its calendar nights too."""
    check_in = created_at.astimezone(ALMATY).date() + timedelta(days=nights_from)
    booking = Booking(
        id=secrets.token_hex(6),
        property_id=id_of(prop),
        guest_id=guest_id,
        check_in=check_in,
        check_out=check_in + timedelta(days=nights),
        nights=nights,
        price_per_night=prop.price_per_night,
        cleaning_fee=0,
        total=prop.price_per_night * nights,
        status=status,
        channel=Channel.TELEGRAM,
        payment_method=PaymentMethod.KASPI,
        cancellation_policy=CancellationPolicy.FLEXIBLE,
        created_at=created_at,
        confirmed_at=created_at if status == BookingStatus.CONFIRMED else None,
        cancelled_at=created_at if cancelled_by else None,
        cancelled_by=cancelled_by,
    )
    async with stack.sessions() as session:
        session.add(booking)
        await session.flush()
        if block:
            for n in range(nights):
                session.add(
                    CalendarNight(
                        property_id=id_of(prop),
                        night=check_in + timedelta(days=n),
                        kind=CalendarBlockKind.BOOKING,
                        booking_id=booking.id,
                    )
                )
        await session.commit()


async def _deliveries(stack: Any, owner_ids: list[int]) -> list[tuple[str, str, str]]:
    async with stack.sessions() as session:
        rows = await session.execute(
            select(
                col(NotificationDelivery.dedupe_key),
                col(NotificationDelivery.channel),
                col(NotificationDelivery.status),
            )
            .where(col(NotificationDelivery.user_id).in_(owner_ids))
            .order_by(col(NotificationDelivery.dedupe_key))
        )
        return [(key, channel, status) for key, channel, status in rows.all()]


async def _run(stack: Any) -> NudgeRunResult:
    # No timer of another test's booking may move the clock (and the day) mid-run.
    with stack.env.auto_time_skipping_disabled():
        result: NudgeRunResult = await stack.client.execute_workflow(
            OwnerNudgesWorkflow.run,
            id=f"owner-nudges-test-{secrets.token_hex(4)}",
            task_queue=stack.settings.temporal_task_queue,
        )
    return result


async def test_each_rule_nudges_its_owner_once_a_day(stack: Any) -> None:
    now: datetime = await stack.env.get_current_time()
    day = now.astimezone(ALMATY).date().isoformat()

    def days(n: int) -> datetime:
        return now - timedelta(days=n)

    photo_owner, _ = await make_owner(stack)
    price_owner, _ = await make_owner(stack)
    ko_owner, _ = await make_owner(stack)
    guest_id = await _guest(stack)

    # Photos: 200 days old; never changed on a listing of 120 days; 10 days old.
    old_photos = await make_property(stack, photo_owner, title="Старые фото")
    await _age(stack, old_photos, photos=days(200), price=days(1))
    never = await make_property(stack, photo_owner, title="Без обновлений", created_at=days(120))
    await _age(stack, never, photos=None, price=days(1))
    fresh = await make_property(stack, photo_owner, title="Свежие фото")
    await _age(stack, fresh, photos=days(10), price=days(1))

    # Price unchanged for 45 days: empty calendar (0 %) vs. 20 of 30 nights booked (66.7 %).
    empty = await make_property(stack, price_owner, title="Пустая")
    await _age(stack, empty, photos=days(5), price=days(45))
    busy = await make_property(stack, price_owner, title="Занятая")
    await _age(stack, busy, photos=days(5), price=days(45))
    # Stayed from 20 nights ago until today: 20 of the last 30 nights.
    completed = BookingStatus.COMPLETED
    await _booking(
        stack,
        busy,
        guest_id,
        created_at=days(25),
        status=completed,
        nights_from=5,
        nights=20,
        block=True,
    )

    # Cancellations among bookings created in the last 30 days.
    many = await make_property(stack, ko_owner, title="Много отмен")
    few = await make_property(stack, ko_owner, title="Мало отмен")
    small = await make_property(stack, ko_owner, title="Две брони")
    old = await make_property(stack, ko_owner, title="Старые отмены")
    for prop in (many, few, small, old):
        await _age(stack, prop, photos=days(5), price=days(1))

    async def booked(prop: Property, age: int, status: BookingStatus, by: Any = None) -> None:
        await _booking(stack, prop, guest_id, created_at=days(age), status=status, cancelled_by=by)

    # 3 of 5 cancelled by people (60 %); the expired hold counts as a booking only.
    for by in (CancelledBy.GUEST, CancelledBy.OWNER, CancelledBy.ADMIN):
        await booked(many, 3, BookingStatus.CANCELLED, by)
    await booked(many, 2, BookingStatus.AUTO_CANCELLED, CancelledBy.SYSTEM)
    await booked(many, 1, BookingStatus.CONFIRMED)
    # 1 of 5 (20 %): two expired holds do not make it a high cancellation factor.
    await booked(few, 3, BookingStatus.CANCELLED, CancelledBy.GUEST)
    for _ in range(2):
        await booked(few, 2, BookingStatus.AUTO_CANCELLED, CancelledBy.SYSTEM)
        await booked(few, 1, BookingStatus.CONFIRMED)
    # Too few bookings to judge, and cancellations from before the window.
    for prop, age in ((small, 3), (small, 4), (old, 40), (old, 41), (old, 42)):
        await booked(prop, age, BookingStatus.CANCELLED, CancelledBy.GUEST)

    owners = [photo_owner, price_owner, ko_owner]
    owner_ids = [o.id or 0 for o in owners]
    first = await _run(stack)
    assert first.statuses.get("failed", 0) == 0

    # Nudges go out in parallel: one owner's messages may arrive in any order.
    assert sorted(stack.telegram.texts(photo_owner.telegram_id)) == [
        "📸 Фото «Без обновлений» не обновлялись 120 дн. Свежие фото повышают спрос.",
        "📸 Фото «Старые фото» не обновлялись 200 дн. Свежие фото повышают спрос.",
    ]
    assert stack.telegram.texts(price_owner.telegram_id) == [
        "💡 Цена «Пустая» не менялась 45 дн., загрузка 0.0%. Попробуйте скорректировать цену."
    ]
    assert stack.telegram.texts(ko_owner.telegram_id) == [
        "⚠️ Доля отмен по «Много отмен» за 30 дней — 60.0%. Проверьте описание, фото и цену."
    ]
    expected = sorted(
        [
            (f"nudge:update_photos_needed:{id_of(old_photos)}:{day}", "telegram", "sent"),
            (f"nudge:update_photos_needed:{id_of(never)}:{day}", "telegram", "sent"),
            (f"nudge:update_price_needed:{id_of(empty)}:{day}", "telegram", "sent"),
            (f"nudge:high_ko_factor:{id_of(many)}:{day}", "telegram", "sent"),
        ]
    )
    assert await _deliveries(stack, owner_ids) == expected

    sent_before = len(stack.telegram.texts())
    second = await _run(stack)
    assert second.found == first.found
    assert len(stack.telegram.texts()) == sent_before
    assert await _deliveries(stack, owner_ids) == expected
