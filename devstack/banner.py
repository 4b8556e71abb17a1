"""What `python -m devstack up` prints once everything answers: where things are, what to try."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from devstack.demo_catalogue import AGENCY_NAME, APARTMENTS, DEMO_USERS, owner_label
from devstack.dev_env import (
    API_URL,
    GUEST_CHAT_ID,
    SANDBOX_URL,
    TELEGRAM_STANDIN_URL,
    WHATSAPP_STANDIN_URL,
    configured,
    telegram_mode,
    whatsapp_standin,
)
from devstack.embedded import temporal_binary
from devstack.paths import ROOT, TOKENS_FILE
from devstack.seed import DEV_ADMIN_PASSWORD, read_tokens


def _cli() -> str:
    path = temporal_binary()
    return os.path.relpath(path, ROOT) if path.startswith(str(ROOT)) else path


def telegram_lines(chosen: dict[str, str]) -> str:
    """How to talk to the bot in the mode `make dev` chose."""
    mode = telegram_mode(chosen)
    if mode == "webhook":
        return (
            "Telegram: webhook mode (TELEGRAM_WEBHOOK_SECRET is set); register it once with\n"
            "  .venv/bin/python -m bots.telegram --set-webhook https://<host>/telegram/webhook"
        )
    if mode == "polling":
        return "Telegram: the bot polls Telegram with TELEGRAM_BOT_TOKEN; write to it there."
    owned: dict[str, int] = {}
    for index, apartment in enumerate(APARTMENTS):
        label = owner_label(apartment, index)
        owned[label] = owned.get(label, 0) + 1
    lines = [
        f"Talk to the bot, no Telegram needed (Bot API stand-in on {TELEGRAM_STANDIN_URL}).",
        "In another terminal:",
        f"  {'make chat':<26} a new guest (chat id {GUEST_CHAT_ID})",
    ]
    for user in DEMO_USERS:
        if user.label not in owned:
            who = "super admin: every owner's apartments"
        else:
            kind = f"realtor, {AGENCY_NAME}" if user.in_agency else "owner"
            who = f"{kind}, {owned[user.label]} apartments"
        lines.append(f"  {f'make chat CHAT_ID={user.telegram_id}':<26} {user.name} ({who})")
    return "\n".join(lines)


def whatsapp_lines(chosen: dict[str, str]) -> str:
    if not whatsapp_standin(chosen):
        return "WhatsApp: WHATSAPP_TOKEN is set; Meta posts to <public host>/whatsapp/webhook."
    return (
        f"WhatsApp without WhatsApp (Graph API stand-in on {WHATSAPP_STANDIN_URL}):\n"
        f"  {'make wa-chat':<26} a guest writing from +77015550123\n"
        f"  {'make wa-chat PHONE=+7…':<26} another phone"
    )


def banner(urls: dict[str, str]) -> str:
    """`urls`: env vars of the services the dev stack started itself."""
    chosen = configured()
    temporal = urls.get("TEMPORAL_ADDRESS") or chosen.get("TEMPORAL_ADDRESS", "127.0.0.1:7233")
    ui = chosen.get("TEMPORAL_UI_URL", "http://127.0.0.1:8233")
    token = read_tokens().get("owner", f"(missing: see {TOKENS_FILE})")
    today = datetime.now(ZoneInfo("Asia/Almaty")).date()
    body = {
        "property_id": 1,
        "check_in": (today + timedelta(days=7)).isoformat(),
        "check_out": (today + timedelta(days=9)).isoformat(),
        "guests": 2,
        "guest": {"name": "Айгерим", "phone": "+77011234567"},
        "channel": "api",
        "payment_method": "kaspi",
    }
    embedded = ", ".join(f"{k}={v}" for k, v in urls.items()) or "none (all configured)"
    query = "BookingStatus='confirmed'"
    return f"""
================ ZhilyeGO dev stack is up ================
  API docs       {API_URL}/docs
  Temporal UI    {ui}
  Web admin      {API_URL}/admin  (super.admin@zhilyego.kz or owner@zhilyego.kz,
                 password {DEV_ADMIN_PASSWORD})
  Kaspi sandbox  {SANDBOX_URL}
  Owner token    {token}
                 (all dev tokens: {os.path.relpath(TOKENS_FILE, ROOT)})
  Embedded       {embedded}

Create a booking:
  curl -sS -X POST {API_URL}/api/v1/bookings \\
    -H 'Content-Type: application/json' \\
    -d '{json.dumps(body, ensure_ascii=False, separators=(",", ":"))}'

{telegram_lines(chosen)}

{whatsapp_lines(chosen)}

Confirmed bookings in Temporal:
  {_cli()} workflow list --address {temporal} --query "{query}"

Shell with the same settings: eval "$(.venv/bin/python -m devstack env)"
Ctrl-C stops everything.
===========================================================
"""
