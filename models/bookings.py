"""Bookings, their payments, refunds and reviews."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, enum_field, timestamp_field
from models.enums import (
    BookingStatus,
    CancellationPolicy,
    CancelledBy,
    Channel,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
)


class Booking(SQLModel, table=True):
    __table_args__ = (
        sa.CheckConstraint("check_out > check_in", name="dates_order"),
        sa.CheckConstraint("total >= 0", name="total_not_negative"),
        sa.Index("ix_booking_property_status", "property_id", "status"),
        # Analytics of one owner's apartments: their bookings of a period, per apartment.
        sa.Index("ix_booking_property_check_in", "property_id", "check_in"),
    )

    # Short random id chosen by the client before the workflow starts (`booking-<id>`).
    id: str = Field(primary_key=True, max_length=16)
    property_id: int = Field(foreign_key="property.id")
    guest_id: int = Field(foreign_key="app_user.id", index=True)
    # The number the guest gave for this stay (typed or shared): contact only, never identity.
    contact_phone: str | None = Field(default=None, max_length=20)
    # Analytics select bookings by check-in day.
    check_in: date = Field(index=True)
    check_out: date
    nights: int
    guests: int = 1
    price_per_night: int
    cleaning_fee: int
    total: int
    status: BookingStatus = enum_field(BookingStatus.PENDING_PAYMENT, index=True)
    channel: Channel = enum_field()
    payment_method: PaymentMethod = enum_field()
    cancellation_policy: CancellationPolicy = enum_field()
    expires_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()
    confirmed_at: datetime | None = timestamp_field()
    cancelled_at: datetime | None = timestamp_field()
    cancelled_by: CancelledBy | None = Field(default=None, sa_type=sa.String(32))
    cancel_reason: str | None = Field(default=None, max_length=32)
    cancel_comment: str | None = Field(default=None, max_length=500)
    refund_amount: int | None = None
    codes_sent_at: datetime | None = timestamp_field()
    completed_at: datetime | None = timestamp_field()


class Payment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    booking_id: str = Field(foreign_key="booking.id", index=True, max_length=16)
    method: PaymentMethod = enum_field()
    # Kaspi's payment id, or `manual-<booking id>`: the idempotency key of a confirmation.
    provider_payment_id: str = Field(max_length=100, unique=True)
    amount: int
    status: PaymentStatus = enum_field(PaymentStatus.PAID)
    confirmed_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    paid_at: datetime = created_at_field()


class Refund(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    booking_id: str = Field(foreign_key="booking.id", max_length=16, index=True)
    # One refund per payment: a booking may refund a stray payment and later its own.
    payment_id: int = Field(foreign_key="payment.id", unique=True)
    amount: int
    provider_refund_id: str | None = Field(default=None, max_length=100, unique=True)
    status: RefundStatus = enum_field(RefundStatus.SENT)
    created_at: datetime = created_at_field()


class Review(SQLModel, table=True):
    __table_args__ = (sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: int | None = Field(default=None, primary_key=True)
    booking_id: str = Field(foreign_key="booking.id", max_length=16, unique=True)
    property_id: int = Field(foreign_key="property.id", index=True)
    guest_id: int = Field(foreign_key="app_user.id")
    rating: int
    text: str = Field(default="", sa_type=sa.Text)
    photo_urls: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    created_at: datetime = created_at_field()
    # Owners answer in public; they never edit the guest's words.
    owner_reply: str | None = Field(default=None, sa_type=sa.Text)
    owner_reply_at: datetime | None = timestamp_field()
    # Only staff remove a review, and the reason stays (the row is kept, hidden).
    deleted_at: datetime | None = timestamp_field()
    deleted_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    deletion_reason: str | None = Field(default=None, max_length=500)
