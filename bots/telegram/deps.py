"""What handlers receive besides the update: reached through dispatcher data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from redis.asyncio import Redis

from core.db import SessionFactory
from core.settings import Settings
from services.booking_client import BookingClient


@dataclass(frozen=True)
class BotDeps:
    settings: Settings
    sessions: SessionFactory
    redis: Redis
    # Connected lazily: the bot answers menus even while Temporal restarts.
    booking_client: Callable[[], Awaitable[BookingClient]]
