"""BookingWorkflow: one durable workflow per booking (SPEC §3).

Deterministic code only: time comes from workflow.now(), everything else from activities,
which are referenced by name so no database or web code is imported here.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from models.booking_io import (
        BookingIdInput,
        BookingRequest,
        BookingState,
        CancelRequest,
        CancelResult,
        ConfirmInput,
        HeldBooking,
        HoldInput,
        HoldOutcome,
        HoldResult,
        KaspiStatus,
        KaspiStatusInput,
        KaspiWatchInput,
        KaspiWatchOutcome,
        ManualPaymentConfirmation,
        NotifyInput,
        PaymentInstructions,
        PaymentReceived,
        RefundOutcome,
        ReleaseInput,
        RenewLinkRequest,
        RenewPaymentInput,
        ReviewInput,
        ReviewSubmission,
        StartPaymentInput,
    )
    from models.cancellation import PaidStay, refund_amount
    from models.enums import BookingStatus, CancelledBy, CancelReason, PaymentMethod
    from models.late_payment_io import LatePayment
    from workflows.search_attributes import booking_search_attributes

DB_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30)
)
EXTERNAL_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2), maximum_interval=timedelta(minutes=2)
)
NOTIFY_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    maximum_interval=timedelta(minutes=5),
    maximum_attempts=8,
)
ACTIVITY_TIMEOUT = timedelta(seconds=30)
MANUAL_PAYMENT_PREFIX = "manual-"
LOCAL_HOLD_PATCH = "hold-as-local-activities"
# The guest's and the owner's messages about one event go out side by side, not in turn.
NOTIFY_TOGETHER_PATCH = "notify-guest-and-owner-together"
# The owner hears of an invoice booking at once: only they can confirm the transfer.
OWNER_INVOICE_NOTICE_PATCH = "owner-invoice-notice"
# Kaspi money this booking will never apply goes back through LatePaymentWorkflow as soon as
# it is known (a refused wrong amount, or a Kaspi payment that arrives once the booking has its
# money or no longer waits for it), started by a loop that runs beside the booking.
REFUND_STRAYS_AT_ONCE_PATCH = "refund-strays-at-once"
# Kaspi QR has no webhook: one heartbeating activity polls payment/status for the whole hold.
KASPI_QR_WATCH_PATCH = "kaspi-qr-watch"
# A refund Kaspi refuses (partial return impossible) is not announced as sent: the owner is
# asked to pay it back by hand and the guest is told so.
REFUND_OUTCOME_PATCH = "refund-outcome"

Context = dict[str, str | int | float | bool | None]


@workflow.defn
class BookingWorkflow:
    @workflow.init
    def __init__(self, request: BookingRequest) -> None:
        self._req = request
        self._status = BookingStatus.PENDING_PAYMENT
        self._phase = "holding"
        self._held: HeldBooking | None = None
        self._hold_result: HoldResult | None = None
        self._expires_at: datetime | None = None
        self._inbox: list[PaymentReceived] = []
        self._seen_payment_ids: set[str] = set()
        self._payment: PaymentReceived | None = None
        self._manual_confirmed_by: int | None = None
        self._rejected_payments = 0
        # Under REFUND_STRAYS_AT_ONCE_PATCH: payments to refund now, and whether the booking
        # still takes payments (strays skip the inbox once it does not).
        self._strays_at_once = False
        self._strays: list[PaymentReceived] = []
        self._taking_payments = True
        self._closing = False
        self._cancel_request: CancelRequest | None = None
        self._cancel_result: CancelResult | None = None
        self._codes_sent = False
        self._review: ReviewSubmission | None = None
        self._kaspi_payment_id: str | None = None
        self._instructions: PaymentInstructions | None = None
        # Kaspi QR: the link failed or lapsed and the guest may ask for a new one.
        self._link_failed = False
        self._renew_asked = False
        self._link_deadline: datetime | None = None
        # When the guest booked, on the workflow's clock: refunds compare it with
        # workflow.now(), so both must come from the same clock (not the worker's wall clock).
        self._booked_at = workflow.now()

    # --- messages -------------------------------------------------------------------------

    @workflow.update
    async def hold(self) -> HoldResult:
        """The hold answer for update-with-start: booking id, total, payment, expiry."""
        await workflow.wait_condition(lambda: self._hold_result is not None)
        assert self._hold_result is not None
        return self._hold_result

    @workflow.signal
    def payment_received(self, payment: PaymentReceived) -> None:
        # Webhook retries and poll + webhook deliver the same payment more than once.
        if payment.payment_id in self._seen_payment_ids:
            return
        self._seen_payment_ids.add(payment.payment_id)
        if self._strays_at_once and not self._taking_payments:
            self._strays.append(payment)
            return
        self._inbox.append(payment)

    @workflow.update
    async def confirm_manual_payment(self, confirmation: ManualPaymentConfirmation) -> BookingState:
        self._manual_confirmed_by = confirmation.confirmed_by_user_id
        self.payment_received(
            PaymentReceived(
                payment_id=MANUAL_PAYMENT_PREFIX + self._req.booking_id,
                amount=confirmation.amount if confirmation.amount is not None else self._total(),
                source="manual",
            )
        )
        await workflow.wait_condition(lambda: self._status != BookingStatus.PENDING_PAYMENT)
        return self.status()

    @confirm_manual_payment.validator
    def _validate_manual_payment(self, confirmation: ManualPaymentConfirmation) -> None:
        if self._req.payment_method != PaymentMethod.MANUAL:
            raise ValueError("this booking is paid with Kaspi, not by invoice")
        if self._status != BookingStatus.PENDING_PAYMENT or self._held is None:
            raise ValueError(f"booking is {self._status.value}, not waiting for payment")
        if self._cancel_request is not None:
            raise ValueError("booking is being cancelled")
        if confirmation.amount is not None and confirmation.amount != self._total():
            raise ValueError(f"amount {confirmation.amount} does not match total {self._total()}")

    @workflow.update
    async def renew_payment_link(self, request: RenewLinkRequest) -> PaymentInstructions:
        """A new Kaspi link for the same booking; the hold keeps running as it was."""
        self._renew_asked = True
        await workflow.wait_condition(lambda: not self._renew_asked)
        assert self._instructions is not None
        return self._instructions

    @renew_payment_link.validator
    def _validate_renew(self, request: RenewLinkRequest) -> None:
        if self._instructions is None or self._instructions.kaspi_mode != "qr":
            raise ValueError("this booking has no Kaspi link to renew")
        if self._status != BookingStatus.PENDING_PAYMENT or self._payment is not None:
            raise ValueError(f"booking is {self._status.value}, not waiting for payment")
        if self._cancel_request is not None:
            raise ValueError("booking is being cancelled")
        if self._renew_asked:
            raise ValueError("a new link is being made")
        expires = self._link_deadline
        if not self._link_failed and (expires is None or workflow.now() < expires):
            raise ValueError("the current payment link still works")

    @workflow.update
    async def cancel(self, request: CancelRequest) -> CancelResult:
        self._cancel_request = request
        await workflow.wait_condition(lambda: self._cancel_result is not None)
        assert self._cancel_result is not None
        return self._cancel_result

    @cancel.validator
    def _validate_cancel(self, request: CancelRequest) -> None:
        if self._held is None:
            raise ValueError("booking was never held")
        if self._cancel_request is not None:
            raise ValueError("booking is already being cancelled")
        if self._status not in (BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED):
            raise ValueError(f"booking is {self._status.value} and cannot be cancelled")
        if workflow.now() >= self._held.check_in_at:
            raise ValueError("check-in has passed; the booking can no longer be cancelled")

    @workflow.update
    async def submit_review(self, review: ReviewSubmission) -> BookingState:
        await workflow.execute_activity(
            "save_review",
            ReviewInput(booking_id=self._req.booking_id, review=review),
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=DB_RETRY,
        )
        self._review = review
        self._set_details()
        return self.status()

    @submit_review.validator
    def _validate_review(self, review: ReviewSubmission) -> None:
        if self._status != BookingStatus.COMPLETED:
            raise ValueError("a review can be left after check-out")
        if self._review is not None:
            raise ValueError("this booking already has a review")

    @workflow.query
    def status(self) -> BookingState:
        return BookingState(
            booking_id=self._req.booking_id,
            status=self._status,
            phase=self._phase,
            total=self._held.total if self._held else None,
            paid_amount=self._payment.amount if self._payment else 0,
            payment_id=self._payment.payment_id if self._payment else None,
            payment_source=self._payment.source if self._payment else None,
            refund_amount=self._cancel_result.refund_amount if self._cancel_result else None,
            cancelled_by=self._cancel_result.cancelled_by if self._cancel_result else None,
            cancel_reason=self._cancel_request.reason.value if self._cancel_request else None,
            expires_at=self._expires_at,
            codes_sent=self._codes_sent,
            reviewed=self._review is not None,
            rejected_payments=self._rejected_payments,
            kaspi_payment_id=self._kaspi_payment_id,
            payment_url=self._instructions.payment_url if self._instructions else None,
            kaspi_link_failed=self._link_failed,
        )

    # --- the booking's life ---------------------------------------------------------------

    @workflow.run
    async def run(self, request: BookingRequest) -> BookingState:
        self._strays_at_once = workflow.patched(REFUND_STRAYS_AT_ONCE_PATCH)
        strays = asyncio.create_task(self._refund_strays_loop()) if self._strays_at_once else None
        held = await self._hold()
        if held is not None:
            await self._live(held)
        await workflow.wait_condition(workflow.all_handlers_finished)
        if strays is not None:
            self._closing = True
            await strays  # the refunds still to start, then it ends
        return self.status()

    async def _live(self, held: HeldBooking) -> None:
        if self._req.payment_method == PaymentMethod.MANUAL and workflow.patched(
            OWNER_INVOICE_NOTICE_PATCH
        ):
            await self._notify("owner_invoice_booking", held.owner_id, self._context(held))
        qr = self._instructions is not None and self._instructions.kaspi_mode == "qr"
        if qr and workflow.patched(KASPI_QR_WATCH_PATCH):
            paid = await self._wait_for_kaspi_qr()
        else:
            paid = await self._wait_for_payment()
        if self._strays_at_once:
            # From now on every new Kaspi payment is one this booking will never apply.
            self._taking_payments = False
            self._strays.extend(self._inbox)
            self._inbox.clear()
        if self._cancel_request is not None and not paid:
            await self._cancel(held)
            return
        if not paid:
            await self._auto_cancel(held)
            return
        await self._confirm(held)
        if await self._wait_until(
            held.check_in_at - self._req.timings.codes_lead_time, "confirmed"
        ):
            await self._cancel(held)
            return
        await self._send_codes()
        if await self._wait_until(held.check_in_at, "codes_sent"):
            await self._cancel(held)
            return
        self._phase = "in_stay"
        self._set_details()
        await self._activity("refresh_property_status", BookingIdInput(booking_id=held.booking_id))
        await self._sleep_until(held.check_out_at)
        await self._complete(held)

    async def _hold(self) -> HeldBooking | None:
        req = self._req
        timeout = (
            req.timings.kaspi_payment_timeout
            if req.payment_method == PaymentMethod.KASPI
            else req.timings.manual_payment_timeout
        )
        self._expires_at = workflow.now() + timeout
        # The guest waits for this answer: the hold's two short steps run as local
        # activities (no task-queue round trip each, ~2x faster answer); histories
        # recorded before the patch keep replaying with regular activities.
        run = (
            workflow.execute_local_activity
            if workflow.patched(LOCAL_HOLD_PATCH)
            else workflow.execute_activity
        )
        outcome: HoldOutcome = await run(
            "hold_booking",
            HoldInput(request=req, expires_at=self._expires_at),
            result_type=HoldOutcome,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=DB_RETRY,
        )
        if outcome.held is None:
            self._status = BookingStatus.REJECTED
            self._phase = "rejected"
            self._expires_at = None
            self._hold_result = HoldResult(
                booking_id=req.booking_id,
                status=self._status,
                error=outcome.error,
                detail=outcome.detail,
            )
            self._publish()
            return None
        self._held = outcome.held
        instructions: PaymentInstructions = await run(
            "start_payment",
            StartPaymentInput(
                booking_id=req.booking_id,
                method=req.payment_method,
                amount=outcome.held.total,
                phone=req.guest.phone,
                kaspi_invoice=req.kaspi_invoice,
                comment=self._invoice_comment(outcome.held),
            ),
            result_type=PaymentInstructions,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=EXTERNAL_RETRY,
            schedule_to_close_timeout=timedelta(minutes=2),
        )
        self._phase = "waiting_for_payment"
        self._hold_result = HoldResult(
            booking_id=req.booking_id,
            status=self._status,
            total=outcome.held.total,
            payment=instructions,
            expires_at=self._expires_at,
        )
        self._kaspi_payment_id = instructions.kaspi_payment_id
        self._instructions = instructions
        self._link_deadline = self._deadline_of(instructions)
        self._publish()
        return outcome.held

    @staticmethod
    def _deadline_of(instructions: PaymentInstructions) -> datetime | None:
        """When the link stops working, on the workflow's clock (Kaspi's ExpireDate is
        on Kaspi's; histories from before link_valid_seconds use it as it is)."""
        if instructions.link_valid_seconds is not None:
            return workflow.now() + timedelta(seconds=instructions.link_valid_seconds)
        return instructions.link_expires_at

    def _invoice_comment(self, held: HeldBooking) -> str:
        """What the guest reads on a Kaspi invoice: the apartment and the dates."""
        days = f"{self._req.check_in:%d.%m}–{self._req.check_out:%d.%m.%Y}"
        return f"ЖильеGO {held.booking_id}: «{held.property_title}», {days}"[:200]

    async def _wait_for_kaspi_qr(self) -> bool:
        """Kaspi QR: one heartbeating activity polls payment/status until Processed, Error
        or the hold's end; a webhook, a cancel or a new link interrupts it."""
        assert self._expires_at is not None and self._instructions is not None
        while True:
            self._drain_inbox()
            if self._payment is not None:
                return True
            if self._cancel_request is not None or workflow.now() >= self._expires_at:
                return False
            remaining = self._expires_at - workflow.now()
            if self._renew_asked:
                await self._renew_link()
                continue
            if self._link_failed or self._kaspi_payment_id is None:
                # Nothing to poll: wait for the guest to ask for a new link (or the end).
                with contextlib.suppress(TimeoutError):
                    await workflow.wait_condition(self._interrupted, timeout=remaining)
                continue
            interval = self._instructions.poll_interval_seconds or 5.0
            heartbeat = max(
                self._req.timings.kaspi_watch_heartbeat, timedelta(seconds=3 * interval)
            )
            watch = workflow.start_activity(
                "watch_kaspi_payment",
                KaspiWatchInput(
                    booking_id=self._req.booking_id,
                    kaspi_payment_id=self._kaspi_payment_id,
                    poll_interval_seconds=interval,
                    until=self._expires_at,
                ),
                result_type=KaspiWatchOutcome,
                start_to_close_timeout=remaining + timedelta(minutes=1),
                heartbeat_timeout=heartbeat,
                retry_policy=EXTERNAL_RETRY,
            )
            await workflow.wait_condition(lambda w=watch: w.done() or self._interrupted())  # type: ignore[misc]
            if not watch.done():
                watch.cancel()
                # Its end (cancelled) is of no interest; retrieving it keeps the log quiet.
                watch.add_done_callback(lambda done: done.cancelled() or done.exception())
                continue
            try:
                found = watch.result()
            except ActivityError:
                # Kaspi refused the poll outright (an unknown payment, a device gone): the
                # guest is offered a new link; ops see the error in the worker's log.
                workflow.logger.error("kaspi status poll gave up")
                await self._link_lapsed()
                continue
            if found.outcome == "paid" and found.amount is not None:
                self.payment_received(
                    PaymentReceived(
                        payment_id=self._kaspi_payment_id, amount=found.amount, source="poll"
                    )
                )
                self._drain_inbox()
                if self._payment is None:
                    # Paid, but not the total: that money goes back; a new link is offered.
                    await self._link_lapsed()
            elif found.outcome == "failed":
                await self._link_lapsed()

    def _interrupted(self) -> bool:
        return bool(self._inbox) or self._cancel_request is not None or self._renew_asked

    async def _link_lapsed(self) -> None:
        self._link_failed = True
        self._set_details()
        held = self._held
        assert held is not None
        await self._notify("kaspi_link_failed", held.guest_id, self._context(held))

    async def _renew_link(self) -> None:
        assert self._held is not None and self._instructions is not None
        try:
            fresh: PaymentInstructions = await workflow.execute_activity(
                "renew_kaspi_payment",
                RenewPaymentInput(
                    booking_id=self._req.booking_id,
                    amount=self._held.total,
                    old_kaspi_payment_id=self._kaspi_payment_id,
                    kaspi_invoice=self._instructions.kaspi_invoice,
                ),
                result_type=PaymentInstructions,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=EXTERNAL_RETRY,
                schedule_to_close_timeout=timedelta(minutes=2),
            )
        except ActivityError:
            workflow.logger.error("kaspi refused a new link")
        else:
            self._instructions = fresh
            self._link_deadline = self._deadline_of(fresh)
            self._kaspi_payment_id = fresh.kaspi_payment_id
            self._link_failed = False
        self._renew_asked = False
        self._set_details()

    async def _wait_for_payment(self) -> bool:
        """True once a matching payment arrives; False on cancel request or timeout."""
        assert self._expires_at is not None
        poll = self._req.payment_method == PaymentMethod.KASPI and self._kaspi_payment_id
        while True:
            self._drain_inbox()
            if self._payment is not None:
                return True
            if self._cancel_request is not None:
                return False
            remaining = self._expires_at - workflow.now()
            if remaining <= timedelta(0):
                return False
            wait = min(remaining, self._req.timings.kaspi_poll_interval) if poll else remaining
            try:
                await workflow.wait_condition(
                    lambda: bool(self._inbox) or self._cancel_request is not None, timeout=wait
                )
            except TimeoutError:
                if poll:
                    await self._poll_kaspi()

    async def _poll_kaspi(self) -> None:
        """A lost webhook is not a lost payment: ask Kaspi while we wait."""
        assert self._kaspi_payment_id is not None
        try:
            found: KaspiStatus = await workflow.execute_activity(
                "check_kaspi_payment",
                KaspiStatusInput(kaspi_payment_id=self._kaspi_payment_id),
                result_type=KaspiStatus,
                start_to_close_timeout=timedelta(seconds=15),
                retry_policy=RetryPolicy(maximum_attempts=2),
            )
        except ActivityError:
            workflow.logger.warning("kaspi status poll failed; will ask again")
            return
        if found.status == "paid" and found.amount is not None:
            self.payment_received(
                PaymentReceived(
                    payment_id=found.payment_id or self._kaspi_payment_id,
                    amount=found.amount,
                    source="poll",
                )
            )

    def _drain_inbox(self) -> None:
        while self._inbox and self._payment is None:
            payment = self._inbox.pop(0)
            if self._held is None or payment.amount != self._held.total:
                # A wrong amount is never a confirmation; ops see the count in the query.
                self._rejected_payments += 1
                if self._strays_at_once:
                    self._strays.append(payment)
                workflow.logger.warning(
                    "payment amount mismatch",
                    extra={"expected": self._total(), "received": payment.amount},
                )
                continue
            self._payment = payment
        if not self._strays_at_once:
            self._inbox.clear()

    async def _confirm(self, held: HeldBooking) -> None:
        assert self._payment is not None
        await self._activity(
            "confirm_booking",
            ConfirmInput(
                booking_id=held.booking_id,
                method=self._req.payment_method,
                provider_payment_id=self._payment.payment_id,
                amount=self._payment.amount,
                confirmed_by_user_id=self._manual_confirmed_by,
            ),
        )
        self._status = BookingStatus.CONFIRMED
        self._phase = "confirmed"
        self._publish()
        context = self._context(held)
        await self._notify_each(
            ("booking_confirmed", held.guest_id), ("owner_new_booking", held.owner_id), context
        )

    async def _auto_cancel(self, held: HeldBooking) -> None:
        await self._activity(
            "release_booking",
            ReleaseInput(
                booking_id=held.booking_id,
                status=BookingStatus.AUTO_CANCELLED,
                cancelled_by=CancelledBy.SYSTEM,
                reason=CancelReason.PAYMENT_TIMEOUT.value,
            ),
        )
        self._status = BookingStatus.AUTO_CANCELLED
        self._phase = "auto_cancelled"
        self._publish()
        context = self._context(held)
        await self._notify_each(
            ("booking_auto_cancelled", held.guest_id),
            ("owner_booking_auto_cancelled", held.owner_id),
            context,
        )

    async def _cancel(self, held: HeldBooking) -> None:
        request = self._cancel_request
        assert request is not None
        now = workflow.now()
        refund = 0
        if self._payment is not None:
            stay = PaidStay(
                total=held.total,
                cleaning_fee=held.cleaning_fee,
                first_night=held.first_night,
                booked_at=self._booked_at,
                check_in_at=held.check_in_at,
            )
            refund = refund_amount(held.cancellation_policy, stay, now, request.by)
        await self._activity(
            "release_booking",
            ReleaseInput(
                booking_id=held.booking_id,
                status=BookingStatus.CANCELLED,
                cancelled_by=request.by,
                reason=request.reason.value,
                comment=request.comment,
                refund_amount=refund,
                payment_id=self._payment.payment_id if self._payment else None,
            ),
        )
        self._status = BookingStatus.CANCELLED
        self._phase = "cancelled"
        self._cancel_result = CancelResult(
            booking_id=held.booking_id,
            status=self._status,
            refund_amount=refund,
            cancelled_by=request.by,
        )
        self._publish()
        context = {**self._context(held), "refund": refund, "reason": request.reason.value}
        guest_event = (
            "booking_cancelled_by_owner"
            if request.by != CancelledBy.GUEST
            else ("booking_cancelled")
        )
        if request.guest_told and request.by == CancelledBy.GUEST:
            await self._notify("owner_booking_cancelled", held.owner_id, context)
        else:
            await self._notify_each(
                (guest_event, held.guest_id), ("owner_booking_cancelled", held.owner_id), context
            )
        if refund > 0 and workflow.patched(REFUND_OUTCOME_PATCH):
            outcome: RefundOutcome = await workflow.execute_activity(
                "refund_booking",
                BookingIdInput(booking_id=held.booking_id),
                result_type=RefundOutcome,
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=EXTERNAL_RETRY,
            )
            if outcome.kaspi_refused:
                await self._notify_each(
                    ("refund_by_owner", held.guest_id),
                    ("owner_refund_by_hand", held.owner_id),
                    context,
                )
            elif outcome.amount > 0:
                await self._notify(
                    "refund_sent", held.guest_id, {**context, "refund": outcome.amount}
                )
        elif refund > 0:
            await self._activity(
                "refund_payment", BookingIdInput(booking_id=held.booking_id), EXTERNAL_RETRY
            )
            await self._notify("refund_sent", held.guest_id, context)

    async def _send_codes(self) -> None:
        self._phase = "sending_codes"
        await self._activity(
            "send_access_codes",
            BookingIdInput(booking_id=self._req.booking_id),
            NOTIFY_RETRY,
            swallow=True,
        )
        self._codes_sent = True
        self._phase = "codes_sent"
        self._set_details()

    async def _complete(self, held: HeldBooking) -> None:
        await self._activity("complete_booking", BookingIdInput(booking_id=held.booking_id))
        self._status = BookingStatus.COMPLETED
        self._phase = "awaiting_review"
        self._publish()
        context = self._context(held)
        await self._notify("review_request", held.guest_id, context)
        end = workflow.now() + self._req.timings.review_window
        reminder_at = workflow.now() + self._req.timings.review_reminder_after
        if not await self._wait_for_review(reminder_at):
            await self._notify("review_reminder", held.guest_id, context)
            await self._wait_for_review(end)
        self._phase = "reviewed" if self._review is not None else "closed"
        self._set_details()

    async def _refund_strays_loop(self) -> None:
        """Runs beside the booking: each stray Kaspi payment goes back as soon as it is known;
        ends once the booking closes with none left."""
        while True:
            await workflow.wait_condition(lambda: bool(self._strays) or self._closing)
            if not self._strays:
                return
            strays, self._strays = self._strays, []
            for payment in strays:
                # Never through Kaspi: an invoice payment is not Kaspi's to refund.
                if payment.source != "manual" and payment.amount > 0:
                    await self._start_refund(payment)

    async def _start_refund(self, payment: PaymentReceived) -> None:
        late = LatePayment(
            booking_id=self._req.booking_id,
            payment_id=payment.payment_id,
            amount=payment.amount,
            property_id=self._req.property_id,
            booking_status=self._status.value,
            source=payment.source,
            stray=True,
        )
        # Started by an activity through the client, not as a child: the refund outlives
        # this workflow, and it is the very run the webhook would start (same id, once).
        await self._activity("start_late_refund", late, EXTERNAL_RETRY)

    # --- helpers --------------------------------------------------------------------------

    async def _wait_until(self, when: datetime, phase: str) -> bool:
        """Sleeps until `when`; True if a cancel request woke it first."""
        self._phase = phase
        while self._cancel_request is None:
            remaining = when - workflow.now()
            if remaining <= timedelta(0):
                return False
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: self._cancel_request is not None, timeout=remaining
                )
        return True

    async def _sleep_until(self, when: datetime) -> None:
        remaining = when - workflow.now()
        if remaining > timedelta(0):
            await workflow.sleep(remaining)

    async def _wait_for_review(self, until: datetime) -> bool:
        remaining = until - workflow.now()
        if remaining > timedelta(0):
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(lambda: self._review is not None, timeout=remaining)
        return self._review is not None

    async def _activity(
        self,
        name: str,
        arg: object,
        retry: RetryPolicy = DB_RETRY,
        *,
        swallow: bool = False,
    ) -> None:
        try:
            await workflow.execute_activity(
                name, arg, start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=retry
            )
        except ActivityError:
            if not swallow:
                raise
            workflow.logger.error("activity gave up", extra={"activity": name})

    async def _notify_each(
        self, guest: tuple[str, int], owner: tuple[str, int], context: Context
    ) -> None:
        """Both messages of one event; together (one workflow task fewer, and the owner
        does not wait on the guest's retries) on code newer than the patch."""
        if workflow.patched(NOTIFY_TOGETHER_PATCH):
            await asyncio.gather(self._notify(*guest, context), self._notify(*owner, context))
        else:
            await self._notify(*guest, context)
            await self._notify(*owner, context)

    async def _notify(self, event: str, user_id: int, context: Context) -> None:
        """A message that cannot be delivered is logged, never a reason to stop the booking."""
        await self._activity(
            "notify",
            NotifyInput(
                event=event,
                user_id=user_id,
                booking_id=self._req.booking_id,
                dedupe_key=f"{workflow.info().workflow_id}:{event}:{user_id}",
                context=context,
            ),
            NOTIFY_RETRY,
            swallow=True,
        )

    def _context(self, held: HeldBooking) -> Context:
        return {
            "booking_id": held.booking_id,
            "property_title": held.property_title,
            "city": held.city,
            "check_in": self._req.check_in.isoformat(),
            "check_out": self._req.check_out.isoformat(),
            "nights": held.nights,
            "total": held.total,
            "payment_method": self._req.payment_method.value,
        }

    def _total(self) -> int:
        return self._held.total if self._held else 0

    def _publish(self) -> None:
        """Search attributes and the UI details line follow every state change."""
        workflow.upsert_search_attributes(
            booking_search_attributes(
                status=self._status.value,
                property_id=self._req.property_id,
                city=self._held.city if self._held else None,
                channel=self._req.channel.value,
                payment_method=self._req.payment_method.value,
                check_in=self._req.check_in,
            )
        )
        self._set_details()

    def _set_details(self) -> None:
        req = self._req
        parts = [
            f"**{self._status.value}** ({self._phase})",
            (
                f"«{self._held.property_title}», {self._held.city} (#{req.property_id})"
                if self._held is not None
                else f"property {req.property_id}"
            ),
            f"{req.check_in.isoformat()} → {req.check_out.isoformat()}",
            f"{req.channel.value}/{req.payment_method.value}",
        ]
        if self._held is not None:
            parts.append(f"total {self._held.total} KZT")
        if self._payment is not None:
            parts.append(f"paid {self._payment.amount} KZT via {self._payment.source}")
        if self._cancel_result is not None:
            parts.append(f"refund {self._cancel_result.refund_amount} KZT")
        workflow.set_current_details(" · ".join(parts))
