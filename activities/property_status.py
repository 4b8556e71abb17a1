"""Property status (free / occupied) derived from the calendar; recomputed on every change."""

from __future__ import annotations

from sqlalchemy import exists, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from core.clock import today_local
from models import CalendarNight, Property
from models.enums import PropertyStatus


async def refresh_property_status(session: AsyncSession, property_id: int) -> bool:
    """Occupied when tonight (Almaty time) is blocked by a booking or a block; True if the
    status changed (search pages showing the apartment must then go)."""
    tonight = today_local()
    taken = await session.scalar(
        select(
            exists().where(
                col(CalendarNight.property_id) == property_id, col(CalendarNight.night) == tonight
            )
        )
    )
    status = PropertyStatus.OCCUPIED if taken else PropertyStatus.FREE
    changed = await session.scalar(
        update(Property)
        .where(col(Property.id) == property_id, col(Property.status) != status)
        .values(status=status.value)
        .returning(col(Property.id))
    )
    return changed is not None
