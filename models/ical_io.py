"""Inputs and outputs of the iCal import workflow (plain pydantic, safe in workflows)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class ExternalCalendarInput(BaseModel):
    external_calendar_id: int


class ICalConflict(BaseModel):
    """External nights that fall on a confirmed booking: the booking keeps them."""

    booking_id: str
    uid: str
    nights: list[date]


class ICalImportResult(BaseModel):
    external_calendar_id: int
    property_id: int
    owner_id: int
    property_title: str = ""
    calendar_name: str = ""
    added: int = 0
    removed: int = 0
    # Nights the feed asks for that a booking or an owner block already holds.
    skipped: int = 0
    conflicts: list[ICalConflict] = Field(default_factory=list)
    # Set when the feed could not be fetched or parsed; the nights are left as they were.
    error: str | None = None
