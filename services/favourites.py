"""A guest's favourite apartments (not bookings: the bots may write these directly)."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import delete, literal
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import Favourite, Property
from services.search import PropertyCard, property_card

# A list longer than this is not read in a chat; the newest come first.
LIST_LIMIT = 20


async def add_favourite(
    session: AsyncSession, *, user_id: int, property_id: int
) -> Literal["added", "already", "gone"]:
    """Adds the apartment once; a second press changes nothing."""
    active = select(literal(user_id), col(Property.id)).where(
        col(Property.id) == property_id, col(Property.is_active)
    )
    result = await session.execute(
        insert(Favourite)
        .from_select(["user_id", "property_id"], active)
        .on_conflict_do_nothing(index_elements=["user_id", "property_id"])
        .returning(col(Favourite.property_id))
    )
    added = result.first() is not None
    await session.commit()
    if added:
        return "added"
    if await is_favourite(session, user_id=user_id, property_id=property_id):
        return "already"
    return "gone"


async def remove_favourite(session: AsyncSession, *, user_id: int, property_id: int) -> bool:
    result = await session.execute(
        delete(Favourite)
        .where(col(Favourite.user_id) == user_id, col(Favourite.property_id) == property_id)
        .returning(col(Favourite.property_id))
    )
    removed = result.first() is not None
    await session.commit()
    return removed


async def is_favourite(session: AsyncSession, *, user_id: int, property_id: int) -> bool:
    found = await session.scalar(
        select(col(Favourite.property_id)).where(
            col(Favourite.user_id) == user_id, col(Favourite.property_id) == property_id
        )
    )
    return found is not None


async def favourite_cards(session: AsyncSession, *, user_id: int) -> list[PropertyCard]:
    """The guest's favourites that can still be booked, newest first."""
    ids = (
        await session.scalars(
            select(col(Favourite.property_id))
            .join(Property, col(Property.id) == col(Favourite.property_id))
            .where(col(Favourite.user_id) == user_id, col(Property.is_active))
            .order_by(col(Favourite.created_at).desc(), col(Favourite.property_id).desc())
            .limit(LIST_LIMIT)
        )
    ).all()
    cards = [await property_card(session, property_id) for property_id in ids]
    return [card for card in cards if card is not None]
