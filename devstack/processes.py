"""Child processes of the dev stack: prefixed output, ordered shutdown, no orphans."""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO

from devstack.paths import OUTPUT_LOG, ROOT

STDOUT = 1
MAX_QUEUED_LINES = 10_000


class _Output:
    """The launcher's stdout, which nothing but one writer thread ever waits on.

    Lines queue up (beyond MAX_QUEUED_LINES they are dropped and counted) and a daemon thread
    writes them to fd 1. Once a write fails (the `tee` it was piped into died, the terminal
    closed: EPIPE, EIO) fd 1 is pointed at /dev/null, so no other print can fail either, and
    the rest goes to OUTPUT_LOG, or nowhere if that fails too. So showing a line never raises
    and never blocks: signal handling, the cleanup and the threads that drain the children's
    pipes keep going whatever happens to stdout. (Python ignores SIGPIPE, so a dead reader is
    an EPIPE error here, not the launcher's death.)
    """

    def __init__(self) -> None:
        self._lines: queue.Queue[str] = queue.Queue(maxsize=MAX_QUEUED_LINES)
        self._dropped = 0
        self._writer: threading.Thread | None = None
        self._start = threading.Lock()
        self._stdout_ok = True
        self._log: IO[str] | None = None
        self._log_failed = False

    def put(self, text: str) -> None:
        self._ensure_writer()
        try:
            self._lines.put_nowait(text)
        except queue.Full:
            self._dropped += 1

    def drain(self, timeout: float) -> None:
        """Waits (at most `timeout`) until the queued lines are written; at exit."""
        if self._writer is None:
            return
        with self._lines.all_tasks_done:
            self._lines.all_tasks_done.wait_for(lambda: not self._lines.unfinished_tasks, timeout)

    def _ensure_writer(self) -> None:
        if self._writer is not None:
            return
        with self._start:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_all, name="output", daemon=True)
                self._writer.start()

    def _write_all(self) -> None:
        while True:
            text = self._lines.get()
            with contextlib.suppress(Exception):  # at worst a line is lost, never the writer
                if self._dropped:
                    dropped, self._dropped = self._dropped, 0
                    self._emit(f"[devstack] ({dropped} lines dropped: stdout did not keep up)")
                self._emit(text)
            self._lines.task_done()

    def _emit(self, text: str) -> None:
        if self._stdout_ok:
            try:
                _write_fd(STDOUT, (text + "\n").encode(errors="replace"))
                return
            except OSError as exc:
                self._stdout_ok = False
                _point_at_devnull(STDOUT)
                self._to_log(f"[devstack] stdout is gone ({exc}); the rest of the output:")
        self._to_log(text)

    def _to_log(self, text: str) -> None:
        if self._log_failed:
            return
        try:
            if self._log is None:
                OUTPUT_LOG.parent.mkdir(parents=True, exist_ok=True)
                self._log = OUTPUT_LOG.open("w", encoding="utf-8", errors="replace")
            self._log.write(text + "\n")
            self._log.flush()
        except OSError:
            self._log_failed = True


def _write_fd(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:  # someone made the shared pipe non-blocking: wait, not give up
            select.select([], [fd], [], 1.0)


def _point_at_devnull(fd: int) -> None:
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)


_OUTPUT = _Output()
atexit.register(_OUTPUT.drain, 2.0)


def show(text: str) -> None:
    """Shows `text` on the launcher's stdout (see _Output: never raises, never blocks)."""
    _OUTPUT.put(text)


def say(message: str) -> None:
    show(f"[devstack] {message}")


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
        # Keeps reading to the end whatever happens to stdout: a child must never block on a
        # full pipe (show() neither raises nor blocks).
        for raw in iter(stream.readline, b""):
            if not self.quiet:
                show(f"{self.name:<13}| {raw.decode(errors='replace').rstrip()}")

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
