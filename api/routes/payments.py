"""Kaspi webhook: authenticated on the raw bytes before anything is parsed."""

from __future__ import annotations

import json
import time

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import ValidationError

from api.deps import BookingClientDep, SessionDep, SettingsDep
from api.errors import error_body
from api.metrics import KASPI_WEBHOOKS
from api.protection import webhook_rate_limit
from api.schemas import KaspiWebhookIn
from core.logging import get_logger
from core.signing import verify_kaspi_signature
from models.booking_io import PaymentReceived
from services.booking_client import BookingNotFound
from services.bookings import get_booking, payment_exists

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])
log = get_logger(__name__)


@router.post(
    "/kaspi/webhook",
    responses={
        400: {"description": "malformed"},
        403: {"description": "bad signature"},
        429: {"description": "too many requests from this address"},
    },
    dependencies=[Depends(webhook_rate_limit)],
)
async def kaspi_webhook(
    request: Request, settings: SettingsDep, session: SessionDep, bookings: BookingClientDep
) -> dict[str, str]:
    body = await request.body()
    secret = settings.kaspi_webhook_secret
    reason = (
        verify_kaspi_signature(
            secret.get_secret_value(),
            request.headers.get("X-Kaspi-Timestamp"),
            request.headers.get("X-Kaspi-Signature"),
            body,
            now=time.time(),
            tolerance_seconds=settings.kaspi_webhook_tolerance_seconds,
        )
        if secret is not None
        else "webhook_secret_not_configured"
    )
    if reason is not None:
        KASPI_WEBHOOKS.labels(reason).inc()
        log.warning("kaspi webhook refused", reason=reason)
        raise HTTPException(403, error_body("forbidden", reason))
    try:
        payload = KaspiWebhookIn.model_validate(json.loads(body))
    except (ValueError, ValidationError) as exc:
        KASPI_WEBHOOKS.labels("malformed").inc()
        raise HTTPException(
            400, error_body("malformed_payload", "body is not a payment event")
        ) from exc
    if payload.status != "paid":
        KASPI_WEBHOOKS.labels("ignored").inc()
        return {"status": "ignored"}
    if await payment_exists(session, payload.payment_id):
        KASPI_WEBHOOKS.labels("duplicate").inc()
        return {"status": "duplicate"}
    booking = await get_booking(session, payload.booking_id)
    await session.close()
    if booking is None:
        KASPI_WEBHOOKS.labels("unknown_booking").inc()
        raise HTTPException(404, error_body("not_found", "unknown booking"))
    try:
        await bookings.report_payment(
            payload.booking_id,
            PaymentReceived(payment_id=payload.payment_id, amount=payload.amount, source="webhook"),
        )
    except BookingNotFound:
        # The booking's workflow has ended (e.g. auto-cancelled): money to return by hand.
        KASPI_WEBHOOKS.labels("booking_closed").inc()
        log.error("payment for a closed booking", booking_id=payload.booking_id)
        return {"status": "booking_closed"}
    KASPI_WEBHOOKS.labels("accepted").inc()
    log.info("kaspi payment accepted", booking_id=payload.booking_id)
    return {"status": "accepted"}
