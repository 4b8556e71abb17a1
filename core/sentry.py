"""Sentry for the API, the bots and the worker, when SENTRY_DSN is set.

Workflow errors are reported only on first execution, never while a history is replayed,
and no workflow or activity input is attached (it may hold phone numbers).
"""

from __future__ import annotations

from typing import Any

import sentry_sdk
from temporalio import activity, workflow
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    ExecuteWorkflowInput,
    Interceptor,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
)

from core.logging import redact_urls_in
from core.settings import Settings


def _scrubbed(item: Any, _hint: Any) -> Any:
    """Events and breadcrumbs carry request URLs: no iCal token or booking id in them."""
    return redact_urls_in(item)


def init_sentry(settings: Settings, component: str) -> bool:
    if not settings.sentry_dsn:
        return False
    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        environment=settings.app_env,
        server_name=component,
        # No PII by default (send_default_pii is deprecated and off unless set), and no
        # frame locals: an activity's locals may hold phone numbers or access codes.
        include_local_variables=False,
        traces_sample_rate=0.0,
        before_send=_scrubbed,
        before_breadcrumb=_scrubbed,
    )
    sentry_sdk.set_tag("component", component)
    return True


class _ActivityReporter(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        with sentry_sdk.isolation_scope() as scope:
            info = activity.info()
            scope.set_tag("temporal.activity.type", info.activity_type)
            scope.set_tag("temporal.workflow.id", info.workflow_id)
            scope.set_tag("temporal.attempt", str(info.attempt))
            try:
                return await super().execute_activity(input)
            except Exception:
                scope.capture_exception()
                raise


class _WorkflowReporter(WorkflowInboundInterceptor):
    async def execute_workflow(self, input: ExecuteWorkflowInput) -> Any:
        try:
            return await super().execute_workflow(input)
        except Exception:
            if not workflow.unsafe.is_replaying():
                # The SDK imports lazily while it builds the event: those imports must
                # reach the real modules, not the sandbox's (which refuses late imports).
                with (
                    workflow.unsafe.sandbox_unrestricted(),
                    workflow.unsafe.imports_passed_through(),
                ):
                    info = workflow.info()
                    with sentry_sdk.isolation_scope() as scope:
                        scope.set_tag("temporal.workflow.type", info.workflow_type)
                        scope.set_tag("temporal.workflow.id", info.workflow_id)
                        scope.capture_exception()
            raise


class SentryInterceptor(Interceptor):
    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _ActivityReporter(super().intercept_activity(next))

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor] | None:
        return _WorkflowReporter
