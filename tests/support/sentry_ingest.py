"""A local Sentry ingest: the real SDK sends its envelopes here, the test reads them."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sentry_sdk
from fastapi import FastAPI, Request, Response

from core.sentry import init_sentry
from core.settings import Settings
from tests.support.servers import free_port, serve


def decoded(body: bytes, encoding: str) -> str:
    if encoding == "gzip":
        body = gzip.decompress(body)
    elif encoding == "deflate":
        body = zlib.decompress(body)
    elif encoding == "br":
        import brotli  # type: ignore[import-not-found]

        body = brotli.decompress(body)
    return body.decode("utf-8", "replace")


@asynccontextmanager
async def local_sentry(settings: Settings, role: str) -> AsyncIterator[list[str]]:
    """Sentry initialised for `role` against the local ingest; the envelopes it received."""
    envelopes: list[str] = []
    app = FastAPI()

    @app.post("/api/{project}/envelope/")
    async def envelope(project: str, request: Request) -> Response:
        body = await request.body()
        envelopes.append(decoded(body, request.headers.get("content-encoding", "")))
        return Response(status_code=200)

    port = free_port()
    async with serve(app, port):
        dsn = f"http://public@127.0.0.1:{port}/1"
        assert init_sentry(settings.model_copy(update={"sentry_dsn": dsn}), role)
        try:
            yield envelopes
        finally:
            await asyncio.to_thread(sentry_sdk.get_client().close, 5)
            sentry_sdk.init(dsn=None)
