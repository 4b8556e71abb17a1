"""Kaspi behind one small interface: Kaspi QR itself (the default) or a gateway in front of it.

`QrKaspi` speaks Kaspi's merchant API (kaspi/, KASPI.md): payment links and invoices to the
Kaspi app, learned by polling, refunds through payment/return. `HttpKaspiClient` speaks a
payment gateway that creates invoices and posts signed webhooks (KASPI_MODE=gateway).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, Protocol

import httpx

from core.settings import Settings
from kaspi import shape
from kaspi.client import KaspiQrClient, KaspiQrConfig, build_http
from kaspi.errors import KaspiError

KaspiMode = Literal["qr", "gateway"]
# Our words for a payment's state, whichever Kaspi answers.
PENDING, OPENED, PAID, FAILED = "pending", "opened", "paid", "failed"
_QR_STATUS = {
    shape.STATUS_QR_CREATED: PENDING,
    shape.STATUS_REMOTE_CREATED: PENDING,
    shape.STATUS_WAIT: OPENED,
    shape.STATUS_PROCESSED: PAID,
    shape.STATUS_ERROR: FAILED,
}

__all__ = ["HttpKaspiClient", "KaspiClient", "KaspiError", "QrKaspi"]


@dataclass(frozen=True)
class KaspiPayment:
    payment_id: str
    payment_url: str | None
    status: str
    # Kaspi QR only: how often to ask payment/status, and when the link stops working.
    poll_interval: timedelta | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class KaspiPaymentStatus:
    payment_id: str
    status: str  # PENDING | OPENED | PAID | FAILED (gateway: also "expired", "refunded")
    amount: int | None
    kaspi_status: str = ""  # Kaspi's own word, for logs and the Temporal UI


@dataclass(frozen=True)
class KaspiRefund:
    refund_id: str | None  # Kaspi QR: ReturnOperationId
    amount: int  # what actually went back (never more than Kaspi says is returnable)


class KaspiClient(Protocol):
    mode: KaspiMode

    async def create_payment(
        self, *, reference: str, amount: int, phone: str, invoice: bool = False, comment: str = ""
    ) -> KaspiPayment: ...

    async def payment_status(self, payment_id: str) -> KaspiPaymentStatus: ...

    async def cancel_invoice(self, payment_id: str) -> None: ...

    async def refund(
        self, *, payment_id: str, amount: int, idempotency_key: str
    ) -> KaspiRefund: ...


class QrKaspi:
    """Kaspi QR: links (qr/create-link) or invoices to the app (remote/create)."""

    mode: KaspiMode = "qr"

    def __init__(self, client: KaspiQrClient) -> None:
        self._client = client

    async def create_payment(
        self, *, reference: str, amount: int, phone: str, invoice: bool = False, comment: str = ""
    ) -> KaspiPayment:
        if invoice:
            remote = await self._client.create_remote(amount=amount, phone=phone, comment=comment)
            return KaspiPayment(payment_id=remote.payment_id, payment_url=None, status=PENDING)
        link = await self._client.create_link(amount=amount, external_id=reference)
        return KaspiPayment(
            payment_id=link.payment_id,
            payment_url=link.url,
            status=PENDING,
            poll_interval=link.poll_interval,
            expires_at=link.expires_at,
        )

    async def payment_status(self, payment_id: str) -> KaspiPaymentStatus:
        found = await self._client.status(payment_id)
        return KaspiPaymentStatus(
            payment_id=payment_id,
            status=_QR_STATUS.get(found.status, PENDING),
            amount=found.amount,
            kaspi_status=found.status,
        )

    async def cancel_invoice(self, payment_id: str) -> None:
        await self._client.cancel_remote(payment_id)

    async def refund(self, *, payment_id: str, amount: int, idempotency_key: str) -> KaspiRefund:
        """payment/return of at most what payment/details says is still returnable; a retry
        after a return that went through finds less returnable and asks only for the rest.
        (Kaspi QR takes no idempotency key.)"""
        details = await self._client.details(payment_id)
        amount = min(amount, details.available_return_amount)
        if amount <= 0:
            return KaspiRefund(refund_id=None, amount=0)
        operation = await self._client.refund(payment_id=payment_id, amount=amount)
        return KaspiRefund(refund_id=operation, amount=amount)


class HttpKaspiClient:
    """A gateway in front of Kaspi: create an invoice, poll its status, refund it."""

    mode: KaspiMode = "gateway"

    def __init__(
        self,
        *,
        api_url: str,
        refund_url: str,
        api_key: str,
        merchant_id: str,
        http: httpx.AsyncClient,
    ) -> None:
        self._api_url = api_url.rstrip("/")
        self._refund_url = refund_url
        self._merchant_id = merchant_id
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._http = http

    async def create_payment(
        self, *, reference: str, amount: int, phone: str, invoice: bool = False, comment: str = ""
    ) -> KaspiPayment:
        data = await self._call(
            "POST",
            f"{self._api_url}/payments",
            json={
                "merchant_id": self._merchant_id,
                "reference": reference,
                "amount": amount,
                "phone": phone,
            },
            idempotency_key=f"create-{reference}",
        )
        return KaspiPayment(
            payment_id=str(data["payment_id"]),
            payment_url=str(data["payment_url"]),
            status=str(data.get("status", "pending")),
        )

    async def payment_status(self, payment_id: str) -> KaspiPaymentStatus:
        data = await self._call("GET", f"{self._api_url}/payments/{payment_id}")
        amount = data.get("amount")
        return KaspiPaymentStatus(
            payment_id=str(data.get("payment_id", payment_id)),
            status=str(data["status"]),
            amount=int(str(amount)) if amount is not None else None,
        )

    async def cancel_invoice(self, payment_id: str) -> None:
        return None  # the gateway's invoices lapse on their own

    async def refund(self, *, payment_id: str, amount: int, idempotency_key: str) -> KaspiRefund:
        data = await self._call(
            "POST",
            self._refund_url,
            json={"payment_id": payment_id, "amount": amount},
            idempotency_key=f"refund-{idempotency_key}",
        )
        return KaspiRefund(refund_id=str(data["refund_id"]), amount=amount)

    async def _call(
        self,
        method: str,
        url: str,
        *,
        json: dict[str, object] | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, object]:
        headers = dict(self._headers)
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        try:
            response = await self._http.request(method, url, json=json, headers=headers)
        except httpx.TransportError as exc:
            raise KaspiError(f"kaspi gateway {method} unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise KaspiError(f"kaspi {method} {url} answered {response.status_code}")
        body = response.json()
        if not isinstance(body, dict):
            raise KaspiError("kaspi answered with an unexpected body")
        return body


def kaspi_from_settings(settings: Settings, http: httpx.AsyncClient) -> KaspiClient:
    """The Kaspi the settings name: Kaspi QR (its own HTTP client: mutual TLS for r2/r3),
    or the gateway over the worker's shared client."""
    if settings.kaspi_mode == "qr":
        token = settings.kaspi_device_token
        config = KaspiQrConfig(
            base_url=settings.kaspi_qr_base_url or "",
            api_key=settings.kaspi_api_key.get_secret_value() or None,
            organization_bin=settings.kaspi_organization_bin,
            device_token=token.get_secret_value() if token else None,
            tls_cert=settings.kaspi_tls_cert,
            tls_key=settings.kaspi_tls_key,
            tls_ca=settings.kaspi_tls_ca,
        )
        return QrKaspi(KaspiQrClient(config, build_http(config)))
    return HttpKaspiClient(
        api_url=settings.kaspi_api_url,
        refund_url=settings.kaspi_refund_url,
        api_key=settings.kaspi_api_key.get_secret_value(),
        merchant_id=settings.kaspi_merchant_id,
        http=http,
    )
