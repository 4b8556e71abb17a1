"""Test data: owners, apartments (codes encrypted like production), tokens, helpers."""

from __future__ import annotations

import asyncio
import itertools
import secrets
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from core.crypto import CodeCipher
from models import Booking, Property, Review, User
from models.enums import (
    BookingStatus,
    CancellationPolicy,
    Channel,
    PaymentMethod,
    PropertyClass,
    Role,
)
from services.auth import issue_token

T = TypeVar("T")
ALMATY = ZoneInfo("Asia/Almaty")
_seq = itertools.count(1)
KEY_SAFE_CODE = "KS-4821"
SMART_LOCK_CODE = "SL-937155"


async def make_owner(
    stack: Any, *, role: Role = Role.ADMIN, telegram_id: int | None = None
) -> tuple[User, str]:
    n = next(_seq)
    async with stack.sessions() as session:
        user = User(
            name=f"Owner {n}",
            phone=f"+7701{n:07d}",
            role=role,
            telegram_id=telegram_id if telegram_id is not None else 900_000 + n,
        )
        session.add(user)
        await session.flush()
        token = await issue_token(session, user.id or 0, "test")
        await session.commit()
        return user, token


async def make_property(stack: Any, owner: User, **overrides: Any) -> Property:
    cipher = CodeCipher.from_settings(stack.settings)
    fields: dict[str, Any] = {
        "owner_id": owner.id,
        "title": f"Квартира {next(_seq)}",
        "city": "Almaty",
        "district": "Медеуский",
        "property_class": PropertyClass.COMFORT,
        "rooms": 2,
        "address": "пр. Достык, 1",
        "price_per_night": 20_000,
        "cleaning_fee": 5_000,
        "min_nights": 1,
        "max_nights": 30,
        "max_guests": 4,
        "check_in_time": time(14, 0),
        "check_out_time": time(12, 0),
        "cancellation_policy": CancellationPolicy.FLEXIBLE,
        "key_safe_code_enc": cipher.encrypt(KEY_SAFE_CODE),
        "smart_lock_code_enc": cipher.encrypt(SMART_LOCK_CODE),
        "checkin_instructions": "Подъезд 2, этаж 5",
        "ical_token": secrets.token_urlsafe(16),
    }
    fields.update(overrides)
    async with stack.sessions() as session:
        prop = Property(**fields)
        session.add(prop)
        await session.commit()
        await session.refresh(prop)
        return prop


def id_of(prop: Property) -> int:
    """The id of a saved apartment (always set once it is in the database)."""
    assert prop.id is not None
    return prop.id


async def server_today(stack: Any) -> date:
    """Today on the Temporal server's clock (it runs ahead once tests skip time)."""
    now: datetime = await stack.env.get_current_time()
    real = datetime.now(ALMATY).date()
    return max(now.astimezone(ALMATY).date(), real)


async def stay(stack: Any, *, starts_in_days: int, nights: int) -> tuple[date, date]:
    start = await server_today(stack) + timedelta(days=starts_in_days)
    return start, start + timedelta(days=nights)


def booking_body(
    property_id: int,
    check_in: date,
    check_out: date,
    *,
    method: str = "kaspi",
    telegram_id: int | None = None,
    phone: str | None = None,
    channel: str = "telegram",
) -> dict[str, Any]:
    n = next(_seq)
    return {
        "property_id": property_id,
        "check_in": check_in.isoformat(),
        "check_out": check_out.isoformat(),
        "guests": 2,
        "guest": {
            "name": f"Гость {n}",
            "phone": phone or f"+7702{n:07d}",
            "telegram_id": telegram_id if telegram_id is not None else 100_000 + n,
        },
        "channel": channel,
        "payment_method": method,
    }


async def eventually(
    probe: Callable[[], Awaitable[T]], *, until: Callable[[T], bool], timeout: float = 15.0
) -> T:
    """Polls a real component until the condition holds; fails with the last value seen."""
    deadline = asyncio.get_running_loop().time() + timeout
    value = await probe()
    while not until(value):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met in {timeout}s; last value: {value!r}")
        await asyncio.sleep(0.05)
        value = await probe()
    return value


async def booking_row(stack: Any, booking_id: str) -> Booking | None:
    async with stack.sessions() as session:
        row: Booking | None = await session.scalar(
            select(Booking).where(col(Booking.id) == booking_id)
        )
        return row


async def saved_booking(stack: Any, booking_id: str) -> Booking:
    """The booking's row, which the caller knows is there."""
    row = await booking_row(stack, booking_id)
    assert row is not None, f"no booking {booking_id}"
    return row


async def wait_status(stack: Any, booking_id: str, status: str, timeout: float = 15.0) -> Booking:
    row = await eventually(
        lambda: booking_row(stack, booking_id),
        until=lambda b: b is not None and b.status == status,
        timeout=timeout,
    )
    assert row is not None
    return row


async def add_reviews(stack: Any, property_id: int, ratings: list[int]) -> None:
    """Past stays with their reviews (as the workflow leaves them after check-out)."""
    today = await server_today(stack)
    async with stack.sessions() as session:
        prop = await session.get(Property, property_id)
        assert prop is not None
        for n, rating in enumerate(ratings):
            guest = User(name=f"Гость {n}", telegram_id=70_000_000 + secrets.randbelow(10**7))
            session.add(guest)
            await session.flush()
            booking_id = secrets.token_hex(5).upper()
            check_in = today - timedelta(days=30 + 5 * n)
            session.add(
                Booking(
                    id=booking_id,
                    property_id=prop.id or 0,
                    guest_id=guest.id or 0,
                    check_in=check_in,
                    check_out=check_in + timedelta(days=2),
                    nights=2,
                    price_per_night=prop.price_per_night,
                    cleaning_fee=prop.cleaning_fee,
                    total=2 * prop.price_per_night + prop.cleaning_fee,
                    status=BookingStatus.COMPLETED,
                    channel=Channel.TELEGRAM,
                    payment_method=PaymentMethod.KASPI,
                    cancellation_policy=prop.cancellation_policy,
                )
            )
            await session.flush()
            session.add(
                Review(
                    booking_id=booking_id,
                    property_id=prop.id or 0,
                    guest_id=guest.id or 0,
                    rating=rating,
                )
            )
        await session.commit()
