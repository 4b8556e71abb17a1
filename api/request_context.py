"""Request ids: every log line of a request carries `request_id`, and so does the response.

A caller's X-Request-ID is kept when it is sane (at most 64 characters of letters, digits
and dashes); otherwise a new one is made. Pure ASGI, so it wraps everything, streaming too.
"""

from __future__ import annotations

import re
import uuid

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from api.asgi import HttpMiddleware

HEADER = "X-Request-ID"
_SANE = re.compile(r"[A-Za-z0-9-]{1,64}")


def request_id_from(raw: str | None) -> str:
    if raw is not None and _SANE.fullmatch(raw):
        return raw
    return uuid.uuid4().hex


class RequestContextMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None)
        request_id = request_id_from(raw)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            await self.app(scope, receive, send_with_id)
