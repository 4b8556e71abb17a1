"""LatePaymentWorkflow: a Kaspi payment for a closed booking goes back to the guest.

Started by the webhook (services/booking_client.py) as `late-payment-<Kaspi payment id>`, so
Kaspi's retries start it at most once. Record the payment, refund it in full through Kaspi
(retried with backoff until Kaspi takes it), tell the guest. Deterministic: activities are
referenced by name.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from core.money import kzt
    from models.booking_io import NotifyInput
    from models.late_payment_io import (
        LatePayment,
        LatePaymentRecord,
        LatePaymentResult,
        LateRefundInput,
        LateRefundResult,
    )

# The booking was cancelled before the money came; otherwise the payment simply did not fit
# a live or finished booking (a wrong amount, a second payment).
LATE_EVENT = "late_payment_refunded"
STRAY_EVENT = "stray_payment_refunded"
CANCELLED = frozenset({"auto_cancelled", "cancelled"})


def notice_event(booking_status: str) -> str:
    return LATE_EVENT if booking_status in CANCELLED else STRAY_EVENT


DB_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30)
)
# No attempt limit: the guest's money must go back. A refund Kaspi keeps refusing stays a
# pending activity in the Temporal UI, with its attempt count and last error, for ops.
REFUND_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=10),
)
NOTIFY_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    maximum_interval=timedelta(minutes=5),
    maximum_attempts=8,
)
ACTIVITY_TIMEOUT = timedelta(seconds=30)


def workflow_id(payment_id: str) -> str:
    return f"late-payment-{payment_id}"


@workflow.defn
class LatePaymentWorkflow:
    @workflow.run
    async def run(self, payment: LatePayment) -> LatePaymentResult:
        self._details(payment, "recording the payment")
        record: LatePaymentRecord = await workflow.execute_activity(
            "record_late_payment",
            payment,
            result_type=LatePaymentRecord,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=DB_RETRY,
            summary=f"Payment row for {payment.payment_id}",
        )
        if record.applied:
            # A race with the booking's own confirmation: this money paid for the stay.
            workflow.logger.warning("late payment was applied to its booking; no refund")
            self._details(payment, "applied to the booking, nothing to refund")
            return LatePaymentResult(status="applied")
        self._details(payment, f"refunding {kzt(record.amount)} through Kaspi")
        refund: LateRefundResult = await workflow.execute_activity(
            "refund_late_payment",
            LateRefundInput(payment_row_id=record.payment_row_id),
            result_type=LateRefundResult,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=REFUND_RETRY,
            summary=f"Kaspi refund of {kzt(record.amount)}",
        )
        self._details(payment, f"refunded {kzt(refund.amount)}, telling the guest")
        await self._notify(record, notice_event(payment.booking_status))
        self._details(payment, f"refunded {kzt(refund.amount)}")
        return LatePaymentResult(
            status="refunded", refunded=refund.amount, provider_refund_id=refund.provider_refund_id
        )

    async def _notify(self, record: LatePaymentRecord, event: str) -> None:
        """An undelivered message is in the delivery log; the refund itself is done."""
        try:
            await workflow.execute_activity(
                "notify",
                NotifyInput(
                    event=event,
                    user_id=record.guest_id,
                    booking_id=str(record.context["booking_id"]),
                    dedupe_key=f"{workflow.info().workflow_id}:{event}:{record.guest_id}",
                    context=record.context,
                ),
                start_to_close_timeout=ACTIVITY_TIMEOUT,
                retry_policy=NOTIFY_RETRY,
            )
        except ActivityError:
            workflow.logger.error("late payment refund notice not delivered")

    def _details(self, payment: LatePayment, step: str) -> None:
        workflow.set_current_details(
            f"**{step}** · booking {payment.booking_id} ({payment.booking_status}) · "
            f"Kaspi payment {payment.payment_id} · paid {kzt(payment.amount)} via {payment.source}"
        )
