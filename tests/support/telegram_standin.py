"""A local Telegram Bot API stand-in: records every call, answers like Telegram does."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request


@dataclass
class TelegramCall:
    method: str
    params: dict[str, Any]


@dataclass
class TelegramRecorder:
    calls: list[TelegramCall] = field(default_factory=list)
    # Answer the next N calls with this HTTP status (retry drills).
    fail_next: int = 0
    fail_status: int = 500

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [
            str(c.params.get("text", ""))
            for c in self.calls
            if c.method == "sendMessage"
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]


def create_telegram_standin() -> tuple[FastAPI, TelegramRecorder]:
    app = FastAPI()
    recorder = TelegramRecorder()
    ids = itertools.count(1)

    @app.post("/bot{token}/{method}")
    async def call(token: str, method: str, request: Request) -> Any:
        if request.headers.get("content-type", "").startswith("application/json"):
            params = await request.json()
        else:
            form = await request.form()
            params = {k: v for k, v in form.items() if isinstance(v, str)}
        if recorder.fail_next > 0:
            recorder.fail_next -= 1
            from fastapi.responses import JSONResponse

            return JSONResponse(
                {"ok": False, "error_code": recorder.fail_status, "description": "drill"},
                status_code=recorder.fail_status,
            )
        for key in ("reply_markup", "media"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        recorder.calls.append(TelegramCall(method, params))
        return {"ok": True, "result": _result(method, params)}

    def _result(method: str, params: dict[str, Any]) -> Any:
        chat_id = params.get("chat_id", 0)
        chat = {"id": int(chat_id) if str(chat_id).lstrip("-").isdigit() else 0, "type": "private"}

        def message() -> dict[str, Any]:
            return {
                "message_id": next(ids),
                "date": int(time.time()),
                "chat": chat,
                "text": params.get("text"),
            }

        if method == "getMe":
            return {
                "id": 123456,
                "is_bot": True,
                "first_name": "ZhilyeGO",
                "username": "zhilyego_bot",
            }
        if method == "sendMediaGroup":
            return [message() for _ in params.get("media") or [None]]
        if method.startswith("send") or method.startswith("edit"):
            return message()
        return True

    return app, recorder
