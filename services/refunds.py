"""The refund a guest would get by cancelling now: shown before they confirm.

Same rule and same inputs as the workflow's cancel (models/cancellation.py): booked at the
booking's creation, check-in at the apartment's check-in time in Almaty, nothing back for a
booking that was never paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from models.cancellation import PaidStay, refund_amount
from models.enums import CancellationPolicy, CancelledBy
from services.guest_bookings import GuestBooking, guest_booking


@dataclass(frozen=True)
class RefundPreview:
    booking: GuestBooking
    refund: int
    cancellable: bool


def refund_if_cancelled(
    booking: GuestBooking, now: datetime, by: CancelledBy = CancelledBy.GUEST
) -> int:
    if not booking.paid:
        return 0
    stay = PaidStay(
        total=booking.total,
        cleaning_fee=booking.cleaning_fee,
        # The hold prices every night at the apartment's base price.
        first_night=booking.price_per_night,
        booked_at=booking.created_at,
        check_in_at=booking.check_in_at,
    )
    return refund_amount(CancellationPolicy(booking.cancellation_policy), stay, now, by)


async def refund_preview(
    session: AsyncSession, user_id: int, booking_id: str, now: datetime
) -> RefundPreview | None:
    """None when the booking is not this guest's."""
    booking = await guest_booking(session, user_id, booking_id)
    if booking is None:
        return None
    return RefundPreview(
        booking=booking,
        refund=refund_if_cancelled(booking, now),
        cancellable=booking.cancellable(now),
    )
