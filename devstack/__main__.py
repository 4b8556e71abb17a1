"""`python -m devstack up|env|migrate|seed`: the whole stack on one machine, no Docker.

Embedded Postgres, Redis and Temporal start only when DATABASE_URL, REDIS_URL or
TEMPORAL_ADDRESS (environment or `.env`) do not point at real servers.
"""

from __future__ import annotations

import argparse
import fcntl
import shlex
import signal
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from types import FrameType
from typing import IO

from devstack.banner import banner
from devstack.dev_env import (
    TELEGRAM_STANDIN_PORT,
    WHATSAPP_STANDIN_PORT,
    app_env,
    child_env,
    configured,
    telegram_mode,
    whatsapp_standin,
)
from devstack.embedded import (
    TEMPORAL_PORT,
    DevstackError,
    Embedded,
    port_open,
    running_postgres_url,
    running_redis_url,
    start_postgres,
    start_redis,
    start_temporal,
)
from devstack.paths import LOCK_FILE, ROOT, ensure_data_dir
from devstack.processes import Child, run_step, say, stop_children

API_PORT = 8000
SANDBOX_PORT = 8100
TEMPORAL_CODEC = f"http://127.0.0.1:{API_PORT}/temporal-codec"  # the UI decodes payloads there
PY = sys.executable
APP_PROCESSES: dict[str, list[str]] = {
    "worker": [PY, "worker.py"],
    "api": [
        *(PY, "-m", "api.serve"),  # uvicorn, forwarded headers only from TRUSTED_PROXIES
        *("--host", "127.0.0.1", "--port", str(API_PORT)),
        # Open keep-alive connections must not hold up Ctrl-C.
        *("--timeout-graceful-shutdown", "5"),
    ],
    "kaspi-sandbox": [PY, "-m", "devstack.kaspi_sandbox", "--port", str(SANDBOX_PORT)],
}
TELEGRAM_STANDIN = [PY, "-m", "devstack.telegram_standin", "--port", str(TELEGRAM_STANDIN_PORT)]
WHATSAPP_STANDIN = [PY, "-m", "devstack.whatsapp_standin", "--port", str(WHATSAPP_STANDIN_PORT)]
TELEGRAM_BOT = [PY, "-m", "bots.telegram"]  # long polling
MIGRATE = [PY, "-m", "alembic", "upgrade", "head"]
SEED = [PY, "-m", "devstack.seed"]


class Shutdown(BaseException):
    """Raised from SIGINT/SIGTERM handlers so every `finally` on the way out runs."""


def _raise_shutdown(signum: int, _frame: FrameType | None) -> None:
    raise Shutdown(signal.Signals(signum).name)


def _set_signals(handler: Callable[[int, FrameType | None], None] | signal.Handlers) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, handler)


def start_services(stack: ExitStack, *, take_over: bool, need: tuple[str, ...]) -> dict[str, str]:
    """Starts the embedded services the user did not configure; returns their env vars."""
    chosen = configured()
    starters: dict[str, Callable[[], Embedded]] = {
        "DATABASE_URL": lambda: start_postgres(take_over=take_over),
        "REDIS_URL": start_redis,
        "TEMPORAL_ADDRESS": lambda: start_temporal(codec_endpoint=TEMPORAL_CODEC),
    }
    urls: dict[str, str] = {}
    for var in need:
        if var in chosen:
            say(f"using {var} from the environment")
            continue
        service = starters[var]()
        stack.callback(_stop_quietly, service)
        urls[var] = service.url
    return urls


def _stop_quietly(service: Embedded) -> None:
    try:
        service.stop()
    except Exception as exc:  # keep stopping the others
        say(f"could not stop {service.name}: {exc}")


def _migrate(env: dict[str, str]) -> None:
    if not (ROOT / "alembic.ini").exists():
        raise DevstackError("alembic.ini is missing: migrations are not set up yet")
    if run_step("migrate", MIGRATE, env=env) != 0:
        raise DevstackError("`alembic upgrade head` failed (output above)")


def _seed(env: dict[str, str]) -> None:
    if run_step("seed", SEED, env=env) != 0:
        raise DevstackError("seeding demo data failed (output above)")


def _wait_for_ports(children: list[Child], ports: list[int], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not all(port_open(p) for p in ports):
        _raise_if_dead(children)
        if time.monotonic() > deadline:
            say(f"ports {ports} still closed after {timeout:.0f}s; carrying on")
            return
        time.sleep(0.3)


def _raise_if_dead(children: list[Child]) -> None:
    for child in children:
        code = child.exit_code()
        if code is not None:
            raise DevstackError(f"{child.name} exited with code {code}; shutting down")


def _up(stack: ExitStack) -> int:
    chosen = configured()
    telegram, whatsapp = telegram_mode(chosen), whatsapp_standin(chosen)
    ports = [API_PORT, SANDBOX_PORT] + ([TELEGRAM_STANDIN_PORT] if telegram == "standin" else [])
    ports += [WHATSAPP_STANDIN_PORT] if whatsapp else []
    busy = [p for p in ports if port_open(p)]
    if busy:
        raise DevstackError(f"port(s) {busy} already in use on 127.0.0.1")
    need = ("DATABASE_URL", "REDIS_URL", "TEMPORAL_ADDRESS")
    urls = start_services(stack, take_over=True, need=need)
    env = child_env(urls)
    _migrate(env)
    _seed(env)
    children: list[Child] = []
    stack.callback(stop_children, children)
    if telegram == "standin":
        # Up before the bot: its first call (getMe) must find someone to answer.
        children.append(Child("telegram-api", TELEGRAM_STANDIN, env=env))
        _wait_for_ports(children, [TELEGRAM_STANDIN_PORT])
    if whatsapp:  # the Graph API the API and worker send WhatsApp messages to
        children.append(Child("whatsapp-api", WHATSAPP_STANDIN, env=env))
    children += [Child(name, args, env=env) for name, args in APP_PROCESSES.items()]
    if telegram != "webhook":  # in webhook mode the API receives the updates
        children.append(Child("telegram-bot", TELEGRAM_BOT, env=env))
    _wait_for_ports(children, ports)
    print(banner(urls), flush=True)
    while True:
        _raise_if_dead(children)
        time.sleep(0.5)


def _hold_lock() -> IO[str] | None:
    ensure_data_dir()
    handle = LOCK_FILE.open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def _run(body: Callable[[ExitStack], int]) -> int:
    """Runs `body`, then stops whatever it started, whatever happened (errors, signals)."""
    _set_signals(_raise_shutdown)
    stack = ExitStack()
    try:
        return body(stack)
    except Shutdown as sig:
        say(f"{sig} received; shutting down")
        return 0
    except DevstackError as exc:
        say(f"error: {exc}")
        return 1
    finally:
        _set_signals(signal.SIG_IGN)  # a second Ctrl-C must not cut the cleanup short
        stack.close()


def cmd_up() -> int:
    lock = _hold_lock()
    if lock is None:
        say(f"another `python -m devstack up` is running ({LOCK_FILE} is locked)")
        return 1
    with lock:
        code = _run(_up)
    say("stopped")
    return code


def cmd_step(name: str) -> int:
    """`migrate` / `seed` against the configured or embedded Postgres (started if needed)."""

    def body(stack: ExitStack) -> int:
        env = child_env(start_services(stack, take_over=False, need=("DATABASE_URL",)))
        (_migrate if name == "migrate" else _seed)(env)
        return 0

    return _run(body)


def cmd_env() -> int:
    """Export lines for a shell: `eval "$(python -m devstack env)"` while the stack is up."""
    chosen = configured()
    running = {
        "DATABASE_URL": running_postgres_url(),
        "REDIS_URL": running_redis_url(),
        "TEMPORAL_ADDRESS": f"127.0.0.1:{TEMPORAL_PORT}" if port_open(TEMPORAL_PORT) else None,
    }
    urls: dict[str, str] = {}
    for var, url in running.items():
        if var in chosen:
            continue
        if url is None:
            print(f"# {var}: embedded service is not running (start the stack: make dev)")
        else:
            urls[var] = url
    for var, value in app_env(urls).items():
        print(f"export {var}={shlex.quote(value)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="start everything; Ctrl-C stops it all")
    sub.add_parser("env", help="print export lines for the running embedded services")
    sub.add_parser("migrate", help="alembic upgrade head (starts embedded Postgres if needed)")
    sub.add_parser("seed", help="load demo data (starts embedded Postgres if needed)")
    args = parser.parse_args(argv)
    if args.command == "up":
        return cmd_up()
    if args.command == "env":
        return cmd_env()
    return cmd_step(args.command)


if __name__ == "__main__":
    sys.exit(main())
