"""The bot as a running thing: Bot + Dispatcher + what they need, for the API and polling."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot, Dispatcher

from bots.telegram.app import create_bot, create_dispatcher
from bots.telegram.deps import BotDeps


@dataclass
class TelegramBot:
    bot: Bot
    dispatcher: Dispatcher

    @classmethod
    def build(cls, deps: BotDeps) -> TelegramBot:
        return cls(bot=create_bot(deps.settings), dispatcher=create_dispatcher(deps))

    async def close(self) -> None:
        await self.bot.session.close()
