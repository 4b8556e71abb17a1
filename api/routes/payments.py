"""Kaspi webhook: authenticated on the raw bytes before anything is parsed."""

from __future__ import annotations

import json
import time

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import ValidationError

from api.deps import BookingClientDep, SessionDep, SettingsDep, refuse_invalid_token
from api.errors import error_body
from api.metrics import KASPI_WEBHOOKS
from api.protection import webhook_rate_limit
from api.schemas import KaspiWebhookIn
from core.logging import get_logger
from core.signing import verify_kaspi_signature
from models import Booking
from models.booking_io import PaymentReceived
from models.enums import BookingStatus
from models.late_payment_io import LatePayment
from services.booking_client import BookingClient, BookingNotFound
from services.bookings import get_booking, payment_exists

router = APIRouter(prefix="/api/v1/payments", tags=["payments"])
log = get_logger(__name__)
# No booking workflow applies a payment any more once its booking is in one of these states
# (the workflow may still be finishing, e.g. retrying a notice): the money goes back.
CLOSED_STATUSES = frozenset(
    {BookingStatus.AUTO_CANCELLED, BookingStatus.CANCELLED, BookingStatus.COMPLETED}
)


@router.post(
    "/kaspi/webhook",
    responses={
        400: {"description": "malformed"},
        401: {"description": "an Authorization header with an invalid API token"},
        403: {"description": "bad signature"},
        429: {"description": "too many requests from this address"},
    },
    dependencies=[Depends(webhook_rate_limit), Depends(refuse_invalid_token)],
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
    if booking.status in CLOSED_STATUSES:
        return await _refund_late(bookings, booking, payload)
    try:
        await bookings.report_payment(
            payload.booking_id,
            PaymentReceived(payment_id=payload.payment_id, amount=payload.amount, source="webhook"),
        )
    except BookingNotFound:
        # The booking's workflow has ended, whatever its row says: nothing will apply it.
        return await _refund_late(bookings, booking, payload)
    KASPI_WEBHOOKS.labels("accepted").inc()
    log.info("kaspi payment accepted", booking_id=payload.booking_id)
    return {"status": "accepted"}


async def _refund_late(
    bookings: BookingClient, booking: Booking, payload: KaspiWebhookIn
) -> dict[str, str]:
    """A payment for a closed booking is refunded automatically (LatePaymentWorkflow).

    The whole amount Kaspi reports goes back, even when it is not the booking's total: the
    booking is closed, so none of that money is ours to keep.
    """
    if payload.amount <= 0:
        KASPI_WEBHOOKS.labels("booking_closed").inc()
        log.warning("zero payment for a closed booking", booking_id=booking.id)
        return {"status": "booking_closed"}
    started = await bookings.refund_late_payment(
        LatePayment(
            booking_id=booking.id,
            payment_id=payload.payment_id,
            amount=payload.amount,
            property_id=booking.property_id,
            booking_status=str(booking.status),
        )
    )
    if not started:  # a Kaspi retry: the refund of this payment is already under way or done
        KASPI_WEBHOOKS.labels("duplicate").inc()
        return {"status": "duplicate"}
    KASPI_WEBHOOKS.labels("refunding").inc()
    log.warning(
        "payment for a closed booking: refunding",
        booking_id=booking.id,
        booking_status=str(booking.status),
        amount=payload.amount,
        matches_total=payload.amount == booking.total,
    )
    return {"status": "refunding"}
