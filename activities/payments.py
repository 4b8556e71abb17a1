"""Payment activities: create the Kaspi link or invoice, or invoice requisites; watch Kaspi;
refund."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.clients.kaspi import FAILED, PAID, KaspiClient, KaspiPayment
from core.db import SessionFactory
from core.logging import get_logger
from kaspi.errors import KaspiError, PartialRefundImpossible
from models import Booking, Payment, Refund
from models.booking_io import (
    BookingIdInput,
    KaspiStatus,
    KaspiStatusInput,
    KaspiWatchInput,
    KaspiWatchOutcome,
    PaymentInstructions,
    RefundOutcome,
    RenewPaymentInput,
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
            payment = await self._create(
                request.booking_id,
                request.amount,
                request.phone,
                request.kaspi_invoice,
                request.comment,
            )
            return self._kaspi_instructions(request.booking_id, request.amount, payment)
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

    async def _create(
        self, booking_id: str, amount: int, phone: str, invoice: bool, comment: str
    ) -> KaspiPayment:
        try:
            return await self._kaspi.create_payment(
                reference=booking_id,
                amount=amount,
                phone=phone,
                invoice=invoice,
                comment=comment,
            )
        except KaspiError as exc:
            # Kaspi's final word (a disabled trade point, a wrong amount) is not retried.
            raise ApplicationError(
                f"Kaspi refused the payment: {exc}", non_retryable=not exc.retryable
            ) from exc

    def _kaspi_instructions(
        self, booking_id: str, amount: int, payment: KaspiPayment
    ) -> PaymentInstructions:
        return PaymentInstructions(
            method=PaymentMethod.KASPI,
            amount=amount,
            reference=booking_id,
            payment_url=payment.payment_url,
            kaspi_payment_id=payment.payment_id,
            kaspi_mode=self._kaspi.mode,
            kaspi_invoice=payment.payment_url is None,
            poll_interval_seconds=(
                payment.poll_interval.total_seconds() if payment.poll_interval else None
            ),
            link_expires_at=payment.expires_at,
            link_valid_seconds=(
                max(0.0, (payment.expires_at - datetime.now(UTC)).total_seconds())
                if payment.expires_at
                else None
            ),
        )

    @activity.defn(name="renew_kaspi_payment")
    async def renew_kaspi_payment(self, request: RenewPaymentInput) -> PaymentInstructions:
        """A fresh link (or invoice) for the same booking; an old invoice is cancelled first
        (Kaspi cancels invoices, not links: an old link lapses at its ExpireDate)."""
        phone, comment = "", ""
        if request.kaspi_invoice:
            async with self._sessions() as session:
                booking = await session.get(Booking, request.booking_id)
                phone = (booking.contact_phone or "") if booking else ""
                comment = f"Бронь {request.booking_id}"
            if request.old_kaspi_payment_id:
                try:
                    await self._kaspi.cancel_invoice(request.old_kaspi_payment_id)
                except KaspiError as exc:
                    log.warning("old Kaspi invoice not cancelled", error=type(exc).__name__)
        payment = await self._create(
            request.booking_id, request.amount, phone, request.kaspi_invoice, comment
        )
        return self._kaspi_instructions(request.booking_id, request.amount, payment)

    @activity.defn(name="watch_kaspi_payment")
    async def watch_kaspi_payment(self, request: KaspiWatchInput) -> KaspiWatchOutcome:
        """One long poll of payment/status per waiting booking, heartbeating each round: it
        ends when Kaspi says Processed or Error, or when the hold ends. Kaspi's -999 and
        network errors only delay the next round; a worker that dies stops heartbeating and
        Temporal starts the poll again on another worker."""
        info = activity.info()
        polls = int(info.heartbeat_details[0]) if info.heartbeat_details else 0
        # The hold's end on the server's clock, counted down on ours.
        left = (request.until - info.current_attempt_scheduled_time).total_seconds()
        deadline = time.monotonic() + max(0.0, left)
        interval = max(0.2, request.poll_interval_seconds)
        errors = 0
        while True:
            try:
                found = await self._kaspi.payment_status(request.kaspi_payment_id)
                errors = 0
            except KaspiError as exc:
                if not exc.retryable:
                    raise ApplicationError(
                        f"Kaspi status poll refused: {exc}", non_retryable=True
                    ) from exc
                errors += 1
                found = None
            polls += 1
            activity.heartbeat(polls)
            if found is not None and found.status == PAID:
                return KaspiWatchOutcome(
                    outcome="paid",
                    amount=found.amount,
                    kaspi_status=found.kaspi_status,
                    polls=polls,
                )
            if found is not None and found.status == FAILED:
                return KaspiWatchOutcome(
                    outcome="failed", kaspi_status=found.kaspi_status, polls=polls
                )
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return KaspiWatchOutcome(outcome="hold_ended", polls=polls)
            # After errors, back off up to a minute (Kaspi asks for patience on -999).
            pause = min(60.0, interval * (2 ** min(errors, 6))) if errors else interval
            await asyncio.sleep(min(pause, remaining))

    @activity.defn(name="check_kaspi_payment")
    async def check_kaspi_payment(self, request: KaspiStatusInput) -> KaspiStatus:
        found = await self._kaspi.payment_status(request.kaspi_payment_id)
        return KaspiStatus(status=found.status, amount=found.amount, payment_id=found.payment_id)

    @activity.defn(name="refund_payment")
    async def refund_payment(self, request: BookingIdInput) -> int:
        """Histories from before REFUND_OUTCOME_PATCH: the amount only."""
        return (await self._refund(request.booking_id)).amount

    @activity.defn(name="refund_booking")
    async def refund_booking(self, request: BookingIdInput) -> RefundOutcome:
        """Pays back booking.refund_amount once and says whether Kaspi refused it (then the
        owner pays it back by hand)."""
        return await self._refund(request.booking_id)

    async def _refund(self, booking_id: str) -> RefundOutcome:
        async with self._sessions() as session:
            booking = await session.get(Booking, booking_id)
            if booking is None or not booking.refund_amount:
                return RefundOutcome(amount=0)
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
                return RefundOutcome(amount=0)
            done: Refund | None = await session.scalar(
                select(Refund).where(col(Refund.payment_id) == payment.id)
            )
            if done is not None:
                refused = (
                    done.status == RefundStatus.MANUAL and payment.method == PaymentMethod.KASPI
                )
                return RefundOutcome(amount=done.amount, kaspi_refused=refused)
            amount = booking.refund_amount
            provider_refund_id: str | None = None
            status = RefundStatus.MANUAL
            if payment.method == PaymentMethod.KASPI:
                try:
                    sent = await self._kaspi.refund(
                        payment_id=payment.provider_payment_id,
                        amount=amount,
                        idempotency_key=booking.id,
                    )
                except PartialRefundImpossible:
                    # Kaspi will not return part of this payment: ops and the owner pay it
                    # back by hand (the row says so; the workflow tells the owner and the
                    # guest; this error reaches Sentry), never a silent loss.
                    log.error(
                        "kaspi refused a partial refund: pay it back by hand",
                        booking_id=booking.id,
                        amount=amount,
                    )
                else:
                    provider_refund_id, amount = sent.refund_id, sent.amount
                    status = RefundStatus.SENT
            if amount <= 0:
                return RefundOutcome(amount=0)
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
            refused = status == RefundStatus.MANUAL and payment.method == PaymentMethod.KASPI
            return RefundOutcome(amount=amount, kaspi_refused=refused)
