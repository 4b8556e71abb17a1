"""OwnerCalendarWorkflow: an owner blocks or unblocks nights (one activity, one answer).

Short-lived by design: it exists so that, as for bookings, only activities run by a
workflow write the calendar, with retries and a history to look at.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from models.calendar_io import CalendarAction, CalendarChange, CalendarChangeResult

DB_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=10)
)


@workflow.defn
class OwnerCalendarWorkflow:
    @workflow.run
    async def run(self, change: CalendarChange) -> CalendarChangeResult:
        activity = "block_nights" if change.action is CalendarAction.BLOCK else "unblock_nights"
        result: CalendarChangeResult = await workflow.execute_activity(
            activity,
            change,
            result_type=CalendarChangeResult,
            start_to_close_timeout=timedelta(seconds=30),
            schedule_to_close_timeout=timedelta(minutes=2),
            retry_policy=DB_RETRY,
        )
        return result
