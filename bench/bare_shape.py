"""The bare booking shape, the yardstick the real BookingWorkflow is measured against.

Same steps as a booking, with nothing inside them: an update-with-start answered after one
no-op activity, a wait for one signal, a second no-op activity, done.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import activity, workflow

TIMEOUT = timedelta(seconds=30)


@activity.defn(name="bare_hold")
async def bare_hold(booking_id: str) -> str:
    return booking_id


@activity.defn(name="bare_confirm")
async def bare_confirm(booking_id: str) -> str:
    return booking_id


@workflow.defn
class BareBookingWorkflow:
    def __init__(self) -> None:
        self._held: str | None = None
        self._paid = False

    @workflow.run
    async def run(self, booking_id: str) -> str:
        self._held = await workflow.execute_activity(
            bare_hold, booking_id, start_to_close_timeout=TIMEOUT
        )
        await workflow.wait_condition(lambda: self._paid)
        await workflow.execute_activity(bare_confirm, booking_id, start_to_close_timeout=TIMEOUT)
        return "confirmed"

    @workflow.update
    async def hold(self) -> str:
        await workflow.wait_condition(lambda: self._held is not None)
        assert self._held is not None
        return self._held

    @workflow.signal
    def paid(self, payment_id: str) -> None:
        self._paid = True


ACTIVITIES = [bare_hold, bare_confirm]
