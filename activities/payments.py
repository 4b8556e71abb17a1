"""Payment activities: create the Kaspi invoice or invoice requisites, poll Kaspi, refund."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from temporalio import activity

from activities.clients.kaspi import KaspiClient
from core.db import SessionFactory
from core.logging import get_logger
from models import Booking, Payment, Refund
from models.booking_io import (
    BookingIdInput,
    KaspiStatus,
    KaspiStatusInput,
    PaymentInstructions,
    StartPaymentInput,
)
from models.enums import PaymentMethod, PaymentStatus, RefundStatus

log = get_logger(__name__)


@dataclass(frozen=True)
class ManualRequisites:
    recipient: str
    bank: str
    iban: str
    bin: str
    note: str


class PaymentActivities:
    def __init__(
        self, session_factory: SessionFactory, kaspi: KaspiClient, requisites: ManualRequisites
    ) -> None:
        self._sessions = session_factory
        self._kaspi = kaspi
        self._requisites = requisites

    @activity.defn(name="start_payment")
    async def start_payment(self, request: StartPaymentInput) -> PaymentInstructions:
        if request.method == PaymentMethod.KASPI:
            payment = await self._kaspi.create_payment(
                reference=request.booking_id, amount=request.amount, phone=request.phone
            )
            return PaymentInstructions(
                method=request.method,
                amount=request.amount,
                reference=request.booking_id,
                payment_url=payment.payment_url,
                kaspi_payment_id=payment.payment_id,
            )
        r = self._requisites
        return PaymentInstructions(
            method=request.method,
            amount=request.amount,
            reference=request.booking_id,
            recipient=r.recipient,
            bank=r.bank,
            iban=r.iban,
            bin=r.bin,
            note=r.note,
        )

    @activity.defn(name="check_kaspi_payment")
    async def check_kaspi_payment(self, request: KaspiStatusInput) -> KaspiStatus:
        found = await self._kaspi.payment_status(request.kaspi_payment_id)
        return KaspiStatus(status=found.status, amount=found.amount, payment_id=found.payment_id)

    @activity.defn(name="refund_payment")
    async def refund_payment(self, request: BookingIdInput) -> int:
        """Pays back booking.refund_amount once: Kaspi refund, or a manual transfer for ops."""
        async with self._sessions() as session:
            booking = await session.get(Booking, request.booking_id)
            if booking is None or not booking.refund_amount:
                return 0
            # The payment that confirmed the booking is its one PAID payment: a stray one (a
            # wrong amount, a second payment) is refunded in full by LatePaymentWorkflow and
            # shows as `refunded`; one still waiting for that refund has the wrong amount or
            # came later, hence the order.
            payment: Payment | None = await session.scalar(
                select(Payment)
                .where(
                    col(Payment.booking_id) == booking.id,
                    col(Payment.status) == PaymentStatus.PAID.value,
                )
                .order_by(col(Payment.amount) != booking.total, col(Payment.id))
            )
            if payment is None:
                # Refunded already (a retry after the commit), or never paid.
                return 0
            done: Refund | None = await session.scalar(
                select(Refund).where(col(Refund.payment_id) == payment.id)
            )
            if done is not None:
                return done.amount
            amount = booking.refund_amount
            provider_refund_id: str | None = None
            status = RefundStatus.MANUAL
            if payment.method == PaymentMethod.KASPI:
                provider_refund_id = await self._kaspi.refund(
                    payment_id=payment.provider_payment_id,
                    amount=amount,
                    idempotency_key=booking.id,
                )
                status = RefundStatus.SENT
            await session.execute(
                insert(Refund)
                .values(
                    booking_id=booking.id,
                    payment_id=payment.id,
                    amount=amount,
                    provider_refund_id=provider_refund_id,
                    status=status.value,
                )
                .on_conflict_do_nothing(index_elements=["payment_id"])
            )
            payment.status = (
                PaymentStatus.REFUNDED
                if amount >= payment.amount
                else PaymentStatus.PARTIALLY_REFUNDED
            )
            await session.commit()
            log.info("refund recorded", booking_id=booking.id, status=status.value)
            return amount
