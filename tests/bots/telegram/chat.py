"""A guest or owner talking to the bot: updates posted to the real webhook route, replies
read from the Telegram Bot API stand-in."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import TELEGRAM_WEBHOOK_SECRET
from tests.support.telegram_standin import TelegramCall

_update_ids = itertools.count(1_000)
_message_ids = itertools.count(50_000)


@dataclass
class Reply:
    method: str
    text: str
    buttons: list[str]
    params: dict[str, Any]


@dataclass
class TelegramChat:
    stack: Any
    user_id: int
    first_name: str = "Айгерим"
    language_code: str = "ru"
    _seen: int = field(default=0)

    def _user(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": {"id": self.user_id, "type": "private", "first_name": self.first_name},
            "from": self._user(),
            **content,
        }

    async def post(self, update: dict[str, Any], *, secret: str | None = None) -> Any:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret or TELEGRAM_WEBHOOK_SECRET}
        return await self.stack.http.post("/telegram/webhook", json=update, headers=headers)

    async def send(self, text: str) -> list[Reply]:
        """Types (or taps a reply button with) `text`; returns what the bot answered."""
        response = await self.post(
            {"update_id": next(_update_ids), "message": self._message(text=text)}
        )
        assert response.status_code == 200, response.text
        return self.new_replies()

    async def send_web_app_data(self, data: str) -> list[Reply]:
        """What a Mini App opened from a keyboard button sends (Telegram.WebApp.sendData)."""
        message = self._message(web_app_data={"data": data, "button_text": "🗓"})
        response = await self.post({"update_id": next(_update_ids), "message": message})
        assert response.status_code == 200, response.text
        return self.new_replies()

    async def send_contact(self, phone: str) -> list[Reply]:
        contact = {"phone_number": phone, "first_name": self.first_name, "user_id": self.user_id}
        response = await self.post(
            {"update_id": next(_update_ids), "message": self._message(contact=contact)}
        )
        assert response.status_code == 200, response.text
        return self.new_replies()

    async def send_photo(self, file_id: str, caption: str | None = None) -> list[Reply]:
        photo = [{"file_id": file_id, "file_unique_id": file_id + "-u", "width": 64, "height": 64}]
        content: dict[str, Any] = {"photo": photo}
        if caption:
            content["caption"] = caption
        response = await self.post(
            {"update_id": next(_update_ids), "message": self._message(**content)}
        )
        assert response.status_code == 200, response.text
        return self.new_replies()

    async def press_stale_inline_button(self, data: str = "old:1") -> list[Reply]:
        query = {
            "id": str(next(_update_ids)),
            "from": self._user(),
            "chat_instance": "1",
            "data": data,
            "message": self._message(text="old"),
        }
        response = await self.post({"update_id": next(_update_ids), "callback_query": query})
        assert response.status_code == 200, response.text
        return self.new_replies()

    def new_replies(self) -> list[Reply]:
        """Messages to this chat recorded since the last look (the workflow's too)."""
        mine = [c for c in self.stack.telegram.calls if _chat(c) == self.user_id]
        fresh, self._seen = mine[self._seen :], len(mine)
        return [_reply(c) for c in fresh]

    def all_replies(self) -> list[Reply]:
        return [_reply(c) for c in self.stack.telegram.calls if _chat(c) == self.user_id]


def _chat(call: TelegramCall) -> int | None:
    chat = call.params.get("chat_id")
    return int(chat) if chat is not None and str(chat).lstrip("-").isdigit() else None


def _reply(call: TelegramCall) -> Reply:
    markup = call.params.get("reply_markup") or {}
    buttons = [b["text"] for row in markup.get("keyboard", []) for b in row]
    text = str(call.params.get("text") or call.params.get("caption") or "")
    return Reply(call.method, text, buttons, call.params)


def texts(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)
