"""Telegram webhook: updates go to the same dispatcher the polling mode uses."""

from __future__ import annotations

import json
from typing import Any

from aiogram.types import Update
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import ValidationError

from api.deps import StateDep
from api.errors import error_body
from api.protection import webhook_rate_limit
from core.signing import same_secret

router = APIRouter(tags=["telegram"])


@router.post(
    "/telegram/webhook", include_in_schema=False, dependencies=[Depends(webhook_rate_limit)]
)
async def telegram_webhook(request: Request, state: StateDep) -> dict[str, Any]:
    bot = state.telegram
    if bot is None:
        raise HTTPException(404, error_body("not_found", "the Telegram bot is not configured"))
    secret = state.settings.telegram_webhook_secret
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
    if secret is None or not same_secret(given, secret.get_secret_value()):
        raise HTTPException(403, error_body("forbidden", "bad secret token"))
    try:
        update = Update.model_validate(json.loads(await request.body()), context={"bot": bot.bot})
    except (ValueError, ValidationError) as exc:
        raise HTTPException(400, error_body("malformed_payload", "not a Telegram update")) from exc
    # Handled inline: errors are answered by the dispatcher's error handler, so this is 200.
    await bot.dispatcher.feed_update(bot.bot, update)
    return {"ok": True}
