"""Kill drills (SPEC §3.9): `kill -9` the worker, then the API, then the Temporal server while
bookings sit in every step, new guests keep booking, and timers come due while it is down.

One round per target, on the round's clock (seconds from its start):

    0        18 bookings made: 3 paid with check-in at 26 s (codes go out at once, then they
             wait for check-in), 3 paid with codes due at 25 s, 4 paid 0.4-0.03 s before the
             kill, 4 paid at 22 s, 4 never paid (expire at ~30-33 s)
    10-40    a new guest books every 2 s (16 in all), every other one pays at once
    18       kill -9 the target                       33  start it again
    then     every booking must end where it should: paid ones confirmed (codes sent, check-in
             reached where due), unpaid ones auto-cancelled with their nights released, nothing
             doubled (payments, invoices, nights, messages), workflow state == Postgres state.
"""

from __future__ import annotations

import asyncio
import functools
from collections import Counter
from datetime import timedelta

from temporalio.client import WorkflowHandle
from temporalio.service import RPCError

from bench.drills.checks import (
    Check,
    DrillResult,
    Outcome,
    converge,
    standard_checks,
)
from bench.drills.harness import CODES_LEAD, Plan, Stack, now, sleep_until, utcnow
from models.booking_io import BookingState
from workflows.booking import BookingWorkflow

TARGETS = ("worker", "api", "temporal")
KILL_AT = 18.0
DOWN_FOR = 15.0
TRAFFIC_FROM, TRAFFIC_EVERY, TRAFFIC_COUNT = 10.0, 2.0, 16
# Paid moments before the kill, staggered, so confirmations and messages are in flight.
PAY_EARLY_AT = (KILL_AT - 0.4, KILL_AT - 0.2, KILL_AT - 0.1, KILL_AT - 0.03)
PAY_LATE_AT = 22.0  # while it is down (the webhook may be lost: the poll finds the payment)
DOWNTIME_COHORTS = (
    "check-in due while down",
    "codes due while down",
    "paid just before kill",
    "paid while down",
    "unpaid, expire while down",
)


async def phases(stack: Stack, plans: list[Plan]) -> Counter[str]:
    """Where the workflows are right now (their `status` query)."""
    client = await stack.temporal()
    found: Counter[str] = Counter()

    async def one(plan: Plan) -> None:
        handle: WorkflowHandle[BookingWorkflow, BookingState] = client.get_workflow_handle_for(
            BookingWorkflow.run, f"booking-{plan.booking_id}"
        )
        try:
            async with asyncio.timeout(5):
                found[(await handle.query(BookingWorkflow.status)).phase] += 1
        except (RPCError, TimeoutError, RuntimeError):
            found["unreachable"] += 1

    await asyncio.gather(*(one(p) for p in plans if p.error is None and p.booking_id))
    return found


async def book(stack: Stack, plan: Plan) -> None:
    await stack.create(plan)
    if plan.pay and plan.error is None:
        await stack.pay(plan)


async def kill_drill(stack: Stack, target: str) -> tuple[DrillResult, Outcome]:
    began = now()
    zero = utcnow() + timedelta(seconds=4)  # the apartments go in first
    waiting = await stack.plans(
        "check-in due while down",
        3,
        check_in_at=zero + timedelta(seconds=26),
        pay=True,
        codes=True,
        in_stay=True,
    )
    codes = await stack.plans(
        "codes due while down",
        3,
        check_in_at=zero + timedelta(seconds=25 + CODES_LEAD),
        pay=True,
        codes=True,
    )
    early = await stack.plans("paid just before kill", len(PAY_EARLY_AT), pay=True)
    late = await stack.plans("paid while down", 4, pay=True)
    unpaid = await stack.plans("unpaid, expire while down", 4)
    paying = await stack.plans("booked during kill", TRAFFIC_COUNT // 2, pay=True)
    leaving = await stack.plans("booked during kill", TRAFFIC_COUNT // 2)
    traffic = [p for pair in zip(paying, leaving, strict=True) for p in pair]
    first = waiting + codes + early + late + unpaid
    plans = first + traffic

    t0 = now() + max(0.0, (zero - utcnow()).total_seconds())
    await sleep_until(t0)
    await asyncio.gather(*(stack.create(p) for p in first))
    await asyncio.gather(*(stack.pay(p) for p in waiting + codes))
    tasks = [
        stack.at(t0 + TRAFFIC_FROM + i * TRAFFIC_EVERY, functools.partial(book, stack, p))
        for i, p in enumerate(traffic)
    ]
    tasks += [
        stack.at(t0 + moment, functools.partial(stack.pay, p))
        for moment, p in zip(PAY_EARLY_AT, early, strict=True)
    ]
    tasks.append(stack.at(t0 + PAY_LATE_AT, lambda: asyncio.gather(*(stack.pay(p) for p in late))))

    await sleep_until(t0 + KILL_AT - 2)
    before_kill = await phases(stack, first)
    await sleep_until(t0 + KILL_AT)
    service = stack.services[target]
    service.kill9()
    killed = now()
    await sleep_until(t0 + KILL_AT + DOWN_FOR)
    restarted = now()
    back_in = await service.start()
    await asyncio.gather(*tasks)
    # Guests who asked for a hold while the target was dead (or as it died), answered later.
    held_across = sum(
        1
        for p in traffic
        if p.sent_at is not None and p.sent_at < restarted and (p.created_at or 0) > killed
    )
    outcome = await converge(stack, plans, within=150)

    due = outcome.by_cohort(DOWNTIME_COHORTS)
    caught = [p.ok_at - restarted for p in due if p.ok_at is not None]
    caught_up = max(caught) if len(caught) == len(due) else None
    settled = outcome.converged_at - restarted if outcome.converged_at else None
    steps = {"waiting_for_payment", "confirmed", "codes_sent"}
    checks = [
        Check(
            f"bookings in every step when {target} was killed",
            steps <= set(before_kill),
            ", ".join(f"{k} {v}" for k, v in sorted(before_kill.items()))
            + f"; {held_across} holds asked while down, answered after",
        ),
        *standard_checks(outcome),
    ]
    recover = (
        f"back in {back_in:.1f} s; due-while-down caught up "
        + (f"{caught_up:.1f} s" if caught_up is not None else "never")
        + " after restart; all settled "
        + (f"{settled:.1f} s" if settled is not None else "never")
    )
    checks.append(Check("recovered after restart", settled is not None, recover))
    result = DrillResult.of(
        f"kill -9 {target} (down {DOWN_FOR:.0f} s)",
        checks,
        outcome,
        recover=f"back {back_in:.1f} s, caught up "
        + (f"{caught_up:.1f} s" if caught_up is not None else "never"),
        began=began,
    )
    return result, outcome
