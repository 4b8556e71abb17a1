"""A local Kaspi stand-in: invoices, status, refunds, and correctly signed webhooks.

It is also a Kaspi QR API emulator (`/<r1|r2|r3>/v01/...`, devstack/kaspi_qr_emulator.py):
envelopes, device tokens, links, remote invoices, status polling and partial returns.

With auto-confirm on (the dev default) every invoice is paid after a short delay and the
sandbox posts the signed webhook to the API, so the real webhook path runs in the demo.
Tests start the same app and drive it through the /sandbox control routes.

    python -m devstack.kaspi_sandbox --port 8100
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from core.signing import kaspi_signature
from devstack.faults import add_fault_routes
from devstack.kaspi_qr_emulator import QrPayment, add_qr_routes
from kaspi import shape


@dataclass
class SandboxConfig:
    webhook_url: str
    webhook_secret: str
    auto_confirm: bool = False
    confirm_delay: float = 2.0
    public_url: str = "http://127.0.0.1:8100"
    # Kaspi QR
    api_key: str = "dev-secret"  # r1's Api-Key
    organization_bin: str = "123456789012"  # r3's OrganizationBin
    # Valid from the start; device/register adds more. A dev value, not a secret.
    device_token: str = "dev-device-token"  # noqa: S105
    poll_interval: int = 2  # StatusPollingInterval, seconds
    link_ttl: float = 600.0  # seconds until ExpireDate; an unpaid payment then reads Error


@dataclass
class SandboxPayment:
    payment_id: str
    reference: str
    amount: int
    phone: str
    status: str = "pending"
    webhooks_sent: int = 0


@dataclass
class SandboxState:
    payments: dict[str, SandboxPayment] = field(default_factory=dict)
    by_key: dict[str, str] = field(default_factory=dict)
    refunds: list[dict[str, Any]] = field(default_factory=list)
    # Answer the next N API calls with this status (fault drills).
    fail_next: int = 0
    fail_status: int = 500
    retry_after: int = 1  # the shared fault switch sets it; Kaspi faults here are 5xx
    # Kaspi QR
    qr_payments: dict[int, QrPayment] = field(default_factory=dict)
    returns: list[dict[str, Any]] = field(default_factory=list)
    qr_requests: list[dict[str, Any]] = field(default_factory=list)
    devices: dict[str, int] = field(default_factory=dict)  # DeviceToken -> TradePointId
    device_ids: dict[str, str] = field(default_factory=dict)  # DeviceId -> DeviceToken
    # Answer the next N QR calls with HTTP 200 and this envelope StatusCode.
    fail_code_next: int = 0
    fail_code: int = shape.SERVICE_UNAVAILABLE


class CreatePayment(BaseModel):
    merchant_id: str
    reference: str
    amount: int
    phone: str


class CreateRefund(BaseModel):
    payment_id: str
    amount: int


def create_sandbox_app(config: SandboxConfig) -> FastAPI:
    app = FastAPI(title="Kaspi sandbox")
    state = SandboxState()
    app.state.sandbox = state
    tasks: set[asyncio.Task[None]] = set()

    async def send_webhook(payment: SandboxPayment, amount: int | None = None) -> int:
        body = json.dumps(
            {
                "payment_id": payment.payment_id,
                "booking_id": payment.reference,
                "amount": payment.amount if amount is None else amount,
                "status": "paid",
            }
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Kaspi-Timestamp": timestamp,
            "X-Kaspi-Signature": kaspi_signature(config.webhook_secret, timestamp, body),
        }
        async with httpx.AsyncClient(timeout=10) as client:
            for attempt in range(5):  # Kaspi-like retries on failure
                try:
                    response = await client.post(config.webhook_url, content=body, headers=headers)
                    if response.status_code < 500:
                        payment.webhooks_sent += 1
                        return response.status_code
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.5 * (attempt + 1))
        return 0

    def maybe_fail() -> None:
        if state.fail_next > 0:
            state.fail_next -= 1
            raise HTTPException(state.fail_status, "sandbox fault drill")

    async def auto_pay(payment: SandboxPayment) -> None:
        await asyncio.sleep(config.confirm_delay)
        payment.status = "paid"
        await send_webhook(payment)

    @app.post("/api/v1/payments")
    async def create_payment(
        body: CreatePayment, idempotency_key: str | None = Header(default=None)
    ) -> dict[str, Any]:
        maybe_fail()
        if idempotency_key and idempotency_key in state.by_key:
            payment = state.payments[state.by_key[idempotency_key]]
        else:
            payment = SandboxPayment(
                payment_id="KSP" + secrets.token_hex(6).upper(),
                reference=body.reference,
                amount=body.amount,
                phone=body.phone,
            )
            state.payments[payment.payment_id] = payment
            if idempotency_key:
                state.by_key[idempotency_key] = payment.payment_id
            if config.auto_confirm:
                task = asyncio.create_task(auto_pay(payment))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
        return {
            "payment_id": payment.payment_id,
            "payment_url": f"{config.public_url}/pay/{payment.payment_id}",
            "status": payment.status,
        }

    @app.get("/api/v1/payments/{payment_id}")
    async def payment_status(payment_id: str) -> dict[str, Any]:
        maybe_fail()
        payment = state.payments.get(payment_id)
        if payment is None:
            raise HTTPException(404, "no such payment")
        return {"payment_id": payment_id, "status": payment.status, "amount": payment.amount}

    @app.post("/api/v1/refunds")
    async def refund(
        body: CreateRefund, idempotency_key: str | None = Header(default=None)
    ) -> dict[str, Any]:
        maybe_fail()
        payment = state.payments.get(body.payment_id)
        if payment is None or payment.status not in ("paid", "refunded"):
            raise HTTPException(409, "payment is not paid")
        for existing in state.refunds:
            if idempotency_key and existing["idempotency_key"] == idempotency_key:
                return {"refund_id": existing["refund_id"], "status": "done"}
        record = {
            "refund_id": "RFD" + secrets.token_hex(6).upper(),
            "payment_id": body.payment_id,
            "amount": body.amount,
            "idempotency_key": idempotency_key,
        }
        state.refunds.append(record)
        payment.status = "refunded"
        return {"refund_id": record["refund_id"], "status": "done"}

    @app.get("/pay/{payment_id}", response_class=HTMLResponse)
    async def pay_page(payment_id: str) -> str:
        payment = state.payments.get(payment_id)
        if payment is None:
            raise HTTPException(404, "no such payment")
        return (
            f"<h1>Kaspi sandbox</h1><p>Бронь {payment.reference}: {payment.amount} ₸ — "
            f"{payment.status}</p><form method='post'><button>Оплатить</button></form>"
        )

    @app.post("/pay/{payment_id}", response_class=HTMLResponse)
    async def pay_by_hand(payment_id: str) -> str:
        await control_pay(payment_id)
        return "<h1>Оплачено</h1>"

    @app.post("/sandbox/payments/{payment_id}/pay")
    async def control_pay(
        payment_id: str, send_webhook_too: bool = True, amount: int | None = None
    ) -> dict[str, Any]:
        """Marks an invoice paid; optionally 'loses' the webhook or reports another amount."""
        payment = state.payments.get(payment_id)
        if payment is None:
            raise HTTPException(404, "no such payment")
        payment.status = "paid"
        if amount is not None:
            payment.amount = amount
        code = await send_webhook(payment) if send_webhook_too else None
        return {"payment_id": payment_id, "webhook_status": code}

    @app.post("/sandbox/payments/{payment_id}/webhook")
    async def control_webhook(payment_id: str) -> dict[str, Any]:
        """Sends the webhook again, as Kaspi does on retries."""
        payment = state.payments.get(payment_id)
        if payment is None:
            raise HTTPException(404, "no such payment")
        return {"webhook_status": await send_webhook(payment)}

    add_fault_routes(app, state, "Kaspi API calls")
    add_qr_routes(app, config, state)

    @app.get("/sandbox/state")
    async def control_state(request: Request) -> dict[str, Any]:
        return {
            "payments": [asdict(p) for p in state.payments.values()],
            "refunds": state.refunds,
            "qr_payments": [p.as_json() for p in state.qr_payments.values()],
            "returns": state.returns,
            "qr_requests": state.qr_requests,
        }

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args()
    config = SandboxConfig(
        webhook_url=os.environ.get(
            "SANDBOX_WEBHOOK_URL", "http://127.0.0.1:8000/api/v1/payments/kaspi/webhook"
        ),
        # QR mode needs no webhook; gateway mode signs with the API's secret.
        webhook_secret=os.environ.get("KASPI_WEBHOOK_SECRET") or secrets.token_urlsafe(24),
        auto_confirm=os.environ.get("AUTO_CONFIRM_PAYMENTS", "false").lower() in ("1", "true"),
        confirm_delay=float(os.environ.get("SANDBOX_CONFIRM_DELAY", "2")),
        public_url=f"http://{args.host}:{args.port}",
    )
    env = os.environ.get
    config.api_key = env("KASPI_API_KEY") or config.api_key
    config.organization_bin = env("KASPI_ORGANIZATION_BIN") or config.organization_bin
    config.device_token = env("KASPI_DEVICE_TOKEN") or config.device_token
    config.poll_interval = int(env("SANDBOX_POLL_INTERVAL") or config.poll_interval)
    config.link_ttl = float(env("SANDBOX_LINK_TTL") or config.link_ttl)
    uvicorn.run(create_sandbox_app(config), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
