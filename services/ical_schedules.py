"""The iCal import Schedules: one per external calendar, every `ical_import_interval`.

Ensured at worker start-up (running it again changes nothing but the interval); the web
admin ensures or drops one at once when an owner adds, edits or deletes a feed.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
)
from temporalio.service import RPCError, RPCStatusCode

from core.db import create_engine, create_session_factory
from core.logging import get_logger
from core.settings import Settings
from models import ExternalCalendar
from models.ical_io import ExternalCalendarInput
from services.schedules import upsert_schedule
from workflows.ical import ICalImportWorkflow

log = get_logger(__name__)


def ical_schedule_id(external_calendar_id: int) -> str:
    return f"ical-import-{external_calendar_id}"


def ical_schedule(external_calendar_id: int, *, task_queue: str, every: timedelta) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            ICalImportWorkflow.run,
            ExternalCalendarInput(external_calendar_id=external_calendar_id),
            id=ical_schedule_id(external_calendar_id),
            task_queue=task_queue,
        ),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=every)]),
        # A slow feed never piles up imports of the same calendar.
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


async def ensure_ical_schedules(client: Client, settings: Settings) -> list[str]:
    """Reads the external calendars, then ensures their schedules (see below)."""
    engine = create_engine(settings.database_url, pre_ping=False)
    try:
        async with create_session_factory(engine)() as session:
            ids = list((await session.scalars(select(col(ExternalCalendar.id)))).all())
    finally:
        await engine.dispose()
    return await ensure_ical_schedules_for(
        client,
        [i for i in ids if i is not None],
        task_queue=settings.temporal_task_queue,
        every=settings.ical_import_interval,
    )


async def ensure_ical_schedules_for(
    client: Client, ids: list[int], *, task_queue: str, every: timedelta
) -> list[str]:
    """One schedule per external calendar, created if missing, else brought up to date."""
    ensured: list[str] = []
    for calendar_id in ids:
        schedule = ical_schedule(calendar_id, task_queue=task_queue, every=every)
        schedule_id = ical_schedule_id(calendar_id)
        await upsert_schedule(client, schedule_id, schedule)
        ensured.append(schedule_id)
    return ensured


async def drop_ical_schedule(client: Client, external_calendar_id: int) -> bool:
    """Deletes the calendar's schedule; False if it had none (never created, or gone)."""
    try:
        await client.get_schedule_handle(ical_schedule_id(external_calendar_id)).delete()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    log.info("schedule deleted", schedule_id=ical_schedule_id(external_calendar_id))
    return True
