"""Outgoing messages to guests and owners: Telegram Bot API (aiogram) and WhatsApp Cloud API."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol, runtime_checkable

import httpx
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter
from aiogram.types import KeyboardButton, ReplyKeyboardMarkup


class DeliveryError(RuntimeError):
    """The messenger refused or failed; the activity retries through Temporal.

    `retry_after`: seconds the messenger asked us to wait (Telegram's 429
    `parameters.retry_after`, WhatsApp's `Retry-After` header), None if it gave no hint.
    """

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def retry_after_header(value: str | None) -> float | None:
    """An HTTP `Retry-After` (delta-seconds or an HTTP date) as seconds from now."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return None if math.isnan(seconds) else max(seconds, 0.0)


class Messenger(Protocol):
    channel: str

    async def send_text(
        self, recipient: str, text: str, buttons: list[str] | None = None
    ) -> str: ...


@runtime_checkable
class TemplateMessenger(Protocol):
    """A messenger that must use approved templates outside a customer-service window."""

    async def send_template(
        self, recipient: str, name: str, language: str, params: list[str]
    ) -> str: ...


class TelegramMessenger:
    channel = "telegram"

    def __init__(self, token: str, api_base: str) -> None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_base.rstrip("/")))
        self._bot = Bot(token=token, session=session)

    async def send_text(self, recipient: str, text: str, buttons: list[str] | None = None) -> str:
        markup = (
            ReplyKeyboardMarkup(
                keyboard=[[KeyboardButton(text=b) for b in buttons]],
                resize_keyboard=True,
                one_time_keyboard=True,
            )
            if buttons
            else None
        )
        try:
            message = await self._bot.send_message(
                chat_id=int(recipient), text=text, reply_markup=markup
            )
        except Exception as exc:  # aiogram raises many types; all mean "not delivered"
            hint = float(exc.retry_after) if isinstance(exc, TelegramRetryAfter) else None
            raise DeliveryError(f"telegram: {type(exc).__name__}: {exc}", retry_after=hint) from exc
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

    async def send_text(self, recipient: str, text: str, buttons: list[str] | None = None) -> str:
        if buttons:  # a plain text message: the choices as a numbered list
            text += "\n" + "\n".join(f"{i}. {b}" for i, b in enumerate(buttons, 1))
        return await self._post(recipient, "text", {"body": text})

    async def send_template(
        self, recipient: str, name: str, language: str, params: list[str]
    ) -> str:
        """An approved template: the only message allowed outside the 24-hour window."""
        flat = [" ".join(" · ".join(p.splitlines()).split())[:1024] for p in params]
        template: dict[str, Any] = {"name": name, "language": {"code": language}}
        if flat:
            template["components"] = [
                {"type": "body", "parameters": [{"type": "text", "text": p} for p in flat]}
            ]
        return await self._post(recipient, "template", template)

    async def _post(self, recipient: str, kind: str, content: dict[str, Any]) -> str:
        payload = {
            "messaging_product": "whatsapp",
            "to": recipient.lstrip("+"),
            "type": kind,
            kind: content,
        }
        try:
            response = await self._http.post(self._url, json=payload, headers=self._headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"whatsapp: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise DeliveryError(
                f"whatsapp answered {response.status_code}",
                retry_after=retry_after_header(response.headers.get("Retry-After")),
            )
        messages = response.json().get("messages") or [{}]
        return str(messages[0].get("id", ""))
