"""The stack the durability drills break, every part a separate OS process that can be
`kill -9`ed and started again: a Temporal dev server (SQLite file, so its state survives),
the worker, the API, the Kaspi sandbox and the Telegram/WhatsApp stand-ins, on free ports,
over a throw-away Postgres database (reached through a drill-private proxy) and a Redis
database of their own. Bookings are made over real HTTP and paid through the sandbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import httpx
from cryptography.fernet import Fernet
from temporalio.client import Client

from bench.drills.proxy import PgProxy
from bench.infra import (
    PgServer,
    bearer,
    free_port,
    fresh_database,
    issue_partner_token,
    port_open,
)
from core.crypto import CodeCipher
from core.db import SessionFactory, create_engine, create_session_factory
from core.settings import Settings
from core.temporal import data_converter
from devstack.dev_env import (
    DEV_TELEGRAM_TOKEN,
    DEV_WHATSAPP_PHONE_NUMBER_ID,
    DEV_WHATSAPP_TOKEN,
    WHATSAPP_API_VERSION,
)
from devstack.embedded import temporal_binary
from devstack.processes import Child, stop_children
from models import Property, User
from models.enums import CancellationPolicy, PropertyClass, Role
from workflows.search_attributes import SEARCH_ATTRIBUTE_TYPES

ALMATY = ZoneInfo("Asia/Almaty")
PY = sys.executable
# Redis database 12 is the drills' own (the suite uses 7, the benchmarks 9).
REDIS_URL = "redis://127.0.0.1:6379/12"
# Short clocks (SPEC §3 timings come from settings), so a drill takes a minute, not a day.
PAYMENT_TIMEOUT = 30.0  # KASPI_PAYMENT_TIMEOUT, s
POLL_INTERVAL = 5.0  # KASPI_POLL_INTERVAL, s: a lost webhook is found by the poll
CODES_LEAD = 60.0  # CODES_LEAD_TIME, s before check-in


class DrillError(RuntimeError):
    """The stack could not be set up; the message says what is missing."""


def now() -> float:
    return time.monotonic()


async def sleep_until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - now()))


# --- processes --------------------------------------------------------------------------


class LoggedChild(Child):
    """A dev-stack Child whose output goes to a log file, so the drill's tables stay readable;
    `marked` is set once a line containing `marker` appears (e.g. "worker running")."""

    def __init__(
        self, name: str, args: list[str], *, env: dict[str, str], log: Path, marker: str | None
    ) -> None:
        # Set before Child starts the thread that reads the output.
        self.tail: deque[str] = deque(maxlen=25)
        self.marked = threading.Event()
        self._marker = marker
        self._log = log.open("a", encoding="utf-8")
        super().__init__(name, args, env=env)

    def _show(self, stream: IO[bytes]) -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode(errors="replace").rstrip()
            self.tail.append(line)
            self._log.write(line + "\n")
            self._log.flush()
            if self._marker and self._marker in line:
                self.marked.set()
        self._log.close()


ReadyCheck = Callable[["Service"], Awaitable[bool]]


class Service:
    """One restartable process of the stack."""

    def __init__(
        self,
        name: str,
        args: list[str],
        *,
        env: dict[str, str],
        logs: Path,
        ready: ReadyCheck,
        marker: str | None = None,
    ) -> None:
        self.name, self.args, self.env = name, args, env
        self.log = logs / f"{name}.log"
        self._ready = ready
        self._marker = marker
        self.child: LoggedChild | None = None
        self.starts = 0

    async def start(self, within: float = 90.0) -> float:
        """Starts the process and waits until it serves; returns the seconds that took."""
        began = now()
        self.child = LoggedChild(
            self.name, self.args, env=self.env, log=self.log, marker=self._marker
        )
        self.starts += 1
        while not await self._ready(self):
            code = self.child.exit_code()
            if code is not None or now() - began > within:
                tail = "\n  ".join(self.child.tail)
                raise DrillError(f"{self.name} did not start (exit {code}); last lines:\n  {tail}")
            await asyncio.sleep(0.1)
        return now() - began

    def kill9(self) -> None:
        """SIGKILL to the process group: no shutdown code runs."""
        assert self.child is not None
        self.child.signal(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.child.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.child is not None:
            stop_children([self.child], timeout=15)


def http_ready(url: str) -> ReadyCheck:
    async def check(_: Service) -> bool:
        try:
            async with httpx.AsyncClient(timeout=2) as client:
                return (await client.get(url)).status_code < 500
        except httpx.HTTPError:
            return False

    return check


async def worker_ready(service: Service) -> bool:
    return service.child is not None and service.child.marked.is_set()


def temporal_ready(address: str) -> ReadyCheck:
    host, port = address.split(":")

    async def check(_: Service) -> bool:
        if not port_open(host, int(port)):
            return False
        try:
            async with asyncio.timeout(3):
                await Client.connect(address)
            return True
        except (RuntimeError, TimeoutError):
            return False

    return check


# --- bookings as the drills plan them ------------------------------------------------------


@dataclass
class Apartment:
    property_id: int
    owner_chat: int  # the owner's Telegram chat: one owner per apartment, so messages map


@dataclass
class Plan:
    """One booking a drill makes, what it does with it and what it expects."""

    cohort: str
    key: str  # Idempotency-Key: a retried POST (same body) answers the same booking
    apartment: Apartment
    check_in: date
    check_out: date
    channel: str  # "telegram" | "whatsapp": where the guest hears from us
    guest_phone: str
    guest_chat: int | None
    pay: bool = False
    cancel: bool = False
    codes: bool = False  # expects the access codes to go out
    in_stay: bool = False  # expects the check-in timer to have fired
    booking_id: str = ""  # random, known from the first 201 (retries answer the same)
    guest_token: str | None = None  # from the 201: the guest's X-Guest-Token to cancel
    payment_id: str | None = None
    total: int | None = None
    sent_at: float | None = None  # first POST
    created_at: float | None = None
    paid_at: float | None = None
    error: str | None = None
    webhook: str | None = None  # what the sandbox's pay call reported
    answers: Counter[str] = field(default_factory=Counter)  # API answers to the POST
    ok_at: float | None = None  # first moment all its checks held

    @property
    def ref(self) -> str:
        """The booking id, or (before any 201 answered) a name that is no booking id."""
        return self.booking_id or f"(unbooked {self.key})"

    @property
    def expected_status(self) -> str:
        if self.cancel:
            return "cancelled"
        return "confirmed" if self.pay else "auto_cancelled"

    def body(self) -> dict[str, Any]:
        """The POST body: the same every time, so a retry with the plan's key answers the
        same booking. The guest's messenger identity (where the notices go) needs the staff
        token that `Stack.create` sends."""
        guest: dict[str, Any] = {"name": f"Гость {self.cohort}", "phone": self.guest_phone}
        if self.guest_chat is not None:
            guest["telegram_id"] = self.guest_chat
        if self.channel == "whatsapp":
            guest["whatsapp_phone"] = self.guest_phone
        return {
            "property_id": self.apartment.property_id,
            "check_in": self.check_in.isoformat(),
            "check_out": self.check_out.isoformat(),
            "guests": 2,
            "guest": guest,
            "channel": self.channel,
            "payment_method": "kaspi",
        }


# --- the stack --------------------------------------------------------------------------


@dataclass
class Ports:
    api: int = field(default_factory=free_port)
    kaspi: int = field(default_factory=free_port)
    telegram: int = field(default_factory=free_port)
    whatsapp: int = field(default_factory=free_port)
    temporal: int = field(default_factory=free_port)
    temporal_http: int = field(default_factory=free_port)
    temporal_metrics: int = field(default_factory=free_port)
    worker_metrics: int = field(default_factory=free_port)


def app_settings(ports: Ports, database_url: str, secrets_: dict[str, str]) -> dict[str, str]:
    """What devstack/dev_env.py hands its children, pointed at the drill's own ports."""
    api = f"http://127.0.0.1:{ports.api}"
    kaspi = f"http://127.0.0.1:{ports.kaspi}"
    return {
        "APP_ENV": "development",
        "AUTO_CONFIRM_PAYMENTS": "false",  # the drills decide who pays, and when
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "RATE_LIMIT_KEY_PREFIX": "drills-" + secrets.token_hex(4),
        "TEMPORAL_ADDRESS": f"127.0.0.1:{ports.temporal}",
        "WORKER_METRICS_ADDRESS": f"127.0.0.1:{ports.worker_metrics}",
        # The drills pay through the sandbox's signed gateway webhook (Kaspi QR's poll is
        # drilled by tests/workflows/test_kaspi_watch_worker_death.py).
        "KASPI_MODE": "gateway",
        "KASPI_API_URL": f"{kaspi}/api/v1",
        "KASPI_REFUND_URL": f"{kaspi}/api/v1/refunds",
        "SANDBOX_WEBHOOK_URL": f"{api}/api/v1/payments/kaspi/webhook",
        "PUBLIC_BASE_URL": api,
        "TELEGRAM_BOT_TOKEN": DEV_TELEGRAM_TOKEN,
        "TELEGRAM_API_BASE": f"http://127.0.0.1:{ports.telegram}",
        "WHATSAPP_TOKEN": DEV_WHATSAPP_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": DEV_WHATSAPP_PHONE_NUMBER_ID,
        "WHATSAPP_API_BASE": f"http://127.0.0.1:{ports.whatsapp}/{WHATSAPP_API_VERSION}",
        "KASPI_PAYMENT_TIMEOUT": f"PT{PAYMENT_TIMEOUT:.0f}S",
        "KASPI_POLL_INTERVAL": f"PT{POLL_INTERVAL:.0f}S",
        "CODES_LEAD_TIME": f"PT{CODES_LEAD:.0f}S",
        "LOG_LEVEL": "INFO",
        **secrets_,
    }


def child_env(settings: dict[str, str]) -> dict[str, str]:
    """The process environment without any app setting the user has set, plus ours."""
    known = {name.upper() for name in Settings.model_fields} | {"SANDBOX_WEBHOOK_URL"}
    base = {k: v for k, v in os.environ.items() if k.upper() not in known}
    return {**base, **settings, "PYTHONUNBUFFERED": "1"}


class Stack:
    def __init__(self, tmp: Path, database_url: str, proxy: PgProxy) -> None:
        self.tmp = tmp
        self.logs = tmp / "logs"
        self.logs.mkdir()
        self.ports = Ports()
        self.proxy = proxy
        self.direct_url = database_url  # the drill's own checks bypass the proxy
        self.pg_dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
        name = database_url.rsplit("/", 1)[1]
        via_proxy = f"postgresql+asyncpg://postgres@127.0.0.1:{proxy.port}/{name}"
        self.secrets = {
            "ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "KASPI_WEBHOOK_SECRET": secrets.token_urlsafe(32),
        }
        self.env = child_env(app_settings(self.ports, via_proxy, self.secrets))
        self.api_url = f"http://127.0.0.1:{self.ports.api}"
        self.kaspi_url = f"http://127.0.0.1:{self.ports.kaspi}"
        self.telegram_url = f"http://127.0.0.1:{self.ports.telegram}"
        self.whatsapp_url = f"http://127.0.0.1:{self.ports.whatsapp}"
        self.temporal_address = f"127.0.0.1:{self.ports.temporal}"
        self.services = self._services()
        self.http = httpx.AsyncClient(timeout=httpx.Timeout(90.0, connect=3.0))
        self._engine = create_engine(database_url, pool_size=2)
        self.sessions: SessionFactory = create_session_factory(self._engine)
        self._cipher = CodeCipher([self.secrets["ENCRYPTION_KEY"]])
        self._temporal: Client | None = None
        self._seq = itertools.count(1)
        # A staff "booking partner" token (made in `start`): the bookings name their guests'
        # Telegram ids / WhatsApp numbers, which the API takes only from staff.
        self.partner_token = ""
        self._background: set[asyncio.Task[object]] = set()
        self.keep_logs = False

    def at(self, moment: float, action: Callable[[], Awaitable[object]]) -> asyncio.Task[object]:
        """Runs `action` at monotonic `moment`, in the background; cancelled on close."""

        async def run() -> object:
            await sleep_until(moment)
            return await action()

        task = asyncio.create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)
        return task

    def _services(self) -> dict[str, Service]:
        p = self.ports
        temporal = [temporal_binary(), "server", "start-dev"]
        temporal += ["--db-filename", str(self.tmp / "temporal.db")]
        temporal += ["--ip", "127.0.0.1", "--port", str(p.temporal), "--headless"]
        temporal += ["--http-port", str(p.temporal_http), "--metrics-port", str(p.temporal_metrics)]
        temporal += ["--log-level", "warn"]
        for name, kind in SEARCH_ATTRIBUTE_TYPES.items():
            temporal += ["--search-attribute", f"{name}={kind}"]
        api = [PY, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1"]
        api += ["--port", str(p.api), "--timeout-graceful-shutdown", "5"]
        specs: list[tuple[str, list[str], ReadyCheck, str | None]] = [
            ("temporal", temporal, temporal_ready(self.temporal_address), None),
            (
                "telegram-api",
                [PY, "-m", "devstack.telegram_standin", "--port", str(p.telegram)],
                http_ready(f"{self.telegram_url}/sandbox/faults"),
                None,
            ),
            (
                "whatsapp-api",
                [PY, "-m", "devstack.whatsapp_standin", "--port", str(p.whatsapp)],
                http_ready(f"{self.whatsapp_url}/sandbox/faults"),
                None,
            ),
            (
                "kaspi-sandbox",
                [PY, "-m", "devstack.kaspi_sandbox", "--port", str(p.kaspi)],
                http_ready(f"{self.kaspi_url}/sandbox/state"),
                None,
            ),
            ("worker", [PY, "worker.py"], worker_ready, "worker running"),
            ("api", api, http_ready(f"{self.api_url}/healthz"), None),
        ]
        return {
            name: Service(name, args, env=self.env, logs=self.logs, ready=ready, marker=marker)
            for name, args, ready, marker in specs
        }

    async def start(self) -> dict[str, float]:
        self.partner_token = await issue_partner_token(self.sessions)
        started: dict[str, float] = {}
        for name, service in self.services.items():
            started[name] = await service.start()
        return started

    async def close(self) -> None:
        for task in list(self._background):  # an interrupted drill's pending steps
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        # The apps first, the Temporal server last: nothing is left talking to a dead server.
        for service in reversed(list(self.services.values())):
            service.stop()
        await self.http.aclose()
        await self._engine.dispose()

    async def temporal(self) -> Client:
        if self._temporal is None:
            self._temporal = await Client.connect(
                self.temporal_address,
                data_converter=data_converter([self.secrets["ENCRYPTION_KEY"]]),
            )
        return self._temporal

    # --- data -------------------------------------------------------------------------------

    async def apartments(self, count: int, check_in_at: datetime | None = None) -> list[Apartment]:
        """`count` apartments, each with its own owner; check-in at `check_in_at`'s local time
        (so a stay can start minutes from now) or at 14:00."""
        local = (
            check_in_at.astimezone(ALMATY).time().replace(microsecond=0) if check_in_at else None
        )
        made: list[Apartment] = []
        async with self.sessions() as session:
            for _ in range(count):
                n = next(self._seq)
                owner = User(
                    name=f"Drill Owner {n}",
                    phone=f"+7701{n:07d}",
                    role=Role.ADMIN,
                    telegram_id=5_000_000 + n,
                )
                session.add(owner)
                await session.flush()
                assert owner.id is not None
                prop = Property(
                    owner_id=owner.id,
                    title=f"Дрилл-квартира {n}",
                    city="Almaty",
                    district="Медеуский",
                    property_class=PropertyClass.COMFORT,
                    rooms=2,
                    address=f"пр. Достык, {n}",
                    price_per_night=20_000,
                    cleaning_fee=5_000,
                    min_nights=1,
                    max_nights=30,
                    max_guests=4,
                    check_in_time=local or dtime(14, 0),
                    check_out_time=dtime(12, 0),
                    cancellation_policy=CancellationPolicy.FLEXIBLE,
                    key_safe_code_enc=self._cipher.encrypt(f"KS-{n:04d}"),
                    smart_lock_code_enc=self._cipher.encrypt(f"SL-{n:06d}"),
                    checkin_instructions="Подъезд 1",
                    ical_token=secrets.token_urlsafe(16),
                )
                session.add(prop)
                await session.flush()
                assert prop.id is not None
                made.append(Apartment(prop.id, owner.telegram_id or 0))
            await session.commit()
        return made

    async def plans(
        self,
        cohort: str,
        count: int,
        *,
        check_in_at: datetime | None = None,
        pay: bool = False,
        codes: bool = False,
        in_stay: bool = False,
    ) -> list[Plan]:
        """`count` bookings on fresh apartments, guests alternating Telegram and WhatsApp.
        With `check_in_at` the stay starts then (codes and check-in timers minutes away);
        without, in three weeks."""
        if check_in_at is not None:
            check_in = check_in_at.astimezone(ALMATY).date()
        else:
            check_in = datetime.now(ALMATY).date() + timedelta(days=21)
        made: list[Plan] = []
        for i, apartment in enumerate(await self.apartments(count, check_in_at)):
            n = next(self._seq)
            telegram = i % 2 == 0
            made.append(
                Plan(
                    cohort=cohort,
                    key=f"drill-{self.secrets['KASPI_WEBHOOK_SECRET'][:6]}-{n}",
                    apartment=apartment,
                    check_in=check_in,
                    check_out=check_in + timedelta(days=1 if check_in_at else 2),
                    channel="telegram" if telegram else "whatsapp",
                    guest_phone=f"+770{2 if telegram else 5}{n:07d}",
                    guest_chat=7_000_000 + n if telegram else None,
                    pay=pay,
                    codes=codes,
                    in_stay=in_stay,
                )
            )
        return made

    # --- what guests and Kaspi do ------------------------------------------------------------

    async def create(self, plan: Plan, *, give_up_after: float = 150.0) -> None:
        """POST /api/v1/bookings until it answers 201, as a client retrying on errors would:
        the same Idempotency-Key and body each time, so however many of the attempts reached
        the API, one booking is held and the first 201 names it."""
        deadline = now() + give_up_after
        plan.sent_at = now()
        body = plan.body()
        headers = {"Idempotency-Key": plan.key} | bearer(self.partner_token)
        while True:
            try:
                response = await self.http.post(
                    f"{self.api_url}/api/v1/bookings", json=body, headers=headers
                )
            except httpx.HTTPError as exc:
                plan.answers[type(exc).__name__] += 1
            else:
                code = response.status_code
                plan.answers[str(code)] += 1
                if code == 201:
                    data = response.json()
                    if plan.booking_id and data["booking_id"] != plan.booking_id:
                        plan.error = f"answered booking {data['booking_id']}, not {plan.booking_id}"
                        return
                    plan.booking_id = data["booking_id"]
                    plan.guest_token = data["guest_token"]
                    plan.payment_id = data["payment"]["kaspi_payment_id"]
                    plan.total = int(data["total"])
                    plan.created_at = now()
                    return
                if code < 500 and code != 429:
                    plan.error = f"{code}: {response.text[:200]}"
                    return
            if now() > deadline:
                plan.error = f"no 201 in {give_up_after:.0f}s: {dict(plan.answers)}"
                return
            await asyncio.sleep(0.5)

    async def pay(self, plan: Plan) -> None:
        """The guest pays in Kaspi; the sandbox posts the signed webhook (retrying a little)."""
        if plan.payment_id is None:
            return
        plan.paid_at = now()
        try:
            response = await self.http.post(
                f"{self.kaspi_url}/sandbox/payments/{plan.payment_id}/pay", timeout=60
            )
            plan.webhook = str(response.json().get("webhook_status"))
        except httpx.HTTPError as exc:
            plan.webhook = type(exc).__name__

    async def cancel(self, plan: Plan, *, give_up_after: float = 90.0) -> None:
        """The guest cancels, proving it with the booking's guest token from the 201."""
        if not plan.booking_id or plan.guest_token is None:
            plan.error = plan.error or "cancel: the booking was never created"
            return
        deadline = now() + give_up_after
        while True:
            try:
                response = await self.http.post(
                    f"{self.api_url}/api/v1/bookings/{plan.booking_id}/cancel",
                    json={"reason": "plans_changed", "comment": "drill"},
                    headers={"X-Guest-Token": plan.guest_token},
                )
                if response.status_code == 200:
                    return
                if response.status_code < 500:
                    plan.error = f"cancel answered {response.status_code}: {response.text[:200]}"
                    return
            except httpx.HTTPError:
                pass
            if now() > deadline:
                plan.error = "cancel never answered 200"
                return
            await asyncio.sleep(0.5)

    async def faults(self, where: str, count: int, status: int, retry_after: int = 1) -> None:
        """Arms a stand-in's fault switch: the next `count` calls answer `status`."""
        base = {"kaspi": self.kaspi_url, "telegram": self.telegram_url}.get(
            where, self.whatsapp_url
        )
        params = {"count": count, "status": status}
        if where != "kaspi":
            params["retry_after"] = retry_after
        response = await self.http.post(f"{base}/sandbox/faults", params=params)
        response.raise_for_status()

    async def faults_left(self, where: str) -> int:
        base = {"kaspi": self.kaspi_url, "telegram": self.telegram_url}.get(
            where, self.whatsapp_url
        )
        response = await self.http.get(f"{base}/sandbox/faults")
        return int(response.json()["fail_next"])


def utcnow() -> datetime:
    return datetime.now(UTC)


@contextlib.asynccontextmanager
async def drill_stack() -> AsyncIterator[Stack]:
    """The whole stack on a throw-away database; everything is stopped and dropped after,
    whatever happened (errors, Ctrl-C)."""
    for host, port, what in (("127.0.0.1", 5432, "PostgreSQL"), ("127.0.0.1", 6379, "Redis")):
        if not port_open(host, port):
            raise DrillError(f"the drills need {what} on {host}:{port}")
    tmp = Path(tempfile.mkdtemp(prefix="zg-drills-"))
    stack: Stack | None = None
    try:
        async with fresh_database(PgServer("127.0.0.1", 5432, "local")) as url:
            proxy = PgProxy("127.0.0.1", 5432)
            proxy.start()
            try:
                stack = Stack(tmp, url, proxy)
                try:
                    await stack.start()
                    yield stack
                except BaseException:
                    stack.keep_logs = True
                    raise
                finally:
                    await asyncio.shield(stack.close())
            finally:
                proxy.stop()
    finally:
        _tidy(tmp, keep_logs=stack is not None and stack.keep_logs)


def _tidy(tmp: Path, *, keep_logs: bool) -> None:
    if not keep_logs:
        shutil.rmtree(tmp, ignore_errors=True)
        return
    for state in tmp.glob("temporal.db*"):  # only the logs are worth keeping
        state.unlink()
    print(f"logs kept in {tmp / 'logs'}", flush=True)
