"""A guest on WhatsApp: signed webhooks posted to the real route, answers read from the
Graph API stand-in."""

from __future__ import annotations

import itertools
import json
import secrets
import time
from datetime import date, timedelta
from typing import Any

import httpx

from core.signing import meta_signature
from devstack.whatsapp_standin import WhatsAppMessage
from tests.conftest import WHATSAPP_APP_SECRET, WHATSAPP_PHONE_NUMBER_ID

WEBHOOK = "/whatsapp/webhook"
# Random base: conversation state lives in a Redis that outlives a test session.
_numbers = itertools.count(secrets.randbelow(10_000) * 1000)
_ids = itertools.count(1)


def new_wa_id() -> str:
    """A Kazakh mobile number as WhatsApp sends it (no plus)."""
    return f"7707{next(_numbers) % 10_000_000:07d}"


def envelope(value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA-1",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"phone_number_id": WHATSAPP_PHONE_NUMBER_ID},
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def text_message(wa_id: str, text: str, name: str = "Айгерим") -> dict[str, Any]:
    return envelope(
        {
            "contacts": [{"wa_id": wa_id, "profile": {"name": name}}],
            "messages": [
                {
                    "from": wa_id,
                    "id": f"wamid.in{secrets.token_hex(6)}{next(_ids)}",
                    "timestamp": str(int(time.time())),
                    "type": "text",
                    "text": {"body": text},
                }
            ],
        }
    )


def reply_message(wa_id: str, reply_id: str, title: str, kind: str) -> dict[str, Any]:
    """A tap on a reply button (kind "button_reply") or a list row ("list_reply")."""
    payload = text_message(wa_id, title)
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    del message["text"]
    message["type"] = "interactive"
    message["interactive"] = {"type": kind, kind: {"id": reply_id, "title": title}}
    return payload


def image_message(wa_id: str, media_id: str, caption: str = "") -> dict[str, Any]:
    """A photo sent in the chat: Meta delivers its media id (fetched later if needed)."""
    payload = text_message(wa_id, "")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    del message["text"]
    message["type"] = "image"
    message["image"] = {"id": media_id, "mime_type": "image/jpeg", "sha256": "x" * 44}
    if caption:
        message["image"]["caption"] = caption
    return payload


def flow_reply_message(wa_id: str, response: dict[str, Any]) -> dict[str, Any]:
    """A completed Flow as Meta posts it: an `nfm_reply` whose `response_json` is a string,
    with the `context` of the Flow message it answers."""
    payload = text_message(wa_id, "")
    message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
    del message["text"]
    message["type"] = "interactive"
    message["context"] = {"from": "77000000000", "id": f"wamid.flow{secrets.token_hex(6)}"}
    message["interactive"] = {
        "type": "nfm_reply",
        "nfm_reply": {"name": "flow", "body": "Sent", "response_json": json.dumps(response)},
    }
    return payload


def status_event(message_id: str, status: str, wa_id: str) -> dict[str, Any]:
    return envelope(
        {
            "statuses": [
                {
                    "id": message_id,
                    "status": status,
                    "timestamp": str(int(time.time())),
                    "recipient_id": wa_id,
                }
            ]
        }
    )


async def post_signed(
    stack: Any, payload: dict[str, Any] | bytes, secret: str = WHATSAPP_APP_SECRET
) -> httpx.Response:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Hub-Signature-256": meta_signature(secret, body),
    }
    response: httpx.Response = await stack.http.post(WEBHOOK, content=body, headers=headers)
    return response


class WhatsAppGuest:
    def __init__(self, stack: Any, wa_id: str | None = None) -> None:
        self.stack = stack
        self.wa_id = wa_id or new_wa_id()
        self.phone = "+" + self.wa_id

    @property
    def inbox(self) -> list[WhatsAppMessage]:
        found: list[WhatsAppMessage] = self.stack.whatsapp.sent_to(self.wa_id)
        return found

    async def _post(self, payload: dict[str, Any]) -> list[WhatsAppMessage]:
        before = len(self.inbox)
        response = await post_signed(self.stack, payload)
        assert response.status_code == 200, response.text
        return self.inbox[before:]

    async def send(self, text: str) -> list[WhatsAppMessage]:
        """Types a message; the bot's answers (handled before the webhook's 200)."""
        return await self._post(text_message(self.wa_id, text))

    async def send_image(self, media_id: str, caption: str = "") -> list[WhatsAppMessage]:
        return await self._post(image_message(self.wa_id, media_id, caption))

    async def flow_reply(
        self, check_in: date, check_out: date, property_id: int
    ) -> list[WhatsAppMessage]:
        """The dates Flow sent for `property_id`, completed with this stay
        (bots/whatsapp/flows/dates.json)."""
        response = {
            "check_in": check_in.isoformat(),
            "check_out": check_out.isoformat(),
            "flow_token": f"dates:{property_id}",
        }
        return await self._post(flow_reply_message(self.wa_id, response))

    async def tap(self, title_part: str) -> list[WhatsAppMessage]:
        """Taps the option of the last menu whose title contains `title_part`."""
        menu = self.last_menu()
        matches = [(cid, title) for cid, title in menu.choices if title_part in title]
        assert matches, f"no option with {title_part!r}: {menu.choices}"
        cid, title = matches[0]
        kind = "button_reply" if menu.payload["interactive"]["type"] == "button" else "list_reply"
        return await self._post(reply_message(self.wa_id, cid, title, kind))

    async def tap_id(self, reply_id: str) -> list[WhatsAppMessage]:
        menu = self.last_menu()
        titles = dict(menu.choices)
        assert reply_id in titles, f"{reply_id} not offered: {menu.choices}"
        kind = "button_reply" if menu.payload["interactive"]["type"] == "button" else "list_reply"
        return await self._post(reply_message(self.wa_id, reply_id, titles[reply_id], kind))

    def last_menu(self) -> WhatsAppMessage:
        menus = [
            m
            for m in self.inbox
            if m.type == "interactive" and m.payload["interactive"]["type"] != "cta_url"
        ]
        assert menus, "the bot offered no menu"
        return menus[-1]

    async def tap_day(self, day: date) -> list[WhatsAppMessage]:
        """From the months list: the month of `day` (paging "More ▶️" if needed), its
        week, then the day."""
        month = f"month:{day.replace(day=1).isoformat()}"
        for _ in range(3):
            ids = [cid for cid, _ in self.last_menu().choices]
            if month in ids:
                break
            pages = [cid for cid in ids if cid.startswith("months:")]
            assert pages, f"{day:%B %Y} is not offered: {ids}"
            await self.tap_id(pages[-1])
        await self.tap_id(month)
        monday = day - timedelta(days=day.weekday())
        await self.tap_id(f"week:{monday.isoformat()}")
        wanted = f"day:{day.isoformat()}"
        ids = [cid for cid, _ in self.last_menu().choices]
        assert wanted in ids, f"{day} is not offered: {ids}"
        return await self.tap_id(wanted)
