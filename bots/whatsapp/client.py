"""A thin WhatsApp Cloud API client over httpx: the seven message kinds the bot sends.

Meta's limits are applied here, so callers never get a 400 for a long title: reply buttons
≤3 with titles ≤20 chars, list rows ≤10 with titles ≤24 chars, bodies ≤1024 / 4096 chars.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

MAX_BUTTONS, BUTTON_TITLE = 3, 20
MAX_ROWS, ROW_TITLE, ROW_DESCRIPTION = 10, 24, 72
INTERACTIVE_BODY, TEXT_BODY, CAPTION = 1024, 4096, 1024
Choice = tuple[str, str]  # (reply id, title)


class WhatsAppError(RuntimeError):
    pass


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class WhatsAppClient:
    def __init__(
        self, *, token: str, phone_number_id: str, api_base: str, http: httpx.AsyncClient
    ) -> None:
        self._url = f"{api_base.rstrip('/')}/{phone_number_id}/messages"
        self._headers = {"Authorization": f"Bearer {token}"}
        self._http = http

    async def send_text(self, to: str, text: str) -> str:
        return await self._send(to, "text", {"body": clip(text, TEXT_BODY)})

    async def send_buttons(self, to: str, text: str, choices: Sequence[Choice]) -> str:
        buttons = [
            {"type": "reply", "reply": {"id": cid[:256], "title": clip(title, BUTTON_TITLE)}}
            for cid, title in choices[:MAX_BUTTONS]
        ]
        interactive = {
            "type": "button",
            "body": {"text": clip(text, INTERACTIVE_BODY)},
            "action": {"buttons": buttons},
        }
        return await self._send(to, "interactive", interactive)

    async def send_list(
        self, to: str, text: str, button: str, choices: Sequence[Choice], section: str = ""
    ) -> str:
        rows = []
        for cid, title in choices[:MAX_ROWS]:
            row = {"id": cid[:200], "title": clip(title, ROW_TITLE)}
            if len(title) > ROW_TITLE:  # the whole title stays readable below the row
                row["description"] = clip(title, ROW_DESCRIPTION)
            rows.append(row)
        interactive = {
            "type": "list",
            "body": {"text": clip(text, INTERACTIVE_BODY)},
            "action": {
                "button": clip(button, BUTTON_TITLE),
                "sections": [{"title": clip(section or button, ROW_TITLE), "rows": rows}],
            },
        }
        return await self._send(to, "interactive", interactive)

    async def send_cta_url(self, to: str, text: str, label: str, url: str) -> str:
        """A body with one button that opens `url` (a payment link)."""
        interactive = {
            "type": "cta_url",
            "body": {"text": clip(text, INTERACTIVE_BODY)},
            "action": {
                "name": "cta_url",
                "parameters": {"display_text": clip(label, BUTTON_TITLE), "url": url},
            },
        }
        return await self._send(to, "interactive", interactive)

    async def send_flow(
        self, to: str, text: str, cta: str, flow_id: str, token: str, screen: str, data: Any
    ) -> str:
        """A published Flow opened on `screen` with `data` (flow_action "navigate"); its
        answer comes back as an `nfm_reply`."""
        interactive = {
            "type": "flow",
            "body": {"text": clip(text, INTERACTIVE_BODY)},
            "action": {
                "name": "flow",
                "parameters": {
                    "flow_message_version": "3",
                    "flow_token": token,
                    "flow_id": flow_id,
                    "flow_cta": clip(cta, BUTTON_TITLE),
                    "flow_action": "navigate",
                    "flow_action_payload": {"screen": screen, "data": data},
                },
            },
        }
        return await self._send(to, "interactive", interactive)

    async def send_image(self, to: str, link: str, caption: str = "") -> str:
        return await self._send(to, "image", {"link": link, "caption": clip(caption, CAPTION)})

    async def send_template(
        self, to: str, name: str, language: str, params: Sequence[str] = ()
    ) -> str:
        template: dict[str, Any] = {"name": name, "language": {"code": language}}
        if params:
            template["components"] = [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": template_param(p)} for p in params],
                }
            ]
        return await self._send(to, "template", template)

    async def _send(self, to: str, kind: str, content: dict[str, Any]) -> str:
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to.lstrip("+"),
            "type": kind,
            kind: content,
        }
        try:
            response = await self._http.post(self._url, json=payload, headers=self._headers)
        except httpx.HTTPError as exc:
            raise WhatsAppError(f"whatsapp: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise WhatsAppError(f"whatsapp answered {response.status_code}: {response.text[:200]}")
        messages = response.json().get("messages") or [{}]
        return str(messages[0].get("id", ""))


def template_param(text: str) -> str:
    """Meta refuses newlines, tabs and long runs of spaces in template parameters."""
    flat = " · ".join(line.strip() for line in text.splitlines() if line.strip())
    return clip(" ".join(flat.split()), 1024)
