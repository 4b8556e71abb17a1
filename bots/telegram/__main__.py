"""Polling mode for development: `python -m bots.telegram` (webhook mode runs in the API)."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from api.state import AppState
from bots.telegram.deps import BotDeps
from bots.telegram.runtime import TelegramBot
from core.db import create_engine, create_session_factory
from core.logging import configure_logging, get_logger
from core.sentry import init_sentry
from core.settings import get_settings

log = get_logger("bots.telegram")


async def main() -> None:
    settings = get_settings().require_startable()
    configure_logging(settings.log_level)
    init_sentry(settings, "telegram-bot")
    engine = create_engine(settings.database_url)
    redis = Redis.from_url(settings.redis_url)
    state = AppState(
        settings=settings, engine=engine, sessions=create_session_factory(engine), redis=redis
    )
    bot = TelegramBot.build(BotDeps(settings, state.sessions, redis, booking_client=state.bookings))
    try:
        await bot.bot.delete_webhook(drop_pending_updates=False)
        log.info("telegram bot polling", api=settings.telegram_api_base)
        await bot.dispatcher.start_polling(bot.bot, handle_signals=True)
    finally:
        await bot.close()
        await redis.aclose()
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
