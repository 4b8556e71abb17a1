"""Notification templates (event x channel x language) and the delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, enum_field, timestamp_field
from models.enums import DeliveryStatus, Language


class NotificationTemplate(SQLModel, table=True):
    __tablename__ = "notification_template"
    __table_args__ = (
        sa.UniqueConstraint(
            "event", "channel", "language", name="uq_notification_template_event_channel_lang"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    event: str = Field(max_length=64)
    channel: str = Field(max_length=16)
    language: Language = enum_field()
    body: str = Field(sa_type=sa.Text)
    updated_at: datetime = created_at_field()


class NotificationDelivery(SQLModel, table=True):
    """One row per message we intend to send; retries update the same row."""

    __tablename__ = "notification_delivery"

    id: int | None = Field(default=None, primary_key=True)
    # Stable per (workflow, event, recipient): a retried activity never sends twice.
    dedupe_key: str = Field(max_length=200, unique=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    booking_id: str | None = Field(
        default=None, foreign_key="booking.id", max_length=16, index=True
    )
    event: str = Field(max_length=64)
    channel: str = Field(max_length=16)
    language: Language = enum_field(Language.RU)
    status: DeliveryStatus = enum_field(DeliveryStatus.PENDING)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=1000)
    external_id: str | None = Field(default=None, max_length=200, index=True)
    # Safe, JSON-able context only (no access codes, no tokens).
    context: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = timestamp_field()
