"""Inputs and outputs of the daily owner nudges (plain pydantic, safe in workflows)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class NudgeScanInput(BaseModel):
    # The workflow's clock, so a replayed or re-run scan judges the same day.
    now: datetime


class Nudge(BaseModel):
    event: str
    owner_id: int
    property_id: int
    # The owner's day (Asia/Almaty) the nudge belongs to: one message per event, property, day.
    day: date
    context: dict[str, str | int | float | bool | None] = Field(default_factory=dict)

    @property
    def dedupe_key(self) -> str:
        return f"nudge:{self.event}:{self.property_id}:{self.day.isoformat()}"


class NudgeRunResult(BaseModel):
    found: int = 0
    # Delivery status -> count ("sent", "skipped", "failed", ...).
    statuses: dict[str, int] = Field(default_factory=dict)
