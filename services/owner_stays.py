"""What an owner sees of an apartment's guests: current and upcoming stays, reviews.

Guests appear by first name only; their phone stays with the booking. The apartment's own
owner sees a paid stay's guest in full (name and number: they host them), see
services.people.reveals_guest; staff looking at someone else's apartment do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import Booking, Review, User
from models.enums import ACTIVE_BOOKING_STATUSES
from services.owner import require_property
from services.people import first_name, reveals_guest

ACTIVE = sorted(s.value for s in ACTIVE_BOOKING_STATUSES)


@dataclass(frozen=True)
class StayLine:
    id: str
    status: str
    guest: str  # a first name, or "full name, phone" for the owner of a paid stay
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


def _guest(
    booking: Booking, name: str, phone: str | None, owner_id: int, viewer: int | None
) -> str:
    if not reveals_guest(booking.status, owner_id, viewer):
        return first_name(name)
    number = booking.contact_phone or phone
    full = name.strip() or "—"
    return f"{full}, {number}" if number else full


async def property_stays(
    session: AsyncSession, actor: User, property_id: int, *, today: date, limit: int = 20
) -> list[StayLine]:
    """Bookings whose stay is not over yet (awaiting payment or confirmed), soonest first."""
    prop = await require_property(session, actor, property_id)
    rows = await session.execute(
        select(Booking, col(User.name), col(User.phone))
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
            guest=_guest(b, name, phone, prop.owner_id, actor.id),
            check_in=b.check_in,
            check_out=b.check_out,
            nights=b.nights,
            total=b.total,
        )
        for b, name, phone in rows.all()
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
