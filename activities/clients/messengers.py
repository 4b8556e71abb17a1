"""Outgoing messages to guests and owners: Telegram Bot API (aiogram) and WhatsApp Cloud API."""

from __future__ import annotations

from typing import Protocol

import httpx
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer


class DeliveryError(RuntimeError):
    """The messenger refused or failed; the activity retries through Temporal."""


class Messenger(Protocol):
    channel: str

    async def send_text(self, recipient: str, text: str) -> str: ...


class TelegramMessenger:
    channel = "telegram"

    def __init__(self, token: str, api_base: str) -> None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_base.rstrip("/")))
        self._bot = Bot(token=token, session=session)

    async def send_text(self, recipient: str, text: str) -> str:
        try:
            message = await self._bot.send_message(chat_id=int(recipient), text=text)
        except Exception as exc:  # aiogram raises many types; all mean "not delivered"
            raise DeliveryError(f"telegram: {type(exc).__name__}: {exc}") from exc
        return str(message.message_id)

    async def close(self) -> None:
        await self._bot.session.close()


class WhatsAppMessenger:
    channel = "whatsapp"

    def __init__(
        self, *, token: str, phone_number_id: str, api_base: str, http: httpx.AsyncClient
    ) -> None:
        self._url = f"{api_base.rstrip('/')}/{phone_number_id}/messages"
        self._headers = {"Authorization": f"Bearer {token}"}
        self._http = http

    async def send_text(self, recipient: str, text: str) -> str:
        payload = {
            "messaging_product": "whatsapp",
            "to": recipient.lstrip("+"),
            "type": "text",
            "text": {"body": text},
        }
        try:
            response = await self._http.post(self._url, json=payload, headers=self._headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"whatsapp: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise DeliveryError(f"whatsapp answered {response.status_code}")
        messages = response.json().get("messages") or [{}]
        return str(messages[0].get("id", ""))
