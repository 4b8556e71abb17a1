"""WhatsApp Cloud API webhook: the verification handshake and signed message deliveries.

Messages are handled inline before the 200: Meta retries anything not acknowledged, and a
message id seen before is skipped (Redis), so nothing is lost and nothing runs twice.
"""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse

from api.deps import StateDep
from api.errors import error_body
from api.protection import webhook_rate_limit
from bots.whatsapp.inbound import MalformedPayload, parse_webhook
from core.logging import get_logger
from core.signing import verify_meta_signature

router = APIRouter(tags=["whatsapp"], dependencies=[Depends(webhook_rate_limit)])
log = get_logger(__name__)


@router.get("/whatsapp/webhook", include_in_schema=False)
async def verify(
    state: StateDep,
    mode: Annotated[str, Query(alias="hub.mode")] = "",
    token: Annotated[str, Query(alias="hub.verify_token")] = "",
    challenge: Annotated[str, Query(alias="hub.challenge")] = "",
) -> PlainTextResponse:
    expected = state.settings.whatsapp_verify_token
    if (
        mode != "subscribe"
        or expected is None
        or not hmac.compare_digest(token.encode(), expected.get_secret_value().encode())
    ):
        raise HTTPException(403, error_body("forbidden", "verification refused"))
    return PlainTextResponse(challenge)


@router.post("/whatsapp/webhook", include_in_schema=False)
async def receive(request: Request, state: StateDep) -> dict[str, Any]:
    bot, secret = state.whatsapp, state.settings.whatsapp_app_secret
    if bot is None or secret is None:
        raise HTTPException(404, error_body("not_found", "the WhatsApp bot is not configured"))
    body = await request.body()
    header = request.headers.get("X-Hub-Signature-256")
    if not verify_meta_signature(secret.get_secret_value(), header, body):
        raise HTTPException(403, error_body("forbidden", "bad signature"))
    try:
        batch = parse_webhook(json.loads(body))
    except (ValueError, MalformedPayload) as exc:
        # Acknowledged all the same: a payload we cannot read would be retried forever.
        log.warning("malformed whatsapp webhook", reason=str(exc)[:200])
        return {"ok": True}
    for status in batch.statuses:
        await bot.handle_status(status)
    for message in batch.messages:
        await bot.handle_message(message)
    return {"ok": True}
