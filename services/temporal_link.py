"""A Temporal connection made on first use, shared by the API and the bots' own processes:
each starts (and answers menus, reports not-ready) while Temporal is still coming up."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from temporalio.client import Client

from core.settings import Settings
from core.temporal import connect_temporal
from services.booking_client import BookingClient, timings_from


@dataclass
class TemporalLink:
    settings: Settings
    _client: Client | None = None
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def temporal(self) -> Client:
        async with self._lock:
            if self._client is None:
                self._client = await connect_temporal(self.settings)
            return self._client

    async def bookings(self) -> BookingClient:
        return BookingClient(
            await self.temporal(),
            task_queue=self.settings.temporal_task_queue,
            timings=timings_from(self.settings),
        )

    def use_temporal(self, client: Client) -> None:
        self._client = client
