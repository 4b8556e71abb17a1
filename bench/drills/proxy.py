"""A drill-private TCP proxy in front of Postgres, so an outage never touches the shared server.

The apps connect through it. `cut()` drops every open connection (RST) and closes the
listening socket, so new connections are refused; `restore()` listens again on the same port.
It runs its own event loop in a thread: the drill's own waits never stall the database traffic.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from bench.infra import free_port

T = TypeVar("T")


class PgProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.port = free_port()
        self._upstream = (upstream_host, upstream_port)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pg-proxy", daemon=True)
        self._server: asyncio.Server | None = None
        # Client-facing writer -> its upstream writer, for every open connection.
        self._links: dict[asyncio.StreamWriter, asyncio.StreamWriter] = {}
        self.dropped = 0  # connections cut by outages

    # --- control (called from the drill's thread) -------------------------------------------

    def start(self) -> None:
        self._thread.start()
        self._call(self._listen())

    def cut(self) -> int:
        """Drops all connections and refuses new ones; returns how many were dropped."""
        return self._call(self._cut())

    def restore(self) -> None:
        self._call(self._listen())

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        with contextlib.suppress(Exception):
            self._call(self._cut())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    @property
    def listening(self) -> bool:
        return self._server is not None

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    # --- the proxy (on its own loop) --------------------------------------------------------

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(
                self._accept, "127.0.0.1", self.port, reuse_address=True
            )

    async def _cut(self) -> int:
        if self._server is not None:
            self._server.close()
            self._server = None
        links = list(self._links.items())
        self._links.clear()
        for client, upstream in links:
            client.transport.abort()
            upstream.transport.abort()
        self.dropped += len(links)
        return len(links)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._upstream)
        except OSError:
            writer.transport.abort()
            return
        if self._server is None:  # an outage began while we were connecting
            writer.transport.abort()
            up_writer.transport.abort()
            return
        self._links[writer] = up_writer
        try:
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            self._links.pop(writer, None)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()
