"""Protection at the edge: rate limits (webhooks per IP, API per user, bot per user),
body size, CORS and trusted hosts.

The shared test stack runs with limits high enough for the whole suite; the limits are
checked here on a second API instance with the production defaults (webhooks 100/min/IP)
and a low API limit, sharing the stack's database and Redis. aiogram routers belong to
one dispatcher per process, so the bot limit is lowered on the stack's own bot instead.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from api.app import create_app
from core.rate_limit import RateLimiter
from core.settings import Settings
from models import User
from services.auth import issue_token
from tests.bots.telegram.chat import TelegramChat, texts
from tests.support.factories import make_owner
from tests.support.servers import free_port, serve
from tests.support.webhooks import WEBHOOK_PATH

API_LIMIT = 5
BOT_LIMIT = 3
ALLOWED_ORIGIN = "https://app.zhilyego.kz"
TOO_OFTEN = "слишком часто"


@dataclass
class Limited:
    settings: Settings
    url: str
    http: httpx.AsyncClient
    redis: Redis


@pytest.fixture(scope="module")
async def limited(stack: Any) -> AsyncIterator[Limited]:
    settings = stack.settings.model_copy(
        update={
            "rate_limit_webhook_per_minute": Settings().rate_limit_webhook_per_minute,
            "rate_limit_api_per_minute": API_LIMIT,
            "cors_origins": [ALLOWED_ORIGIN],
            "telegram_bot_token": None,
            "rate_limit_key_prefix": "ratelimit-limited-"
            + secrets.token_hex(4),  # the stack's process already runs the bot
        }
    )
    assert settings.rate_limit_webhook_per_minute == 100
    port = free_port()
    redis = Redis.from_url(settings.redis_url)
    async with (
        serve(create_app(settings), port) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
    ):
        yield Limited(settings, url, http, redis)
    await redis.aclose()


@pytest.fixture
async def fresh(limited: Limited) -> Limited:
    """No counts left over from other tests (every test calls from 127.0.0.1)."""
    prefix = limited.settings.rate_limit_key_prefix
    keys = [key async for key in limited.redis.scan_iter(f"{prefix}:*")]
    if keys:
        await limited.redis.delete(*keys)
    return limited


def assert_too_many(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    body = response.json()
    assert body["error"] == "too_many_requests"
    assert "a minute" in body["detail"]


async def unsigned_webhook(http: httpx.AsyncClient) -> httpx.Response:
    response: httpx.Response = await http.post(WEBHOOK_PATH, content=b"{}")
    return response


async def test_the_101st_webhook_call_in_a_minute_is_refused_with_retry_after(fresh):
    for _ in range(100):
        assert (await unsigned_webhook(fresh.http)).status_code == 403  # reaches the gate

    refused = await unsigned_webhook(fresh.http)

    assert_too_many(refused)
    # The other webhooks share the per-IP budget.
    assert_too_many(await fresh.http.post("/telegram/webhook", json={}))
    assert_too_many(await fresh.http.post("/whatsapp/webhook", content=b"{}"))
    # The API has its own budget; health checks are never limited.
    assert (await fresh.http.get("/api/v1/properties")).status_code == 200
    assert (await fresh.http.get("/healthz")).status_code == 200


async def test_another_address_keeps_its_own_webhook_budget(fresh):
    for _ in range(101):
        await unsigned_webhook(fresh.http)
    assert_too_many(await unsigned_webhook(fresh.http))

    # Any 127/8 address is this machine: the same server, seen from another client IP.
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx.AsyncClient(base_url=fresh.url, transport=transport) as other:
        assert (await unsigned_webhook(other)).status_code == 403


async def test_limiter_counts_each_key_in_a_sliding_window(fresh):
    now = [1_000_000.0]
    prefix = fresh.settings.rate_limit_key_prefix + ":unit"
    limiter = RateLimiter(fresh.redis, prefix=prefix, clock=lambda: now[0])

    for i in range(3):
        now[0] += 10
        decision = await limiter.hit("webhook", "10.0.0.1", limit=3)
        assert decision.allowed and decision.remaining == 2 - i
    refused = await limiter.hit("webhook", "10.0.0.1", limit=3)
    assert not refused.allowed
    assert refused.retry_after == 40  # the first call (30 s ago) leaves the window in 40 s
    assert (await limiter.hit("webhook", "10.0.0.2", limit=3)).allowed

    now[0] += 39
    assert not (await limiter.hit("webhook", "10.0.0.1", limit=3)).allowed  # refusals not kept
    now[0] += 2
    assert (await limiter.hit("webhook", "10.0.0.1", limit=3)).allowed
    assert (await limiter.hit("webhook", "10.0.0.1", limit=0)).allowed  # 0: no limit


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def another_token(stack: Any, user: User) -> str:
    async with stack.sessions() as session:
        token = await issue_token(session, user.id or 0, "second")
        await session.commit()
        return token


async def test_api_is_limited_per_user_and_per_address_for_everyone_else(stack, fresh):
    alice, alice_token = await make_owner(stack)
    alice_laptop = await another_token(stack, alice)
    bob, bob_token = await make_owner(stack)
    for _ in range(API_LIMIT):
        response = await fresh.http.get("/api/v1/properties", headers=bearer(alice_token))
        assert response.status_code == 200

    assert_too_many(await fresh.http.get("/api/v1/properties", headers=bearer(alice_token)))
    # Alice's other token is still Alice: the same budget, on any route.
    assert_too_many(await fresh.http.get("/api/v1/bookings/ABC123", headers=bearer(alice_laptop)))
    # Another user and an anonymous caller each have a budget of their own.
    assert (await fresh.http.get("/api/v1/properties", headers=bearer(bob_token))).is_success
    for _ in range(API_LIMIT):
        assert (await fresh.http.get("/api/v1/properties")).status_code == 200
    assert_too_many(await fresh.http.get("/api/v1/properties"))
    # A made-up token is no one: it spends the address's budget, not a fresh one of its own.
    made_up = bearer("zg_" + secrets.token_urlsafe(32))
    assert_too_many(await fresh.http.get("/api/v1/properties", headers=made_up))

    prefix = fresh.settings.rate_limit_key_prefix
    counted = {key.decode() async for key in fresh.redis.scan_iter(f"{prefix}:api:*")}
    assert counted == {
        f"{prefix}:api:user:{alice.id}",
        f"{prefix}:api:user:{bob.id}",
        f"{prefix}:api:ip:127.0.0.1",
    }


async def test_made_up_tokens_are_refused_and_counted_against_their_address(fresh):
    for _ in range(API_LIMIT):
        made_up = bearer("zg_" + secrets.token_urlsafe(32))  # a new one every time
        response = await fresh.http.get("/api/v1/properties", headers=made_up)
        assert response.status_code == 401, response.text
        assert response.headers["WWW-Authenticate"] == "Bearer"

    assert_too_many(await fresh.http.get("/api/v1/properties", headers=made_up))
    assert_too_many(await fresh.http.get("/api/v1/properties"))  # the same address


async def test_a_flooding_bot_user_gets_one_note_then_silence(stack, fresh, monkeypatch):
    # The bot reads the settings object the stack was built with.
    monkeypatch.setattr(stack.settings, "rate_limit_bot_updates_per_minute", BOT_LIMIT)
    chat = TelegramChat(stack, user_id=7_700_001)
    other = TelegramChat(stack, user_id=7_700_002)
    for _ in range(BOT_LIMIT):
        replies = await chat.send("/start")
        assert replies and TOO_OFTEN not in texts(replies)

    note = await chat.send("/start")
    assert len(note) == 1 and TOO_OFTEN in note[0].text
    for _ in range(3):
        assert await chat.send("/start") == []  # answered 200, nothing sent

    assert TOO_OFTEN not in texts(await other.send("/start"))


async def test_an_oversized_body_is_refused_with_413(stack):
    limit = stack.settings.max_request_body_bytes
    assert limit == 1024 * 1024

    declared = await stack.partner.post(
        "/api/v1/bookings",
        content=b"x" * (limit + 1),
        headers={"Content-Type": "application/json"},
    )
    assert declared.status_code == 413, declared.text
    assert declared.json()["error"] == "payload_too_large"

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted while read
        for _ in range(17):
            yield b"x" * 65_536

    streamed = await stack.http.post(WEBHOOK_PATH, content=chunks())
    assert streamed.status_code == 413, streamed.text
    assert streamed.json()["error"] == "payload_too_large"


def preflight(origin: str) -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": "GET"}


async def test_cors_is_closed_by_default(stack):
    assert stack.settings.cors_origins == []
    response = await stack.http.options("/api/v1/properties", headers=preflight(ALLOWED_ORIGIN))
    assert "access-control-allow-origin" not in response.headers
    plain = await stack.http.get("/api/v1/properties", headers={"Origin": ALLOWED_ORIGIN})
    assert "access-control-allow-origin" not in plain.headers


async def test_cors_answers_only_the_configured_origins(fresh):
    allowed = await fresh.http.options("/api/v1/properties", headers=preflight(ALLOWED_ORIGIN))
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN

    unknown = await fresh.http.options(
        "/api/v1/properties", headers=preflight("https://evil.example")
    )
    assert "access-control-allow-origin" not in unknown.headers


async def test_an_unknown_host_header_gets_400(stack):
    response = await stack.http.get("/healthz", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert (await stack.http.get("/healthz")).status_code == 200
