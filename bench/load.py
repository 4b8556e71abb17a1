"""Load: N concurrent guests searching and booking through the API and signed webhooks.

    .venv/bin/python bench/load.py [--guests 20] [--duration 60] [--properties 10000]

One run starts everything on loopback (Temporal dev server, a fresh Postgres database
migrated with alembic and bulk-loaded with COPY, Redis, the API, the worker, the Kaspi
sandbox with auto-confirm off), first measures the bare-Temporal ceiling (bench/bare_shape.py
at the same concurrency), then lets `--guests` guests loop for `--duration` seconds:
search (filters and dates from a small fixed set, so the cache warms) → pick a result →
POST a booking (sometimes a "hot" apartment on purpose, so 409s happen) with a staff
"booking partner" token, which the guest's Telegram id needs → for a 201, a correctly
signed Kaspi webhook. At the end every 201 must be confirmed, and SQL checks
that no two active bookings share a (property, night). Prints a table, writes JSON (and
the app's JSON logs) into bench/results/, drops the database and stops everything, also
on Ctrl-C or SIGTERM. API and webhook rate limits are off: every guest shares 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import re
import secrets
import signal
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg  # type: ignore[import-untyped]
import httpx
from cryptography.fernet import Fernet
from temporalio.client import Client
from temporalio.worker import Worker

if __package__ in (None, ""):  # run as `python bench/load.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.analytics_queries import DISTRICTS, PROPERTY_COLUMNS
from bench.bare_shape import ACTIVITIES, BareBookingWorkflow
from bench.booking_throughput import (
    BARE_QUEUE,
    Phase,
    RealSetup,
    bare_cycle,
    redirect_logs,
    run_phase,
    signed_webhook,
)
from bench.infra import (
    CpuMeter,
    PgServer,
    bearer,
    exit_now,
    fresh_database,
    issue_partner_token,
    postgres_server,
    redis_url,
    run_recorded,
    running_apps,
    serve,
    temporal_dev_server,
    tree_cpu,
)
from core.clock import today_local
from core.crypto import CodeCipher
from core.db import create_engine, create_session_factory
from core.temporal import data_converter
from models.enums import CancellationPolicy, PropertyClass, Role

REQUEST_TIMEOUT = 10.0  # a request slower than this counts as an error (timeout)
CONFIRM_TIMEOUT = 30.0  # after the run, every 201 must be confirmed within this
HOT_SHARE = 0.2  # bookings aimed at a few hot apartments on the same nights: 409s expected
TARGET_SEARCH_P95_WARM_MS = 50.0
SEARCH_ONLY_S = 5.0  # after the load: searches only, nothing invalidates the cache
ACTIVE = ("pending_payment", "confirmed", "completed")


# --- data ---------------------------------------------------------------------------------


async def bulk_load(dsn: str, cipher: CodeCipher, count: int, seed: int) -> float:
    """One owner and `count` apartments over three cities, with COPY (codes encrypted)."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    cities = list(DISTRICTS)
    classes = [c.value for c in PropertyClass]
    rows = []
    for pid in range(1, count + 1):
        city = cities[pid % len(cities)]
        rows.append(
            (
                pid,
                1,
                f"Квартира {pid}",
                city,
                rng.choice(DISTRICTS[city]),
                rng.choice(classes),
                rng.randint(1, 4),
                f"ул. Абая, {pid}",
                "",
                4,
                rng.randrange(8_000, 60_000, 500),
                5_000,
                1,
                30,
                datetime(2000, 1, 1, 14).time(),
                datetime(2000, 1, 1, 12).time(),
                CancellationPolicy.FLEXIBLE.value,
                "free",
                True,
                "Подъезд 1",
                secrets.token_hex(12),
                cipher.encrypt(f"KS-{pid:05d}"),
                cipher.encrypt(f"SL-{pid:06d}"),
            )
        )
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.execute(
                "INSERT INTO app_user (id, name, phone, language, role) "
                "VALUES (1, 'Load Owner', '+77010000001', 'ru', $1)",
                Role.ADMIN.value,
            )
            await conn.copy_records_to_table(
                "property",
                records=rows,
                columns=(*PROPERTY_COLUMNS, "key_safe_code_enc", "smart_lock_code_enc"),
            )
            for table in ("app_user", "property"):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return time.perf_counter() - t0


def filter_set(today: date) -> list[dict[str, str]]:
    """A small fixed set of searches: 12 filter shapes × 4 date ranges = 48 cache keys."""
    shapes: list[dict[str, str]] = []
    for city, districts in DISTRICTS.items():
        shapes.append({"city": city})
        shapes.append({"city": city, "district": districts[0]})
        shapes.append({"city": city, "property_class": PropertyClass.COMFORT.value, "rooms": "2"})
        shapes.append({"city": city, "rooms": "1"})
    dates = []
    for offset, nights in ((3, 3), (5, 3), (7, 2), (12, 4)):  # overlapping ranges
        check_in = today + timedelta(days=offset)
        dates.append(
            {
                "check_in": check_in.isoformat(),
                "check_out": (check_in + timedelta(days=nights)).isoformat(),
            }
        )
    return [shape | d for shape in shapes for d in dates]


# --- measuring ----------------------------------------------------------------------------


@dataclass
class LoadStats:
    search_cold_ms: list[float] = field(default_factory=list)
    search_warm_ms: list[float] = field(default_factory=list)
    hold_ms: list[float] = field(default_factory=list)
    searches: int = 0
    empty_searches: int = 0
    created: list[str] = field(default_factory=list)
    conflicts: int = 0
    webhooks: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seen_keys: set[str] = field(default_factory=set)

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 10:
            self.error_samples.append(what[:300])


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def pcts(values: list[float]) -> dict[str, float | None]:
    return {
        f"p{q}": (round(v, 1) if (v := pct(values, q)) is not None else None) for q in (50, 95, 99)
    }


async def guest_loop(
    n: int,
    http: httpx.AsyncClient,
    secret: str,
    searches: list[dict[str, str]],
    hot: list[int],
    stats: LoadStats,
    deadline: float,
    serial: itertools.count[int],
    auth: dict[str, str],
) -> None:
    """`auth`: a staff token's header, which the API requires for `guest.telegram_id`."""
    rng = random.Random(n)
    loop = asyncio.get_running_loop()
    while loop.time() < deadline:
        params = rng.choice(searches)
        key = json.dumps(params, sort_keys=True)
        cold = key not in stats.seen_keys
        stats.seen_keys.add(key)
        try:
            t0 = time.perf_counter()
            found = await http.get("/api/v1/properties", params=params)
            ms = 1000 * (time.perf_counter() - t0)
        except httpx.HTTPError as exc:
            stats.error(f"search: {type(exc).__name__}: {exc}")
            continue
        stats.searches += 1
        if found.status_code != 200:
            stats.error(f"search → {found.status_code} {found.text[:200]}")
            continue
        (stats.search_cold_ms if cold else stats.search_warm_ms).append(ms)
        items = found.json()["items"]
        if rng.random() < HOT_SHARE:
            property_id = rng.choice(hot)  # the same few apartments and nights: contested
        elif items:
            property_id = rng.choice(items)["id"]
        else:
            stats.empty_searches += 1
            continue
        i = next(serial)
        body = {
            "property_id": property_id,
            "check_in": params["check_in"],
            "check_out": params["check_out"],
            "guests": 2,
            "guest": {"name": f"Гость {i}", "phone": f"+7703{i:07d}", "telegram_id": 2 * 10**6 + i},
            "channel": "telegram",
            "payment_method": "kaspi",
        }
        try:
            t0 = time.perf_counter()
            created = await http.post("/api/v1/bookings", json=body, headers=auth)
            hold = 1000 * (time.perf_counter() - t0)
        except httpx.HTTPError as exc:
            stats.error(f"booking: {type(exc).__name__}: {exc}")
            continue
        if created.status_code == 409:
            stats.conflicts += 1
            continue
        if created.status_code != 201:
            stats.error(f"booking → {created.status_code} {created.text[:200]}")
            continue
        stats.hold_ms.append(hold)
        booking = created.json()
        stats.created.append(booking["booking_id"])
        raw, headers = signed_webhook(
            secret,
            {
                "payment_id": booking["payment"]["kaspi_payment_id"],
                "booking_id": booking["booking_id"],
                "amount": booking["total"],
                "status": "paid",
            },
        )
        try:
            paid = await http.post("/api/v1/payments/kaspi/webhook", content=raw, headers=headers)
        except httpx.HTTPError as exc:
            stats.error(f"webhook: {type(exc).__name__}: {exc}")
            continue
        if paid.status_code != 200 or paid.json().get("status") != "accepted":
            stats.error(f"webhook → {paid.status_code} {paid.text[:200]}")
            continue
        stats.webhooks += 1


async def search_only(
    base_url: str, searches: list[dict[str, str]], guests: int, seconds: float
) -> list[float]:
    """Warm every key once, then `guests` loops of searches only for `seconds`.

    aiohttp rather than httpx here: at hundreds of requests a second httpx costs more CPU
    per request than the API itself, and the load generator shares the machine's 2 cores.
    """
    latencies: list[float] = []
    loop = asyncio.get_running_loop()
    connector = aiohttp.TCPConnector(limit=guests + 5)
    async with aiohttp.ClientSession(base_url, connector=connector) as http:
        for params in searches:
            async with http.get("/api/v1/properties", params=params) as response:
                await response.read()
        deadline = loop.time() + seconds

        async def one(n: int) -> None:
            rng = random.Random(1000 + n)
            while loop.time() < deadline:
                t0 = time.perf_counter()
                async with http.get("/api/v1/properties", params=rng.choice(searches)) as found:
                    await found.read()
                    if found.status == 200:
                        latencies.append(1000 * (time.perf_counter() - t0))

        await asyncio.gather(*(one(n) for n in range(guests)))
    return latencies


async def wait_confirmed(dsn: str, booking_ids: list[str]) -> int:
    """How many of `booking_ids` are confirmed, waiting up to CONFIRM_TIMEOUT for the rest."""
    conn = await asyncpg.connect(dsn)
    try:
        deadline = time.monotonic() + CONFIRM_TIMEOUT
        while True:
            confirmed = int(
                await conn.fetchval(
                    "SELECT count(*) FROM booking WHERE id = ANY($1::text[]) "
                    "AND status = 'confirmed'",
                    booking_ids,
                )
            )
            if confirmed == len(booking_ids) or time.monotonic() > deadline:
                return confirmed
            await asyncio.sleep(0.2)
    finally:
        await conn.close()


async def double_bookings(dsn: str) -> dict[str, int]:
    """Independent of the calendar's UNIQUE: overlapping active bookings of one apartment,
    nights held twice, and active bookings whose nights are not all in the calendar."""
    conn = await asyncpg.connect(dsn)
    try:
        overlapping = await conn.fetchval(
            "SELECT count(*) FROM booking a JOIN booking b ON a.property_id = b.property_id "
            "AND a.id < b.id AND a.check_in < b.check_out AND b.check_in < a.check_out "
            "WHERE a.status = ANY($1::text[]) AND b.status = ANY($1::text[])",
            list(ACTIVE),
        )
        nights_twice = await conn.fetchval(
            "SELECT count(*) FROM (SELECT property_id, night FROM calendar_night "
            "GROUP BY 1, 2 HAVING count(*) > 1) t"
        )
        missing_nights = await conn.fetchval(
            "SELECT count(*) FROM booking b WHERE b.status = ANY($1::text[]) AND b.nights <> "
            "(SELECT count(*) FROM calendar_night c WHERE c.booking_id = b.id "
            "AND c.property_id = b.property_id)",
            list(ACTIVE),
        )
        active = await conn.fetchval(
            "SELECT count(*) FROM booking WHERE status = ANY($1::text[])", list(ACTIVE)
        )
    finally:
        await conn.close()
    return {
        "overlapping_active_pairs": int(overlapping),
        "nights_held_twice": int(nights_twice),
        "active_without_all_nights": int(missing_nights),
        "active_bookings": int(active),
    }


def cache_counts(metrics_text: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for result, value in re.findall(
        r'^zhilyego_search_cache_total\{result="(\w+)"\} ([0-9.e+]+)$', metrics_text, re.M
    ):
        found[result] = float(value)
    return found


# --- phases -------------------------------------------------------------------------------


async def bare_ceiling(client: Client, meter: CpuMeter, args: argparse.Namespace) -> Phase:
    cycle = bare_cycle(client, "load-" + secrets.token_hex(3), itertools.count(1))
    async with Worker(
        client, task_queue=BARE_QUEUE, workflows=[BareBookingWorkflow], activities=ACTIVITIES
    ):
        print(f"bare-Temporal ceiling @{args.guests} for {args.bare_duration:g} s", flush=True)
        await run_phase("warm-up", cycle, meter, concurrency=args.guests, duration=2.0)
        return await run_phase(
            f"bare @{args.guests}",
            cycle,
            meter,
            concurrency=args.guests,
            duration=args.bare_duration,
        )


async def load_real(
    address: str, db_url: str, redis: str, args: argparse.Namespace
) -> dict[str, Any]:
    real = RealSetup.create(address, db_url, redis, args.log_level)
    settings, secret, api_url = real.settings, real.secret, real.api_url
    dsn = db_url.replace("postgresql+asyncpg://", "postgresql://", 1)
    load_s = await bulk_load(dsn, CodeCipher.from_settings(settings), args.properties, args.seed)
    print(f"loaded {args.properties} apartments (COPY + VACUUM ANALYZE) in {load_s:.1f} s")
    engine = create_engine(db_url, pool_size=1)
    try:
        auth = bearer(await issue_partner_token(create_session_factory(engine)))
    finally:
        await engine.dispose()
    redirect_logs(args.log_file)
    today = today_local()
    searches = filter_set(today)
    hot = [1, 2]
    stats = LoadStats()
    limits = httpx.Limits(max_connections=args.guests + 5)
    async with (
        serve(real.sandbox(), real.kaspi_port),
        # API and worker in their own processes, as deployed; guests and sandbox stay here.
        running_apps(
            settings, args.log_file, api_port=real.api_port, api_workers=args.api_workers
        ) as api_proc,
        httpx.AsyncClient(base_url=api_url, timeout=REQUEST_TIMEOUT, limits=limits) as http,
    ):
        ready = await http.get("/readyz")
        if ready.status_code != 200:
            raise RuntimeError(f"/readyz → {ready.status_code} {ready.text[:300]}")
        cache_before = cache_counts((await http.get("/metrics")).text)
        print(f"{args.guests} guests for {args.duration:g} s ({len(searches)} searches)")
        loop = asyncio.get_running_loop()
        start = loop.time()
        serial = itertools.count(1)
        await asyncio.gather(
            *(
                guest_loop(
                    n, http, secret, searches, hot, stats, start + args.duration, serial, auth
                )
                for n in range(args.guests)
            )
        )
        elapsed = loop.time() - start
        cache_after = cache_counts((await http.get("/metrics")).text)
        # Holds keep invalidating the pages they touch; once the worker has caught up, a
        # read-only spell shows the cache warm.
        confirmed = await wait_confirmed(dsn, stats.created)
        api_cpu, own_cpu = tree_cpu(api_proc.pid), time.process_time()
        quiet = await search_only(api_url, searches, args.guests, SEARCH_ONLY_S)
        api_cpu, own_cpu = tree_cpu(api_proc.pid) - api_cpu, time.process_time() - own_cpu
        doubles = await double_bookings(dsn)
    hits = cache_after.get("hit", 0.0) - cache_before.get("hit", 0.0)
    misses = cache_after.get("miss", 0.0) - cache_before.get("miss", 0.0)
    return {
        "elapsed_s": round(elapsed, 2),
        "load_s": round(load_s, 1),
        "searches": stats.searches,
        "searches_per_s": round(stats.searches / elapsed, 2),
        "bookings_201": len(stats.created),
        "bookings_per_s": round(len(stats.created) / elapsed, 2),
        "conflicts_409": stats.conflicts,
        "empty_searches": stats.empty_searches,
        "webhooks_accepted": stats.webhooks,
        "confirmed": confirmed,
        "errors": stats.errors,
        "error_samples": stats.error_samples,
        "search_ms": {
            "cold": pcts(stats.search_cold_ms) | {"n": len(stats.search_cold_ms)},
            "warm": pcts(stats.search_warm_ms) | {"n": len(stats.search_warm_ms)},
        },
        "search_only_ms": pcts(quiet)
        | {
            "n": len(quiet),
            "seconds": SEARCH_ONLY_S,
            "api_cpu_ms_per_search": round(1000 * api_cpu / max(1, len(quiet)), 2),
            "guests_cpu_ms_per_search": round(1000 * own_cpu / max(1, len(quiet)), 2),
        },
        "hold_ms": pcts(stats.hold_ms) | {"n": len(stats.hold_ms)},
        "cache": {
            "hits": int(hits),
            "misses": int(misses),
            "hit_ratio": round(hits / (hits + misses), 3) if hits + misses else None,
        },
        "double_bookings": doubles,
    }


# --- report -------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return f"{value:.0f}" if value is not None else "-"


def report(bare: Phase, real: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    ratio = real["bookings_per_s"] / bare.rate if bare.rate else 0.0
    cold, warm, hold = real["search_ms"]["cold"], real["search_ms"]["warm"], real["hold_ms"]
    quiet = real["search_only_ms"]
    doubles = real["double_bookings"]
    double_total = (
        doubles["overlapping_active_pairs"]
        + doubles["nights_held_twice"]
        + doubles["active_without_all_nights"]
    )
    rows = [
        ("searches / s", f"{real['searches_per_s']:.1f}  ({real['searches']})"),
        ("bookings (201) / s", f"{real['bookings_per_s']:.1f}  ({real['bookings_201']})"),
        ("bare-Temporal ceiling / s", f"{bare.rate:.1f}"),
        ("real ÷ bare", f"{ratio:.2f}"),
        (
            f"search cold p50/p95/p99 ms (n={cold['n']})",
            f"{_ms(cold['p50'])} / {_ms(cold['p95'])} / {_ms(cold['p99'])}",
        ),
        (
            f"search warm p50/p95/p99 ms (n={warm['n']})",
            f"{_ms(warm['p50'])} / {_ms(warm['p95'])} / {_ms(warm['p99'])}",
        ),
        (
            f"search-only, cache warm p50/p95/p99 ms (n={quiet['n']})",
            f"{_ms(quiet['p50'])} / {_ms(quiet['p95'])} / {_ms(quiet['p99'])}",
        ),
        (
            "  CPU ms per search: API / load generator",
            f"{quiet['api_cpu_ms_per_search']} / {quiet['guests_cpu_ms_per_search']}",
        ),
        (
            "search cache hits / misses (load)",
            f"{real['cache']['hits']} / {real['cache']['misses']}"
            f"  (ratio {real['cache']['hit_ratio']})",
        ),
        (
            f"hold p50/p95/p99 ms (n={hold['n']})",
            f"{_ms(hold['p50'])} / {_ms(hold['p95'])} / {_ms(hold['p99'])}",
        ),
        ("errors (5xx / unexpected / timeouts)", str(real["errors"])),
        ("conflicts (409, expected)", str(real["conflicts_409"])),
        ("double bookings (SQL)", f"{double_total}  {doubles}"),
        ("confirmed / 201", f"{real['confirmed']} / {real['bookings_201']}"),
    ]
    print()
    print(
        f"Load — {os.cpu_count()} CPUs, {args.guests} guests, {args.duration:g} s, "
        f"{args.properties} apartments; load average (1 min) {os.getloadavg()[0]:.2f}"
    )
    print("-" * 86)
    for label, value in rows:
        print(f"{label:<48}{value}")
    print("-" * 86)
    p95 = quiet["p95"]
    checks = {
        "zero_errors": real["errors"] == 0,
        "zero_double_bookings": double_total == 0,
        "all_confirmed": real["confirmed"] == real["bookings_201"],
        "search_p95_cache_warm_ms_le_50": p95 is not None and p95 <= TARGET_SEARCH_P95_WARM_MS,
    }
    for name, ok in checks.items():
        print(f"target {name}: {'MET' if ok else 'NOT MET'}")
    for sample in real["error_samples"][:5]:
        print(f"  error: {sample}")
    return {"ratio": round(ratio, 3), "targets": checks, "bare": bare.summary(), "real": real}


# --- main ---------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict[str, Any]:
    run_id = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
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
        meter = CpuMeter(pg.url("postgres"), db_url.rsplit("/", 1)[-1].split("?")[0])
        bare = await bare_ceiling(client, meter, args)
        real = await load_real(address, db_url, redis, args)
    results = report(bare, real, args)
    return {
        "run_id": run_id,
        "args": {k: v for k, v in vars(args).items() if k != "log_file"},
        "machine": {"cpus": os.cpu_count(), "postgres": pg.kind, "redis": redis.split(":")[0]},
        **results,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Concurrent guests searching and booking.")
    parser.add_argument("--guests", type=int, default=20, help="concurrent guests")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--properties", type=int, default=10_000, help="apartments loaded")
    parser.add_argument("--bare-duration", type=float, default=10.0, help="ceiling seconds")
    parser.add_argument("--api-workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--log-level", default="INFO", help="app log level (logs go to a file)")
    args = parser.parse_args(argv)
    if args.guests < 1 or args.duration <= 0 or args.properties < 10 or args.bare_duration <= 0:
        parser.error("--guests, --duration, --bare-duration positive; --properties ≥ 10")
    return args


def main() -> int:
    results = run_recorded("load", parse_args(), run)
    if results is None:
        return 130
    return 0 if all(results["targets"].values()) else 1


if __name__ == "__main__":
    exit_now(main())
