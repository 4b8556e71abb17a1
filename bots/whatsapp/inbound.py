"""Webhook payloads of the Cloud API read into what the bot needs; anything else is refused."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from bots.journey.screens import calendar_property, dates_of


class MalformedPayload(ValueError):
    pass


@dataclass(frozen=True)
class Inbound:
    """A guest's message: typed text, a tapped reply (button/list row id), or the stay
    chosen in the dates Flow (an `nfm_reply`)."""

    id: str
    wa_id: str
    name: str
    text: str
    reply_id: str | None = None
    dates: tuple[date, date] | None = None
    dates_for: int | None = None  # the apartment the calendar was opened for
    # A photo sent (its caption is the text): "whatsapp:<media id>".
    photo: str | None = None


@dataclass(frozen=True)
class StatusUpdate:
    message_id: str
    status: str  # sent | delivered | read | failed
    error: str | None = None


@dataclass(frozen=True)
class WebhookBatch:
    messages: list[Inbound]
    statuses: list[StatusUpdate]


def parse_webhook(data: Any) -> WebhookBatch:
    if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
        raise MalformedPayload("not a WhatsApp Business webhook")
    messages: list[Inbound] = []
    statuses: list[StatusUpdate] = []
    try:
        for entry in data["entry"]:
            for change in entry["changes"]:
                value = change["value"]
                names = {
                    str(c["wa_id"]): str(c.get("profile", {}).get("name", ""))
                    for c in value.get("contacts", [])
                }
                for raw in value.get("messages", []):
                    messages.append(_message(raw, names))
                for raw in value.get("statuses", []):
                    errors = raw.get("errors") or []
                    error = str(errors[0].get("title") or errors[0].get("code")) if errors else None
                    statuses.append(StatusUpdate(str(raw["id"]), str(raw["status"]), error))
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise MalformedPayload(f"unexpected shape: {type(exc).__name__}: {exc}") from exc
    return WebhookBatch(messages, statuses)


def _message(raw: dict[str, Any], names: dict[str, str]) -> Inbound:
    wa_id = str(raw["from"])
    kind = raw["type"]
    text, reply_id = "", None
    if kind == "text":
        text = str(raw["text"]["body"])
    elif kind == "interactive" and raw["interactive"].get("type") == "nfm_reply":
        response = raw["interactive"]["nfm_reply"].get("response_json") or "{}"
        try:
            answer = json.loads(response)
        except ValueError:  # a broken answer is no stay: the journey asks again
            answer = None
        dates = dates_of(answer)
        stay_of = calendar_property(answer)
        return Inbound(
            str(raw["id"]), wa_id, names.get(wa_id, ""), "", None, dates, dates_for=stay_of
        )
    elif kind == "interactive":
        reply = raw["interactive"].get("button_reply") or raw["interactive"]["list_reply"]
        reply_id, text = str(reply["id"]), str(reply.get("title", ""))
    elif kind == "image":
        image = raw["image"]
        photo = "whatsapp:" + str(image["id"])
        text = str(image.get("caption") or "")
        return Inbound(str(raw["id"]), wa_id, names.get(wa_id, ""), text.strip(), photo=photo)
    elif kind == "button":  # a quick reply on a template
        text = str(raw["button"].get("text", ""))
        reply_id = raw["button"].get("payload")
    return Inbound(str(raw["id"]), wa_id, names.get(wa_id, ""), text.strip(), reply_id)
