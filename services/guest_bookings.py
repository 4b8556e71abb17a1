"""A guest's own bookings, as the bots list them: upcoming and past, one booking's details,
and the trip waiting for a review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.clock import LOCAL_TZ
from models import Booking, Payment, Property, Review
from models.enums import (
    ACTIVE_BOOKING_STATUSES,
    BookingStatus,
    CancellationPolicy,
    PaymentMethod,
)

LIST_LIMIT = 10


def local_moment(day: date, at: time) -> datetime:
    """A day and a wall-clock time in Almaty, as an aware UTC moment (like the workflow)."""
    return datetime.combine(day, at, LOCAL_TZ).astimezone(UTC)


@dataclass(frozen=True)
class GuestBooking:
    id: str
    property_id: int
    property_title: str
    city: str
    address: str
    check_in: date
    check_out: date
    nights: int
    price_per_night: int
    cleaning_fee: int
    total: int
    status: BookingStatus
    payment_method: PaymentMethod
    cancellation_policy: CancellationPolicy
    check_in_at: datetime
    created_at: datetime
    completed_at: datetime | None
    refund_amount: int | None
    paid: bool
    reviewed: bool

    def upcoming(self, today: date) -> bool:
        return self.status in ACTIVE_BOOKING_STATUSES and self.check_out >= today

    def cancellable(self, now: datetime) -> bool:
        """The workflow refuses a cancel once check-in time has come."""
        return self.status in ACTIVE_BOOKING_STATUSES and now < self.check_in_at

    @property
    def reviewable(self) -> bool:
        return self.status == BookingStatus.COMPLETED and not self.reviewed


@dataclass(frozen=True)
class GuestBookings:
    upcoming: list[GuestBooking]
    past: list[GuestBooking]


def _query() -> Select[Booking, str, str, str, time, bool, bool]:
    reviewed = exists().where(col(Review.booking_id) == col(Booking.id))
    paid = exists().where(col(Payment.booking_id) == col(Booking.id))
    return select(
        Booking,
        col(Property.title),
        col(Property.city),
        col(Property.address),
        col(Property.check_in_time),
        reviewed.label("reviewed"),
        paid.label("paid"),
    ).join(Property, col(Property.id) == col(Booking.property_id))


def _guest_booking(
    b: Booking, title: str, city: str, address: str, check_in_time: time, reviewed: bool, paid: bool
) -> GuestBooking:
    return GuestBooking(
        id=b.id,
        property_id=b.property_id,
        property_title=title,
        city=city,
        address=address,
        check_in=b.check_in,
        check_out=b.check_out,
        nights=b.nights,
        price_per_night=b.price_per_night,
        cleaning_fee=b.cleaning_fee,
        total=b.total,
        status=BookingStatus(b.status),
        payment_method=PaymentMethod(b.payment_method),
        cancellation_policy=CancellationPolicy(b.cancellation_policy),
        check_in_at=local_moment(b.check_in, check_in_time),
        created_at=b.created_at,
        completed_at=b.completed_at,
        refund_amount=b.refund_amount,
        paid=bool(paid),
        reviewed=bool(reviewed),
    )


async def guest_bookings(session: AsyncSession, user_id: int, today: date) -> GuestBookings:
    """Upcoming stays soonest first; past ones (and cancelled) latest first."""
    rows = (
        await session.execute(
            _query()
            .where(col(Booking.guest_id) == user_id)
            .order_by(col(Booking.check_in).desc(), col(Booking.created_at).desc())
            .limit(200)
        )
    ).all()
    found = [_guest_booking(*row) for row in rows]
    upcoming = sorted((b for b in found if b.upcoming(today)), key=lambda b: b.check_in)
    past = [b for b in found if not b.upcoming(today)]
    return GuestBookings(upcoming=upcoming[:LIST_LIMIT], past=past[:LIST_LIMIT])


async def guest_booking(
    session: AsyncSession, user_id: int, booking_id: str
) -> GuestBooking | None:
    """One booking, only if it is this guest's."""
    row = (
        await session.execute(
            _query().where(col(Booking.id) == booking_id, col(Booking.guest_id) == user_id)
        )
    ).first()
    return _guest_booking(*row) if row is not None else None


async def latest_reviewable(
    session: AsyncSession, user_id: int, completed_since: datetime
) -> GuestBooking | None:
    """The guest's most recent completed stay without a review, still within the window."""
    row = (
        await session.execute(
            _query()
            .where(
                col(Booking.guest_id) == user_id,
                col(Booking.status) == BookingStatus.COMPLETED.value,
                col(Booking.completed_at) >= completed_since,
                ~exists().where(col(Review.booking_id) == col(Booking.id)),
            )
            .order_by(col(Booking.check_out).desc(), col(Booking.completed_at).desc())
        )
    ).first()
    return _guest_booking(*row) if row is not None else None


@dataclass(frozen=True)
class AwaitingKaspi:
    """A booking held for a Kaspi payment: what a new payment link needs."""

    id: str
    expires_at: datetime | None
    contact_phone: str | None


async def latest_awaiting_kaspi(session: AsyncSession, user_id: int) -> AwaitingKaspi | None:
    """The guest's most recent booking still waiting for a Kaspi payment."""
    row = (
        await session.execute(
            select(col(Booking.id), col(Booking.expires_at), col(Booking.contact_phone))
            .where(
                col(Booking.guest_id) == user_id,
                col(Booking.status) == BookingStatus.PENDING_PAYMENT.value,
                col(Booking.payment_method) == PaymentMethod.KASPI.value,
            )
            .order_by(col(Booking.created_at).desc(), col(Booking.id).desc())
            .limit(1)
        )
    ).first()
    return AwaitingKaspi(row[0], row[1], row[2]) if row is not None else None
