"""ICalImportWorkflow: one import of one external calendar, started by its Schedule.

Conflicts with confirmed bookings are told to the owner once per booking and event
(a stable dedupe key), however many times the schedule runs while the conflict lasts.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from models.booking_io import NotifyInput
    from models.ical_io import ExternalCalendarInput, ICalConflict, ICalImportResult

IMPORT_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2), maximum_interval=timedelta(seconds=30)
)
NOTIFY_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2), maximum_interval=timedelta(minutes=1), maximum_attempts=5
)


@workflow.defn
class ICalImportWorkflow:
    @workflow.run
    async def run(self, request: ExternalCalendarInput) -> ICalImportResult:
        result: ICalImportResult = await workflow.execute_activity(
            "import_external_calendar",
            request,
            result_type=ICalImportResult,
            start_to_close_timeout=timedelta(seconds=60),
            schedule_to_close_timeout=timedelta(minutes=5),
            retry_policy=IMPORT_RETRY,
        )
        for conflict in result.conflicts:
            await self._tell_owner(result, conflict)
        return result

    async def _tell_owner(self, result: ICalImportResult, conflict: ICalConflict) -> None:
        first, last = conflict.nights[0], conflict.nights[-1]
        notice = NotifyInput(
            event="ical_conflict",
            user_id=result.owner_id,
            booking_id=conflict.booking_id,
            dedupe_key=(
                f"ical-conflict:{result.external_calendar_id}:{conflict.booking_id}:{first}:{last}"
            ),
            context={
                "calendar_name": result.calendar_name,
                "property_title": result.property_title,
                "booking_id": conflict.booking_id,
                "check_in": first.isoformat(),
                "check_out": (last + timedelta(days=1)).isoformat(),
                "nights": len(conflict.nights),
            },
        )
        try:
            await workflow.execute_activity(
                "notify",
                notice,
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=NOTIFY_RETRY,
            )
        except ActivityError:  # the import itself succeeded; the delivery log has the failure
            workflow.logger.error(
                "ical conflict not delivered", extra={"booking_id": conflict.booking_id}
            )
