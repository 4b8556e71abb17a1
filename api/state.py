"""Process-wide resources of the API: built once in the lifespan, reached through deps."""

from __future__ import annotations

from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.client import Client

from bots.telegram.runtime import TelegramBot
from bots.whatsapp.runtime import WhatsAppBot
from core.db import SessionFactory
from core.settings import Settings
from services.booking_client import BookingClient
from services.temporal_link import TemporalLink


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    redis: Redis
    telegram: TelegramBot | None = None
    whatsapp: WhatsAppBot | None = None
    _link: TemporalLink = field(init=False)

    def __post_init__(self) -> None:
        self._link = TemporalLink(self.settings)

    async def temporal(self) -> Client:
        """Connected on first use, so the API starts (and reports not-ready) without Temporal."""
        return await self._link.temporal()

    async def bookings(self) -> BookingClient:
        return await self._link.bookings()

    def use_temporal(self, client: Client) -> None:
        self._link.use_temporal(client)
