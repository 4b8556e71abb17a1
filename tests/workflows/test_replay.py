"""Saved histories (tests/histories/*.json) still replay against today's BookingWorkflow.

A change that would break bookings already running fails here with a nondeterminism
error; guard such changes with `workflow.patched(...)`. Record new histories with
`.venv/bin/python -m pytest -p no:cacheprovider tests/histories/record.py`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from temporalio import workflow
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer, UnsandboxedWorkflowRunner

from core.temporal import data_converter
from tests.support.factories import KEY_SAFE_CODE, SMART_LOCK_CODE
from tests.support.lifecycle import history_text
from workflows.booking import BookingWorkflow

HISTORIES = sorted((Path(__file__).resolve().parent.parent / "histories").glob("*.json"))
# The workers' converter, payload encryption included: histories recorded in clear (and
# bookings started before encryption) pass through its codec untouched.
WORKERS_CONVERTER = data_converter([Fernet.generate_key().decode()])


def load(path: Path) -> WorkflowHistory:
    return WorkflowHistory.from_json(f"booking-{path.stem}", path.read_text())


def test_the_recorded_paths_are_all_there():
    assert {p.stem for p in HISTORIES} >= {
        "booking_full",
        "booking_auto_cancelled",
        "booking_cancelled_refund",
    }


@pytest.mark.parametrize("path", HISTORIES, ids=lambda p: p.stem)
async def test_saved_history_replays_without_nondeterminism(path):
    history = load(path)
    assert history.events[-1].event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED

    replayer = Replayer(workflows=[BookingWorkflow], data_converter=WORKERS_CONVERTER)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)

    assert result.replay_failure is None, result.replay_failure
    text = history_text(history)
    assert KEY_SAFE_CODE not in text and SMART_LOCK_CODE not in text


@workflow.defn(name="BookingWorkflow")
class ReorderedBookingWorkflow:
    """A careless edit: waits before holding instead of holding first."""

    @workflow.run
    async def run(self, request: Any) -> None:
        await workflow.sleep(timedelta(seconds=1))


async def test_the_replay_check_catches_a_changed_workflow():
    replayer = Replayer(
        workflows=[ReorderedBookingWorkflow],
        data_converter=WORKERS_CONVERTER,
        workflow_runner=UnsandboxedWorkflowRunner(),
    )
    result = await replayer.replay_workflow(load(HISTORIES[0]), raise_on_replay_failure=False)
    assert isinstance(result.replay_failure, workflow.NondeterminismError), result.replay_failure
