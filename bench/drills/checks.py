"""What a drill verifies about every booking it made, from the outside: SQL on the drill's
database, the workflow's `status` query and describe, the messages the Telegram/WhatsApp
stand-ins recorded and the invoices/refunds the Kaspi sandbox holds."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import httpx
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.service import RPCError

from bench.drills.harness import Plan, Stack, now
from models.booking_io import BookingState
from workflows.booking import BookingWorkflow

GUEST_EVENTS = {
    "confirmed": {"booking_confirmed"},
    "auto_cancelled": {"booking_auto_cancelled"},
    "cancelled": {"booking_confirmed", "booking_cancelled", "refund_sent"},
}
OWNER_EVENTS = {
    "confirmed": {"owner_new_booking"},
    "auto_cancelled": {"owner_booking_auto_cancelled"},
    "cancelled": {"owner_new_booking", "owner_booking_cancelled"},
}


@dataclass
class Facts:
    """Everything observed about one booking at one moment."""

    db_status: str | None = None
    nights: int = 0
    calendar_nights: int = 0
    payments: int = 0
    refunds: int = 0
    codes_sent_at: bool = False
    sent_events: Counter[str] = field(default_factory=Counter)  # delivery rows marked sent
    attempts: dict[str, int] = field(default_factory=dict)  # delivery attempts per event
    wf_status: str | None = None
    wf_phase: str | None = None
    wf_codes_sent: bool = False
    wf_run: str | None = None
    wf_error: str | None = None
    guest_texts: list[str] = field(default_factory=list)
    owner_texts: list[str] = field(default_factory=list)
    invoices: int = 0
    kaspi_refunds: int = 0

    def duplicates(self) -> int:
        """Anything there twice that must be there once."""
        return (
            len(self.guest_texts)
            - len(set(self.guest_texts))
            + len(self.owner_texts)
            - len(set(self.owner_texts))
            + max(0, self.payments - 1)
            + max(0, self.refunds - 1)
            + max(0, self.invoices - 1)
            + max(0, self.kaspi_refunds - 1)
            + max(0, self.calendar_nights - self.nights)
            + sum(max(0, n - 1) for n in self.sent_events.values())
        )


def problems(plan: Plan, f: Facts | None) -> list[str]:
    """Why this booking is not (yet) where it must end; empty once it is. `f` is None for
    a plan no 201 has named a booking for yet (its id is random, known from that answer)."""
    if plan.error:
        return [f"not created: {plan.error}"]
    if f is None:
        return ["not created: no 201 answered yet, so no booking id"]
    want = plan.expected_status
    found: list[str] = []
    if f.db_status != want:
        found.append(f"db status {f.db_status}, want {want}")
    if f.wf_error:
        found.append(f"workflow unreachable: {f.wf_error}")
    elif f.wf_status != want:
        found.append(f"workflow status {f.wf_status}, want {want}")
    nights_held = f.nights if want == "confirmed" else 0
    if f.calendar_nights != nights_held:
        found.append(f"{f.calendar_nights} calendar nights, want {nights_held}")
    paid = 1 if plan.pay else 0
    if f.payments != paid:
        found.append(f"{f.payments} payment rows, want {paid}")
    refunded = 1 if plan.cancel else 0
    if (f.refunds, f.kaspi_refunds) != (refunded, refunded):
        found.append(f"{f.refunds} refunds in db, {f.kaspi_refunds} at Kaspi; want {refunded}")
    if f.invoices != 1:
        found.append(f"{f.invoices} Kaspi invoices, want 1")
    if plan.codes and not (f.codes_sent_at and f.wf_codes_sent):
        found.append("access codes not sent")
    if plan.in_stay and f.wf_phase != "in_stay":
        found.append(f"phase {f.wf_phase}, want in_stay")
    run = "COMPLETED" if want != "confirmed" else "RUNNING"
    if f.wf_run is not None and f.wf_run != run:
        found.append(f"workflow {f.wf_run}, want {run}")
    guest = GUEST_EVENTS[want] | ({"access_codes"} if plan.codes else set())
    owner = OWNER_EVENTS[want]
    if set(f.sent_events) != guest | owner:
        missing = sorted((guest | owner) - set(f.sent_events))
        extra = sorted(set(f.sent_events) - (guest | owner))
        found.append(f"deliveries missing {missing} extra {extra}")
    for who, texts, events in (("guest", f.guest_texts, guest), ("owner", f.owner_texts, owner)):
        if len(texts) != len(events) or len(set(texts)) != len(texts):
            found.append(
                f"{who} got {len(texts)} messages ({len(set(texts))} distinct), want {len(events)}"
            )
    if f.duplicates():
        found.append(f"{f.duplicates()} duplicates")
    return found


async def gather_facts(stack: Stack, plans: Sequence[Plan]) -> dict[str, Facts]:
    """Facts by booking id, for the plans a 201 has named a booking for."""
    booked = [p for p in plans if p.booking_id]
    facts = {p.booking_id: Facts() for p in booked}
    await asyncio.gather(
        _sql_facts(stack, facts),
        _workflow_facts(stack, facts),
        _message_facts(stack, booked, facts),
        _kaspi_facts(stack, facts),
    )
    return facts


async def _sql_facts(stack: Stack, facts: dict[str, Facts]) -> None:
    ids = list(facts)
    conn = await asyncpg.connect(stack.pg_dsn)
    try:
        for row in await conn.fetch(
            "SELECT id, status, nights, codes_sent_at IS NOT NULL AS codes"
            " FROM booking WHERE id = ANY($1::text[])",
            ids,
        ):
            f = facts[row["id"]]
            f.db_status, f.nights, f.codes_sent_at = row["status"], row["nights"], row["codes"]
        for table, attr in (
            ("calendar_night", "calendar_nights"),
            ("payment", "payments"),
            ("refund", "refunds"),
        ):
            for row in await conn.fetch(
                f"SELECT booking_id, count(*) AS n FROM {table}"  # noqa: S608 - fixed names
                " WHERE booking_id = ANY($1::text[]) GROUP BY booking_id",
                ids,
            ):
                setattr(facts[row["booking_id"]], attr, row["n"])
        for row in await conn.fetch(
            "SELECT booking_id, event, status, attempts FROM notification_delivery"
            " WHERE booking_id = ANY($1::text[])",
            ids,
        ):
            f = facts[row["booking_id"]]
            if row["status"] == "sent":
                f.sent_events[row["event"]] += 1
            f.attempts[row["event"]] = row["attempts"]
    finally:
        await conn.close()


async def _workflow_facts(stack: Stack, facts: dict[str, Facts]) -> None:
    try:
        client = await stack.temporal()
    except RuntimeError as exc:
        for f in facts.values():
            f.wf_error = f"connect: {exc}"[:120]
        return
    gate = asyncio.Semaphore(8)

    async def one(booking_id: str, f: Facts) -> None:
        handle: WorkflowHandle[BookingWorkflow, BookingState] = client.get_workflow_handle_for(
            BookingWorkflow.run, f"booking-{booking_id}"
        )
        async with gate:
            try:
                async with asyncio.timeout(10):
                    state = await handle.query(BookingWorkflow.status)
                    described = await handle.describe()
            except (RPCError, TimeoutError, RuntimeError) as exc:
                f.wf_error = f"{type(exc).__name__}: {exc}"[:120]
                return
        f.wf_status, f.wf_phase, f.wf_codes_sent = state.status.value, state.phase, state.codes_sent
        status = described.status
        f.wf_run = status.name if isinstance(status, WorkflowExecutionStatus) else None

    await asyncio.gather(*(one(b, f) for b, f in facts.items()))


async def _message_facts(stack: Stack, plans: Sequence[Plan], facts: dict[str, Facts]) -> None:
    async def telegram(chat: int) -> list[str]:
        response = await stack.http.get(f"{stack.telegram_url}/chat/{chat}/messages")
        return [str(m["text"]) for m in response.json()["messages"]]

    async def whatsapp(phone: str) -> list[str]:
        response = await stack.http.get(
            f"{stack.whatsapp_url}/_standin/messages", params={"to": phone}
        )
        return [_wa_text(m["payload"]) for m in response.json()["messages"]]

    async def one(plan: Plan) -> None:
        f = facts[plan.booking_id]
        if plan.guest_chat is not None:
            f.guest_texts = await telegram(plan.guest_chat)
        else:
            f.guest_texts = await whatsapp(plan.guest_phone)
        f.owner_texts = await telegram(plan.apartment.owner_chat)

    await asyncio.gather(*(one(p) for p in plans))


def _wa_text(payload: dict[str, Any]) -> str:
    if payload.get("type") == "template":
        params = payload["template"].get("components", [{}])[0].get("parameters", [])
        return " ".join(str(p.get("text", "")) for p in params)
    return str(payload.get("text", {}).get("body", ""))


async def _kaspi_facts(stack: Stack, facts: dict[str, Facts]) -> None:
    state = (await stack.http.get(f"{stack.kaspi_url}/sandbox/state")).json()
    by_payment: dict[str, str] = {}
    for payment in state["payments"]:
        f = facts.get(payment["reference"])
        if f is not None:
            f.invoices += 1
            by_payment[payment["payment_id"]] = payment["reference"]
    for refund in state["refunds"]:
        booking_id = by_payment.get(refund["payment_id"])
        if booking_id is not None:
            facts[booking_id].kaspi_refunds += 1


# --- convergence ------------------------------------------------------------------------


@dataclass
class Outcome:
    plans: list[Plan]
    facts: dict[str, Facts]  # by booking id: the plans a 201 named a booking for
    issues: dict[str, list[str]]  # by Plan.ref
    converged_at: float | None  # monotonic time all checks first held together

    def by_cohort(self, cohorts: Iterable[str]) -> list[Plan]:
        wanted = set(cohorts)
        return [p for p in self.plans if p.cohort in wanted]


async def converge(stack: Stack, plans: list[Plan], *, within: float) -> Outcome:
    """Looks again every two seconds until every booking is where it must end (then once
    more, so nothing doubled later) or `within` seconds pass."""
    deadline = now() + within
    converged_at: float | None = None
    while True:
        gathered = await _safe_facts(stack, plans)
        facts = gathered if gathered is not None else {}
        issues: dict[str, list[str]] = {}
        for plan in plans:
            if gathered is None:
                found = ["facts unavailable"]
            else:
                found = problems(plan, facts.get(plan.booking_id))
            if found:
                issues[plan.ref] = found
            elif plan.ok_at is None:
                plan.ok_at = now()
        if not issues and converged_at is None:
            converged_at = now()
            await asyncio.sleep(3)  # late duplicates would show up now
            continue
        if (converged_at is not None) or now() > deadline:
            return Outcome(plans, facts, issues, converged_at if not issues else None)
        await asyncio.sleep(2)


async def _safe_facts(stack: Stack, plans: list[Plan]) -> dict[str, Facts] | None:
    try:
        return await gather_facts(stack, plans)
    except (OSError, asyncpg.PostgresError, httpx.HTTPError) as exc:
        print(f"  (could not gather facts: {type(exc).__name__}: {exc})", flush=True)
        return None


# --- reporting --------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class DrillResult:
    name: str
    checks: list[Check]
    bookings: int
    finals: Counter[str]
    duplicates: int
    recover: str
    seconds: float

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @classmethod
    def of(
        cls, name: str, checks: list[Check], outcome: Outcome, *, recover: str, began: float
    ) -> DrillResult:
        return cls(
            name=name,
            checks=checks,
            bookings=len(outcome.plans),
            finals=finals(outcome),
            duplicates=sum(f.duplicates() for f in outcome.facts.values()),
            recover=recover,
            seconds=now() - began,
        )


def standard_checks(outcome: Outcome) -> list[Check]:
    """The checks every drill makes over all its bookings."""
    plans, facts, issues = outcome.plans, outcome.facts, outcome.issues
    created = [p for p in plans if p.error is None]
    answers: Counter[str] = Counter()
    for p in plans:
        answers.update(p.answers)
    checks = [
        Check(
            "every booking created (201, retried on errors)",
            len(created) == len(plans),
            f"{len(created)}/{len(plans)}; answers seen {_counts(answers)}",
        )
    ]
    known = [p for p in created if facts.get(p.booking_id)]
    lost = [
        p for p in known if facts[p.booking_id].db_status is None or facts[p.booking_id].wf_error
    ]
    checks.append(
        Check(
            "nothing lost: each in Postgres and Temporal",
            not lost and bool(facts),
            f"{len(known) - len(lost)}/{len(plans)} found",
        )
    )
    for want, label in (
        ("confirmed", "paid -> confirmed, nights kept, 1 payment"),
        ("auto_cancelled", "unpaid -> auto_cancelled, nights released"),
        ("cancelled", "cancelled -> 1 refund, nights released"),
    ):
        group = [p for p in plans if p.expected_status == want]
        if group:
            bad = [p for p in group if p.ref in issues]
            checks.append(Check(label, not bad, f"{len(group) - len(bad)}/{len(group)}"))
    for flag, label in (
        ("codes", "access codes sent after the timer"),
        ("in_stay", "check-in timer fired (in_stay)"),
    ):
        group = [p for p in plans if getattr(p, flag)]
        if group:
            bad = [p for p in group if p.ref in issues]
            checks.append(Check(label, not bad, f"{len(group) - len(bad)}/{len(group)}"))
    agree = [p for p in known if facts[p.booking_id].wf_status == facts[p.booking_id].db_status]
    checks.append(
        Check(
            "workflow status query == Postgres status",
            len(agree) == len(known),
            f"{len(agree)}/{len(known)}",
        )
    )
    dupes = sum(f.duplicates() for f in facts.values())
    checks.append(
        Check(
            "nothing doubled (payments, invoices, refunds, nights, messages)",
            dupes == 0 and bool(facts),
            f"{dupes} duplicates",
        )
    )
    messages = sum(len(f.guest_texts) + len(f.owner_texts) for f in facts.values())
    retried = sum(1 for f in facts.values() for n in f.attempts.values() if n > 1)
    checks.append(
        Check(
            "every notification delivered exactly once",
            not any("messages" in i or "deliveries" in i for v in issues.values() for i in v)
            and bool(facts),
            f"{messages} messages; {retried} needed retries",
        )
    )
    return checks


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{k}×{v}" for k, v in sorted(counter.items())) or "-"


def finals(outcome: Outcome) -> Counter[str]:
    return Counter(str(f.db_status) for f in outcome.facts.values())


def print_result(result: DrillResult, outcome: Outcome | None = None) -> None:
    verdict = "PASS" if result.ok else "FAIL"
    print(f"\n== {result.name}: {verdict} ({result.seconds:.0f} s)", flush=True)
    width = max(len(c.name) for c in result.checks)
    for check in result.checks:
        print(f"  {'PASS' if check.ok else 'FAIL'}  {check.name:<{width}}  {check.detail}")
    print(f"  final states: {_counts(result.finals)}; recovery: {result.recover}")
    if outcome is not None and outcome.issues:
        print("  unfinished bookings:")
        plans = {p.ref: p for p in outcome.plans}
        for ref, found in list(outcome.issues.items())[:12]:
            print(f"    {ref} [{plans[ref].cohort}]: {'; '.join(found)}")
    print(flush=True)


def print_summary(results: list[DrillResult]) -> None:
    print("== Summary")
    head = f"  {'drill':<38} {'result':<6} {'bookings':>8} {'dupes':>5}  final states / recovery"
    print(head)
    for r in results:
        print(
            f"  {r.name:<38} {'PASS' if r.ok else 'FAIL':<6} {r.bookings:>8} {r.duplicates:>5}"
            f"  {_counts(r.finals)} / {r.recover}"
        )
    print(flush=True)
