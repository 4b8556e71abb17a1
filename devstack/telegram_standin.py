"""A local Telegram Bot API stand-in: answers the bot like Telegram does, records every call,
and plays the user's side, so the bot runs offline (`make dev` + `make chat`) and in tests.

Bot side (what aiogram calls):
    POST /bot<token>/<method>   sendMessage, sendPhoto, ..., getMe, setMyCommands,
                                getUpdates (long polling: offset confirms, timeout waits),
                                setWebhook / deleteWebhook (getUpdates answers 409 while set)
Fault drills (`python -m bench.drills`), like the Kaspi sandbox's switch:
    POST /sandbox/faults?count=N&status=S&retry_after=R   the next N bot calls answer S
                                (429 carries retry_after); GET /sandbox/faults: what is left
User side (what `python -m devstack.chat` calls):
    POST /chat/<chat_id>/send       {"text": "..."} or {"contact": {"phone_number": "+7..."}}
                                    or {"web_app_data": {"data": "...", "button_text": "..."}}
                                    (what a Mini App opened from a keyboard button sends)
    GET  /chat/<chat_id>/messages?after=<message_id>&timeout=<seconds>   what the bot sent
    GET  /chat/<chat_id>/documents/<message_id>   the file the bot uploaded with a message
                                (e.g. the statistics CSV); its view has `document_url`

    python -m devstack.telegram_standin --port 8081
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Annotated, Any

import uvicorn
from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, model_validator

from devstack.faults import add_fault_routes

DEFAULT_PORT = 8081
# Ids start from the clock, so a restarted stand-in never reuses an id the bot already confirmed.
_START = int(time.time() * 1000)
# Long polls wake at least this often to notice a client that went away.
_SLICE = 0.5
_MAX_POLL_TIMEOUT = 50.0
# Form fields aiogram sends as JSON text.
_JSON_PARAMS = (
    "reply_markup",
    "media",
    "allowed_updates",
    "commands",
    "scope",
    "entities",
    "caption_entities",
    "link_preview_options",
)


@dataclass
class TelegramCall:
    method: str
    params: dict[str, Any]
    # Files sent with the call (multipart): param name -> (file name, bytes), e.g. "document".
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)


@dataclass
class SentMessage:
    """A message the bot sent, kept for the user side of the chat."""

    message_id: int
    chat_id: int
    method: str
    params: dict[str, Any]
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    date: int = field(default_factory=lambda: int(time.time()))

    def view(self) -> dict[str, Any]:
        """What the user sees: text, reply keyboard (rows of buttons), media, documents."""
        markup = self.params.get("reply_markup") or {}
        media = self.params.get("media") or []
        caption = next((m.get("caption") for m in media if m.get("caption")), None)
        return {
            "message_id": self.message_id,
            "date": self.date,
            "method": self.method,
            "text": str(self.params.get("text") or self.params.get("caption") or caption or ""),
            "keyboard": markup.get("keyboard"),
            "remove_keyboard": bool(markup.get("remove_keyboard")),
            "inline_keyboard": markup.get("inline_keyboard"),
            "photos": len(media) if media else int(self.method == "sendPhoto"),
            "document": self._document(),
            "document_url": (
                f"/chat/{self.chat_id}/documents/{self.message_id}"
                if "document" in self.uploads
                else None
            ),
        }

    def _document(self) -> str | None:
        if self.method != "sendDocument":
            return None
        if "document" in self.uploads:
            return self.uploads["document"][0] or "file"
        return str(self.params.get("document") or "file").rsplit("/", 1)[-1]


class _Wakeup:
    """Wakes every long poll (bot's getUpdates, user's messages) when anything changes."""

    def __init__(self) -> None:
        self._event: asyncio.Event | None = None

    def notify(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = None

    def arm(self) -> asyncio.Event:
        """Taken before checking for news, so news arriving meanwhile still wakes the waiter."""
        if self._event is None:
            self._event = asyncio.Event()
        return self._event


@dataclass
class TelegramRecorder:
    calls: list[TelegramCall] = field(default_factory=list)
    # Answer the next N bot calls with this HTTP status (retry drills); long polling is spared.
    fail_next: int = 0
    fail_status: int = 500
    retry_after: int = 1  # seconds, sent with a 429 as Telegram does
    # file_id -> bytes: what getFile and /file/bot<token>/<path> serve (photos a test sends).
    files: dict[str, bytes] = field(default_factory=dict)
    # Updates waiting for getUpdates; confirmed (dropped) by a later call's offset.
    updates: list[dict[str, Any]] = field(default_factory=list)
    outbox: list[SentMessage] = field(default_factory=list)
    webhook: dict[str, Any] | None = None
    wakeup: _Wakeup = field(default_factory=_Wakeup)
    update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(_START))
    message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(_START))
    poller: int = 0  # the newest getUpdates; an older one still waiting gets 409, as on Telegram

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [
            str(c.params.get("text", ""))
            for c in self.calls
            if c.method == "sendMessage"
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]

    def queue_update(self, content: dict[str, Any]) -> dict[str, Any]:
        """An update for the bot (`content`: e.g. {"message": {...}}), as a user caused it."""
        update = {"update_id": next(self.update_ids), **content}
        self.updates.append(update)
        self.wakeup.notify()
        return update

    def sent_to(self, chat_id: int, after: int = 0) -> list[SentMessage]:
        return [m for m in self.outbox if m.chat_id == chat_id and m.message_id > after]


class UserContact(BaseModel):
    phone_number: str = Field(min_length=3, max_length=32)
    first_name: str | None = None


class WebAppData(BaseModel):
    data: str = Field(min_length=1, max_length=4096)
    button_text: str = Field(default="", max_length=64)


class UserMessage(BaseModel):
    """What a person does in the chat: types (or taps a button with) text, shares a phone,
    or finishes a Mini App (its `sendData`)."""

    text: str | None = Field(default=None, min_length=1, max_length=4096)
    contact: UserContact | None = None
    web_app_data: WebAppData | None = None
    first_name: str = "Айгерим"
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "ru"

    @model_validator(mode="after")
    def _one_kind(self) -> UserMessage:
        if [self.text, self.contact, self.web_app_data].count(None) != 2:
            raise ValueError("send one of text, contact or web_app_data")
        return self


def create_telegram_standin() -> tuple[FastAPI, TelegramRecorder]:
    app = FastAPI(title="Telegram Bot API stand-in")
    recorder = TelegramRecorder()

    @app.get("/file/bot{token}/{path:path}")
    async def download(token: str, path: str) -> Response:
        data = recorder.files.get(path.removeprefix("files/"))
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type="application/octet-stream")

    @app.post("/bot{token}/{method}")
    async def call(token: str, method: str, request: Request) -> Any:
        params, uploads = await _params(request)
        if method == "getUpdates":
            return await _get_updates(request, params)
        if recorder.fail_next > 0:
            recorder.fail_next -= 1
            return _fault(recorder.fail_status, recorder.retry_after)
        recorder.calls.append(TelegramCall(method, params, uploads))
        if method == "getFile" and str(params.get("file_id")) not in recorder.files:
            return _error(400, "Bad Request: invalid file_id")
        if method == "setWebhook":
            recorder.webhook = params if params.get("url") else None
        elif method == "deleteWebhook":
            recorder.webhook = None
            if str(params.get("drop_pending_updates")).lower() == "true":
                recorder.updates.clear()
        result = _result(token, method, params)
        _keep_sent(method, params, uploads, result)
        return {"ok": True, "result": result}

    async def _get_updates(request: Request, params: dict[str, Any]) -> Any:
        if recorder.webhook is not None:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        if offset > 0:
            recorder.updates = [u for u in recorder.updates if u["update_id"] >= offset]
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        recorder.poller += 1
        me = recorder.poller
        recorder.wakeup.notify()  # an older getUpdates still waiting gives way

        def ready() -> bool:
            return bool(recorder.updates) or recorder.poller != me

        await _long_poll(request, ready, float(params.get("timeout") or 0))
        if recorder.poller != me:
            return _error(409, "Conflict: terminated by other getUpdates request")
        return {"ok": True, "result": recorder.updates[:limit]}

    async def _long_poll(request: Request, ready: Callable[[], bool], seconds: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(max(seconds, 0.0), _MAX_POLL_TIMEOUT)
        while True:
            news = recorder.wakeup.arm()
            left = deadline - loop.time()
            if ready() or left <= 0 or await request.is_disconnected():
                return
            with suppress(TimeoutError):
                await asyncio.wait_for(news.wait(), min(_SLICE, left))

    def _result(token: str, method: str, params: dict[str, Any]) -> Any:
        chat_id = params.get("chat_id", 0)
        chat = {"id": _int(chat_id), "type": "private"}

        def message() -> dict[str, Any]:
            return {
                "message_id": next(recorder.message_ids),
                "date": int(time.time()),
                "chat": chat,
                "text": params.get("text"),
            }

        if method == "getMe":
            bot_id = token.split(":", 1)[0]
            return {
                "id": int(bot_id) if bot_id.isdigit() else 123456,
                "is_bot": True,
                "first_name": "ZhilyeGO",
                "username": "zhilyego_bot",
            }
        if method == "getFile":
            file_id = str(params["file_id"])
            return {
                "file_id": file_id,
                "file_unique_id": file_id + "-u",
                "file_size": len(recorder.files[file_id]),
                "file_path": f"files/{file_id}",
            }
        if method == "getWebhookInfo":
            hook = recorder.webhook or {}
            return {"url": hook.get("url", ""), "pending_update_count": len(recorder.updates)}
        if method == "sendMediaGroup":
            return [message() for _ in params.get("media") or [None]]
        if method.startswith("send") or method.startswith("edit"):
            return message()
        return True

    def _keep_sent(
        method: str, params: dict[str, Any], uploads: dict[str, tuple[str, bytes]], result: Any
    ) -> None:
        if not method.startswith("send") or method == "sendChatAction":
            return
        last = result[-1] if isinstance(result, list) else result
        chat_id = _int(params.get("chat_id"))
        sent = SentMessage(last["message_id"], chat_id, method, params, uploads)
        recorder.outbox.append(sent)
        recorder.wakeup.notify()

    add_fault_routes(app, recorder, "bot calls (long polling spared)")

    @app.post("/chat/{chat_id}/send")
    async def user_sends(chat_id: int, body: UserMessage) -> dict[str, int]:
        """Queues an update as if the person in chat `chat_id` typed or shared something."""
        sender: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": body.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(body, key) is not None:
                sender[key] = getattr(body, key)
        message: dict[str, Any] = {
            "message_id": next(recorder.message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": body.first_name},
            "from": sender,
        }
        if body.contact is not None:
            first = body.contact.first_name or body.first_name
            message["contact"] = {
                "phone_number": body.contact.phone_number,
                "first_name": first,
                "user_id": chat_id,
            }
        elif body.web_app_data is not None:
            message["web_app_data"] = body.web_app_data.model_dump()
        else:
            message["text"] = body.text
        update = recorder.queue_update({"message": message})
        return {"update_id": update["update_id"], "message_id": message["message_id"]}

    @app.get("/chat/{chat_id}/messages")
    async def user_reads(
        chat_id: int,
        request: Request,
        after: int = 0,
        wait: Annotated[float, Query(alias="timeout", ge=0)] = 0,
    ) -> dict[str, Any]:
        """What the bot sent to this chat after message `after`; waits up to `timeout` s."""
        await _long_poll(request, lambda: bool(recorder.sent_to(chat_id, after)), wait)
        return {"messages": [m.view() for m in recorder.sent_to(chat_id, after)]}

    @app.get("/chat/{chat_id}/documents/{message_id}")
    async def user_downloads(chat_id: int, message_id: int) -> Response:
        """The bytes of a document the bot uploaded to this chat (not one sent by URL)."""
        sent = next(
            (
                m
                for m in recorder.outbox
                if m.chat_id == chat_id and m.message_id == message_id and "document" in m.uploads
            ),
            None,
        )
        if sent is None:
            return Response(status_code=404)
        return Response(sent.uploads["document"][1], media_type="application/octet-stream")

    @app.get("/chats")
    async def chats() -> dict[str, Any]:
        counts: dict[int, int] = {}
        for sent in recorder.outbox:
            counts[sent.chat_id] = counts.get(sent.chat_id, 0) + 1
        return {
            "chats": [{"chat_id": c, "messages": n} for c, n in counts.items()],
            "pending_updates": len(recorder.updates),
            "webhook": (recorder.webhook or {}).get("url"),
        }

    return app, recorder


async def _params(request: Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    """The call's parameters (JSON fields decoded) and the files uploaded with it."""
    uploads: dict[str, tuple[str, bytes]] = {}
    if request.headers.get("content-type", "").startswith("application/json"):
        params: dict[str, Any] = await request.json()
    else:
        form = await request.form()
        params = {k: v for k, v in form.items() if isinstance(v, str)}
        # aiogram sends `document=attach://<field>` plus the file in <field>.
        files = {k: v for k, v in form.items() if not isinstance(v, str)}
        for name, value in params.items():
            attached = files.get(value.removeprefix("attach://"))
            if value.startswith("attach://") and attached is not None:
                uploads[name] = (attached.filename or "", await attached.read())
    for key in _JSON_PARAMS:
        if isinstance(params.get(key), str):
            params[key] = json.loads(params[key])
    return params, uploads


def _error(status: int, description: str) -> JSONResponse:
    return JSONResponse(
        {"ok": False, "error_code": status, "description": description}, status_code=status
    )


def _fault(status: int, retry_after: int) -> JSONResponse:
    """A drill's error, shaped like Telegram's: 429 says when to come back."""
    if status != 429:
        return _error(status, "drill")
    return JSONResponse(
        {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        },
        status_code=429,
        headers={"Retry-After": str(retry_after)},
    )


def _int(value: Any) -> int:
    text = str(value if value is not None else 0)
    return int(text) if text.lstrip("-").isdigit() else 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.telegram_standin")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    app, _ = create_telegram_standin()
    print(
        f"Telegram Bot API stand-in on http://{args.host}:{args.port} "
        "(the bot: TELEGRAM_API_BASE; you: make chat)",
        flush=True,
    )
    # Long polls end on disconnect; the grace period only bounds a stuck one.
    uvicorn.run(
        app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=3
    )


if __name__ == "__main__":
    main()
