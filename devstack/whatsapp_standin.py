"""A local WhatsApp Cloud (Graph) API stand-in: answers like Meta, records every message.

POST /<version>/<phone_number_id>/messages   text, interactive (button/list), image,
                                             template; answered with a `wamid`
GET  /<version>/<media_id>                   media metadata (a download URL)
GET  /media/<media_id>                       the media bytes
GET  /_standin/messages?to=<phone>&after=<n> what the bot sent to <phone> (`make wa-chat`):
                                             {"messages": [{"n", "id", "payload"}, ...]},
                                             n > after, counted over all recipients
POST /sandbox/faults?count=N&status=S&retry_after=R   fault drills (`python -m bench.drills`):
                                             the next N sends answer S (429 with
                                             Retry-After); GET /sandbox/faults: what is left

python -m devstack.whatsapp_standin --port 8082
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from devstack.faults import add_fault_routes

DEFAULT_PORT = 8082


@dataclass
class WhatsAppMessage:
    """One message the bot sent through the stand-in."""

    id: str
    phone_number_id: str
    payload: dict[str, Any]

    @property
    def to(self) -> str:
        return str(self.payload.get("to", ""))

    @property
    def type(self) -> str:
        return str(self.payload.get("type", ""))

    @property
    def text(self) -> str:
        """What the guest reads: body, caption or template parameters."""
        p = self.payload
        if self.type == "text":
            return str(p["text"]["body"])
        if self.type == "image":
            return str(p["image"].get("caption", ""))
        if self.type == "interactive":
            return str(p["interactive"]["body"]["text"])
        if self.type == "template":
            params = [
                str(x.get("text", ""))
                for c in p["template"].get("components", [])
                for x in c.get("parameters", [])
            ]
            return " ".join([p["template"]["name"], *params])
        return ""

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(reply id, title) of the buttons or list rows offered."""
        if self.type != "interactive":
            return []
        action = self.payload["interactive"]["action"]
        if "buttons" in action:
            return [(b["reply"]["id"], b["reply"]["title"]) for b in action["buttons"]]
        if "sections" not in action:  # a "cta_url" link button: nothing to reply with
            return []
        return [(r["id"], r["title"]) for s in action["sections"] for r in s["rows"]]


@dataclass
class WhatsAppRecorder:
    messages: list[WhatsAppMessage] = field(default_factory=list)
    media: dict[str, bytes] = field(default_factory=dict)
    # Answer the next N sends with this HTTP status (retry drills).
    fail_next: int = 0
    fail_status: int = 500
    retry_after: int = 1  # seconds, in the Retry-After header of a 429
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def sent_to(self, wa_id: str) -> list[WhatsAppMessage]:
        return [m for m in self.messages if m.to == wa_id.lstrip("+")]


def create_whatsapp_standin() -> tuple[FastAPI, WhatsAppRecorder]:
    app = FastAPI(title="WhatsApp Graph API stand-in")
    recorder = WhatsAppRecorder()

    @app.post("/{version}/{phone_number_id}/messages")
    async def send(version: str, phone_number_id: str, request: Request) -> Any:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return _error(401, "missing access token")
        if recorder.fail_next > 0:
            recorder.fail_next -= 1
            headers = {"Retry-After": str(recorder.retry_after)}
            return _error(
                recorder.fail_status, "drill", headers if recorder.fail_status == 429 else None
            )
        payload: dict[str, Any] = await request.json()
        if payload.get("messaging_product") != "whatsapp" or not payload.get("to"):
            return _error(400, "invalid parameter")
        wamid = f"wamid.standin{next(recorder.ids):08d}"
        recorder.messages.append(WhatsAppMessage(wamid, phone_number_id, payload))
        to = str(payload["to"])
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": wamid}],
        }

    # Added before `/{version}/{media_id}`, which would otherwise take these paths.
    add_fault_routes(app, recorder, "sends")

    @app.get("/_standin/messages")
    async def messages(to: str, after: int = 0) -> dict[str, Any]:
        wa_id = to.lstrip("+")
        found = [
            {"n": n, "id": m.id, "payload": m.payload}
            for n, m in enumerate(recorder.messages, start=1)
            if n > after and m.to == wa_id
        ]
        return {"messages": found}

    @app.get("/media/{media_id}")
    async def media_bytes(media_id: str) -> Response:
        data = recorder.media.get(media_id)
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type="application/octet-stream")

    @app.get("/{version}/{media_id}")
    async def media_info(version: str, media_id: str, request: Request) -> Any:
        data = recorder.media.get(media_id)
        if data is None:
            return _error(404, "unknown media")
        base = str(request.base_url).rstrip("/")
        return {"id": media_id, "url": f"{base}/media/{media_id}", "file_size": len(data)}

    return app, recorder


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "type": "OAuthException", "code": status}},
        status_code=status,
        headers=headers,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m devstack.whatsapp_standin")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    app, _ = create_whatsapp_standin()
    print(f"WhatsApp Graph API stand-in on http://{args.host}:{args.port}/v21.0", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
