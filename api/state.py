"""Process-wide resources of the API: built once in the lifespan, reached through deps."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.client import Client

from bots.telegram.runtime import TelegramBot
from bots.whatsapp.runtime import WhatsAppBot
from core.db import SessionFactory
from core.settings import Settings
from core.temporal import connect_temporal
from services.booking_client import BookingClient, timings_from


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    redis: Redis
    telegram: TelegramBot | None = None
    whatsapp: WhatsAppBot | None = None
    _temporal: Client | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def temporal(self) -> Client:
        """Connected on first use, so the API starts (and reports not-ready) without Temporal."""
        async with self._lock:
            if self._temporal is None:
                self._temporal = await connect_temporal(self.settings)
            return self._temporal

    async def bookings(self) -> BookingClient:
        return BookingClient(
            await self.temporal(),
            task_queue=self.settings.temporal_task_queue,
            timings=timings_from(self.settings),
        )

    def use_temporal(self, client: Client) -> None:
        self._temporal = client
