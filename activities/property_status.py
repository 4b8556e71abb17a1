"""Property status (free / occupied) derived from the calendar; recomputed on every change."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import CalendarNight, Property
from models.enums import PropertyStatus

LOCAL_TZ = ZoneInfo("Asia/Almaty")


async def refresh_property_status(session: AsyncSession, property_id: int) -> PropertyStatus:
    """Occupied when tonight (Almaty time) is blocked by a booking or a block."""
    tonight = datetime.now(LOCAL_TZ).date()
    taken = await session.scalar(
        select(
            exists().where(CalendarNight.property_id == property_id, CalendarNight.night == tonight)
        )
    )
    status = PropertyStatus.OCCUPIED if taken else PropertyStatus.FREE
    await session.execute(
        update(Property)
        .where(Property.id == property_id, Property.status != status)  # type: ignore[arg-type]
        .values(status=status.value)
    )
    return status
