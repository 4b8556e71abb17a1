"""The bot in polling mode, as `make dev` runs it: `python -m bots.telegram` long-polls a
Telegram stand-in of its own (uvicorn, free port); people write through the stand-in's user
API (`/chat/<id>/send`, `/chat/<id>/messages`). Real HTTP both ways.

The bot runs as a child process, not a task: its routers are module-level (one dispatcher
per process), and this test process already has one, the API's webhook dispatcher.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import secrets
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from devstack.telegram_standin import TelegramRecorder, create_telegram_standin
from tests.conftest import ROOT, TELEGRAM_TOKEN
from tests.support.factories import eventually
from tests.support.servers import free_port, serve

# Random base: FSM states live in a Redis that outlives a test session.
_chat_ids = itertools.count(32_000_000 + secrets.randbelow(100_000) * 100)


def new_chat_id() -> int:
    return next(_chat_ids)


@dataclass
class Standin:
    url: str
    recorder: TelegramRecorder
    http: httpx.AsyncClient  # base_url: the stand-in
    stack: Any

    def bot_env(self) -> dict[str, str]:
        """The test stack's settings for a bot process that talks to this stand-in."""
        s = self.stack.settings
        env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        return env | {
            "APP_ENV": "test",
            "DATABASE_URL": s.database_url,
            "REDIS_URL": s.redis_url,
            "TEMPORAL_ADDRESS": s.temporal_address,
            "TEMPORAL_TASK_QUEUE": s.temporal_task_queue,
            "ENCRYPTION_KEY": s.encryption_key.get_secret_value(),
            "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_API_BASE": self.url,
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }


@contextlib.asynccontextmanager
async def standin(stack: Any) -> AsyncIterator[Standin]:
    app, recorder = create_telegram_standin()
    async with (
        serve(app, free_port()) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
    ):
        yield Standin(url, recorder, http, stack)


async def run_bot_cli(place: Standin, *args: str, extra_env: dict[str, str]) -> tuple[int, str]:
    """`python -m bots.telegram <args>` to completion; its exit code and output."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "bots.telegram", *args),
        cwd=ROOT,
        env=place.bot_env() | extra_env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(proc.communicate(), timeout=60)
    return proc.returncode or 0, output.decode(errors="replace")


@contextlib.asynccontextmanager
async def polling_bot(place: Standin) -> AsyncIterator[None]:
    """`python -m bots.telegram` polling `place` until the block ends (then SIGTERM)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "bots.telegram"),
        cwd=ROOT,
        env=place.bot_env(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert proc.stdout is not None
    output = asyncio.create_task(proc.stdout.read())  # drained, so the bot never blocks on it
    try:

        async def polls() -> int:
            if proc.returncode is not None:
                raise AssertionError(f"the bot exited: {(await output).decode()}")
            return place.recorder.poller

        await eventually(polls, until=lambda n: n > 0, timeout=60)
        yield
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)  # aiogram stops polling gracefully on it
            try:
                await asyncio.wait_for(proc.wait(), timeout=15)
            except TimeoutError:
                proc.kill()
                await proc.wait()
    said = (await output).decode(errors="replace")
    assert proc.returncode == 0, f"the bot stopped with {proc.returncode}: {said}"
