"""A whole booking story never writes a secret to the logs (issue 6, Observability).

API tokens (good and forged), the Kaspi webhook secret and signatures, the Telegram bot
token and webhook secret header, WhatsApp's app secret and verify token, the encryption key
and the access codes are all used below; none of them may appear in stdout, stderr or the
log records.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import timedelta
from itertools import count

from tests.conftest import (
    TELEGRAM_TOKEN,
    TELEGRAM_WEBHOOK_SECRET,
    WEBHOOK_SECRET,
    WHATSAPP_APP_SECRET,
    WHATSAPP_VERIFY_TOKEN,
)
from tests.support.factories import (
    KEY_SAFE_CODE,
    SMART_LOCK_CODE,
    booking_body,
    eventually,
    id_of,
    make_owner,
    make_property,
    stay,
    wait_status,
)
from tests.support.lifecycle import book_and_pay, check_in_at, move_clock_to
from tests.support.payments import messages_to
from tests.support.webhooks import post_webhook, signed_headers
from tests.workflows import test_codes_and_review as codes_story

FORGED_TOKEN = "zg_forged-token-that-must-not-be-logged"
WRONG_TELEGRAM_SECRET = "wrong-telegram-secret-not-for-logs"
_updates = count(990_000)


async def test_no_token_secret_or_code_reaches_the_logs_in_a_booking_story(stack, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    owner, token = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=1, nights=2)
    codes_due = check_in_at(check_in) - stack.settings.codes_lead_time
    bad_body = json.dumps({"booking_id": "X", "payment_id": "p", "amount": 1}).encode()
    bad_headers = signed_headers(stack, bad_body, secret="not-the-" + WEBHOOK_SECRET)
    stale_headers = signed_headers(stack, bad_body, timestamp=int(time.time()) - 3600)
    with codes_story.app_json_logs_into(sys.stdout):
        # Kaspi: a real signed payment through the sandbox, a forged and a stale signature.
        booked = await book_and_pay(stack, id_of(prop), check_in, check_out)
        assert (await post_webhook(stack, bad_body, bad_headers)).status_code == 403
        assert (await post_webhook(stack, bad_body, stale_headers)).status_code == 403

        # API tokens: a forged one refused, the owner's own used for a manual payment.
        manual = await stack.partner.post(
            "/api/v1/bookings",
            json=booking_body(
                id_of(prop), check_out, check_out + timedelta(days=1), method="manual"
            ),
        )
        assert manual.status_code == 201, manual.text
        manual_id = manual.json()["booking_id"]
        pay = f"/api/v1/bookings/{manual_id}/manual-payment"
        forged = {"Authorization": f"Bearer {FORGED_TOKEN}"}
        assert (await stack.http.post(pay, headers=forged)).status_code == 401
        paid = await stack.http.post(pay, headers={"Authorization": f"Bearer {token}"})
        assert paid.status_code == 200, paid.text
        await wait_status(stack, manual_id, "confirmed")

        # Telegram: an update with the right secret header, one with a wrong one.
        update = {
            "update_id": next(_updates),
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": 777_000_111, "type": "private", "first_name": "Log"},
                "from": {"id": 777_000_111, "is_bot": False, "first_name": "Log"},
                "text": "/start",
            },
        }
        good = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_WEBHOOK_SECRET}
        wrong = {"X-Telegram-Bot-Api-Secret-Token": WRONG_TELEGRAM_SECRET}
        assert (await stack.http.post("/telegram/webhook", json=update, headers=good)).is_success
        refused = await stack.http.post("/telegram/webhook", json=update, headers=wrong)
        assert refused.status_code in (401, 403)

        # WhatsApp: the verification handshake and a badly signed delivery.
        verify = await stack.http.get(
            "/whatsapp/webhook",
            params={
                "hub.mode": "subscribe",
                "hub.verify_token": WHATSAPP_VERIFY_TOKEN,
                "hub.challenge": "42",
            },
        )
        assert verify.text == "42"
        unsigned = await stack.http.post(
            "/whatsapp/webhook", content=b"{}", headers={"X-Hub-Signature-256": "sha256=00"}
        )
        assert unsigned.status_code == 403

        # The access codes go out before check-in.
        await move_clock_to(stack, codes_due + timedelta(minutes=10))
        await eventually(
            lambda: messages_to(stack, booked.guest_chat),
            until=lambda texts: any(KEY_SAFE_CODE in t for t in texts),
        )

    captured = capsys.readouterr()
    logs = "\n".join(
        [
            captured.out,
            captured.err,
            caplog.text,
            *(record.getMessage() for record in caplog.records),
            *(repr(record.__dict__) for record in caplog.records),
        ]
    )
    # The story really was logged, so the absence below means something.
    assert booked.booking_id in logs and manual_id in logs
    assert "kaspi webhook refused" in logs and "access_codes" in logs
    secrets = {
        "owner API token": token,
        "forged API token": FORGED_TOKEN,
        "Kaspi webhook secret": WEBHOOK_SECRET,
        "forged Kaspi signature": bad_headers["X-Kaspi-Signature"],
        "Telegram bot token": TELEGRAM_TOKEN,
        "Telegram webhook secret": TELEGRAM_WEBHOOK_SECRET,
        "wrong Telegram secret": WRONG_TELEGRAM_SECRET,
        "WhatsApp app secret": WHATSAPP_APP_SECRET,
        "WhatsApp verify token": WHATSAPP_VERIFY_TOKEN,
        "WhatsApp access token": stack.settings.whatsapp_token.get_secret_value(),
        "encryption key": stack.settings.encryption_key.get_secret_value(),
        "key safe code": KEY_SAFE_CODE,
        "smart lock code": SMART_LOCK_CODE,
    }
    leaked = [name for name, value in secrets.items() if value and value in logs]
    assert leaked == []
