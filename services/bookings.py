"""Booking reads and the checks made before a hold is attempted."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from core.clock import now_local, today_local
from models import Booking, Payment, Property
from models.pricing import Quote, StayRuleError, earliest_check_in, quote_stay
from services.availability import apartment_label
from services.pricing import price_rules


class BookingInputError(ValueError):
    """A request that can never succeed: unknown property, past dates, nights out of range."""


async def precheck_stay(
    session: AsyncSession,
    property_id: int,
    check_in: date,
    check_out: date,
    guests: int,
    *,
    horizon_days: int,
) -> Quote:
    """Everything a guest can get wrong, answered before any workflow starts.

    `horizon_days`: how far ahead of today (Almaty) a check-in may be (BOOKING_HORIZON_DAYS).
    """
    today = today_local()
    if check_in < today:
        raise BookingInputError("check_in is in the past")
    if check_in > today + timedelta(days=horizon_days):
        latest = today + timedelta(days=horizon_days)
        raise BookingInputError(
            f"check_in may be at most {horizon_days} days ahead (latest {latest.isoformat()})"
        )
    prop = await session.get(Property, property_id)
    if prop is None or not prop.is_active:
        raise BookingInputError(f"property {property_id} does not exist")
    if guests > prop.max_guests:
        raise BookingInputError(f"this apartment takes at most {prop.max_guests} guests")
    rules = price_rules(prop)
    earliest = earliest_check_in(rules.pricing, now_local())
    if check_in < earliest:
        raise BookingInputError(f"check-in may be {earliest.isoformat()} at the earliest")
    try:
        return quote_stay(rules, check_in, check_out, guests)
    except StayRuleError as exc:
        raise BookingInputError(str(exc)) from exc


async def apartment_label_of(session: AsyncSession, property_id: int) -> str:
    """«title», city of an apartment (read from the session's identity map after a precheck)."""
    prop = await session.get(Property, property_id)
    return apartment_label(prop.title, prop.city) if prop is not None else ""


async def get_booking(session: AsyncSession, booking_id: str) -> Booking | None:
    return await session.get(Booking, booking_id)


async def payment_exists(session: AsyncSession, provider_payment_id: str) -> bool:
    found = await session.scalar(
        select(col(Payment.id)).where(col(Payment.provider_payment_id) == provider_payment_id)
    )
    return found is not None
