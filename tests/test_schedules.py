"""The owner-nudges Schedule is ensured at worker start-up: checked on the Temporal dev
server (the time-skipping server has no schedules)."""

from __future__ import annotations

from datetime import time

import pytest
from temporalio.client import Client, ScheduleActionStartWorkflow, ScheduleOverlapPolicy

from core.settings import Settings
from services.schedules import OWNER_NUDGES_SCHEDULE, ensure_schedules
from tests.support.factories import eventually

pytestmark = pytest.mark.devserver


async def _schedule_ids(client: Client) -> list[str]:
    return [s.id async for s in await client.list_schedules()]


async def test_start_up_twice_leaves_one_daily_schedule(dev_server: Client) -> None:
    settings = Settings(app_env="test", temporal_task_queue="nudges-q")
    await ensure_schedules(dev_server, settings)
    handle = dev_server.get_schedule_handle(OWNER_NUDGES_SCHEDULE)
    await handle.pause(note="paused by ops")

    # A restart with a new time keeps one schedule, takes the time, keeps the pause.
    await ensure_schedules(dev_server, settings.model_copy(update={"nudges_daily_at": time(8, 30)}))

    # Schedule lists come from visibility, which may lag a moment behind.
    ids = await eventually(
        lambda: _schedule_ids(dev_server), until=lambda found: OWNER_NUDGES_SCHEDULE in found
    )
    assert ids.count(OWNER_NUDGES_SCHEDULE) == 1
    described = await handle.describe()
    action = described.schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    assert action.workflow == "OwnerNudgesWorkflow"
    assert action.task_queue == "nudges-q"
    spec = described.schedule.spec
    assert spec.time_zone_name == "Asia/Almaty"
    assert len(spec.calendars) == 1
    calendar = spec.calendars[0]
    assert [(r.start, r.end) for r in calendar.hour] == [(8, 8)]
    assert [(r.start, r.end) for r in calendar.minute] == [(30, 30)]
    assert described.schedule.policy.overlap is ScheduleOverlapPolicy.SKIP
    assert described.schedule.state.paused
    assert described.schedule.state.note == "paused by ops"
