"""Bookings as an owner (or staff) acts on them: invoices to confirm, stays to cancel.

Reads only; confirming and cancelling go through the booking workflows (booking_client).
Every lookup is limited to the apartments the person manages.

Guests appear masked (first name, masked phone) except to the apartment's own owner once
the booking is paid (confirmed or completed): the host then needs the full name and number
to meet the guest. Staff and realtors who do not own the apartment keep seeing them masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import Select
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.clock import LOCAL_TZ
from models import Booking, Property, User
from models.cancellation import PaidStay, refund_amount
from models.enums import BookingStatus, CancellationPolicy, CancelledBy, PaymentMethod
from services.people import first_name, mask_phone, reveals_guest
from services.scope import Scope, within

LIST_LIMIT = 20


@dataclass(frozen=True)
class OwnerBooking:
    booking_id: str
    property_id: int
    property_title: str
    check_in: date
    check_out: date
    nights: int
    total: int
    cleaning_fee: int
    price_per_night: int
    status: str
    payment_method: str
    cancellation_policy: CancellationPolicy
    paid: bool
    guest_name: str  # first name only, or the full name when revealed (see module doc)
    guest_phone: str  # masked, or the full number when revealed
    created_at: datetime
    expires_at: datetime | None
    check_in_at: datetime

    @property
    def awaits_invoice_payment(self) -> bool:
        return (
            self.status == BookingStatus.PENDING_PAYMENT
            and self.payment_method == PaymentMethod.MANUAL
        )

    def cancellable(self, now: datetime) -> bool:
        active = self.status in (BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED)
        return active and now < self.check_in_at


def _select() -> Select[Booking, Property, User]:
    return (
        sa_select(Booking, Property, User)
        .join(Property, col(Property.id) == col(Booking.property_id))
        .join(User, col(User.id) == col(Booking.guest_id))
    )


def _row(booking: Booking, prop: Property, guest: User, viewer_id: int | None) -> OwnerBooking:
    phone = booking.contact_phone or guest.phone
    shown = reveals_guest(booking.status, prop.owner_id, viewer_id)
    check_in_at = datetime.combine(booking.check_in, prop.check_in_time or time(14), LOCAL_TZ)
    return OwnerBooking(
        booking_id=booking.id,
        property_id=booking.property_id,
        property_title=prop.title,
        check_in=booking.check_in,
        check_out=booking.check_out,
        nights=booking.nights,
        total=booking.total,
        cleaning_fee=booking.cleaning_fee,
        price_per_night=booking.price_per_night,
        status=booking.status,
        payment_method=booking.payment_method,
        cancellation_policy=CancellationPolicy(booking.cancellation_policy),
        paid=booking.confirmed_at is not None,
        guest_name=(guest.name.strip() or "—") if shown else first_name(guest.name),
        guest_phone=(phone or "—") if shown else mask_phone(phone),
        created_at=booking.created_at,
        expires_at=booking.expires_at,
        check_in_at=check_in_at.astimezone(UTC),
    )


async def _rows(
    session: AsyncSession, statement: Select[Booking, Property, User], viewer_id: int | None
) -> list[OwnerBooking]:
    result = await session.execute(statement)
    return [_row(b, p, g, viewer_id) for b, p, g in result.all()]


async def pending_invoices(
    session: AsyncSession, scope: Scope, *, viewer_id: int | None = None
) -> list[OwnerBooking]:
    """Invoice bookings still waiting for the money, the soonest to expire first."""
    statement = (
        _select()
        .where(
            col(Booking.status) == BookingStatus.PENDING_PAYMENT.value,
            col(Booking.payment_method) == PaymentMethod.MANUAL.value,
        )
        .order_by(col(Booking.expires_at), col(Booking.check_in), col(Booking.id))
        .limit(LIST_LIMIT)
    )
    return await _rows(session, within(statement, scope), viewer_id)


async def upcoming_bookings(
    session: AsyncSession, scope: Scope, today: date, *, viewer_id: int | None = None
) -> list[OwnerBooking]:
    """Held and confirmed stays from today on: the ones an owner may still cancel."""
    statement = (
        _select()
        .where(
            col(Booking.status).in_(
                [BookingStatus.PENDING_PAYMENT.value, BookingStatus.CONFIRMED.value]
            ),
            col(Booking.check_in) >= today,
        )
        .order_by(col(Booking.check_in), col(Booking.id))
        .limit(LIST_LIMIT)
    )
    return await _rows(session, within(statement, scope), viewer_id)


async def owner_booking(
    session: AsyncSession, scope: Scope, booking_id: str, *, viewer_id: int | None = None
) -> OwnerBooking | None:
    """One booking, only if it belongs to an apartment the person manages."""
    statement = within(_select().where(col(Booking.id) == booking_id), scope)
    rows = await _rows(session, statement, viewer_id)
    return rows[0] if rows else None


def cancelled_by(scope: Scope) -> CancelledBy:
    return CancelledBy.ADMIN if scope.everything else CancelledBy.OWNER


def refund_preview(booking: OwnerBooking, scope: Scope, now: datetime) -> int:
    """What the guest gets back if the owner (or staff) cancels now: the workflow applies the
    same rule (models.cancellation), so the owner sees the real figure before confirming."""
    if not booking.paid:
        return 0
    stay = PaidStay(
        total=booking.total,
        cleaning_fee=booking.cleaning_fee,
        first_night=booking.price_per_night,
        booked_at=booking.created_at,
        check_in_at=booking.check_in_at,
    )
    return refund_amount(booking.cancellation_policy, stay, now, cancelled_by(scope))
