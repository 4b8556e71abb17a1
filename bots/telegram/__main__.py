"""The Telegram bot outside the API.

python -m bots.telegram                       long polling (development, `make dev`)
python -m bots.telegram --set-webhook URL     webhook mode: Telegram posts updates to
                                              URL (https://<host>/telegram/webhook),
                                              which the API serves; exits when done
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from redis.asyncio import Redis

from bots.telegram.deps import BotDeps
from bots.telegram.polling import poll, register_webhook
from bots.telegram.runtime import TelegramBot
from core.db import create_engine, create_session_factory
from core.logging import configure_logging, get_logger
from core.sentry import init_sentry
from core.settings import ConfigError, get_settings
from services.temporal_link import TemporalLink

log = get_logger("bots.telegram")


async def main(webhook_url: str | None = None) -> None:
    settings = get_settings().require_startable()
    configure_logging(settings.log_level)
    init_sentry(settings, "telegram-bot")
    secret = settings.telegram_webhook_secret
    if webhook_url is not None and secret is None:
        raise ConfigError("set TELEGRAM_WEBHOOK_SECRET before registering a webhook")
    engine = create_engine(settings.database_url)
    redis = Redis.from_url(settings.redis_url)
    temporal = TemporalLink(settings)
    sessions = create_session_factory(engine)
    bot = TelegramBot.build(BotDeps(settings, sessions, redis, booking_client=temporal.bookings))
    try:
        if webhook_url is not None and secret is not None:
            await register_webhook(bot, webhook_url, secret.get_secret_value())
        else:
            await poll(bot)
    finally:
        await bot.close()
        await redis.aclose()
        await engine.dispose()


def cli(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bots.telegram",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--set-webhook", metavar="URL", help="register the webhook and exit")
    args = parser.parse_args(argv)
    try:
        asyncio.run(main(args.set_webhook))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(cli())
