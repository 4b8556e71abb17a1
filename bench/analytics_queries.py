"""Analytics and search speed on a realistic volume: 10 000 apartments, ~1 M calendar nights.

    .venv/bin/python bench/analytics_queries.py [--runs 7] [--revision head]
                                                [--baseline bench/results/analytics_queries-….json]

One run creates a fresh Postgres database (bench/infra.py), migrates it to `--revision`,
bulk-loads synthetic data with COPY (owners, realtors in agencies, guests, apartments over
three cities, ~150 000 bookings in every status, their nights and owner blocks), runs
VACUUM ANALYZE, then times warm runs (median of `--runs`) of:
- `services.analytics.build_report` for one owner, one agency realtor with many apartments
  and staff (everything), each over the last 7 days, the last 30 days and this year;
- `services.search.search_properties` with and without dates for several filter sets.
It prints a table in ms, EXPLAIN (ANALYZE, BUFFERS) summaries of the slowest statements
(top node, scans, indexes used), writes JSON into bench/results/ and drops the database,
also on Ctrl-C. `--revision 0002` measures the schema before the analytics indexes;
`--baseline` puts an earlier JSON beside this run's figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import statistics
import sys
import time as _time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

if __package__ in (None, ""):  # run as `python bench/analytics_queries.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.infra import fresh_database, postgres_server
from core.clock import today_local
from core.db import SessionFactory, create_engine, create_session_factory
from models.enums import (
    BookingStatus,
    CancellationPolicy,
    CancelledBy,
    CancelReason,
    Channel,
    PaymentMethod,
    PropertyClass,
    Role,
)
from services.analytics import PeriodKey, build_report, period_for
from services.scope import Scope
from services.search import SearchFilters, search_properties

RESULTS_DIR = Path(__file__).resolve().parent / "results"
BIG_TABLES = {"booking", "calendar_night"}
DISTRICTS = {
    "Almaty": ["Медеуский", "Бостандыкский", "Алмалинский", "Ауэзовский", "Наурызбайский"],
    "Astana": ["Есильский", "Алматинский", "Сарыаркинский", "Байконурский"],
    "Shymkent": ["Абайский", "Аль-Фарабийский", "Енбекшинский"],
}
CITY_WEIGHTS = {"Almaty": 5, "Astana": 4, "Shymkent": 1}
PAST_DAYS, FUTURE_DAYS = 365, 90  # the calendar covers a year back and a quarter ahead
REPORT_LABELS = ["apartments", "bookings", "booked nights", "blocked nights", "guests", "reasons"]
SEARCH_LABELS = ["count", "page", "ratings", "photos"]


# --- synthetic data -------------------------------------------------------------------------


@dataclass
class Dataset:
    agencies: list[tuple[Any, ...]] = field(default_factory=list)
    users: list[tuple[Any, ...]] = field(default_factory=list)
    properties: list[tuple[Any, ...]] = field(default_factory=list)
    bookings: list[tuple[Any, ...]] = field(default_factory=list)
    nights: list[tuple[Any, ...]] = field(default_factory=list)
    staff_id: int = 1
    realtor_id: int = 2  # agency 1, many apartments
    owner_id: int = 3  # an ordinary owner

    def counts(self) -> dict[str, int]:
        return {
            "agencies": len(self.agencies),
            "users": len(self.users),
            "properties": len(self.properties),
            "bookings": len(self.bookings),
            "calendar_nights": len(self.nights),
        }


USER_COLUMNS = ("id", "name", "phone", "language", "role", "agency_id")
PROPERTY_COLUMNS = (
    "id",
    "owner_id",
    "title",
    "city",
    "district",
    "property_class",
    "rooms",
    "address",
    "description",
    "max_guests",
    "price_per_night",
    "cleaning_fee",
    "min_nights",
    "max_nights",
    "check_in_time",
    "check_out_time",
    "cancellation_policy",
    "status",
    "is_active",
    "checkin_instructions",
    "ical_token",
)
BOOKING_COLUMNS = (
    "id",
    "property_id",
    "guest_id",
    "check_in",
    "check_out",
    "nights",
    "guests",
    "price_per_night",
    "cleaning_fee",
    "total",
    "status",
    "channel",
    "payment_method",
    "cancellation_policy",
    "expires_at",
    "created_at",
    "confirmed_at",
    "cancelled_at",
    "cancelled_by",
    "cancel_reason",
    "refund_amount",
    "completed_at",
)
NIGHT_COLUMNS = ("property_id", "night", "kind", "booking_id", "note")


def generate(
    today: date, *, properties: int, owners: int, guests: int, agencies: int, seed: int
) -> Dataset:
    """Deterministic for a seed: ~15 bookings (7 nights on average) and ~5 owner blocks per
    apartment over PAST_DAYS + FUTURE_DAYS; cancelled and expired bookings hold no nights."""
    rng = random.Random(seed)
    data = Dataset()
    data.agencies = [(n, f"Агентство {n}") for n in range(1, agencies + 1)]
    data.users.append((data.staff_id, "Staff", "+77000000001", "ru", Role.SUPER_ADMIN.value, None))
    owner_ids = list(range(2, 2 + owners))
    for uid in owner_ids:
        agency = (
            1 if uid == data.realtor_id else (rng.randint(1, agencies) if uid % 5 < 3 else None)
        )
        data.users.append(
            (uid, f"Риелтор {uid}", f"+7701{uid:07d}", "ru", Role.ADMIN.value, agency)
        )
    guest_ids = list(range(2 + owners, 2 + owners + guests))
    for uid in guest_ids:
        data.users.append((uid, f"Гость {uid}", f"+7705{uid:07d}", "ru", Role.GUEST.value, None))

    cities = list(CITY_WEIGHTS)
    weights = list(CITY_WEIGHTS.values())
    classes = [c.value for c in PropertyClass]
    policies = [c.value for c in CancellationPolicy]
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)
    span = (last - first).days
    other_owners = [o for o in owner_ids if o != data.realtor_id]
    booking_no = 0
    for pid in range(1, properties + 1):
        owner = data.realtor_id if pid % 33 == 0 else rng.choice(other_owners)
        city = rng.choices(cities, weights)[0]
        price = rng.randrange(8_000, 60_000, 500)
        fee = rng.choice((0, 3_000, 5_000))
        policy = rng.choice(policies)
        data.properties.append(
            (
                pid,
                owner,
                f"Квартира {pid}",
                city,
                rng.choice(DISTRICTS[city]),
                rng.choice(classes),
                rng.randint(1, 5),
                f"ул. Абая, {pid}",
                "",
                rng.randint(2, 8),
                price,
                fee,
                1,
                30,
                time(14, 0),
                time(12, 0),
                policy,
                "free",
                rng.random() > 0.03,
                "",
                secrets.token_hex(12),
            )
        )
        events = [("b", rng.randint(1, 13)) for _ in range(rng.randint(10, 20))]
        events += [("o", rng.randint(1, 7)) for _ in range(rng.randint(2, 8))]
        rng.shuffle(events)
        slack = max(span - sum(n for _, n in events), 0)
        day = first
        for kind, length in events:
            day += timedelta(days=rng.randint(0, 2 * slack // (len(events) + 1)))
            end = day + timedelta(days=length)
            if end > last:
                break
            if kind == "o":
                data.nights.extend(
                    (pid, day + timedelta(days=i), "owner", None, "") for i in range(length)
                )
            else:
                booking_no += 1
                booking = _booking(rng, f"bn{booking_no:09d}", pid, guest_ids, day, end, today)
                booking[7:10] = [price, fee, price * length + fee]
                booking[13] = policy
                if booking[20] == -1:  # paid, then cancelled: full, half or no refund
                    booking[20] = rng.choice((booking[9], booking[9] // 2, 0))
                data.bookings.append(tuple(booking))
                if booking[10] in _HOLDS_NIGHTS:
                    data.nights.extend(
                        (pid, day + timedelta(days=i), "booking", booking[0], "")
                        for i in range(length)
                    )
            day = end
    return data


_HOLDS_NIGHTS = {
    BookingStatus.PENDING_PAYMENT.value,
    BookingStatus.CONFIRMED.value,
    BookingStatus.COMPLETED.value,
}
_REASONS = [
    CancelReason.PLANS_CHANGED.value,
    CancelReason.FOUND_ANOTHER.value,
    CancelReason.PRICE.value,
    CancelReason.OTHER.value,
    CancelReason.OWNER_UNAVAILABLE.value,
]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour % 24), tzinfo=UTC)


def _booking(
    rng: random.Random,
    booking_id: str,
    pid: int,
    guest_ids: list[int],
    check_in: date,
    check_out: date,
    today: date,
) -> list[Any]:
    """A booking row in BOOKING_COLUMNS order; prices are filled in by the caller."""
    nights = (check_out - check_in).days
    created = _at(check_in - timedelta(days=rng.randint(1, 40)), rng.randint(0, 23))
    confirmed = created + timedelta(minutes=rng.randint(2, 50))
    expires: datetime | None = None
    confirmed_at: datetime | None = confirmed
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None
    reason: str | None = None
    refund: int | None = None
    completed_at: datetime | None = None
    r = rng.random()
    if r < 0.14:
        status = BookingStatus.CANCELLED.value
        cancelled_at = confirmed + timedelta(hours=rng.randint(1, 200))
        cancelled_by = rng.choice(
            (CancelledBy.GUEST.value, CancelledBy.GUEST.value, CancelledBy.OWNER.value)
        )
        reason = rng.choice(_REASONS)
        if rng.random() < 0.3:  # cancelled before paying
            confirmed_at = None
        else:
            refund = -1  # the caller picks it once the total is known
    elif r < 0.22:
        status = BookingStatus.AUTO_CANCELLED.value
        confirmed_at = None
        cancelled_at = created + timedelta(minutes=30)
        cancelled_by, reason = CancelledBy.SYSTEM.value, CancelReason.PAYMENT_TIMEOUT.value
    elif r < 0.24 and check_in > today:
        status = BookingStatus.PENDING_PAYMENT.value
        confirmed_at = None
        expires = created + timedelta(minutes=30)
    elif check_out <= today:
        status = BookingStatus.COMPLETED.value
        completed_at = _at(check_out, 12)
    else:
        status = BookingStatus.CONFIRMED.value
    return [
        booking_id,
        pid,
        rng.choice(guest_ids),
        check_in,
        check_out,
        nights,
        rng.randint(1, 4),
        0,
        0,
        0,
        status,
        rng.choice((Channel.TELEGRAM.value, Channel.WHATSAPP.value, Channel.API.value)),
        PaymentMethod.KASPI.value if rng.random() < 0.8 else PaymentMethod.MANUAL.value,
        "",
        expires,
        created,
        confirmed_at,
        cancelled_at,
        cancelled_by,
        reason,
        refund,
        completed_at,
    ]


async def load(dsn: str, data: Dataset) -> float:
    """COPY everything in; FK/trigger checks are off for the load (the data is consistent
    by construction), then VACUUM ANALYZE as autovacuum would eventually do."""
    t0 = _time.perf_counter()
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            await conn.copy_records_to_table(
                "agency", records=data.agencies, columns=("id", "name")
            )
            await conn.copy_records_to_table("app_user", records=data.users, columns=USER_COLUMNS)
            await conn.copy_records_to_table(
                "property", records=data.properties, columns=PROPERTY_COLUMNS
            )
            await conn.copy_records_to_table(
                "booking", records=data.bookings, columns=BOOKING_COLUMNS
            )
            await conn.copy_records_to_table(
                "calendar_night", records=data.nights, columns=NIGHT_COLUMNS
            )
            for table in ("agency", "app_user", "property"):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return _time.perf_counter() - t0


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Statement:
    sql: str
    params: Any
    ms: float


class Recorder:
    """Every statement the engine sends while `active`, with its own duration."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.active = False
        self.statements: list[Statement] = []
        sync = engine.sync_engine

        @event.listens_for(sync, "before_cursor_execute")
        def _before(
            conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool
        ) -> None:
            conn.info["bench_t0"] = _time.perf_counter()

        @event.listens_for(sync, "after_cursor_execute")
        def _after(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
            if self.active:
                ms = 1000 * (_time.perf_counter() - conn.info.pop("bench_t0"))
                self.statements.append(Statement(sql, params, ms))

    def start(self) -> None:
        self.statements = []
        self.active = True

    def stop(self) -> list[Statement]:
        self.active = False
        return self.statements


@dataclass
class Case:
    group: str  # "report" | "search"
    name: str
    total_ms: list[float] = field(default_factory=list)
    per_query_ms: dict[str, list[float]] = field(default_factory=dict)
    statements: dict[str, Statement] = field(default_factory=dict)
    rows: int = 0  # apartments in the report / total hits of the search

    def median(self) -> float:
        return statistics.median(self.total_ms)

    def query_medians(self) -> dict[str, float]:
        return {k: statistics.median(v) for k, v in self.per_query_ms.items()}

    def summary(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "name": self.name,
            "rows": self.rows,
            "median_ms": round(self.median(), 2),
            "min_ms": round(min(self.total_ms), 2),
            "max_ms": round(max(self.total_ms), 2),
            "queries_median_ms": {k: round(v, 2) for k, v in self.query_medians().items()},
        }


async def measure(
    case: Case,
    recorder: Recorder,
    labels: list[str],
    call: Callable[[], Awaitable[int]],
    runs: int,
    warmup: int,
) -> Case:
    for i in range(warmup + runs):
        recorder.start()
        t0 = _time.perf_counter()
        case.rows = await call()
        elapsed = 1000 * (_time.perf_counter() - t0)
        statements = recorder.stop()
        if i < warmup:
            continue
        case.total_ms.append(elapsed)
        for n, st in enumerate(statements):
            label = labels[n] if n < len(labels) else f"q{n}"
            case.per_query_ms.setdefault(label, []).append(st.ms)
            case.statements[label] = st
    return case


def report_cases(data: Dataset, today: date) -> Iterator[tuple[str, Scope, PeriodKey]]:
    scopes = [
        ("owner", Scope(owner_id=data.owner_id)),
        ("realtor", Scope(owner_id=data.realtor_id)),
        ("staff", Scope(owner_id=None)),
    ]
    for who, scope in scopes:
        for key in (PeriodKey.LAST_7_DAYS, PeriodKey.LAST_30_DAYS, PeriodKey.THIS_YEAR):
            yield f"{who} {key.value}", scope, key


def search_cases(today: date) -> list[tuple[str, SearchFilters]]:
    week_in = today + timedelta(days=14)
    week_out = week_in + timedelta(days=3)
    return [
        ("no filter", SearchFilters()),
        ("city", SearchFilters(city="Almaty")),
        (
            "city+class+rooms",
            SearchFilters(city="Almaty", property_class=PropertyClass.COMFORT, rooms=2),
        ),
        ("city+district+4+", SearchFilters(city="Astana", district="Есильский", min_rooms=4)),
        ("dates", SearchFilters(check_in=week_in, check_out=week_out)),
        ("city+dates", SearchFilters(city="Almaty", check_in=week_in, check_out=week_out)),
        (
            "city+class+dates",
            SearchFilters(
                city="Astana",
                property_class=PropertyClass.BUSINESS,
                min_rooms=2,
                check_in=week_in,
                check_out=week_out,
            ),
        ),
        (
            "dates (30 nights)",
            SearchFilters(check_in=week_in, check_out=week_in + timedelta(days=30)),
        ),
    ]


async def run_cases(
    sessions: SessionFactory, recorder: Recorder, data: Dataset, today: date, args: Any
) -> list[Case]:
    cases: list[Case] = []
    for name, scope, key in report_cases(data, today):
        period = period_for(key, today)

        async def report_call(scope: Scope = scope, period: Any = period) -> int:
            async with sessions() as session:
                return len((await build_report(session, scope, period)).apartments)

        cases.append(
            await measure(
                Case("report", name), recorder, REPORT_LABELS, report_call, args.runs, args.warmup
            )
        )
        print(f"  report {name:<22} {cases[-1].median():8.1f} ms", flush=True)
    for name, filters in search_cases(today):

        async def search_call(filters: SearchFilters = filters) -> int:
            async with sessions() as session:
                page = await search_properties(session, filters, page=1, page_size=10)
                return page.total

        cases.append(
            await measure(
                Case("search", name), recorder, SEARCH_LABELS, search_call, args.runs, args.warmup
            )
        )
        print(f"  search {name:<22} {cases[-1].median():8.1f} ms", flush=True)
    return cases


# --- EXPLAIN --------------------------------------------------------------------------------


def _walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _walk(child)


def summarise_plan(plan: dict[str, Any]) -> dict[str, Any]:
    top = plan["Plan"]
    scans = []
    for node in _walk(top):
        relation = node.get("Relation Name")
        index = node.get("Index Name")
        if relation is None and index is None:
            continue
        scans.append(
            {
                "node": node["Node Type"],
                "relation": relation,
                "index": index,
                "rows": int(node.get("Actual Rows", 0)) * int(node.get("Actual Loops", 1)),
            }
        )
    seq_big = sorted({s["relation"] for s in scans if s["node"] == "Seq Scan"} & BIG_TABLES)
    return {
        "top_node": top["Node Type"],
        "execution_ms": round(float(plan.get("Execution Time", 0.0)), 2),
        "planning_ms": round(float(plan.get("Planning Time", 0.0)), 2),
        "shared_hit": int(top.get("Shared Hit Blocks", 0)),
        "shared_read": int(top.get("Shared Read Blocks", 0)),
        "indexes": sorted({s["index"] for s in scans if s["index"]}),
        "seq_scans": sorted({s["relation"] for s in scans if s["node"] == "Seq Scan"}),
        "seq_scan_on_big_table": seq_big,
        "scans": scans,
    }


async def explain(engine: AsyncEngine, statement: Statement) -> dict[str, Any]:
    async with engine.connect() as conn:
        result = await conn.exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement.sql, statement.params
        )
        raw = result.scalar_one()
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
    return summarise_plan(plan)


async def explain_slowest(engine: AsyncEngine, cases: list[Case], top: int) -> list[dict[str, Any]]:
    """EXPLAIN the `top` slowest statements over all cases, plus up to `top` more of the
    slowest that scan a big table sequentially (so the index work can be checked)."""
    ranked = sorted(
        ((ms, case, label) for case in cases for label, ms in case.query_medians().items()),
        key=lambda t: -t[0],
    )
    out: list[dict[str, Any]] = []
    flagged = 0
    for rank, (ms, case, label) in enumerate(ranked):
        summary = await explain(engine, case.statements[label])
        if rank >= top and summary["seq_scan_on_big_table"]:
            flagged += 1
        if rank < top or (summary["seq_scan_on_big_table"] and flagged <= top):
            out.append(
                {"case": f"{case.group} {case.name}", "query": label, "median_ms": round(ms, 2)}
                | summary
            )
    return out


# --- report ---------------------------------------------------------------------------------


def print_table(cases: list[Case], baseline: dict[str, float] | None) -> None:
    print()
    head = f"{'case':<32}{'rows':>7}{'median ms':>11}{'min':>8}{'max':>8}  slowest query"
    if baseline:
        head = f"{'case':<32}{'rows':>7}{'before ms':>11}{'after ms':>10}{'min':>8}{'max':>8}"
        head += "  slowest query"
    print(head)
    print("-" * (len(head) + 16))
    for case in cases:
        q = case.query_medians()
        worst = max(q, key=lambda k: q[k]) if q else "-"
        key = f"{case.group} {case.name}"
        before = f"{baseline[key]:>11.1f}" if baseline and key in baseline else ""
        if baseline:
            before = before or f"{'-':>11}"
            line = f"{key:<32}{case.rows:>7}{before}{case.median():>10.1f}"
        else:
            line = f"{key:<32}{case.rows:>7}{case.median():>11.1f}"
        line += f"{min(case.total_ms):>8.1f}{max(case.total_ms):>8.1f}"
        line += f"  {worst} {q.get(worst, 0):.1f}"
        print(line)


def print_explains(explains: list[dict[str, Any]]) -> None:
    print("\nEXPLAIN (ANALYZE, BUFFERS) of the slowest statements:")
    for e in explains:
        seq = ", ".join(e["seq_scans"]) or "none"
        idx = ", ".join(e["indexes"]) or "none"
        flag = "  << SEQ SCAN ON BIG TABLE" if e["seq_scan_on_big_table"] else ""
        print(
            f"  {e['case']} / {e['query']}: {e['median_ms']:.1f} ms; top {e['top_node']}, "
            f"exec {e['execution_ms']:.1f} ms, buffers hit {e['shared_hit']} read "
            f"{e['shared_read']}\n    seq scans: {seq}{flag}\n    indexes: {idx}"
        )


def load_baseline(path: Path | None) -> dict[str, float] | None:
    if path is None:
        return None
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {f"{c['group']} {c['name']}": float(c["median_ms"]) for c in doc["cases"]}


# --- main -----------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict[str, Any]:
    today = today_local()
    t0 = _time.perf_counter()
    data = generate(
        today,
        properties=args.properties,
        owners=args.properties // 8,
        guests=args.properties * 4,
        agencies=25,
        seed=args.seed,
    )
    generated_s = _time.perf_counter() - t0
    print(f"generated {data.counts()} in {generated_s:.1f} s", flush=True)
    with postgres_server() as pg:
        async with fresh_database(pg, args.revision) as url:
            name = url.rsplit("/", 1)[-1].split("?")[0]
            print(f"database {name} ({pg.kind}), migrated to {args.revision}", flush=True)
            dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
            load_s = await load(dsn, data)
            print(f"loaded (COPY + VACUUM ANALYZE) in {load_s:.1f} s", flush=True)
            if args.plan_cache_mode == "auto":  # as the app connects
                engine = create_engine(url, pool_size=1, pre_ping=False)
            else:  # a server setting of every pooled connection
                engine = create_async_engine(
                    url,
                    pool_size=1,
                    connect_args={"server_settings": {"plan_cache_mode": args.plan_cache_mode}},
                )
            try:
                recorder = Recorder(engine)
                cases = await run_cases(create_session_factory(engine), recorder, data, today, args)
                explains = await explain_slowest(engine, cases, args.explain)
                async with engine.connect() as conn:
                    indexes = (
                        await conn.exec_driver_sql(
                            "SELECT indexname FROM pg_indexes WHERE tablename IN "
                            "('booking', 'calendar_night', 'property') ORDER BY 1"
                        )
                    ).scalars()
                    index_names = list(indexes)
            finally:
                await engine.dispose()
    owner_apartments = sum(1 for p in data.properties if p[1] == data.owner_id)
    realtor_apartments = sum(1 for p in data.properties if p[1] == data.realtor_id)
    print(
        f"\nAnalytics and search — {os.cpu_count()} CPUs, Postgres {pg.kind}, schema "
        f"{args.revision}, plan_cache_mode {args.plan_cache_mode}; "
        f"{data.counts()['properties']} apartments, "
        f"{data.counts()['bookings']} bookings, {data.counts()['calendar_nights']} calendar "
        f"nights; owner {owner_apartments} apartments, realtor {realtor_apartments}, staff all; "
        f"median of {args.runs} warm runs"
    )
    print_table(cases, load_baseline(args.baseline))
    print_explains(explains)
    return {
        "revision": args.revision,
        "plan_cache_mode": args.plan_cache_mode,
        "today": today.isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "postgres": pg.kind,
            "python": platform.python_version(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "data": data.counts()
        | {"owner_apartments": owner_apartments, "realtor_apartments": realtor_apartments},
        "timing_s": {"generate": round(generated_s, 1), "load": round(load_s, 1)},
        "runs": args.runs,
        "indexes": index_names,
        "cases": [c.summary() for c in cases],
        "explains": explains,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Analytics and search query speed.")
    parser.add_argument("--runs", type=int, default=7, help="timed warm runs per case")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs per case")
    parser.add_argument("--properties", type=int, default=10_000, help="apartments")
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--revision", default="head", help="alembic revision to measure")
    parser.add_argument("--explain", type=int, default=5, help="slowest statements explained")
    parser.add_argument(
        "--plan-cache-mode",
        default="auto",
        choices=("auto", "force_custom_plan", "force_generic_plan"),
        help="Postgres plan_cache_mode of the connections (auto: as the app runs)",
    )
    parser.add_argument("--baseline", type=Path, help="an earlier JSON to compare with")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0 or args.properties < 100:
        parser.error("--runs ≥ 1, --warmup ≥ 0, --properties ≥ 100")
    return args


def main() -> int:
    args = parse_args()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    try:
        results = asyncio.run(run(args))
    except KeyboardInterrupt:
        print("\ninterrupted: the database has been dropped", file=sys.stderr)
        return 130
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = RESULTS_DIR / f"analytics_queries-{args.revision}-{args.plan_cache_mode}-{stamp}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results: {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
