"""The iCal import Schedules: one per external calendar, every `ical_import_interval`.

Ensured at worker start-up (running it again changes nothing but the interval), which also
drops the schedules of calendars gone meanwhile; the web admin ensures or drops one at once
when an owner adds, edits or deletes a feed. Imports start on `ical_task_queue`, whose
worker slots are their own: bookings never wait behind a slow feed.
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

from core.db import SessionFactory, create_engine, create_session_factory
from core.logging import get_logger
from core.settings import Settings
from models import ExternalCalendar
from models.ical_io import ExternalCalendarInput
from services.schedules import upsert_schedule
from workflows.ical import ICalImportWorkflow

log = get_logger(__name__)


ICAL_SCHEDULE_PREFIX = "ical-import-"


def ical_schedule_id(external_calendar_id: int) -> str:
    return f"{ICAL_SCHEDULE_PREFIX}{external_calendar_id}"


def ical_calendar_id(schedule_id: str) -> int | None:
    """The calendar id of one of our import schedules; None for any other schedule."""
    rest = schedule_id.removeprefix(ICAL_SCHEDULE_PREFIX)
    if rest == schedule_id or not (rest.isascii() and rest.isdigit()):
        return None
    # Only ids exactly as ical_schedule_id writes them: "ical-import-07" is someone else's.
    return int(rest) if ical_schedule_id(int(rest)) == schedule_id else None


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
    """Ensures a schedule per external calendar (see below), then drops the schedules of
    calendars that are gone (row deleted in the database, or while Temporal was down)."""
    engine = create_engine(settings.database_url, pre_ping=False)
    try:
        sessions = create_session_factory(engine)
        ensured = await ensure_ical_schedules_for(
            client,
            sorted(await calendar_ids(sessions)),
            task_queue=settings.ical_task_queue,
            every=settings.ical_import_interval,
        )
        await prune_ical_schedules(client, sessions)
    finally:
        await engine.dispose()
    return ensured


async def calendar_ids(sessions: SessionFactory) -> set[int]:
    async with sessions() as session:
        ids = await session.scalars(select(col(ExternalCalendar.id)))
        return {i for i in ids.all() if i is not None}


async def prune_ical_schedules(client: Client, sessions: SessionFactory) -> list[str]:
    """Deletes every import schedule whose calendar row is gone; returns their ids.

    Rows are read after the listing: a feed added meanwhile gets its schedule after its
    row is committed, so a listed schedule without a row is never one being born."""
    listed = [s.id async for s in await client.list_schedules()]
    known = await calendar_ids(sessions)
    removed: list[str] = []
    for schedule_id in listed:
        calendar_id = ical_calendar_id(schedule_id)
        if calendar_id is None or calendar_id in known:
            continue
        # Already gone (an admin deleted it meanwhile) counts as done.
        if await drop_ical_schedule(client, calendar_id):
            removed.append(schedule_id)
    log.info("orphan ical schedules removed", count=len(removed))
    return removed


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
