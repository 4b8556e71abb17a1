"""A workflow whose activity fails once and which then fails itself, for tests/test_sentry.py.

Its own module, importing only temporalio, so the workflow sandbox can load it.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity, workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

attempts: dict[str, int] = {}


class SentryProbeActivityError(RuntimeError):
    pass


@activity.defn(name="sentry_probe_flaky")
async def flaky(key: str) -> str:
    attempts[key] = attempts.get(key, 0) + 1
    if attempts[key] == 1:
        raise SentryProbeActivityError("the first attempt always fails")
    return "ok"


@workflow.defn(name="SentryProbeWorkflow")
class SentryProbeWorkflow:
    @workflow.run
    async def run(self, key: str) -> str:
        await workflow.execute_activity(
            flaky,
            key,
            start_to_close_timeout=timedelta(seconds=10),
            retry_policy=RetryPolicy(initial_interval=timedelta(milliseconds=50)),
        )
        raise ApplicationError("the probe fails on purpose", type="SentryProbeWorkflowFailure")
