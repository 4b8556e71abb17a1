"""The Telegram Bot API stand-in the tests start: the same one `make dev` runs
(`devstack/telegram_standin.py`), so what the tests prove holds for `make chat` too."""

from devstack.telegram_standin import (
    SentMessage,
    TelegramCall,
    TelegramRecorder,
    create_telegram_standin,
)

__all__ = ["SentMessage", "TelegramCall", "TelegramRecorder", "create_telegram_standin"]
