"""What the web admin's property page draws: price history and the next nights' calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import CalendarNight, PriceHistory, Property
from models.pricing import night_price
from services.pricing import price_rules


@dataclass(frozen=True)
class PricePoint:
    changed_at: datetime
    price: int


@dataclass(frozen=True)
class NightCell:
    night: date
    state: str  # free | booking | owner | ical
    price: int


async def price_points(session: AsyncSession, property_id: int) -> list[PricePoint]:
    rows = await session.execute(
        select(col(PriceHistory.changed_at), col(PriceHistory.new_price))
        .where(col(PriceHistory.property_id) == property_id)
        .order_by(col(PriceHistory.changed_at), col(PriceHistory.id))
    )
    return [PricePoint(at, price) for at, price in rows.all()]


async def nights_ahead(
    session: AsyncSession, prop: Property, start: date, days: int = 30
) -> list[NightCell]:
    """One cell per night from `start`: free, or who blocked it (a booking, the owner, iCal)."""
    end = start + timedelta(days=days)
    rows = await session.execute(
        select(col(CalendarNight.night), col(CalendarNight.kind)).where(
            col(CalendarNight.property_id) == prop.id,
            col(CalendarNight.night) >= start,
            col(CalendarNight.night) < end,
        )
    )
    blocked = {night: str(kind) for night, kind in rows.all()}
    rules = price_rules(prop)  # each night as the guest would pay it (weekend, season…)
    return [
        NightCell(night, blocked.get(night, "free"), night_price(rules, night))
        for night in (start + timedelta(days=i) for i in range(days))
    ]
