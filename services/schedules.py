"""The owner-nudges Schedule (SPEC §3, scheduled work): created at worker start-up,
updated in place when the settings change, visible in the Temporal UI."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from core.logging import get_logger
from core.settings import Settings
from workflows.nudges import OwnerNudgesWorkflow

log = get_logger(__name__)
OWNER_NUDGES_SCHEDULE = "owner-nudges-daily"
OWNER_NUDGES_WORKFLOW_ID = "owner-nudges"
TIME_ZONE = "Asia/Almaty"


def owner_nudges_schedule(settings: Settings) -> Schedule:
    at = settings.nudges_daily_at
    return Schedule(
        action=ScheduleActionStartWorkflow(
            OwnerNudgesWorkflow.run,
            id=OWNER_NUDGES_WORKFLOW_ID,
            task_queue=settings.temporal_task_queue,
            execution_timeout=timedelta(hours=6),
        ),
        spec=ScheduleSpec(
            calendars=[
                ScheduleCalendarSpec(
                    hour=[ScheduleRange(at.hour)],
                    minute=[ScheduleRange(at.minute)],
                    comment="owner nudges, daily",
                )
            ],
            time_zone_name=TIME_ZONE,
        ),
        # A morning missed while Temporal was down is caught up; never two scans at a time.
        policy=SchedulePolicy(
            overlap=ScheduleOverlapPolicy.SKIP, catchup_window=timedelta(hours=12)
        ),
    )


async def ensure_schedules(client: Client, settings: Settings) -> None:
    """Idempotent: creates each schedule if missing, else replaces its definition."""
    await upsert_schedule(client, OWNER_NUDGES_SCHEDULE, owner_nudges_schedule(settings))


async def upsert_schedule(client: Client, schedule_id: str, schedule: Schedule) -> None:
    try:
        await client.create_schedule(schedule_id, schedule)
        log.info("schedule created", schedule_id=schedule_id)
    except ScheduleAlreadyRunningError:

        def replace(current: ScheduleUpdateInput) -> ScheduleUpdate:
            # Keep what ops set in the UI (paused, note); take everything else from code.
            state = current.description.schedule.state
            return ScheduleUpdate(schedule=dataclasses.replace(schedule, state=state))

        await client.get_schedule_handle(schedule_id).update(replace)
        log.info("schedule updated", schedule_id=schedule_id)
