"""What the search screens offer: the cities and districts that have apartments."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import Property


async def cities(session: AsyncSession) -> list[str]:
    """Cities with active apartments, the busiest first."""
    count = func.count()
    rows = await session.execute(
        select(col(Property.city), count)
        .where(col(Property.is_active))
        .group_by(col(Property.city))
        .order_by(count.desc(), col(Property.city))
    )
    return [city for city, _ in rows.all()]


async def districts(session: AsyncSession, city: str | None) -> list[str]:
    """Districts with active apartments in `city` (in every city when it is None), A to Z."""
    query = select(col(Property.district)).where(col(Property.is_active)).distinct()
    if city:
        query = query.where(func.lower(col(Property.city)) == city.lower())
    return sorted((await session.scalars(query)).all(), key=str.casefold)
