"""What every step handler gets: the guest, their language, the state, the shared services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from core.clock import LOCAL_TZ
from core.db import SessionFactory
from core.settings import Settings
from models import User
from services.booking_client import BookingClient
from services.search_cache import SearchCache


@dataclass(frozen=True)
class BotDeps:
    settings: Settings
    sessions: SessionFactory
    search: SearchCache
    # Connected lazily: menus keep working while Temporal restarts.
    booking_client: Callable[[], Awaitable[BookingClient]]


@dataclass
class Ctx:
    deps: BotDeps
    user: User
    phone: str  # E.164
    state: dict[str, Any]
    message_id: str = ""

    @property
    def lang(self) -> str:
        return str(self.user.language or "ru")

    @property
    def user_id(self) -> int:
        assert self.user.id is not None
        return self.user.id

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(LOCAL_TZ).date()
