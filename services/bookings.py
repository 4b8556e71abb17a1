"""Booking reads and the checks made before a hold is attempted."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import Booking, Payment, Property
from models.pricing import PriceRules, Quote, StayRuleError, quote_stay
from services.availability import apartment_label

LOCAL_TZ = ZoneInfo("Asia/Almaty")


class BookingInputError(ValueError):
    """A request that can never succeed: unknown property, past dates, nights out of range."""


def today_local() -> date:
    return datetime.now(LOCAL_TZ).date()


async def precheck_stay(
    session: AsyncSession, property_id: int, check_in: date, check_out: date, guests: int
) -> Quote:
    """Everything a guest can get wrong, answered before any workflow starts."""
    if check_in < today_local():
        raise BookingInputError("check_in is in the past")
    prop = await session.get(Property, property_id)
    if prop is None or not prop.is_active:
        raise BookingInputError(f"property {property_id} does not exist")
    if guests > prop.max_guests:
        raise BookingInputError(f"this apartment takes at most {prop.max_guests} guests")
    try:
        return quote_stay(
            PriceRules(
                price_per_night=prop.price_per_night,
                cleaning_fee=prop.cleaning_fee,
                min_nights=prop.min_nights,
                max_nights=prop.max_nights,
            ),
            check_in,
            check_out,
        )
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
