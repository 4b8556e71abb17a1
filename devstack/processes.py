"""Child processes of the dev stack: prefixed output, ordered shutdown, no orphans."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO

from devstack.paths import ROOT

_print_lock = threading.Lock()


def say(message: str) -> None:
    with _print_lock:
        print(f"[devstack] {message}", flush=True)


def _parent_death_hook() -> Callable[[], None] | None:
    """On Linux, children get SIGTERM if the launcher itself is killed (e.g. `kill -9`)."""
    if not sys.platform.startswith("linux"):
        return None
    # Resolved before fork: after fork only async-signal-safe work may run.
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    pr_set_pdeathsig = 1

    def hook() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)

    return hook


_PDEATHSIG = _parent_death_hook()


class Child:
    """One process whose output is shown line by line, prefixed with its name."""

    def __init__(
        self, name: str, args: Sequence[str], *, env: dict[str, str], cwd: Path = ROOT
    ) -> None:
        self.name = name
        self.quiet = False  # set while stopping a server that only has noise left to say
        # Own session: a terminal Ctrl-C reaches only the launcher, which stops children in order.
        self.proc = subprocess.Popen(
            list(args),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_PDEATHSIG,
        )
        assert self.proc.stdout is not None
        self._pump = threading.Thread(target=self._show, args=(self.proc.stdout,), daemon=True)
        self._pump.start()

    def _show(self, stream: IO[bytes]) -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode(errors="replace").rstrip()
            if self.quiet:
                continue
            with _print_lock:
                print(f"{self.name:<13}| {line}", flush=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def exit_code(self) -> int | None:
        return self.proc.poll()

    def wait(self) -> int:
        code = self.proc.wait()
        self._pump.join(timeout=2)
        return code

    def signal(self, sig: signal.Signals) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)


def stop_children(children: Iterable[Child], timeout: float = 10.0) -> None:
    """SIGTERM every group at once, then SIGKILL whatever is still there after `timeout`."""
    running = [c for c in children if c.exit_code() is None]
    for child in running:
        say(f"stopping {child.name} (pid {child.pid})")
        child.signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for child in running:
        try:
            child.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{child.name} did not stop in {timeout:.0f}s; killing it")
            child.signal(signal.SIGKILL)
            child.proc.wait()


def run_step(name: str, args: Sequence[str], *, env: dict[str, str]) -> int:
    """Runs a one-shot command (migrations, seed) as a child; returns its exit code."""
    shown = ["python", *args[1:]] if args[0] == sys.executable else list(args)
    say(f"{name}: {' '.join(shown)}")
    child = Child(name, args, env=env)
    try:
        return child.wait()
    finally:
        stop_children([child])
