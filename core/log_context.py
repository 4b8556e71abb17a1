"""Binds the running activity's workflow (and booking) to every log line it writes."""

from __future__ import annotations

from typing import Any

import structlog
from temporalio import activity
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

BOOKING_PREFIX = "booking-"


def activity_log_context() -> dict[str, Any]:
    info = activity.info()
    context: dict[str, Any] = {
        "workflow_id": info.workflow_id,
        "activity_type": info.activity_type,
    }
    if info.workflow_id and info.workflow_id.startswith(BOOKING_PREFIX):
        context["booking_id"] = info.workflow_id.removeprefix(BOOKING_PREFIX)
    return context


class _ActivityLogContext(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        with structlog.contextvars.bound_contextvars(**activity_log_context()):
            return await super().execute_activity(input)


class LoggingInterceptor(Interceptor):
    """Registered on every worker; an activity's own keyword arguments still win."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _ActivityLogContext(super().intercept_activity(next))
