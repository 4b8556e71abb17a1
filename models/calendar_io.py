"""Inputs and outputs of the owner calendar workflow (plain pydantic, safe in workflows)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field


class CalendarAction(StrEnum):
    BLOCK = "block"
    UNBLOCK = "unblock"


class CalendarChange(BaseModel):
    property_id: int
    action: CalendarAction
    nights: list[date] = Field(min_length=1, max_length=366)
    by_user_id: int
    note: str = Field(default="", max_length=200)


class CalendarChangeResult(BaseModel):
    property_id: int
    action: CalendarAction
    # Nights whose state the change made: now blocked (block) or now free (unblock).
    changed: list[date] = Field(default_factory=list)
    # Nights held by a booking or an external calendar: reported, never overwritten.
    conflicting: list[date] = Field(default_factory=list)
    # Nights that were already as asked (already blocked by the owner, or already free).
    unchanged: list[date] = Field(default_factory=list)
