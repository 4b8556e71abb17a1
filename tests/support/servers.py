"""Real HTTP in tests: serve an ASGI app with uvicorn on a free loopback port."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


@asynccontextmanager
async def serve(
    app: Any,
    port: int,
    *,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
    ssl_ca_certs: str | None = None,
    ssl_cert_reqs: int | None = None,
) -> AsyncIterator[str]:
    """Serve `app`; with ssl_certfile over TLS (ssl_ca_certs + ssl_cert_reqs: mutual TLS)."""
    tls: dict[str, Any] = {}
    if ssl_certfile is not None:
        tls = {"ssl_certfile": ssl_certfile, "ssl_keyfile": ssl_keyfile}
        if ssl_ca_certs is not None:
            tls["ssl_ca_certs"] = ssl_ca_certs
        if ssl_cert_reqs is not None:
            tls["ssl_cert_reqs"] = ssl_cert_reqs
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", **tls
    )
    async with serve_config(config) as url:
        yield url


@asynccontextmanager
async def serve_config(config: uvicorn.Config) -> AsyncIterator[str]:
    """A server built as a launcher builds it (proxy headers, access log...)."""
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        scheme = "https" if config.is_ssl else "http"
        yield f"{scheme}://{config.host}:{config.port}"
    finally:
        server.should_exit = True
        await task


def tool_path(name: str) -> str:
    """A console script of this venv (PATH may not include it), else one on PATH."""
    import shutil
    import sys
    from pathlib import Path

    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed; run `make test` to install the dev extras")
    return found
