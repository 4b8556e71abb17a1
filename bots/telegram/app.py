"""Factories for the Telegram bot and its dispatcher (nothing is built at import time)."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import ErrorEvent

from bots.telegram.deps import BotDeps
from bots.telegram.handlers import fallback, start
from bots.telegram.middlewares import (
    LogContextMiddleware,
    RateLimitMiddleware,
    UserMiddleware,
)
from bots.texts import t
from core.logging import get_logger
from core.settings import ConfigError, Settings

log = get_logger(__name__)
# A conversation left for a week starts over; its state must not live forever in Redis.
STATE_TTL = timedelta(days=7)


def create_bot(settings: Settings) -> Bot:
    if settings.telegram_bot_token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
    session = AiohttpSession(
        api=TelegramAPIServer.from_base(settings.telegram_api_base.rstrip("/"))
    )
    return Bot(token=settings.telegram_bot_token.get_secret_value(), session=session)


def feature_routers() -> list[object]:
    """Feature routers in priority order; the fallback router always comes last."""
    from bots.telegram.handlers import (
        booking,
        favourites,
        my_bookings,
        owner,
        owner_actions,
        payment_link,
        review,
        search,
        stats,
    )

    return [
        start.router,
        review.router,  # a rating button (sent by the workflow) works in any state
        payment_link.router,  # so does "🔄 Новая ссылка на оплату"
        search.router,
        favourites.router,
        booking.router,
        my_bookings.router,
        owner_actions.router,
        stats.router,
        owner.router,
    ]


def create_dispatcher(deps: BotDeps) -> Dispatcher:
    storage = RedisStorage(
        deps.redis,
        key_builder=DefaultKeyBuilder(with_destiny=True),
        state_ttl=STATE_TTL,
        data_ttl=STATE_TTL,
    )
    dp = Dispatcher(storage=storage, deps=deps)
    dp.update.outer_middleware(LogContextMiddleware())  # binds channel and update id
    dp.update.outer_middleware(RateLimitMiddleware())  # then: a dropped update costs nothing
    dp.update.outer_middleware(UserMiddleware())
    dp.include_routers(*feature_routers(), fallback.router)  # type: ignore[arg-type]
    dp.errors.register(on_error)
    return dp


async def on_error(event: ErrorEvent, lang: str = "ru") -> bool:
    """One failing update never stops the bot: the user gets a friendly note, state is kept."""
    update = event.update
    log.error(
        "telegram update failed",
        update_id=update.update_id,
        error=type(event.exception).__name__,
        exc_info=event.exception,
    )
    message = update.message or (update.callback_query.message if update.callback_query else None)
    if message is not None and message.bot is not None:
        try:
            await message.bot.send_message(message.chat.id, t("error_generic", lang))
        except Exception:  # the apology itself failing must not raise again
            log.warning("could not send the error note", update_id=update.update_id, exc_info=True)
    return True
