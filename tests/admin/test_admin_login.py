"""Signing in to the web admin under attack: guessing is throttled per account and per
address, password checks never stall the API, and a session ends for good at logout.

The shared stack allows any number of failures per address (every test calls from
127.0.0.1); the limits are checked on a second API with the defaults and an https public
URL, sharing the stack's database and Redis.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from api.app import create_app
from core.settings import Settings
from services.passwords import hash_password, password_matches_async
from tests.admin.support import PASSWORD, person_with_password, signed_in
from tests.support.servers import free_port, serve

TOO_MANY = "Too many sign-in attempts"


@dataclass
class Guarded:
    settings: Settings
    http: httpx.AsyncClient
    redis: Redis


@pytest.fixture(scope="module")
async def guarded(stack: Any) -> AsyncIterator[Guarded]:
    defaults = Settings()
    settings = stack.settings.model_copy(
        update={
            "public_base_url": "https://admin.zhilyego.test",
            "admin_login_failures_per_account": defaults.admin_login_failures_per_account,
            "admin_login_failures_per_address": defaults.admin_login_failures_per_address,
            "telegram_bot_token": None,  # the stack's process already runs the bot
            "rate_limit_key_prefix": "ratelimit-login-" + secrets.token_hex(4),
        }
    )
    assert settings.admin_login_failures_per_account == 5
    assert settings.admin_login_failures_per_address == 20
    redis = Redis.from_url(settings.redis_url)
    port = free_port()
    async with (
        serve(create_app(settings), port) as url,
        httpx.AsyncClient(base_url=url, timeout=60) as http,
    ):
        yield Guarded(settings, http, redis)
    await redis.aclose()


@pytest.fixture
async def fresh(guarded: Guarded) -> Guarded:
    """No failures left over from the previous test (all come from 127.0.0.1)."""
    keys = [k async for k in guarded.redis.scan_iter(f"{guarded.settings.rate_limit_key_prefix}:*")]
    if keys:
        await guarded.redis.delete(*keys)
    guarded.http.cookies.clear()
    return guarded


async def sign_in(http: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await http.post("/admin/login", data={"username": email, "password": password})


def assert_throttled(answer: httpx.Response, *, at_most: int) -> None:
    assert answer.status_code == 429, answer.text
    assert 1 <= int(answer.headers["Retry-After"]) <= at_most
    assert TOO_MANY in answer.text
    assert "zg_admin" not in answer.headers.get("set-cookie", "")


async def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(stack, fresh):
    owner = await person_with_password(stack)
    colleague = await person_with_password(stack)
    email = owner.email or ""
    for _ in range(5):
        assert (await sign_in(fresh.http, email, "guess")).status_code == 400

    assert_throttled(await sign_in(fresh.http, email, PASSWORD), at_most=15 * 60)
    assert_throttled(await sign_in(fresh.http, email.upper(), PASSWORD), at_most=15 * 60)
    # The address made only five failures: others still sign in from it.
    assert (await sign_in(fresh.http, colleague.email or "", PASSWORD)).status_code == 302


async def test_twenty_failures_from_one_address_close_it_for_every_account(stack, fresh):
    owner = await person_with_password(stack)
    guesses = [
        sign_in(fresh.http, f"nobody-{secrets.token_hex(4)}@example.kz", "guess") for _ in range(20)
    ]
    assert [a.status_code for a in await asyncio.gather(*guesses)] == [400] * 20

    assert_throttled(await sign_in(fresh.http, owner.email or "", PASSWORD), at_most=15 * 60)


async def _turns_during(check: Any) -> tuple[Any, int]:
    """Runs `check` while a ticker counts event-loop turns: a check that held the loop
    (a hash computed on it) lets the ticker run hardly at all."""
    turns = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal turns
        while not done.is_set():
            turns += 1
            await asyncio.sleep(0)

    ticking = asyncio.create_task(ticker())
    try:
        result = await check
    finally:
        done.set()
        await ticking
    return result, turns


async def test_every_miss_is_a_full_check_off_the_event_loop():
    """An unknown account, one without a password and a wrong password each cost one whole
    argon2 verification (no early answer that tells accounts apart), and it runs on a thread:
    the loop keeps serving other requests meanwhile. (How long it takes: a benchmark's job.)"""
    real = hash_password(PASSWORD)
    for stored, password, expected in [
        (real, PASSWORD, True),
        (real, "not the password", False),
        (None, "anything", False),  # no such account, or one without a password
    ]:
        matches, turns = await _turns_during(password_matches_async(stored, password))
        assert matches is expected
        # argon2id takes tens of ms: on a thread the ticker gets hundreds of turns meanwhile;
        # computed on the loop it would get none until the answer was already there.
        assert turns >= 10, (stored, turns)


async def test_a_logged_out_session_cookie_opens_nothing(stack):
    owner = await person_with_password(stack)
    async with signed_in(stack, owner) as admin:
        cookie = admin.cookies["zg_admin"]
        assert (await admin.get("/admin/property/list")).status_code == 200
        assert (await admin.get("/admin/logout")).status_code == 302
    async with httpx.AsyncClient(base_url=stack.api_url, cookies={"zg_admin": cookie}) as replay:
        answer = await replay.get("/admin/property/list")
    assert answer.status_code == 302
    assert answer.headers["location"].endswith("/admin/login")


async def test_the_session_cookie_is_secure_behind_an_https_url(stack, fresh):
    owner = await person_with_password(stack)
    answer = await sign_in(fresh.http, owner.email or "", PASSWORD)
    assert answer.status_code == 302
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("zg_admin="))
    attributes = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite"} <= attributes, cookie
