"""What the database holds for one apartment or one guest: to prove a refusal wrote nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from models import Booking, CalendarNight, User


async def bookings_of_property(stack: Any, property_id: int | None) -> list[str]:
    async with stack.sessions() as session:
        rows = await session.scalars(
            select(col(Booking.id))
            .where(col(Booking.property_id) == property_id)
            .order_by(col(Booking.id))
        )
        return list(rows.all())


async def blocked_nights(stack: Any, property_id: int | None) -> list[tuple[date, str | None]]:
    """(night, booking id) of every calendar row of the apartment, in date order."""
    async with stack.sessions() as session:
        rows = await session.execute(
            select(col(CalendarNight.night), col(CalendarNight.booking_id))
            .where(col(CalendarNight.property_id) == property_id)
            .order_by(col(CalendarNight.night))
        )
        return [(night, booking_id) for night, booking_id in rows.all()]


async def users_with_phone(stack: Any, phone: str) -> int:
    async with stack.sessions() as session:
        count = await session.scalar(select(func.count()).where(col(User.phone) == phone))
        return int(count or 0)
