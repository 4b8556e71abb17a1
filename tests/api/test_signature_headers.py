"""A webhook signature header that is not ASCII, or longer than any real one, is a 403 like
any other wrong signature — never a 500 (hmac.compare_digest raises on non-ASCII str).

Headers go out as raw bytes (UTF-8), as an attacker's client would send them; the server
reads them as Latin-1, so "é" arrives as two non-ASCII characters.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from core.signing import verify_kaspi_signature, verify_meta_signature
from tests.bots.whatsapp.phone import WEBHOOK as WHATSAPP_WEBHOOK
from tests.bots.whatsapp.phone import WhatsAppGuest, envelope, text_message
from tests.conftest import TELEGRAM_WEBHOOK_SECRET
from tests.support.webhooks import WEBHOOK_PATH, signed_headers

ACCENTED_HEX = "é" + "0" * 63  # the length of a real hex HMAC-SHA256
OVERSIZED_HEX = "a" * 8_000


def raw(value: str) -> bytes:
    return value.encode()


@pytest.mark.parametrize(
    "signature",
    [f"sha256={ACCENTED_HEX}", "sha256=…", f"sha256={OVERSIZED_HEX}"],
    ids=["accented", "ellipsis", "oversized"],
)
async def test_whatsapp_refuses_an_odd_signature_header_with_403(stack, signature):
    guest = WhatsAppGuest(stack)
    body = json.dumps(envelope(text_message(guest.wa_id, "Привет"))).encode()

    response = await stack.http.post(
        WHATSAPP_WEBHOOK,
        content=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": raw(signature)},
    )

    assert response.status_code == 403, response.text
    assert response.json()["error"] == "forbidden"
    assert guest.inbox == []  # nothing was handled


def telegram_update(update_id: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": 777_000_222, "type": "private", "first_name": "Sig"},
            "from": {"id": 777_000_222, "is_bot": False, "first_name": "Sig"},
            "text": "/start",
        },
    }


@pytest.mark.parametrize(
    "secret",
    [f"é{TELEGRAM_WEBHOOK_SECRET}", TELEGRAM_WEBHOOK_SECRET + "…", "s" * 8_000],
    ids=["accented", "ellipsis", "oversized"],
)
async def test_telegram_refuses_an_odd_secret_token_header_with_403(stack, secret):
    response = await stack.http.post(
        "/telegram/webhook",
        json=telegram_update(991_000 + len(secret)),
        headers={"X-Telegram-Bot-Api-Secret-Token": raw(secret)},
    )

    assert response.status_code == 403, response.text
    assert response.json()["error"] == "forbidden"
    assert stack.telegram.texts(777_000_222) == []


async def kaspi(stack: Any, headers: dict[str, str | bytes]) -> httpx.Response:
    body = json.dumps({"booking_id": "X", "payment_id": "p-sig", "amount": 1}).encode()
    good = signed_headers(stack, body)
    response: httpx.Response = await stack.http.post(
        WEBHOOK_PATH, content=body, headers={**good, **headers}
    )
    return response


@pytest.mark.parametrize(
    ("header", "value", "reason"),
    [
        ("X-Kaspi-Signature", ACCENTED_HEX, "bad_signature"),
        ("X-Kaspi-Signature", "…", "bad_signature"),
        ("X-Kaspi-Signature", OVERSIZED_HEX, "bad_signature"),
        # Arabic-Indic digits: int() would read them as a fresh Unix time.
        ("X-Kaspi-Timestamp", "".join(chr(0x660 + int(d)) for d in str(int(time.time()))), None),
        ("X-Kaspi-Timestamp", "1" * 8_000, None),
    ],
    ids=["accented", "ellipsis", "oversized", "arabic-digits-timestamp", "oversized-timestamp"],
)
async def test_kaspi_refuses_odd_signature_headers_with_403(stack, header, value, reason):
    response = await kaspi(stack, {header: raw(value)})

    assert response.status_code == 403, response.text
    assert response.json()["detail"] == (reason or "bad_timestamp")


def test_the_checks_answer_false_to_non_ascii_instead_of_raising():
    body = b"{}"
    assert not verify_meta_signature("app-secret", f"sha256={ACCENTED_HEX}", body)
    reason = verify_kaspi_signature(
        "secret", str(int(time.time())), ACCENTED_HEX, body, now=time.time(), tolerance_seconds=300
    )
    assert reason == "bad_signature"
