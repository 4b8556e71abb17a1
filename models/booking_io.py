"""Workflow and activity inputs/outputs: small pydantic models, never table objects."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import BaseModel, Field

from models.enums import (
    BookingStatus,
    CancellationPolicy,
    CancelledBy,
    CancelReason,
    Channel,
    PaymentMethod,
)


class GuestContact(BaseModel):
    """Who books: `user_id` is the identity a messenger proved (set by the bots only);
    `telegram_id` / `whatsapp_phone` are messenger identities a staff-authenticated API caller
    vouches for; with none of them the booking gets a guest of its own. `phone` is only the
    stay's contact number."""

    name: str
    phone: str
    user_id: int | None = None
    telegram_id: int | None = None
    whatsapp_phone: str | None = None
    language: str | None = None


class BookingTimings(BaseModel):
    """Settings frozen into the workflow input, so the workflow never reads the environment."""

    kaspi_payment_timeout: timedelta
    manual_payment_timeout: timedelta
    kaspi_poll_interval: timedelta
    # Kaspi QR: the status poll's heartbeat; a worker silent longer is presumed dead.
    kaspi_watch_heartbeat: timedelta = timedelta(seconds=30)
    codes_lead_time: timedelta
    review_reminder_after: timedelta
    review_window: timedelta
    # How far ahead a check-in may be (BOOKING_HORIZON_DAYS); the hold refuses beyond it.
    # None in histories from before the horizon existed.
    booking_horizon_days: int | None = None


class BookingRequest(BaseModel):
    booking_id: str
    property_id: int
    check_in: date
    check_out: date
    guests: int
    guest: GuestContact
    channel: Channel
    payment_method: PaymentMethod
    timings: BookingTimings
    # «title», city: for the Temporal UI's summary only (the workflow reads the database's).
    apartment: str = ""
    # Kaspi QR: an invoice pushed to the guest's Kaspi app by phone instead of a link.
    kaspi_invoice: bool = False


class HoldInput(BaseModel):
    request: BookingRequest
    expires_at: datetime


class HeldBooking(BaseModel):
    """What the hold activity wrote; everything the workflow needs later."""

    booking_id: str
    guest_id: int
    owner_id: int
    property_id: int
    property_title: str
    city: str
    nights: int
    total: int
    cleaning_fee: int
    first_night: int
    cancellation_policy: CancellationPolicy
    check_in_at: datetime
    check_out_at: datetime
    created_at: datetime


class HoldOutcome(BaseModel):
    held: HeldBooking | None = None
    # "dates_unavailable" | "invalid" when nothing was written.
    error: str | None = None
    detail: str | None = None


class PaymentInstructions(BaseModel):
    method: PaymentMethod
    amount: int
    reference: str
    payment_url: str | None = None
    kaspi_payment_id: str | None = None
    # "qr": the workflow polls Kaspi; "gateway": a signed webhook reports the payment.
    kaspi_mode: str | None = None
    kaspi_invoice: bool = False  # sent to the guest's Kaspi app, no link
    poll_interval_seconds: float | None = None  # Kaspi's StatusPollingInterval
    link_expires_at: datetime | None = None
    # The link's lifetime when it was made: the workflow counts it down on its own clock,
    # which need not agree with Kaspi's (or ours) - ExpireDate is only shown to the guest.
    link_valid_seconds: float | None = None
    recipient: str | None = None
    bank: str | None = None
    iban: str | None = None
    bin: str | None = None
    note: str | None = None


class StartPaymentInput(BaseModel):
    booking_id: str
    method: PaymentMethod
    amount: int
    phone: str
    kaspi_invoice: bool = False
    comment: str = ""  # names the apartment and the dates on a Kaspi invoice


class KaspiWatchInput(BaseModel):
    """Poll one Kaspi QR payment until it is paid, fails, or `until` (the hold's end)."""

    booking_id: str
    kaspi_payment_id: str
    poll_interval_seconds: float
    until: datetime


class KaspiWatchOutcome(BaseModel):
    outcome: str  # "paid" | "failed" | "hold_ended"
    amount: int | None = None
    kaspi_status: str = ""
    polls: int = 0


class RenewLinkRequest(BaseModel):
    """Update: the guest asks for a new Kaspi link (the old one failed or expired)."""

    asked_by: str = "guest"


class RenewPaymentInput(BaseModel):
    booking_id: str
    amount: int
    old_kaspi_payment_id: str | None
    kaspi_invoice: bool = False


class HoldResult(BaseModel):
    """The answer of the `hold` update: what a bot or API caller shows the guest."""

    booking_id: str
    status: BookingStatus
    total: int | None = None
    payment: PaymentInstructions | None = None
    expires_at: datetime | None = None
    error: str | None = None
    detail: str | None = None


class PaymentReceived(BaseModel):
    """Signal: a payment reported by the Kaspi webhook or found by the status poll."""

    payment_id: str
    amount: int
    source: str = "webhook"


class KaspiStatusInput(BaseModel):
    kaspi_payment_id: str


class KaspiStatus(BaseModel):
    status: str
    amount: int | None = None
    payment_id: str | None = None


class ManualPaymentConfirmation(BaseModel):
    confirmed_by_user_id: int
    amount: int | None = None


class ConfirmInput(BaseModel):
    booking_id: str
    method: PaymentMethod
    provider_payment_id: str
    amount: int
    confirmed_by_user_id: int | None = None


class CancelRequest(BaseModel):
    reason: CancelReason
    comment: str | None = Field(default=None, max_length=500)
    by: CancelledBy = CancelledBy.GUEST
    by_user_id: int | None = None
    # The guest cancelled in a chat whose reply already told them: no second notice.
    guest_told: bool = False


class CancelResult(BaseModel):
    booking_id: str
    status: BookingStatus
    refund_amount: int
    cancelled_by: CancelledBy


class ReleaseInput(BaseModel):
    booking_id: str
    status: BookingStatus
    cancelled_by: CancelledBy
    reason: str
    comment: str | None = None
    refund_amount: int = 0
    payment_id: str | None = None


class ReviewSubmission(BaseModel):
    rating: int = Field(ge=1, le=5)
    text: str = Field(default="", max_length=4000)
    photo_urls: list[str] = Field(default_factory=list, max_length=10)


class ReviewInput(BaseModel):
    booking_id: str
    review: ReviewSubmission


class NotifyInput(BaseModel):
    event: str
    user_id: int
    booking_id: str | None = None
    # Stable key so a retried activity never sends twice.
    dedupe_key: str
    context: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


class BookingIdInput(BaseModel):
    booking_id: str


class RefundOutcome(BaseModel):
    amount: int
    # Kaspi would not return this part of a Kaspi payment (-99000020): the owner pays it back
    # by hand and the guest is told so, instead of "refund sent".
    kaspi_refused: bool = False


class BookingState(BaseModel):
    """The `status` query: the workflow's view of the booking."""

    booking_id: str
    status: BookingStatus
    phase: str
    total: int | None = None
    paid_amount: int = 0
    payment_id: str | None = None
    # Where the confirming payment came from: "webhook", "poll" or "manual".
    payment_source: str | None = None
    refund_amount: int | None = None
    cancelled_by: CancelledBy | None = None
    cancel_reason: str | None = None
    expires_at: datetime | None = None
    codes_sent: bool = False
    reviewed: bool = False
    rejected_payments: int = 0
    # Kaspi QR: the link or invoice being watched, and whether it failed (a new one is offered).
    kaspi_payment_id: str | None = None
    payment_url: str | None = None
    kaspi_link_failed: bool = False
