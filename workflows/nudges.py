"""OwnerNudgesWorkflow: the daily scan, then one `notify` per nudge (started by the
"owner-nudges-daily" Schedule, see services/schedules.py).

A re-run the same day sends nothing twice: each message's dedupe key is the event,
the apartment and the owner's day.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from models.booking_io import NotifyInput
    from models.nudge_io import Nudge, NudgeRunResult, NudgeScanInput

DB_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30)
)
NOTIFY_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2), maximum_interval=timedelta(minutes=5), maximum_attempts=8
)
# Messages in flight at once: owners get theirs promptly without flooding a messenger.
BATCH = 20


@workflow.defn
class OwnerNudgesWorkflow:
    @workflow.run
    async def run(self) -> NudgeRunResult:
        nudges: list[Nudge] = await workflow.execute_activity(
            "find_nudges",
            NudgeScanInput(now=workflow.now()),
            result_type=list[Nudge],
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=DB_RETRY,
        )
        statuses: Counter[str] = Counter()
        for start in range(0, len(nudges), BATCH):
            batch = nudges[start : start + BATCH]
            statuses.update(await asyncio.gather(*(self._notify(n) for n in batch)))
        workflow.set_current_details(f"{len(nudges)} nudges: {dict(statuses)}")
        return NudgeRunResult(found=len(nudges), statuses=dict(statuses))

    async def _notify(self, nudge: Nudge) -> str:
        """An owner we cannot reach is logged, never a reason to stop the others' nudges."""
        try:
            status: str = await workflow.execute_activity(
                "notify",
                NotifyInput(
                    event=nudge.event,
                    user_id=nudge.owner_id,
                    dedupe_key=nudge.dedupe_key,
                    context=nudge.context,
                ),
                result_type=str,
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=NOTIFY_RETRY,
            )
        except ActivityError:
            workflow.logger.error("nudge gave up", extra={"dedupe_key": nudge.dedupe_key})
            return "failed"
        return status
