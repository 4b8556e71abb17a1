"""Per-update context: a rate limit per user, a DB session, the user, their language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram.types import User as TgUser

from bots.telegram.deps import BotDeps
from bots.texts import t
from core.logging import get_logger
from core.rate_limit import RateLimiter
from services.users import telegram_user

log = get_logger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def _sender(update: Update) -> TgUser | None:
    for event in (update.message, update.callback_query, update.edited_message):
        if event is not None and event.from_user is not None:
            return event.from_user
    return None


class LogContextMiddleware(BaseMiddleware):
    """Every log line written while an update is handled says it came from Telegram."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        update_id = event.update_id if isinstance(event, Update) else None
        with structlog.contextvars.bound_contextvars(channel="telegram", update_id=update_id):
            return await handler(event, data)


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


class RateLimitMiddleware(BaseMiddleware):
    """Per Telegram user: over the limit, one friendly note, then updates are dropped
    (unanswered, no session opened) until the window lets them through again."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        deps: BotDeps = data["deps"]
        assert isinstance(event, Update)
        sender = _sender(event)
        if sender is None or sender.is_bot:
            return await handler(event, data)
        limiter = RateLimiter(deps.redis, prefix=deps.settings.rate_limit_key_prefix)
        key = str(sender.id)
        decision = await limiter.hit(
            "bot", key, limit=deps.settings.rate_limit_bot_updates_per_minute
        )
        if decision.allowed:
            return await handler(event, data)
        log.warning("bot rate limit", telegram_id=sender.id, update_id=event.update_id)
        if await limiter.first_refusal("bot", key, seconds=decision.retry_after):
            bot = data.get("bot")
            if bot is not None:
                try:
                    await bot.send_message(sender.id, t("too_often", sender.language_code))
                except Exception:  # the note is a courtesy; its failure must not raise
                    log.warning("could not send the rate-limit note", exc_info=True)
        return None
