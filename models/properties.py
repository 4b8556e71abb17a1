"""Apartments, their photos, price history, calendar nights and external calendars."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from models.base import created_at_field, enum_field, timestamp_field
from models.enums import CalendarBlockKind, CancellationPolicy, PropertyClass, PropertyStatus


class Property(SQLModel, table=True):
    __table_args__ = (
        sa.CheckConstraint("price_per_night > 0", name="price_positive"),
        sa.CheckConstraint("cleaning_fee >= 0", name="cleaning_fee_not_negative"),
        sa.CheckConstraint("min_nights >= 1 AND max_nights >= min_nights", name="nights_range"),
        sa.CheckConstraint("rooms >= 1", name="rooms_positive"),
        sa.Index("ix_property_search", "city", "district", "property_class", "rooms"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="app_user.id", index=True)
    title: str = Field(max_length=200)
    city: str = Field(max_length=60)
    district: str = Field(max_length=100)
    property_class: PropertyClass = enum_field()
    rooms: int
    area_m2: float | None = None
    address: str = Field(default="", max_length=300)
    description: str = Field(default="", sa_type=sa.Text)
    max_guests: int = 2
    # Whole tenge; KZT has no minor unit in practice.
    price_per_night: int
    cleaning_fee: int = 0
    min_nights: int = 1
    max_nights: int = 30
    # Weekend price, seasons, holiday dates, stay discounts, extra guests: the owner's
    # models.pricing.PricingRules as JSON ({} = the base price every night).
    pricing: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSONB, sa_column_kwargs={"server_default": sa.text("'{}'")}
    )
    check_in_time: time = Field(default=time(14, 0))
    check_out_time: time = Field(default=time(12, 0))
    cancellation_policy: CancellationPolicy = enum_field(CancellationPolicy.FLEXIBLE)
    status: PropertyStatus = enum_field(PropertyStatus.FREE)
    is_active: bool = True
    # Fernet tokens; the plain codes exist only inside the send-codes activity.
    key_safe_code_enc: str | None = Field(default=None, sa_type=sa.Text)
    smart_lock_code_enc: str | None = Field(default=None, sa_type=sa.Text)
    checkin_instructions: str = Field(default="", sa_type=sa.Text)
    ical_token: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    updated_at: datetime | None = timestamp_field()
    price_updated_at: datetime | None = timestamp_field()
    photos_updated_at: datetime | None = timestamp_field()


class PropertyPhoto(SQLModel, table=True):
    __tablename__ = "property_photo"
    id: int | None = Field(default=None, primary_key=True)
    property_id: int = Field(foreign_key="property.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=500)
    thumbnail_url: str | None = Field(default=None, max_length=500)
    telegram_file_id: str | None = Field(default=None, max_length=200)
    position: int = 0
    created_at: datetime = created_at_field()


class PriceHistory(SQLModel, table=True):
    """Written by a database trigger whenever property.price_per_night or its pricing rules
    change; `rules` is the rules as they were set by that change."""

    __tablename__ = "price_history"
    id: int | None = Field(default=None, primary_key=True)
    property_id: int = Field(foreign_key="property.id", index=True, ondelete="CASCADE")
    old_price: int | None = None
    new_price: int
    rules: dict[str, Any] | None = Field(default=None, sa_type=JSONB)
    changed_at: datetime = created_at_field()


class ExternalCalendar(SQLModel, table=True):
    __tablename__ = "external_calendar"
    id: int | None = Field(default=None, primary_key=True)
    property_id: int = Field(foreign_key="property.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    url: str = Field(max_length=1000)
    last_synced_at: datetime | None = timestamp_field()
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = created_at_field()


class CalendarNight(SQLModel, table=True):
    """One row per blocked night; the UNIQUE key makes double booking impossible."""

    __tablename__ = "calendar_night"
    __table_args__ = (
        sa.UniqueConstraint("property_id", "night", name="uq_calendar_night_property_night"),
        sa.CheckConstraint(
            "(kind IN ('booking', 'turnover')) = (booking_id IS NOT NULL)",
            name="booking_kind_has_booking",
        ),
        sa.Index("ix_calendar_night_night", "night"),
        # Analytics: owner/iCal blocks of a period (a tenth of the rows) without a full scan.
        sa.Index("ix_calendar_night_kind_night", "kind", "night", "property_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    property_id: int = Field(foreign_key="property.id", ondelete="CASCADE")
    night: date
    kind: CalendarBlockKind = enum_field()
    booking_id: str | None = Field(
        default=None, foreign_key="booking.id", index=True, max_length=16, ondelete="CASCADE"
    )
    external_calendar_id: int | None = Field(
        default=None, foreign_key="external_calendar.id", ondelete="CASCADE"
    )
    external_uid: str | None = Field(default=None, max_length=500)
    note: str = Field(default="", max_length=200)
    created_at: datetime = created_at_field()


class Favourite(SQLModel, table=True):
    user_id: int = Field(foreign_key="app_user.id", primary_key=True, ondelete="CASCADE")
    property_id: int = Field(foreign_key="property.id", primary_key=True, ondelete="CASCADE")
    created_at: datetime = created_at_field()
