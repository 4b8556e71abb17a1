"""Owner blocks of the calendar, as the bots see them: read here, changed through
OwnerCalendarWorkflow (its activity is the only writer of owner nights)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from temporalio.client import Client

from models import CalendarNight, User
from models.calendar_io import CalendarAction, CalendarChange, CalendarChangeResult
from services.booking_client import BookingClient
from services.owner import require_property
from workflows.calendar import OwnerCalendarWorkflow

MAX_NIGHTS = 90


def night_range(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


async def calendar_nights(
    session: AsyncSession, actor: User, property_id: int, *, first: date, days: int
) -> dict[date, str]:
    """Who holds each night of the window (booking, owner, ical); free nights are absent."""
    await require_property(session, actor, property_id)
    rows = await session.execute(
        select(col(CalendarNight.night), col(CalendarNight.kind)).where(
            col(CalendarNight.property_id) == property_id,
            col(CalendarNight.night) >= first,
            col(CalendarNight.night) < first + timedelta(days=days),
        )
    )
    return {night: kind for night, kind in rows.all()}


class CalendarClient:
    def __init__(self, client: Client, *, task_queue: str) -> None:
        self._client = client
        self._task_queue = task_queue

    @classmethod
    def alongside(cls, bookings: BookingClient) -> CalendarClient:
        """Same connection and task queue as the booking workflows."""
        return cls(bookings.temporal, task_queue=bookings.task_queue)

    async def change(
        self,
        session: AsyncSession,
        actor: User,
        property_id: int,
        action: CalendarAction,
        nights: list[date],
    ) -> CalendarChangeResult:
        """Blocks or unblocks nights of an apartment the actor manages; waits for the answer."""
        if not 1 <= len(nights) <= MAX_NIGHTS:
            raise ValueError(f"between 1 and {MAX_NIGHTS} nights at a time")
        await require_property(session, actor, property_id)
        change = CalendarChange(
            property_id=property_id, action=action, nights=nights, by_user_id=actor.id or 0
        )
        return await self._client.execute_workflow(
            OwnerCalendarWorkflow.run,
            change,
            id=f"owner-calendar-{property_id}-{uuid4().hex[:12]}",
            task_queue=self._task_queue,
            static_summary=f"{action.value} {len(nights)} night(s) · property {property_id}",
            execution_timeout=timedelta(minutes=5),
        )
