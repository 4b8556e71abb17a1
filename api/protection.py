"""Request protection: rate limits (webhooks per IP, API per user), body size, CORS.

Client addresses come from `request.client`; behind a proxy set TRUSTED_PROXIES (read by
`python -m api.serve`) so that is the real caller's address.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, HTTPException, Request
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import Caller, CallerDep, StateDep, invalid_token
from api.errors import error_body
from core.logging import get_logger
from core.rate_limit import Decision, RateLimiter
from core.settings import Settings

log = get_logger(__name__)


def client_ip(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def _refuse(decision: Decision, what: str) -> HTTPException:
    return HTTPException(
        429,
        error_body(
            "too_many_requests",
            f"more than {decision.limit} {what} requests a minute; "
            f"retry in {decision.retry_after} s",
        ),
        headers={"Retry-After": str(decision.retry_after)},
    )


async def webhook_rate_limit(request: Request, state: StateDep) -> None:
    """Kaspi, Telegram and WhatsApp webhooks: per caller IP."""
    ip = client_ip(request)
    decision = await RateLimiter(state.redis, prefix=state.settings.rate_limit_key_prefix).hit(
        "webhook", ip, limit=state.settings.rate_limit_webhook_per_minute
    )
    if not decision.allowed:
        log.warning("webhook rate limit", ip=ip, path=request.url.path)
        raise _refuse(decision, "webhook")


def api_client_key(request: Request, who: Caller) -> str:
    """The verified user, else the address: a made-up token buys no budget of its own."""
    if who.user is not None and who.user.id is not None:
        return f"user:{who.user.id}"
    return "ip:" + client_ip(request)


async def api_rate_limit(request: Request, state: StateDep, who: CallerDep) -> None:
    """The public API: per user of a valid token, else per IP; then 401 for a bad token.

    A refused token is counted against its address first, so guessing tokens is limited
    like any other anonymous traffic.
    """
    decision = await RateLimiter(state.redis, prefix=state.settings.rate_limit_key_prefix).hit(
        "api", api_client_key(request, who), limit=state.settings.rate_limit_api_per_minute
    )
    if not decision.allowed:
        raise _refuse(decision, "API")
    if who.refused:
        raise invalid_token()


class BodySizeLimit:
    """Answers 413 to a body over `max_bytes`: by Content-Length before reading it, and
    for a chunked body (no Content-Length) by reading at most `max_bytes + chunk` first."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(send)
            return
        if declared is None and _chunked(scope):
            # Chunked: read (at most max_bytes) before the app sees it, then replay it.
            chunks: list[bytes] = []
            size, more = 0, True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    await self.app(scope, _replay([message], receive), send)
                    return
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                more = bool(message.get("more_body", False))
                if size > self.max_bytes:
                    await self._too_large(send)
                    return
            whole: Message = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            receive = _replay([whole], receive)
        await self.app(scope, receive, send)

    async def _too_large(self, send: Send) -> None:
        body = json.dumps(_too_large_body(self.max_bytes)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _too_large_body(max_bytes: int) -> dict[str, Any]:
    return error_body("payload_too_large", f"the body exceeds {max_bytes} bytes")


def _chunked(scope: Scope) -> bool:
    encoding: bytes = dict(scope["headers"]).get(b"transfer-encoding", b"")
    return encoding.lower() == b"chunked"


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replaying() -> Message:
        return pending.pop(0) if pending else await receive()

    return replaying


TEMPORAL_CODEC_PATH = "/temporal-codec"  # api/routes/temporal_codec.py


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class ScopedCORS:
    """The API's CORS (the configured origins, or none), except under the Temporal codec
    path: there only the Temporal UI's origin, with credentials (its sign-in cookie)."""

    def __init__(self, app: ASGIApp, *, origins: list[str], temporal_ui_origin: str) -> None:
        self.general: ASGIApp = app
        if origins:
            self.general = CORSMiddleware(
                app,
                allow_origins=origins,
                allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
                max_age=600,
            )
        self.codec = CORSMiddleware(
            app,
            allow_origins=[temporal_ui_origin],
            allow_methods=["POST"],
            allow_headers=["Authorization", "Authorization-Extras", "Content-Type", "X-Namespace"],
            allow_credentials=True,
            max_age=600,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "") if scope["type"] == "http" else ""
        codec = path == TEMPORAL_CODEC_PATH or path.startswith(TEMPORAL_CODEC_PATH + "/")
        await (self.codec if codec else self.general)(scope, receive, send)


def install_protection(app: FastAPI, settings: Settings) -> None:
    """Body size limit always; CORS only for the origins listed in settings (closed else),
    and for the Temporal UI on the codec endpoint."""
    app.add_middleware(
        ScopedCORS,
        origins=settings.cors_origins,
        temporal_ui_origin=origin_of(settings.temporal_ui_url),
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_body_bytes)
