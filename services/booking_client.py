"""The one place that starts, updates and signals booking workflows (bots and API share it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from core.settings import Settings
from models.booking_io import (
    BookingRequest,
    BookingState,
    BookingTimings,
    CancelRequest,
    CancelResult,
    GuestContact,
    HoldResult,
    ManualPaymentConfirmation,
    PaymentInstructions,
    PaymentReceived,
    RenewLinkRequest,
    ReviewSubmission,
)
from models.enums import Channel, PaymentMethod
from models.late_payment_io import LatePayment
from services.booking_ids import new_booking_id
from workflows.booking import BookingWorkflow
from workflows.late_payment import LatePaymentWorkflow
from workflows.late_payment import workflow_id as late_payment_workflow_id
from workflows.search_attributes import PAYMENT_METHOD, PROPERTY_ID, initial_search_attributes


class BookingNotFound(LookupError):
    pass


class BookingRefused(ValueError):
    """The workflow's validator refused the request; the message says why."""


def workflow_id(booking_id: str) -> str:
    return f"booking-{booking_id}"


def timings_from(settings: Settings) -> BookingTimings:
    return BookingTimings(
        kaspi_payment_timeout=settings.kaspi_payment_timeout,
        manual_payment_timeout=settings.manual_payment_timeout,
        kaspi_poll_interval=settings.kaspi_poll_interval,
        kaspi_watch_heartbeat=settings.kaspi_watch_heartbeat_timeout,
        codes_lead_time=settings.codes_lead_time,
        review_reminder_after=settings.review_reminder_after,
        review_window=settings.review_window,
        booking_horizon_days=settings.booking_horizon_days,
    )


class BookingClient:
    def __init__(self, client: Client, *, task_queue: str, timings: BookingTimings) -> None:
        self._client = client
        self._task_queue = task_queue
        self._timings = timings

    @property
    def temporal(self) -> Client:
        """The connection, shared by the other workflow clients (e.g. the calendar's)."""
        return self._client

    @property
    def task_queue(self) -> str:
        return self._task_queue

    async def hold(self, req: BookingRequest) -> HoldResult:
        """Starts the booking workflow and waits for its hold answer (update-with-start)."""
        start = WithStartWorkflowOperation(
            BookingWorkflow.run,
            req,
            id=workflow_id(req.booking_id),
            task_queue=self._task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            static_summary=(
                f"Booking {req.booking_id} · {req.apartment or 'property'} "
                f"(#{req.property_id}) · {req.check_in.isoformat()} → {req.check_out.isoformat()}"
            ),
            search_attributes=TypedSearchAttributes(
                initial_search_attributes(
                    property_id=req.property_id,
                    channel=req.channel.value,
                    payment_method=req.payment_method.value,
                    check_in=req.check_in,
                )
            ),
        )
        return await self._client.execute_update_with_start_workflow(
            BookingWorkflow.hold, start_workflow_operation=start
        )

    def new_request(
        self,
        *,
        property_id: int,
        check_in: date,
        check_out: date,
        guests: int,
        guest: GuestContact,
        channel: Channel,
        payment_method: PaymentMethod,
        booking_id: str | None = None,
        apartment: str = "",
        kaspi_invoice: bool = False,
    ) -> BookingRequest:
        """`booking_id` is the one a retry must reuse (kept by the caller); random when new."""
        return BookingRequest(
            booking_id=booking_id or new_booking_id(),
            property_id=property_id,
            check_in=check_in,
            check_out=check_out,
            guests=guests,
            guest=guest,
            channel=channel,
            payment_method=payment_method,
            timings=self._timings,
            apartment=apartment,
            kaspi_invoice=kaspi_invoice and payment_method == PaymentMethod.KASPI,
        )

    async def cancel(self, booking_id: str, request: CancelRequest) -> CancelResult:
        result: CancelResult = await self._update(booking_id, BookingWorkflow.cancel, request)
        return result

    async def renew_payment_link(self, booking_id: str) -> PaymentInstructions:
        """A fresh Kaspi link (or invoice) for a booking whose link failed or expired."""
        result: PaymentInstructions = await self._update(
            booking_id, BookingWorkflow.renew_payment_link, RenewLinkRequest()
        )
        return result

    async def confirm_manual_payment(
        self, booking_id: str, confirmation: ManualPaymentConfirmation
    ) -> BookingState:
        state: BookingState = await self._update(
            booking_id, BookingWorkflow.confirm_manual_payment, confirmation
        )
        return state

    async def submit_review(self, booking_id: str, review: ReviewSubmission) -> BookingState:
        state: BookingState = await self._update(booking_id, BookingWorkflow.submit_review, review)
        return state

    async def report_payment(self, booking_id: str, payment: PaymentReceived) -> None:
        try:
            await self._handle(booking_id).signal(BookingWorkflow.payment_received, payment)
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                raise BookingNotFound(booking_id) from exc
            raise

    async def refund_late_payment(self, payment: LatePayment) -> bool:
        """Starts the automatic refund of a payment for a closed booking; False when this
        Kaspi payment's refund was started before (running or finished): never twice."""
        try:
            await self._client.start_workflow(
                LatePaymentWorkflow.run,
                payment,
                id=late_payment_workflow_id(payment.payment_id),
                task_queue=self._task_queue,
                # One run per Kaspi payment, ever: a duplicate start fails (running or not).
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
                static_summary=(
                    f"Late Kaspi payment {payment.payment_id} · booking {payment.booking_id} "
                    f"({payment.booking_status}) · {payment.amount} KZT → automatic refund"
                ),
                static_details=(
                    "The payment arrived after its booking was closed; no booking workflow "
                    "will apply it, so all of it goes back to the guest through Kaspi."
                ),
                search_attributes=TypedSearchAttributes(
                    [
                        SearchAttributePair(PROPERTY_ID, payment.property_id),
                        SearchAttributePair(PAYMENT_METHOD, PaymentMethod.KASPI.value),
                    ]
                ),
            )
        except WorkflowAlreadyStartedError:
            return False
        return True

    async def state(self, booking_id: str) -> BookingState | None:
        """The workflow's own view, or None when it has no workflow (or it is gone)."""
        try:
            return await self._handle(booking_id).query(BookingWorkflow.status)
        except RPCError as exc:
            if exc.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
                return None
            raise

    def _handle(self, booking_id: str) -> WorkflowHandle[BookingWorkflow, BookingState]:
        return self._client.get_workflow_handle_for(BookingWorkflow.run, workflow_id(booking_id))

    async def _update(self, booking_id: str, update: Any, arg: Any) -> Any:
        try:
            return await self._handle(booking_id).execute_update(update, arg)
        except WorkflowUpdateFailedError as exc:
            cause = exc.cause
            message = cause.message if isinstance(cause, ApplicationError) else str(cause)
            raise BookingRefused(message) from exc
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                if await self._exists(booking_id):
                    # Updates to a finished workflow answer NOT_FOUND too: the booking is
                    # there, its life is over (completed, cancelled, reviewed).
                    raise BookingRefused("booking is closed") from exc
                raise BookingNotFound(booking_id) from exc
            raise

    async def _exists(self, booking_id: str) -> bool:
        try:
            await self._handle(booking_id).describe()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return False
            raise
        return True
