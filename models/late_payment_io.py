"""Inputs/outputs of LatePaymentWorkflow: a Kaspi payment for a booking that is closed."""

from __future__ import annotations

from pydantic import BaseModel


class LatePayment(BaseModel):
    """A paid Kaspi payment no booking workflow will apply: it goes back to the guest."""

    booking_id: str
    payment_id: str  # Kaspi's id: the workflow id and the refund's idempotency key
    amount: int  # what Kaspi says was paid, matching the booking total or not
    property_id: int
    booking_status: str  # as the API saw it, for the Temporal UI
    source: str = "webhook"
    # Sent by the booking's own workflow: it never applied this payment, whatever the row says.
    stray: bool = False


class LatePaymentRecord(BaseModel):
    """The Payment row of a late payment, and what the guest's message needs."""

    payment_row_id: int
    amount: int
    guest_id: int
    # The booking was confirmed with this very payment: it is the booking's money, not late.
    applied: bool
    context: dict[str, str | int | float | bool | None]


class LateRefundInput(BaseModel):
    payment_row_id: int


class LateRefundResult(BaseModel):
    amount: int
    provider_refund_id: str | None = None
    # Always True now (one Refund row per payment); False in results recorded when Refund
    # rows were one per booking. Kept so those results still load.
    refund_row: bool = True


class LatePaymentResult(BaseModel):
    status: str  # "refunded" | "applied"
    refunded: int = 0
    provider_refund_id: str | None = None
