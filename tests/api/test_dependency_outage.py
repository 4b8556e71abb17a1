"""With Postgres out of reach the API answers a clean 503 with Retry-After (seen in the
Postgres outage drill, `python -m bench.drills --only postgres`), never a 500, and keeps the
client's connection open for the retry."""

from __future__ import annotations

import secrets
from datetime import timedelta

import httpx

from api.app import create_app
from core.clock import today_local
from tests.support.servers import free_port, serve


async def test_database_out_of_reach_is_a_503_to_retry(stack):
    closed = free_port()  # nothing listens here: every connection is refused
    settings = stack.settings.model_copy(
        update={
            "database_url": f"postgresql+asyncpg://postgres@127.0.0.1:{closed}/nowhere",
            "telegram_bot_token": None,  # the stack's process already runs the bot
            "rate_limit_key_prefix": "ratelimit-outage-" + secrets.token_hex(4),
        }
    )
    body = {
        "property_id": 1,
        # Within the booking horizon, so only the database can refuse it.
        "check_in": (today_local() + timedelta(days=30)).isoformat(),
        "check_out": (today_local() + timedelta(days=32)).isoformat(),
        "guest": {"name": "Гость", "phone": "+77021234567"},
    }
    async with (
        serve(create_app(settings), free_port()) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
    ):
        for _ in range(2):  # the second request reuses the connection: it was kept open
            read = await http.get("/api/v1/bookings/ABCDEFGHJK")
            made = await http.post("/api/v1/bookings", json=body)
            for response in (read, made):
                assert response.status_code == 503, response.text
                assert response.headers["Retry-After"] == "5"
                assert response.json()["error"] == "unavailable"
