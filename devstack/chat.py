"""`make chat`: talk to the bot in this terminal through the local Telegram Bot API stand-in.

python -m devstack.chat [--chat-id 777000] [--url http://127.0.0.1:8081]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import httpx

from devstack.dev_env import GUEST_CHAT_ID, TELEGRAM_STANDIN_URL

DEFAULT_PHONE = "+77011234567"
IDLE_POLL = 20.0  # seconds one long poll waits while you are typing
INDENT = "   "
# A document the bot uploads (the statistics CSV) is shown by its first lines.
PREVIEW_LINES = 8
PREVIEW_WIDTH = 160
USAGE = """\
The bot's reply-keyboard buttons are numbered: type a number to press one, or type any text.
  /contact [+77011234567]  share a phone number     /keys  show the buttons again
  /dates 2027-07-12 2027-07-15   what the dates Mini App sends (its web_app_data)
  \\2                       send "2" as text          /quit  leave (or Ctrl-C, Ctrl-D)"""


@dataclass(frozen=True)
class Button:
    text: str
    request_contact: bool = False
    web_app: bool = False  # opens a Mini App; here its answer is sent with /dates


@dataclass(frozen=True)
class BotMessage:
    message_id: int
    text: str
    # None: the keyboard shown before stays (as in Telegram); [] with remove_keyboard: gone.
    keyboard: list[list[Button]] | None = None
    remove_keyboard: bool = False
    inline: list[str] = field(default_factory=list)
    photos: int = 0
    document: str | None = None
    # Where the stand-in serves an uploaded document; its first lines once fetched.
    document_url: str | None = None
    preview: tuple[str, ...] = ()

    @classmethod
    def from_standin(cls, data: dict[str, Any]) -> BotMessage:
        keyboard = data.get("keyboard")
        rows = None
        if keyboard is not None:
            rows = [[_button(b) for b in row] for row in keyboard]
        inline = [_inline(b) for row in data.get("inline_keyboard") or [] for b in row]
        return cls(
            message_id=int(data["message_id"]),
            text=str(data.get("text") or ""),
            keyboard=rows,
            remove_keyboard=bool(data.get("remove_keyboard")),
            inline=inline,
            photos=int(data.get("photos") or 0),
            document=data.get("document"),
            document_url=data.get("document_url"),
        )


def _button(raw: Any) -> Button:
    if isinstance(raw, str):
        return Button(raw)
    return Button(
        str(raw.get("text", "")), bool(raw.get("request_contact")), bool(raw.get("web_app"))
    )


def _inline(raw: dict[str, Any]) -> str:
    text = str(raw.get("text", ""))
    return f"🔗 {text}: {raw['url']}" if raw.get("url") else f"[{text}]"


def numbered(rows: list[list[Button]], phone: str = DEFAULT_PHONE) -> list[str]:
    """Buttons as the user presses them: one line per keyboard row, numbered from 1."""
    lines: list[str] = []
    number = 0
    for row in rows:
        cells = []
        for button in row:
            number += 1
            shares = f" [shares {phone}]" if button.request_contact else ""
            shares += " [Mini App: /dates FROM TO]" if button.web_app else ""
            cells.append(f"{number}) {button.text}{shares}")
        lines.append(INDENT + "  ".join(cells))
    return lines


def preview(data: bytes, lines: int = PREVIEW_LINES) -> tuple[str, ...]:
    """The first lines of a text file (a UTF-8 CSV's byte-order mark dropped); the size of
    anything else."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return (f"({len(data)} bytes, not text)",)
    rows = text.splitlines()
    shown = [r if len(r) <= PREVIEW_WIDTH else r[: PREVIEW_WIDTH - 1] + "…" for r in rows[:lines]]
    if len(rows) > lines:
        shown.append(f"… {len(rows) - lines} more lines")
    return tuple(shown) or ("(empty file)",)


def render(message: BotMessage, phone: str = DEFAULT_PHONE) -> str:
    body: list[str] = []
    if message.photos:
        body.append(f"🖼  {message.photos} photo{'s' if message.photos > 1 else ''}")
    if message.document:
        body.append(f"📎 {message.document}")
    body += message.text.splitlines() or ([] if body else [""])
    body += [f"│ {line}" for line in message.preview]
    lines = ["🤖 " + body[0], *(INDENT + line for line in body[1:])]
    lines += [INDENT + b for b in message.inline]
    if message.keyboard:
        lines += numbered(message.keyboard, phone)
    return "\n".join(lines)


@dataclass(frozen=True)
class Action:
    kind: Literal["text", "contact", "dates", "keys", "quit"]
    value: str = ""

    def shown(self) -> str:
        if self.kind == "dates":
            stay = json.loads(self.value)
            return f"🗓 {stay['check_in']} → {stay['check_out']} (Mini App)"
        return f"📱 {self.value}" if self.kind == "contact" else self.value


def dates_action(rest: str) -> Action:
    """`/dates 2027-07-12 2027-07-15`: the stay the dates Mini App would send."""
    parts = rest.split()
    if len(parts) != 2:
        return Action("keys")
    return Action("dates", json.dumps({"check_in": parts[0], "check_out": parts[1]}))


@dataclass
class Chat:
    """One person's side of a chat with the bot, over the stand-in's user API."""

    http: httpx.AsyncClient  # base_url: the stand-in
    chat_id: int = GUEST_CHAT_ID
    name: str = "Айгерим"
    language: str = "ru"
    phone: str = DEFAULT_PHONE
    keyboard: list[list[Button]] = field(default_factory=list)  # what is on screen now
    last_id: int = 0

    @property
    def buttons(self) -> list[Button]:
        return [b for row in self.keyboard for b in row]

    def interpret(self, line: str) -> Action:
        """What a typed line means: a button by number, a local command, or plain text."""
        text = line.strip()
        command, _, rest = text.partition(" ")
        if text in ("", "/keys"):
            return Action("keys")
        if text in ("/quit", "/exit", "/q"):
            return Action("quit")
        if command == "/contact":
            return Action("contact", rest.strip() or self.phone)
        if command == "/dates":
            return dates_action(rest)
        if text.startswith("\\"):
            return Action("text", text[1:])
        buttons = self.buttons
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            button = buttons[int(text) - 1]
            if button.request_contact:
                return Action("contact", self.phone)
            if button.web_app:  # a Mini App cannot open here; /dates sends what it would
                return Action("keys")
            return Action("text", button.text)
        return Action("text", text)

    async def send(self, action: Action) -> None:
        body: dict[str, Any] = {"first_name": self.name, "language_code": self.language}
        if action.kind == "contact":
            body["contact"] = {"phone_number": action.value}
        elif action.kind == "dates":
            body["web_app_data"] = {"data": action.value, "button_text": "🗓"}
        else:
            body["text"] = action.value
        response = await self.http.post(f"/chat/{self.chat_id}/send", json=body)
        response.raise_for_status()

    async def receive(self, wait: float) -> list[BotMessage]:
        """The bot's messages since the last look; waits up to `wait` seconds for one."""
        response = await self.http.get(
            f"/chat/{self.chat_id}/messages",
            params={"after": self.last_id, "timeout": wait},
            timeout=wait + 10,
        )
        response.raise_for_status()
        messages = [
            await self._with_preview(BotMessage.from_standin(m))
            for m in response.json()["messages"]
        ]
        for message in messages:
            self.last_id = max(self.last_id, message.message_id)
            if message.keyboard is not None:
                self.keyboard = message.keyboard
            elif message.remove_keyboard:
                self.keyboard = []
        return messages

    async def _with_preview(self, message: BotMessage) -> BotMessage:
        """An uploaded document (the statistics CSV) with its first lines, fetched from the
        stand-in; one sent by URL only has its name."""
        if message.document_url is None:
            return message
        try:
            response = await self.http.get(message.document_url)
        except httpx.HTTPError:
            return message
        if response.status_code != 200:
            return message
        return replace(message, preview=preview(response.content))

    async def replies(self, first: float = 15.0, quiet: float = 1.0) -> list[BotMessage]:
        """Waits for the bot to answer, then until it has been quiet for `quiet` seconds."""
        got = await self.receive(first)
        while got:
            more = await self.receive(quiet)
            if not more:
                break
            got += more
        return got

    async def say(self, line: str) -> list[BotMessage]:
        """Types `line` (a button number works) and returns what the bot answered."""
        action = self.interpret(line)
        if action.kind not in ("text", "contact", "dates"):
            raise ValueError(f"{line!r} is a local command, not a message")
        await self.send(action)
        return await self.replies()

    def keys_text(self) -> str:
        if not self.keyboard:
            return INDENT + "(no buttons; type a message)"
        return "\n".join(numbered(self.keyboard, self.phone))


async def run(
    chat: Chat, lines: asyncio.Queue[str | None], out: Callable[[str], None], *, echo: bool
) -> int:
    """The chat loop: your lines go to the bot, its messages are printed as they arrive."""
    earlier = await chat.receive(0)
    if earlier:
        out(f"(chat {chat.chat_id} continues; the bot's last message)")
        out(render(earlier[-1], chat.phone))
        if earlier[-1].keyboard is None:
            out(chat.keys_text())
    else:
        await chat.send(Action("text", "/start"))
        _show(await chat.replies(), chat, out)
    next_line: asyncio.Task[str | None] = asyncio.ensure_future(lines.get())
    try:
        while True:
            incoming = asyncio.ensure_future(chat.receive(IDLE_POLL))
            await asyncio.wait({next_line, incoming}, return_when=asyncio.FIRST_COMPLETED)
            if incoming.done() and (arrived := incoming.result()):
                _show(arrived, chat, out)
            else:
                incoming.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await incoming
            if not next_line.done():
                continue
            line = next_line.result()
            if line is None:
                return 0
            action = chat.interpret(line)
            if action.kind == "quit":
                return 0
            if action.kind == "keys":
                out(chat.keys_text())
            else:
                if echo or action.shown() != line.strip():
                    out(f"🙂 {action.shown()}")
                await chat.send(action)
                _show(await chat.replies(), chat, out)
            next_line = asyncio.ensure_future(lines.get())
    finally:
        next_line.cancel()


def _show(messages: list[BotMessage], chat: Chat, out: Callable[[str], None]) -> None:
    if not messages:
        out(INDENT + "(no answer yet: is the bot running? Its messages appear when they come)")
    for message in messages:
        out(render(message, chat.phone))


def _read_stdin(loop: asyncio.AbstractEventLoop, lines: asyncio.Queue[str | None]) -> None:
    """A daemon thread, so a pending read never holds up leaving."""
    for line in sys.stdin:
        loop.call_soon_threadsafe(lines.put_nowait, line)
    loop.call_soon_threadsafe(lines.put_nowait, None)


async def _main(args: argparse.Namespace) -> int:
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    reader = threading.Thread(
        target=_read_stdin, args=(asyncio.get_running_loop(), lines), daemon=True
    )
    reader.start()
    tty = sys.stdin.isatty()
    if tty:
        print(USAGE, flush=True)
        print(f"(chat id {args.chat_id}, Bot API stand-in {args.url})\n", flush=True)
    async with httpx.AsyncClient(base_url=args.url, timeout=30) as http:
        chat = Chat(http, args.chat_id, name=args.name, language=args.lang, phone=args.phone)
        return await run(chat, lines, lambda text: print(text, flush=True), echo=not tty)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devstack.chat",
        description=USAGE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", default=TELEGRAM_STANDIN_URL, help="the Bot API stand-in")
    parser.add_argument("--chat-id", type=int, default=GUEST_CHAT_ID, help="who you are")
    parser.add_argument("--name", default="Айгерим", help="your first name (new chats)")
    parser.add_argument("--lang", default="ru", choices=("ru", "kk", "en"))
    parser.add_argument("--phone", default=DEFAULT_PHONE, help="shared by /contact")
    args = parser.parse_args(argv)
    try:
        return asyncio.run(_main(args))
    except KeyboardInterrupt:
        return 0
    except httpx.TransportError:
        print(
            f"No Telegram Bot API stand-in answers at {args.url}.\n"
            "Start the stack first (`make dev`, without TELEGRAM_BOT_TOKEN), "
            "then run `make chat` in another terminal.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
