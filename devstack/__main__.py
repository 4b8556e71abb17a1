"""`python -m devstack up|services|env|migrate|seed`: the whole stack on one machine, no Docker.

Embedded Postgres, Redis and Temporal start only when DATABASE_URL, REDIS_URL or
TEMPORAL_ADDRESS (environment or `.env`) do not point at real servers. Whatever starts them
stops them: on Ctrl-C, SIGTERM or SIGHUP, on errors, and whatever became of stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
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
    port_open,
    running_postgres_url,
    running_redis_url,
    start_postgres,
    start_redis,
    start_temporal,
)
from devstack.paths import DATA_DIR, LOCK_FILE, ROOT, ensure_data_dir
from devstack.processes import Child, run_step, say, show, stop_children

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


# Ctrl-C; `kill`; the terminal closing. The children run in their own sessions (and
# pgserver's Postgres in its own): these reach the launcher only, which stops them all.
SHUTDOWN_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Shutdown(BaseException):
    """Raised from the signal handler, once, so every `finally` on the way out runs."""


class _Stopping:
    """Set by the first shutdown signal, or when the cleanup begins: later signals only note
    that they came (a second Ctrl-C must not cut the cleanup short)."""

    now = False


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    name = signal.Signals(signum).name
    if _Stopping.now:
        # No say(): this may interrupt one, and its queue's lock is not reentrant.
        with contextlib.suppress(OSError):
            os.write(2, f"[devstack] {name}: already stopping, please wait\n".encode())
        return
    _Stopping.now = True
    raise Shutdown(name)


def _set_signals(handler: Callable[[int, FrameType | None], None] | signal.Handlers) -> None:
    for sig in SHUTDOWN_SIGNALS:
        signal.signal(sig, handler)


def start_services(stack: ExitStack, *, take_over: bool, need: tuple[str, ...]) -> dict[str, str]:
    """Starts the embedded services the user did not configure; returns their env vars.

    Each registers on `stack` how to stop it. `take_over`: this run owns `.data/` (holds
    LOCK_FILE), so servers found running there are leftovers of a killed run, to replace.
    """
    chosen = configured()
    starters: dict[str, Callable[[], str]] = {
        "DATABASE_URL": lambda: start_postgres(stack, take_over=take_over),
        "REDIS_URL": lambda: start_redis(stack, take_over=take_over),
        "TEMPORAL_ADDRESS": lambda: start_temporal(stack, codec_endpoint=TEMPORAL_CODEC),
    }
    urls: dict[str, str] = {}
    for var in need:
        if var in chosen:
            say(f"using {var} from the environment")
            continue
        urls[var] = starters[var]()
    return urls


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
    show(banner(urls))
    while True:
        _raise_if_dead(children)
        time.sleep(0.5)


def _services(stack: ExitStack) -> int:
    """Only the embedded Postgres and Redis (no Temporal, migrations or apps)."""
    urls = start_services(stack, take_over=True, need=("DATABASE_URL", "REDIS_URL"))
    for var, url in urls.items():
        say(f"{var}={url}")
    say("services ready; Ctrl-C stops them")
    while True:
        time.sleep(3600)


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
    """Runs `body`, then stops whatever it started, whatever happened (errors, signals).

    One signal raises Shutdown; from then on, and once the cleanup starts, signals are only
    noted. Printing cannot fail or block (processes.show), so nothing cuts the cleanup short.
    """
    _Stopping.now = False
    stack = ExitStack()
    code = 0
    try:
        try:
            _set_signals(_on_signal)
            code = body(stack)
        except DevstackError as exc:
            code = 1
            say(f"error: {exc}")
    except Shutdown as sig:  # also one that came while the error above was being reported
        say(f"{sig} received; shutting down")
    finally:
        while True:  # twice at most: the handler raises only once
            try:
                _Stopping.now = True
                stack.close()
                break
            except Shutdown:  # came in the instant before the line above: nothing ran yet
                continue
        # Ignored, not just noted, from here: at exit Python puts back the default action of
        # signals it handles, and a last Ctrl-C must not turn the exit code into -2.
        _set_signals(signal.SIG_IGN)
    return code


def _as_owner(body: Callable[[ExitStack], int]) -> int:
    """Runs `body` holding LOCK_FILE: the servers in `.data/` are this run's to (re)start."""
    lock = _hold_lock()
    if lock is None:
        say(f"another devstack command owns {DATA_DIR} ({LOCK_FILE} is locked)")
        return 1
    with lock:
        code = _run(body)
    say("stopped")
    return code


def cmd_step(name: str) -> int:
    """`migrate` / `seed` against the configured or embedded Postgres (started if needed).

    While `make dev` runs (it holds LOCK_FILE) its Postgres is used and left running.
    """
    lock = _hold_lock()

    def body(stack: ExitStack) -> int:
        need = ("DATABASE_URL",)
        env = child_env(start_services(stack, take_over=lock is not None, need=need))
        (_migrate if name == "migrate" else _seed)(env)
        return 0

    with lock or contextlib.nullcontext():
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
    sub.add_parser("services", help="start only the embedded Postgres and Redis; Ctrl-C stops them")
    sub.add_parser("env", help="print export lines for the running embedded services")
    sub.add_parser("migrate", help="alembic upgrade head (starts embedded Postgres if needed)")
    sub.add_parser("seed", help="load demo data (starts embedded Postgres if needed)")
    args = parser.parse_args(argv)
    if args.command == "up":
        return _as_owner(_up)
    if args.command == "services":
        return _as_owner(_services)
    if args.command == "env":
        return cmd_env()
    return cmd_step(args.command)


if __name__ == "__main__":
    sys.exit(main())
