"""Sentry for the worker (issue 6, Observability): a failing activity and a failing workflow
reach Sentry's ingest; replaying that history reports nothing again.

Sentry's ingest is a local HTTP stand-in; the SDK speaks plain http to it.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator

import pytest
import sentry_sdk
from temporalio.client import WorkflowFailureError
from temporalio.worker import Replayer, Worker

from core.sentry import SentryInterceptor
from tests.support.factories import eventually
from tests.support.sentry_ingest import local_sentry
from tests.support.sentry_probe import SentryProbeWorkflow, attempts, flaky


def events(envelopes: list[str]) -> int:
    """Error events among the envelopes (client reports and sessions are not reports)."""
    found = 0
    for envelope in envelopes:
        for line in envelope.splitlines():
            try:
                header = json.loads(line)
            except ValueError:
                continue
            found += isinstance(header, dict) and header.get("type") == "event"
    return found


async def flush() -> None:
    """Off the event loop: the stand-in that receives the envelopes runs on it."""
    await asyncio.to_thread(sentry_sdk.flush, 5)


@pytest.fixture
async def sentry_ingest(stack) -> AsyncIterator[list[str]]:
    async with local_sentry(stack.settings, "worker") as envelopes:
        yield envelopes


async def test_failures_reach_sentry_once_and_never_from_a_replay(stack, sentry_ingest):
    task_queue = "sentry-probe-" + secrets.token_hex(4)
    key = secrets.token_hex(4)
    async with Worker(
        stack.client,
        task_queue=task_queue,
        workflows=[SentryProbeWorkflow],
        activities=[flaky],
        interceptors=[SentryInterceptor()],
    ):
        handle = await stack.client.start_workflow(
            SentryProbeWorkflow.run, key, id=f"sentry-probe-{key}", task_queue=task_queue
        )
        with pytest.raises(WorkflowFailureError):
            await handle.result()
    assert attempts[key] == 2

    async def sent() -> str:
        await flush()
        return "\n".join(sentry_ingest)

    await eventually(
        sent,
        until=lambda text: (
            "SentryProbeActivityError" in text and "SentryProbeWorkflowFailure" in text
        ),
    )
    await flush()
    before = events(sentry_ingest)
    assert before == 2  # the activity's first attempt and the workflow, each once

    history = await handle.fetch_history()
    result = await Replayer(
        workflows=[SentryProbeWorkflow],
        interceptors=[SentryInterceptor()],
        data_converter=stack.client.data_converter,
    ).replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
    await flush()
    assert events(sentry_ingest) == before
