"""What `python -m devstack up` prints once everything answers: where things are, what to try."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from devstack.dev_env import API_URL, SANDBOX_URL, configured
from devstack.embedded import temporal_binary
from devstack.paths import ROOT, TOKENS_FILE
from devstack.seed import read_tokens


def _cli() -> str:
    path = temporal_binary()
    return os.path.relpath(path, ROOT) if path.startswith(str(ROOT)) else path


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
  Kaspi sandbox  {SANDBOX_URL}
  Owner token    {token}
                 (all dev tokens: {os.path.relpath(TOKENS_FILE, ROOT)})
  Embedded       {embedded}

Create a booking:
  curl -sS -X POST {API_URL}/api/v1/bookings \\
    -H 'Content-Type: application/json' \\
    -d '{json.dumps(body, ensure_ascii=False, separators=(",", ":"))}'

Confirmed bookings in Temporal:
  {_cli()} workflow list --address {temporal} --query "{query}"

Shell with the same settings: eval "$(.venv/bin/python -m devstack env)"
Ctrl-C stops everything.
===========================================================
"""
