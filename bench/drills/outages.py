"""Outage drills: Postgres gone for 30 s while workflows run activities; the Telegram and
WhatsApp stand-ins and the Kaspi sandbox answering 429/500 for a while. Every booking must
still end where it should, every message and payment/refund exactly once.
"""

from __future__ import annotations

import asyncio
import functools
from collections import Counter
from datetime import timedelta

import httpx
from temporalio.service import RPCError

from bench.drills.checks import Check, DrillResult, Outcome, converge, standard_checks
from bench.drills.harness import CODES_LEAD, Plan, Stack, now, sleep_until, utcnow
from bench.drills.kills import book

OUTAGE_AT, OUTAGE_FOR = 10.0, 30.0
SPELL_WAIT = 60.0  # how long a fault spell may take to be used up


# --- Postgres ---------------------------------------------------------------------------


async def probe_api(stack: Stack, booking_id: str, until: float, seen: Counter[str]) -> None:
    """What a client gets from the API while the database is away (reads and readiness)."""
    while now() < until:
        for path in (f"/api/v1/bookings/{booking_id}", "/readyz"):
            try:
                response = await stack.http.get(f"{stack.api_url}{path}", timeout=15)
                body = response.json()
                label = body.get("error") or body.get("status") or "?"
                seen[f"{path.split('/')[-2] or 'readyz'} {response.status_code} {label}"] += 1
            except (httpx.HTTPError, ValueError) as exc:
                seen[f"{path} {type(exc).__name__}"] += 1
        await asyncio.sleep(2)


async def retried_activities(stack: Stack, plans: list[Plan]) -> Counter[str]:
    """Activities waiting to be retried right now: name -> highest attempt seen."""
    client = await stack.temporal()
    found: Counter[str] = Counter()

    async def one(plan: Plan) -> None:
        handle = client.get_workflow_handle(f"booking-{plan.booking_id}")
        try:
            described = await handle.describe()
        except RPCError:
            return
        for pending in described.raw_description.pending_activities:
            name = pending.activity_type.name
            found[name] = max(found[name], pending.attempt)

    await asyncio.gather(*(one(p) for p in plans if p.error is None and p.booking_id))
    return found


async def postgres_drill(stack: Stack) -> tuple[DrillResult, Outcome]:
    began = now()
    zero = utcnow() + timedelta(seconds=4)
    codes = await stack.plans(
        "codes due in outage",
        3,
        check_in_at=zero + timedelta(seconds=OUTAGE_AT + 8 + CODES_LEAD),
        pay=True,
        codes=True,
    )
    checkin = await stack.plans(
        "check-in in outage",
        3,
        check_in_at=zero + timedelta(seconds=OUTAGE_AT + 12),
        pay=True,
        codes=True,
        in_stay=True,
    )
    paid_in = await stack.plans("paid in outage", 4, pay=True)
    unpaid = await stack.plans("unpaid, expire in outage", 4)
    traffic = await stack.plans("booked in outage", 4, pay=True)
    first = codes + checkin + paid_in + unpaid
    plans = first + traffic

    t0 = now() + max(0.0, (zero - utcnow()).total_seconds())
    await sleep_until(t0)
    await asyncio.gather(*(stack.create(p) for p in first))
    await asyncio.gather(*(stack.pay(p) for p in codes + checkin))
    end = t0 + OUTAGE_AT + OUTAGE_FOR
    seen: Counter[str] = Counter()
    tasks = [stack.at(t0 + OUTAGE_AT + 2, lambda: asyncio.gather(*(stack.pay(p) for p in paid_in)))]
    tasks += [
        stack.at(t0 + OUTAGE_AT + 4 + 6 * i, functools.partial(book, stack, p))
        for i, p in enumerate(traffic)
    ]
    # A booking the API answered for (ids are random: known from a 201); a well-formed
    # unknown id reads the same way through the outage should none have been created.
    probed = next((p.booking_id for p in first if p.booking_id), "0000000000")
    tasks.append(
        stack.at(t0 + OUTAGE_AT + 1, functools.partial(probe_api, stack, probed, end, seen))
    )

    await sleep_until(t0 + OUTAGE_AT)
    dropped = stack.proxy.cut()
    await sleep_until(end - 3)
    retrying = await retried_activities(stack, first)
    await sleep_until(end)
    stack.proxy.restore()
    restored = now()
    await asyncio.gather(*tasks)
    outcome = await converge(stack, plans, within=150)

    during: Counter[str] = Counter()
    for p in traffic:
        during.update(p.answers)
    api_500 = sum(n for k, n in (seen + during).items() if " 500" in f" {k}" or k == "500")
    settled = outcome.converged_at - restored if outcome.converged_at else None
    recover = "all settled " + (f"{settled:.1f} s after" if settled is not None else "never")
    checks = [
        Check(
            "activities retried through the outage",
            any(n > 1 for n in retrying.values()),
            f"{dropped} connections cut; pending at the end: "
            + (", ".join(f"{k} attempt {v}" for k, v in sorted(retrying.items())) or "none"),
        ),
        Check(
            "API answers a clean 503 during the outage, never 500",
            api_500 == 0,
            ", ".join(f"{k}×{v}" for k, v in sorted(seen.items())),
        ),
        *standard_checks(outcome),
        Check("recovered after Postgres came back", settled is not None, recover),
    ]
    result = DrillResult.of(
        f"Postgres down {OUTAGE_FOR:.0f} s",
        checks,
        outcome,
        recover=recover,
        began=began,
    )
    return result, outcome


# --- messengers and Kaspi ---------------------------------------------------------------


async def spell_used(stack: Stack, where: str) -> bool:
    """Waits until the armed faults have all been answered."""
    deadline = now() + SPELL_WAIT
    while now() < deadline:
        if await stack.faults_left(where) == 0:
            return True
        await asyncio.sleep(0.5)
    return False


async def standins_drill(stack: Stack) -> tuple[DrillResult, Outcome]:
    began = now()
    served: list[str] = []
    used: list[bool] = []

    async def spell(where: str, count: int, status: int, retry_after: int = 2) -> None:
        await stack.faults(where, count, status, retry_after)
        served.append(f"{where} {status}×{count}")

    # 1. Confirmations while Telegram throttles (429 + retry_after) and WhatsApp fails (500).
    batch = await stack.plans("paid, messengers failing", 8, pay=True)
    await asyncio.gather(*(stack.create(p) for p in batch))
    await spell("telegram", 10, 429)
    await spell("whatsapp", 6, 500)
    await asyncio.gather(*(stack.pay(p) for p in batch))
    used += await asyncio.gather(spell_used(stack, "telegram"), spell_used(stack, "whatsapp"))

    # 2. Cancellations with refunds while Telegram fails, WhatsApp throttles, Kaspi fails.
    await spell("telegram", 6, 500)
    await spell("whatsapp", 6, 429)
    await spell("kaspi", 3, 500)
    leaving = batch[:4]  # two Telegram and two WhatsApp guests
    for plan in leaving:
        plan.cancel = True
    await asyncio.gather(*(stack.cancel(p) for p in leaving))

    # 3. New bookings while Kaspi cannot create invoices for a while.
    used.append(await spell_used(stack, "kaspi"))
    await spell("kaspi", 4, 500)
    late = await stack.plans("booked, Kaspi failing", 2, pay=True)
    await asyncio.gather(*(book(stack, p) for p in late))
    used += await asyncio.gather(*(spell_used(stack, w) for w in ("telegram", "whatsapp", "kaspi")))
    last_fault = now()

    plans = batch + late
    outcome = await converge(stack, plans, within=150)
    settled = outcome.converged_at - last_fault if outcome.converged_at else None
    recover = "all settled " + (
        f"{settled:.1f} s after the last fault" if settled is not None else "never"
    )
    retried = sum(1 for f in outcome.facts.values() for n in f.attempts.values() if n > 1)
    checks = [
        Check("every fault spell was answered in full", all(used), "; ".join(served)),
        Check(
            "notifications retried through the spells",
            retried > 0,
            f"{retried} deliveries needed more than one attempt",
        ),
        *standard_checks(outcome),
        Check("recovered after the spells", settled is not None, recover),
    ]
    result = DrillResult.of(
        "messenger 429/500, Kaspi 500 spells",
        checks,
        outcome,
        recover=recover,
        began=began,
    )
    return result, outcome
