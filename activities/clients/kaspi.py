"""Kaspi client behind one small interface, so the real endpoint shapes can be swapped in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import httpx


@dataclass(frozen=True)
class KaspiPayment:
    payment_id: str
    payment_url: str
    status: str


@dataclass(frozen=True)
class KaspiPaymentStatus:
    payment_id: str
    status: str  # "pending" | "paid" | "expired" | "refunded"
    amount: int | None


class KaspiError(RuntimeError):
    pass


class KaspiClient(Protocol):
    async def create_payment(self, *, reference: str, amount: int, phone: str) -> KaspiPayment: ...

    async def payment_status(self, payment_id: str) -> KaspiPaymentStatus: ...

    async def refund(self, *, payment_id: str, amount: int, idempotency_key: str) -> str: ...


class HttpKaspiClient:
    """Remote-invoice style API: create an invoice, poll its status, refund it."""

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

    async def create_payment(self, *, reference: str, amount: int, phone: str) -> KaspiPayment:
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

    async def refund(self, *, payment_id: str, amount: int, idempotency_key: str) -> str:
        data = await self._call(
            "POST",
            self._refund_url,
            json={"payment_id": payment_id, "amount": amount},
            idempotency_key=f"refund-{idempotency_key}",
        )
        return str(data["refund_id"])

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
        response = await self._http.request(method, url, json=json, headers=headers)
        if response.status_code >= 400:
            raise KaspiError(f"kaspi {method} {url} answered {response.status_code}")
        body = response.json()
        if not isinstance(body, dict):
            raise KaspiError("kaspi answered with an unexpected body")
        return body
