"""`make wa-chat`: be a guest on WhatsApp in this terminal, no WhatsApp account needed.

Each line you type is posted to the API as Meta would post it: a signed webhook
(X-Hub-Signature-256) to /whatsapp/webhook. What the bot sends back is read from the
Graph API stand-in that `make dev` starts when WHATSAPP_TOKEN is not set.

python -m devstack.wa_chat [--phone +77015550123] [--api http://127.0.0.1:8000/whatsapp/webhook]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from core.signing import meta_signature
from devstack.chat import INDENT, BotMessage, Button, _read_stdin, numbered, render
from devstack.dev_env import (
    DEV_WHATSAPP_PHONE_NUMBER_ID,
    WHATSAPP_STANDIN_URL,
    WHATSAPP_WEBHOOK_URL,
    configured,
    dev_secrets,
    whatsapp_standin,
)
from devstack.whatsapp_standin import WhatsAppMessage

DEFAULT_PHONE = "+77015550123"
POLL = 1.0  # seconds between looks for messages the bot sends on its own (worker)
USAGE = """\
You are a guest writing to the bot on WhatsApp: type "привет" to begin.
The bot's buttons and list rows are numbered: type a number to tap one, or type any text.
  /keys  show the options again   \\2  send "2" as text   /quit  leave (or Ctrl-C, Ctrl-D)
  /dates 2027-07-12 2027-07-15   what the dates Flow answers (its nfm_reply)"""


class WaChatError(Exception):
    """The API refused the webhook; the message says why."""


@dataclass(frozen=True)
class Typed:
    kind: Literal["text", "reply", "dates", "keys", "quit"]
    value: str = ""  # the text, or the tapped option's title
    reply_id: str = ""


def as_bot_message(n: int, payload: dict[str, Any]) -> BotMessage:
    """A Graph API message in `devstack.chat`'s terms, so it renders the same way: reply
    buttons on one numbered line, list rows one per line."""
    message = WhatsAppMessage(id=str(n), phone_number_id="", payload=payload)
    keyboard = None
    if message.type == "interactive":
        titles = [Button(title) for _, title in message.choices]
        keyboard = (
            [titles] if "buttons" in payload["interactive"]["action"] else [[b] for b in titles]
        )
    text = message.text or (f"({message.type})" if message.type != "image" else "")
    if message.type == "interactive" and payload["interactive"].get("type") == "flow":
        text += "\n[🗓 a WhatsApp Flow: answer it with /dates FROM TO]"
    return BotMessage(
        message_id=n,
        text=text,
        keyboard=keyboard,
        photos=1 if message.type == "image" else 0,
    )


@dataclass
class WaChat:
    """One guest's side of a WhatsApp chat: signed webhooks in, the stand-in's record out."""

    http: httpx.AsyncClient
    app_secret: str
    phone: str = DEFAULT_PHONE
    name: str = "Айгерим"
    webhook_url: str = WHATSAPP_WEBHOOK_URL
    standin_url: str = WHATSAPP_STANDIN_URL
    phone_number_id: str = DEV_WHATSAPP_PHONE_NUMBER_ID
    # The last bot message's options: (reply id, title), and how a tap on them is sent.
    options: list[tuple[str, str]] = field(default_factory=list)
    reply_kind: str = "button_reply"
    last_n: int = 0

    @property
    def wa_id(self) -> str:
        return self.phone.lstrip("+")

    def interpret(self, line: str) -> Typed:
        text = line.strip()
        if text in ("", "/keys"):
            return Typed("keys")
        if text in ("/quit", "/exit", "/q"):
            return Typed("quit")
        if text.startswith("\\"):
            return Typed("text", text[1:])
        command, _, rest = text.partition(" ")
        if command == "/dates":
            parts = rest.split()
            if len(parts) != 2:
                return Typed("keys")
            return Typed("dates", json.dumps({"check_in": parts[0], "check_out": parts[1]}))
        if text.isdigit() and 1 <= int(text) <= len(self.options):
            reply_id, title = self.options[int(text) - 1]
            return Typed("reply", title, reply_id)
        return Typed("text", text)

    def payload(self, typed: Typed) -> dict[str, Any]:
        """The webhook body Meta would post for this message."""
        message: dict[str, Any] = {
            "from": self.wa_id,
            "id": f"wamid.wachat{secrets.token_hex(8)}",
            "timestamp": str(int(time.time())),
        }
        if typed.kind == "reply":
            kind = self.reply_kind
            message["type"] = "interactive"
            message["interactive"] = {
                "type": kind,
                kind: {"id": typed.reply_id, "title": typed.value},
            }
        elif typed.kind == "dates":  # a completed Flow, as Meta delivers it
            message["type"] = "interactive"
            message["interactive"] = {
                "type": "nfm_reply",
                "nfm_reply": {"name": "flow", "body": "Sent", "response_json": typed.value},
            }
        else:
            message["type"] = "text"
            message["text"] = {"body": typed.value}
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"phone_number_id": self.phone_number_id},
            "contacts": [{"wa_id": self.wa_id, "profile": {"name": self.name}}],
            "messages": [message],
        }
        change = {"field": "messages", "value": value}
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA-DEV", "changes": [change]}],
        }

    async def send(self, typed: Typed) -> None:
        body = json.dumps(self.payload(typed), ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": meta_signature(self.app_secret, body),
        }
        response = await self.http.post(self.webhook_url, content=body, headers=headers)
        if response.status_code == 403:
            raise WaChatError("the API refused the signature: WHATSAPP_APP_SECRET differs")
        if response.status_code == 404:
            raise WaChatError("the API has no WhatsApp bot (WHATSAPP_TOKEN/phone id unset)")
        response.raise_for_status()

    async def receive(self) -> list[BotMessage]:
        """The bot's messages to this phone since the last look."""
        response = await self.http.get(
            f"{self.standin_url}/_standin/messages",
            params={"to": self.wa_id, "after": self.last_n},
        )
        response.raise_for_status()
        messages: list[BotMessage] = []
        for item in response.json()["messages"]:
            payload = item["payload"]
            self.last_n = max(self.last_n, int(item["n"]))
            messages.append(as_bot_message(int(item["n"]), payload))
            seen = WhatsAppMessage(str(item["n"]), "", payload)
            self.options = seen.choices
            if seen.type == "interactive":
                kind = payload["interactive"]["type"]
                self.reply_kind = "button_reply" if kind == "button" else "list_reply"
        return messages

    async def say(self, line: str) -> list[BotMessage]:
        """Types `line` (a number taps an option) and returns the bot's answer, which the
        webhook has handled before it answers 200."""
        typed = self.interpret(line)
        if typed.kind not in ("text", "reply", "dates"):
            raise ValueError(f"{line!r} is a local command, not a message")
        await self.send(typed)
        return await self.receive()

    def keys_text(self) -> str:
        if not self.options:
            return INDENT + "(no options; type a message)"
        return "\n".join(numbered([[Button(title)] for _, title in self.options]))


async def run(
    chat: WaChat, lines: asyncio.Queue[str | None], out: Callable[[str], None], *, echo: bool
) -> int:
    earlier = await chat.receive()
    if earlier:
        out(f"(chat with {chat.phone} continues; the bot's last message)")
        out(render(earlier[-1]))
    while True:
        try:
            line = await asyncio.wait_for(lines.get(), POLL)
        except TimeoutError:
            for message in await chat.receive():
                out(render(message))
            continue
        if line is None:
            return 0
        typed = chat.interpret(line)
        if typed.kind == "quit":
            return 0
        if typed.kind == "keys":
            out(chat.keys_text())
            continue
        if typed.kind == "dates":
            stay = json.loads(typed.value)
            out(f"🙂 🗓 {stay['check_in']} → {stay['check_out']} (Flow)")
        elif echo or typed.kind == "reply":
            out(f"🙂 {typed.value}")
        answer = await chat.say(line)
        if not answer:
            out(INDENT + "(no answer yet; later messages appear when they come)")
        for message in answer:
            out(render(message))


async def _main(args: argparse.Namespace) -> int:
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    reader = threading.Thread(
        target=_read_stdin, args=(asyncio.get_running_loop(), lines), daemon=True
    )
    reader.start()
    tty = sys.stdin.isatty()
    if tty:
        print(USAGE, flush=True)
        print(f"(you are {args.phone}; webhook {args.api}, stand-in {args.standin})\n")
    async with httpx.AsyncClient(timeout=30) as http:
        chat = WaChat(
            http,
            app_secret=args.secret,
            phone=args.phone,
            name=args.name,
            webhook_url=args.api,
            standin_url=args.standin,
            phone_number_id=args.phone_number_id,
        )
        return await run(chat, lines, lambda text: print(text, flush=True), echo=not tty)


def main(argv: list[str] | None = None) -> int:
    chosen = configured()
    parser = argparse.ArgumentParser(
        prog="python -m devstack.wa_chat",
        description=USAGE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--phone", default=DEFAULT_PHONE, help="the number you write from")
    parser.add_argument("--name", default="Айгерим", help="your WhatsApp profile name")
    parser.add_argument("--api", default=WHATSAPP_WEBHOOK_URL, help="the webhook to post to")
    parser.add_argument("--standin", default=WHATSAPP_STANDIN_URL, help="Graph API stand-in")
    parser.add_argument(
        "--phone-number-id",
        default=chosen.get("WHATSAPP_PHONE_NUMBER_ID") or DEV_WHATSAPP_PHONE_NUMBER_ID,
    )
    parser.add_argument("--secret", default=None, help="app secret (default: the dev one)")
    args = parser.parse_args(argv)
    if not whatsapp_standin(chosen):
        print(
            "WHATSAPP_TOKEN is set: the bot talks to real WhatsApp, not the stand-in.",
            file=sys.stderr,
        )
        return 1
    args.secret = (
        args.secret or chosen.get("WHATSAPP_APP_SECRET") or dev_secrets()["WHATSAPP_APP_SECRET"]
    )
    try:
        return asyncio.run(_main(args))
    except KeyboardInterrupt:
        return 0
    except WaChatError as exc:
        print(exc, file=sys.stderr)
        return 1
    except httpx.TransportError:
        print(
            f"Nothing answers at {args.api} or {args.standin}.\n"
            "Start the stack first (`make dev`, without WHATSAPP_TOKEN), "
            "then run `make wa-chat` in another terminal.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
