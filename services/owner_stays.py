"""What an owner sees of an apartment's guests: current and upcoming stays, reviews.

Guests appear by first name only; their phone stays with the booking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import Booking, Review, User
from models.enums import ACTIVE_BOOKING_STATUSES
from services.owner import require_property
from services.people import first_name

ACTIVE = sorted(s.value for s in ACTIVE_BOOKING_STATUSES)


@dataclass(frozen=True)
class StayLine:
    id: str
    status: str
    guest: str
    check_in: date
    check_out: date
    nights: int
    total: int


@dataclass(frozen=True)
class ReviewLine:
    rating: int
    text: str
    guest: str
    created_at: datetime


async def property_stays(
    session: AsyncSession, actor: User, property_id: int, *, today: date, limit: int = 20
) -> list[StayLine]:
    """Bookings whose stay is not over yet (awaiting payment or confirmed), soonest first."""
    await require_property(session, actor, property_id)
    rows = await session.execute(
        select(Booking, col(User.name))
        .join(User, col(User.id) == col(Booking.guest_id))
        .where(
            col(Booking.property_id) == property_id,
            col(Booking.status).in_(ACTIVE),
            col(Booking.check_out) > today,
        )
        .order_by(col(Booking.check_in))
        .limit(limit)
    )
    return [
        StayLine(
            id=b.id,
            status=b.status,
            guest=first_name(name),
            check_in=b.check_in,
            check_out=b.check_out,
            nights=b.nights,
            total=b.total,
        )
        for b, name in rows.all()
    ]


async def property_reviews(
    session: AsyncSession, actor: User, property_id: int, *, limit: int = 10
) -> list[ReviewLine]:
    """The latest reviews, newest first."""
    await require_property(session, actor, property_id)
    rows = await session.execute(
        select(Review, col(User.name))
        .join(User, col(User.id) == col(Review.guest_id))
        .where(col(Review.property_id) == property_id, col(Review.deleted_at).is_(None))
        .order_by(col(Review.created_at).desc())
        .limit(limit)
    )
    return [
        ReviewLine(rating=r.rating, text=r.text, guest=first_name(name), created_at=r.created_at)
        for r, name in rows.all()
    ]
