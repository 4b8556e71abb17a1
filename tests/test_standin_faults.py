"""The Telegram and WhatsApp stand-ins' fault switches (`POST /sandbox/faults`, used by
`python -m bench.drills`): the next N sends fail with the chosen status, a 429 says when to
come back the way each messenger does, and our real messenger clients see it as a failure."""

from __future__ import annotations

import httpx
import pytest

from activities.clients.messengers import DeliveryError, TelegramMessenger, WhatsAppMessenger
from devstack.kaspi_sandbox import SandboxConfig, create_sandbox_app
from devstack.telegram_standin import create_telegram_standin
from devstack.whatsapp_standin import create_whatsapp_standin
from tests.support.servers import free_port, serve

TOKEN = "1000000001:faults-test"


async def test_telegram_faults_answer_429_with_retry_after_then_recover():
    app, recorder = create_telegram_standin()
    async with (
        serve(app, free_port()) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        set_ = await http.post(
            "/sandbox/faults", params={"count": 2, "status": 429, "retry_after": 7}
        )
        assert set_.json() == {"fail_next": 2, "status": 429, "retry_after": 7}

        raw = await http.post(f"/bot{TOKEN}/sendMessage", json={"chat_id": 5, "text": "a"})
        assert raw.status_code == 429
        assert raw.headers["Retry-After"] == "7"
        assert raw.json()["parameters"] == {"retry_after": 7}

        messenger = TelegramMessenger(TOKEN, url)
        try:
            with pytest.raises(DeliveryError, match="TelegramRetryAfter"):
                await messenger.send_text("5", "b")
            assert (await http.get("/sandbox/faults")).json()["fail_next"] == 0
            await messenger.send_text("5", "c")  # the spell is over
        finally:
            await messenger.close()
        assert recorder.texts(5) == ["c"]  # refused calls are not recorded as sent


async def test_telegram_faults_answer_500():
    app, recorder = create_telegram_standin()
    async with (
        serve(app, free_port()) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        await http.post("/sandbox/faults", params={"count": 1, "status": 500})
        first = await http.post(f"/bot{TOKEN}/sendMessage", json={"chat_id": 6, "text": "a"})
        second = await http.post(f"/bot{TOKEN}/sendMessage", json={"chat_id": 6, "text": "b"})
        assert (first.status_code, second.status_code) == (500, 200)
        assert "Retry-After" not in first.headers
        assert recorder.texts(6) == ["b"]
        bad = await http.post("/sandbox/faults", params={"count": -1})
        assert bad.status_code == 422


async def test_whatsapp_faults_answer_429_then_500_then_recover():
    app, recorder = create_whatsapp_standin()
    async with (
        serve(app, free_port()) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        messenger = WhatsAppMessenger(
            token="t", phone_number_id="100", api_base=f"{url}/v21.0", http=http
        )
        await http.post("/sandbox/faults", params={"count": 1, "status": 429, "retry_after": 4})
        raw = await http.post(
            "/v21.0/100/messages",
            json={"messaging_product": "whatsapp", "to": "77015550000", "type": "text"},
            headers={"Authorization": "Bearer t"},
        )
        assert raw.status_code == 429 and raw.headers["Retry-After"] == "4"

        await http.post("/sandbox/faults", params={"count": 1, "status": 500})
        with pytest.raises(DeliveryError, match="500"):
            await messenger.send_text("+77015550000", "a")
        assert (await http.get("/sandbox/faults")).json() == {
            "fail_next": 0,
            "status": 500,
            "retry_after": 1,  # each switch sets all three
        }
        await messenger.send_text("+77015550000", "b")
        assert [m.text for m in recorder.sent_to("77015550000")] == ["b"]


async def test_kaspi_sandbox_reports_the_faults_left():
    app = create_sandbox_app(SandboxConfig(webhook_url="http://127.0.0.1:9/", webhook_secret="s"))
    async with (
        serve(app, free_port()) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        await http.post("/sandbox/faults", params={"count": 2, "status": 503})
        first = await http.get("/api/v1/payments/KSP1")
        assert first.status_code == 503
        assert (await http.get("/sandbox/faults")).json() == {
            "fail_next": 1,
            "status": 503,
            "retry_after": 1,
        }
