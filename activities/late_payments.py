"""Late payments: a Kaspi payment for a closed booking is recorded, refunded in full, recorded.

Both steps are idempotent, so Temporal may retry them freely: the UNIQUE provider payment id
keeps one Payment row, Kaspi's idempotency key keeps one refund, the Refund row is written once.
"""

from __future__ import annotations

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.clients.kaspi import KaspiClient
from core.db import SessionFactory
from core.logging import get_logger
from models import Booking, Payment, Property, Refund
from models.base import utcnow
from models.enums import PaymentMethod, PaymentStatus, RefundStatus
from models.late_payment_io import (
    LatePayment,
    LatePaymentRecord,
    LateRefundInput,
    LateRefundResult,
)
from services.booking_client import BookingClient

log = get_logger(__name__)
IDEMPOTENCY_PREFIX = "late-"  # booking refunds use the bare booking id: never the same key


class LatePaymentActivities:
    def __init__(self, session_factory: SessionFactory, kaspi: KaspiClient) -> None:
        self._sessions = session_factory
        self._kaspi = kaspi

    @activity.defn(name="record_late_payment")
    async def record_late_payment(self, payment: LatePayment) -> LatePaymentRecord:
        async with self._sessions() as session:
            booking = await session.get(Booking, payment.booking_id)
            if booking is None:
                raise ApplicationError(f"unknown booking {payment.booking_id}", non_retryable=True)
            await session.execute(
                insert(Payment)
                .values(
                    booking_id=booking.id,
                    method=PaymentMethod.KASPI.value,
                    provider_payment_id=payment.payment_id,
                    amount=payment.amount,
                    status=PaymentStatus.PAID.value,
                    paid_at=utcnow(),
                )
                .on_conflict_do_nothing(index_elements=["provider_payment_id"])
            )
            row: Payment | None = await session.scalar(
                select(Payment).where(col(Payment.provider_payment_id) == payment.payment_id)
            )
            assert row is not None and row.id is not None
            if row.booking_id != booking.id:
                raise ApplicationError(
                    f"payment is recorded for booking {row.booking_id}", non_retryable=True
                )
            # A refused wrong amount may be the booking's first row: the applied payment is
            # the first one of the booking's total.
            first = await session.scalar(
                select(func.min(col(Payment.id))).where(
                    col(Payment.booking_id) == booking.id, col(Payment.amount) == booking.total
                )
            )
            prop = await session.get(Property, booking.property_id)
            assert prop is not None
            await session.commit()
            log.info("late payment recorded", booking_id=booking.id, amount=row.amount)
            return LatePaymentRecord(
                payment_row_id=row.id,
                amount=row.amount,
                guest_id=booking.guest_id,
                # A confirmed booking's first payment is the one its workflow applied, unless
                # the workflow itself said it never applied this one.
                applied=not payment.stray and booking.confirmed_at is not None and row.id == first,
                context={
                    "booking_id": booking.id,
                    "property_title": prop.title,
                    "city": prop.city,
                    "check_in": booking.check_in.isoformat(),
                    "check_out": booking.check_out.isoformat(),
                    "nights": booking.nights,
                    "total": booking.total,
                    "refund": row.amount,
                    "payment_method": PaymentMethod.KASPI.value,
                },
            )

    @activity.defn(name="refund_late_payment")
    async def refund_late_payment(self, request: LateRefundInput) -> LateRefundResult:
        """Everything that was paid goes back; no transaction stays open across the call."""
        async with self._sessions() as session:
            payment = await session.get(Payment, request.payment_row_id)
            if payment is None:
                raise ApplicationError(f"no payment {request.payment_row_id}", non_retryable=True)
            done: Refund | None = await session.scalar(
                select(Refund).where(col(Refund.payment_id) == payment.id)
            )
            if done is not None:
                return LateRefundResult(
                    amount=done.amount, provider_refund_id=done.provider_refund_id
                )
            booking_id, provider_payment_id = payment.booking_id, payment.provider_payment_id
            amount = payment.amount
        sent = await self._kaspi.refund(
            payment_id=provider_payment_id,
            amount=amount,
            idempotency_key=IDEMPOTENCY_PREFIX + provider_payment_id,
        )
        refund_id, amount = sent.refund_id, sent.amount
        async with self._sessions() as session:
            # One Refund row per payment: the booking's own refund has a row of its own.
            await session.execute(
                insert(Refund)
                .values(
                    booking_id=booking_id,
                    payment_id=request.payment_row_id,
                    amount=amount,
                    provider_refund_id=refund_id,
                    status=RefundStatus.SENT.value,
                )
                .on_conflict_do_nothing(index_elements=["payment_id"])
            )
            await session.execute(
                update(Payment)
                .where(col(Payment.id) == request.payment_row_id)
                .values(status=PaymentStatus.REFUNDED.value)
            )
            await session.commit()
        log.info("late payment refunded", booking_id=booking_id, amount=amount)
        return LateRefundResult(amount=amount, provider_refund_id=refund_id)


class LateRefundStarter:
    """Lets a booking start the refund of Kaspi money it will never apply."""

    def __init__(self, bookings: BookingClient) -> None:
        self._bookings = bookings

    @activity.defn(name="start_late_refund")
    async def start_late_refund(self, payment: LatePayment) -> bool:
        """False when this payment's refund was started before (by the webhook, say)."""
        return await self._bookings.refund_late_payment(payment)
