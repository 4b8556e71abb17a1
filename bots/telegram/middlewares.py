"""Per-update context: a DB session, the user behind the update, their language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram.types import User as TgUser

from bots.telegram.deps import BotDeps
from core.logging import get_logger
from services.users import telegram_user

log = get_logger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def _sender(update: Update) -> TgUser | None:
    for event in (update.message, update.callback_query, update.edited_message):
        if event is not None and event.from_user is not None:
            return event.from_user
    return None


class UserMiddleware(BaseMiddleware):
    """Opens one session per update and puts `session`, `user` and `lang` into the data."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        deps: BotDeps = data["deps"]
        assert isinstance(event, Update)
        sender = _sender(event)
        async with deps.sessions() as session:
            data["session"] = session
            if sender is not None and not sender.is_bot:
                user = await telegram_user(
                    session, sender.id, sender.full_name, sender.language_code
                )
                data["user"] = user
                data["lang"] = user.language
            return await handler(event, data)
