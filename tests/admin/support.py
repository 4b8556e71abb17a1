"""Admin test helpers: people with a password, a signed-in client, the page's data attributes."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlmodel import col

from models import Booking, CalendarNight, Property, User
from models.enums import BookingStatus, CalendarBlockKind, Channel, PaymentMethod, Role
from services.passwords import hash_password
from tests.support.factories import ALMATY, make_owner

PASSWORD = "correct horse battery staple"


async def person_with_password(stack: Any, role: Role = Role.ADMIN, name: str = "") -> User:
    user, _ = await make_owner(stack, role=role)
    async with stack.sessions() as session:
        user.name = name or user.name
        user.email = f"user{user.id}@example.kz"
        user.password_hash = hash_password(PASSWORD)
        session.add(user)
        await session.commit()
    return user


@asynccontextmanager
async def signed_in(stack: Any, user: User) -> AsyncIterator[httpx.AsyncClient]:
    """A client holding the admin's session cookie after the login form."""
    async with httpx.AsyncClient(base_url=stack.api_url, timeout=30) as client:
        answer = await client.post(
            "/admin/login", data={"username": user.email or "", "password": PASSWORD}
        )
        assert answer.status_code == 302, answer.text
        yield client


async def change_price(stack: Any, prop: Property, price: int) -> None:
    async with stack.sessions() as session:
        await session.execute(
            update(Property).where(col(Property.id) == prop.id).values(price_per_night=price)
        )
        await session.commit()


def almaty_today() -> date:
    return datetime.now(ALMATY).date()


async def booked_stay(
    stack: Any,
    prop: Property,
    guest: User,
    check_in: date,
    nights: int,
    *,
    status: BookingStatus = BookingStatus.CONFIRMED,
    method: PaymentMethod = PaymentMethod.KASPI,
    paid: bool = False,
    refund: int | None = None,
    holds_nights: bool = True,
) -> str:
    """A booking with its calendar nights, as the workflow's activities leave it (confirmed
    unless told otherwise; `paid` sets the payment's confirmation time)."""
    booking_id = f"adm{prop.id}x{check_in:%m%d}"
    async with stack.sessions() as session:
        session.add(
            Booking(
                id=booking_id,
                property_id=prop.id or 0,
                guest_id=guest.id or 0,
                check_in=check_in,
                check_out=check_in + timedelta(days=nights),
                nights=nights,
                price_per_night=prop.price_per_night,
                cleaning_fee=0,
                total=prop.price_per_night * nights,
                status=status,
                channel=Channel.API,
                payment_method=method,
                cancellation_policy=prop.cancellation_policy,
                confirmed_at=datetime.now(ALMATY) if paid else None,
                refund_amount=refund,
                expires_at=(
                    datetime.now(ALMATY) + timedelta(hours=2)
                    if status == BookingStatus.PENDING_PAYMENT
                    else None
                ),
            )
        )
        await session.flush()
        for i in range(nights if holds_nights else 0):
            session.add(
                CalendarNight(
                    property_id=prop.id or 0,
                    night=check_in + timedelta(days=i),
                    kind=CalendarBlockKind.BOOKING,
                    booking_id=booking_id,
                )
            )
        await session.commit()
    return booking_id


async def named_guest(stack: Any, name: str) -> User:
    guest, _ = await make_owner(stack, role=Role.GUEST)
    async with stack.sessions() as session:
        guest.name = name
        session.add(guest)
        await session.commit()
    return guest


async def owner_block(stack: Any, prop: Property, night: date) -> None:
    async with stack.sessions() as session:
        session.add(
            CalendarNight(property_id=prop.id or 0, night=night, kind=CalendarBlockKind.OWNER)
        )
        await session.commit()


def tags(html: str, marker: str) -> list[dict[str, str]]:
    """Attributes of every tag carrying `marker` (e.g. `data-night=`), in page order."""
    found = []
    for tag in re.findall(r"<[a-z]+\s[^>]*" + re.escape(marker) + r"[^>]*>", html):
        found.append(dict(re.findall(r'([\w-]+)="([^"]*)"', tag)))
    return found
