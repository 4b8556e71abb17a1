"""Headless Chromium for tests, driven over the DevTools protocol (no Playwright download).

`chromium()` starts the Debian `chromium` binary with a throwaway profile and a free debugging
port; `Page.connect()` attaches to its blank tab. Only what the admin tests need: navigate and
wait for the load event, evaluate JavaScript and get the value back.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from tests.support.servers import free_port

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class CDPError(RuntimeError):
    pass


@contextmanager
def chromium(startup_timeout: float = 30.0) -> Iterator[str]:
    """Run headless Chromium; yields the page target's websocket URL. Killed and reaped after."""
    profile = tempfile.mkdtemp(prefix="zg-chromium-")
    port = free_port()
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--remote-debugging-port={port}"]
    process = subprocess.Popen(
        [*command, "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield _page_target(process, port, startup_timeout)
    finally:
        process.kill()
        process.wait(timeout=30)
        shutil.rmtree(profile, ignore_errors=True)


def _page_target(process: subprocess.Popen[bytes], port: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CDPError(f"chromium exited with {process.returncode} during start-up")
        try:
            targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
        except (httpx.HTTPError, ValueError):
            targets = []
        for target in targets:
            if target.get("type") == "page" and target.get("webSocketDebuggerUrl"):
                return str(target["webSocketDebuggerUrl"])
        time.sleep(0.1)
    raise CDPError(f"no page target on the debugging port within {timeout}s")


class Page:
    """One tab: commands are matched to responses by id; events are handed to their waiters."""

    def __init__(self, ws: ClientConnection) -> None:
        self._ws = ws
        self._next_id = 0
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._waiters: list[tuple[str, asyncio.Future[dict[str, Any]]]] = []
        self._reader = asyncio.create_task(self._read())

    @classmethod
    @asynccontextmanager
    async def connect(cls, ws_url: str) -> AsyncIterator[Page]:
        async with connect(ws_url, max_size=None, open_timeout=30) as ws:
            page = cls(ws)
            try:
                await page.send("Page.enable")
                await page.send("Runtime.enable")
                yield page
            finally:
                page._reader.cancel()
                await asyncio.gather(page._reader, return_exceptions=True)

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                message = json.loads(raw)
                if "id" in message:
                    future = self._pending.pop(message["id"], None)
                    if future is not None and not future.done():
                        future.set_result(message)
                    continue
                for waiter in list(self._waiters):
                    method, future = waiter
                    if method == message.get("method") and not future.done():
                        future.set_result(message.get("params", {}))
                        self._waiters.remove(waiter)
        finally:
            for future in [*self._pending.values(), *(f for _, f in self._waiters)]:
                if not future.done():
                    future.set_exception(CDPError("the DevTools connection closed"))

    async def send(self, method: str, timeout: float = 30.0, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[self._next_id] = future
        await self._ws.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        message = await asyncio.wait_for(future, timeout)
        if "error" in message:
            raise CDPError(f"{method}: {message['error']}")
        result: dict[str, Any] = message.get("result", {})
        return result

    def expect(self, method: str) -> asyncio.Future[dict[str, Any]]:
        """A future for the next `method` event; create it before the action that causes it."""
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiters.append((method, future))
        return future

    async def navigate(self, url: str, timeout: float = 30.0) -> None:
        loaded = self.expect("Page.loadEventFired")
        result = await self.send("Page.navigate", url=url)
        if result.get("errorText"):
            raise CDPError(f"navigating to {url}: {result['errorText']}")
        await asyncio.wait_for(loaded, timeout)

    async def evaluate(self, expression: str) -> Any:
        result = await self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise CDPError(f"{expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def evaluate_and_wait_for_load(self, expression: str, timeout: float = 30.0) -> None:
        """Run JS that leaves the page (a form submit) and wait for the next page's load."""
        loaded = self.expect("Page.loadEventFired")
        await self.evaluate(expression)
        await asyncio.wait_for(loaded, timeout)

    async def status(self) -> int:
        """HTTP status of the document now shown (Navigation Timing's responseStatus)."""
        return int(
            await self.evaluate("performance.getEntriesByType('navigation')[0].responseStatus")
        )
