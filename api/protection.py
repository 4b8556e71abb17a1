"""Request protection: rate limits (webhooks per IP, API per token), body size, CORS.

Client addresses come from `request.client`; behind a proxy run uvicorn with
`--proxy-headers --forwarded-allow-ips=<proxy>` so that is the real caller's address.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.security.utils import get_authorization_scheme_param
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import StateDep
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


def api_client_key(request: Request) -> str:
    """The bearer token (hashed; never stored) or, for anonymous calls, the IP."""
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    if scheme.lower() == "bearer" and token:
        return "token:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return "ip:" + client_ip(request)


async def api_rate_limit(request: Request, state: StateDep) -> None:
    """The public API: per bearer token, or per IP for anonymous callers."""
    decision = await RateLimiter(state.redis, prefix=state.settings.rate_limit_key_prefix).hit(
        "api", api_client_key(request), limit=state.settings.rate_limit_api_per_minute
    )
    if not decision.allowed:
        raise _refuse(decision, "API")


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


def install_protection(app: FastAPI, settings: Settings) -> None:
    """Body size limit always; CORS only for the origins listed in settings (closed else)."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
            max_age=600,
        )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_body_bytes)
