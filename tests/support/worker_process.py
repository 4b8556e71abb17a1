"""Our real worker (`python worker.py --no-schedules`) as an OS process the test can kill -9:
what a dying production worker looks like to Temporal (no goodbye, heartbeats just stop)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from core.settings import Settings
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


def _as_env(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, timedelta):
        return f"PT{value.total_seconds()}S"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict | tuple | set):
        return json.dumps(list(value) if isinstance(value, tuple | set) else value)
    return str(value)


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a child process read exactly these settings."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in _names()}
    for name in Settings.model_fields:
        value = _as_env(getattr(settings, name))
        if value is not None:
            env[name.upper()] = value
    return env


def _names() -> set[str]:
    return {name.upper() for name in Settings.model_fields}


class WorkerProcess:
    def __init__(self, settings: Settings, log: Path) -> None:
        self._settings = settings.model_copy(
            update={"worker_metrics_address": f"127.0.0.1:{free_port()}"}
        )
        self._log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self._log.open("ab") as out:
            self._process = subprocess.Popen(
                [sys.executable, "worker.py", "--no-schedules"],
                cwd=ROOT,
                env={**settings_env(self._settings), "PYTHONUNBUFFERED": "1"},
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        """SIGKILL: no shutdown, no cancellation sent, the in-flight activity just stops."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGKILL)
            self._process.wait(timeout=10)

    async def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                await asyncio.to_thread(self._process.wait, 20)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None


@asynccontextmanager
async def worker_process(settings: Settings, log: Path) -> AsyncIterator[WorkerProcess]:
    process = WorkerProcess(settings, log)
    process.start()
    try:
        yield process
    finally:
        await process.stop()
