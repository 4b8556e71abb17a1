"""Request and response bodies of the REST API (strict: unknown fields are refused)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from models.booking_io import PaymentInstructions
from models.enums import CancelReason, Channel, PaymentMethod
from services.phones import InvalidPhone, normalize_phone


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GuestIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    # The stay's contact number: it opens no account and changes nobody's profile.
    phone: str = Field(min_length=5, max_length=32)
    # Messenger identities the booking's notices go to: staff API tokens only (403 else).
    telegram_id: int | None = Field(default=None, gt=0, lt=2**63)
    whatsapp_phone: str | None = Field(default=None, max_length=32)

    @field_validator("phone", "whatsapp_phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return normalize_phone(value)
        except InvalidPhone as exc:
            raise ValueError(str(exc)) from exc


class BookingCreate(Strict):
    property_id: int = Field(gt=0, lt=2**31)
    check_in: date
    check_out: date
    guests: int = Field(default=1, ge=1, le=20)
    guest: GuestIn
    channel: Channel = Channel.API
    payment_method: PaymentMethod = PaymentMethod.KASPI
    # Kaspi QR: push an invoice to the guest's Kaspi app (by guest.phone) instead of a link.
    kaspi_invoice: bool = False

    @model_validator(mode="after")
    def _dates(self) -> BookingCreate:
        if self.check_out <= self.check_in:
            raise ValueError("check_out must be after check_in")
        if self.kaspi_invoice and self.payment_method != PaymentMethod.KASPI:
            raise ValueError("kaspi_invoice needs payment_method kaspi")
        return self


class BookingCreated(BaseModel):
    booking_id: str
    # The guest's secret for this booking: send it as `X-Guest-Token` to cancel.
    guest_token: str
    status: str
    total: int
    payment: PaymentInstructions
    expires_at: datetime


class CancelIn(Strict):
    reason: CancelReason
    comment: str | None = Field(default=None, max_length=500)


class ManualPaymentIn(Strict):
    amount: int | None = Field(default=None, gt=0)


class KaspiWebhookIn(BaseModel):
    payment_id: str = Field(min_length=1, max_length=100)
    booking_id: str = Field(min_length=1, max_length=16)
    amount: int = Field(ge=0)
    status: Literal["paid", "pending", "expired", "refunded", "failed"]


class BookingOut(BaseModel):
    booking_id: str
    status: str
    property_id: int
    check_in: date
    check_out: date
    nights: int
    guests: int
    total: int
    channel: str
    payment_method: str
    cancellation_policy: str
    expires_at: datetime | None
    created_at: datetime
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    cancelled_by: str | None
    cancel_reason: str | None
    refund_amount: int | None
    workflow: dict[str, object] | None
