"""How updates reach the bot: long polling (development) or a webhook Telegram calls (API)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand

from bots.telegram.runtime import TelegramBot
from bots.texts import LANGUAGES, t
from core.logging import get_logger

log = get_logger(__name__)
WEBHOOK_PATH = "/telegram/webhook"


async def set_commands(bot: Bot) -> None:
    """The "/" menu in every language: /start always brings the main menu back."""
    for lang in LANGUAGES:
        commands = [BotCommand(command="start", description=t("btn_main_menu", lang))]
        await bot.set_my_commands(commands, language_code=None if lang == "ru" else lang)


async def poll(bot: TelegramBot, *, handle_signals: bool = True) -> None:
    """Long polling until stopped (SIGINT/SIGTERM, or `dispatcher.stop_polling()`).

    Telegram refuses getUpdates while a webhook is set, so the webhook goes first; updates
    that arrived meanwhile are kept.
    """
    await bot.bot.delete_webhook(drop_pending_updates=False)
    await set_commands(bot.bot)
    me = await bot.bot.me()
    log.info("telegram bot polling", username=me.username, bot_id=me.id)
    await bot.dispatcher.start_polling(
        bot.bot, handle_signals=handle_signals, close_bot_session=False
    )


async def register_webhook(bot: TelegramBot, url: str, secret: str) -> None:
    """Points Telegram at `url` (https://<host>/telegram/webhook); it will send `secret` back
    in X-Telegram-Bot-Api-Secret-Token, which the API checks."""
    await bot.bot.set_webhook(
        url,
        secret_token=secret,
        allowed_updates=bot.dispatcher.resolve_used_update_types(),
        drop_pending_updates=False,
    )
    await set_commands(bot.bot)
    log.info("telegram webhook registered", url=url)
