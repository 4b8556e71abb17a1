"""What every journey step gets: the guest, their channel and language, the conversation
state (a JSON-able dict each adapter keeps in Redis), the shared services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from core.clock import LOCAL_TZ
from core.db import SessionFactory
from core.settings import Settings
from models import User
from models.enums import Channel
from services.booking_client import BookingClient
from services.search_cache import SearchCache


@dataclass(frozen=True)
class JourneyDeps:
    settings: Settings
    sessions: SessionFactory
    search: SearchCache
    # Connected lazily: menus keep working while Temporal restarts.
    booking_client: Callable[[], Awaitable[BookingClient]]


@dataclass
class Journey:
    deps: JourneyDeps
    user: User
    channel: Channel
    state: dict[str, Any]
    # The number the messenger proves (the WhatsApp sender); Telegram's comes from a
    # shared contact or the account and is asked for before paying.
    phone: str | None = None
    message_id: str = ""

    @property
    def lang(self) -> str:
        return str(self.user.language or "ru")

    @property
    def user_id(self) -> int:
        assert self.user.id is not None
        return self.user.id

    @property
    def contact_phone(self) -> str | None:
        """The stay's contact number: the proven one, else the account's or a typed one."""
        return self.phone or self.user.phone or self.state.get("contact_phone")

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(LOCAL_TZ).date()
