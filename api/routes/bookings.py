"""Create, read and cancel bookings; confirm invoice payments. Writes go through workflows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Request, status

from api.deps import BookingClientDep, CurrentUserDep, OptionalUserDep, SessionDep, StateDep
from api.errors import error_body
from api.metrics import BOOKING_HOLDS
from api.protection import api_rate_limit, client_ip
from api.schemas import BookingCreate, BookingCreated, BookingOut, CancelIn, ManualPaymentIn
from core.logging import get_logger
from core.settings import Settings
from models import User
from models.booking_io import (
    BookingState,
    CancelRequest,
    CancelResult,
    GuestContact,
    ManualPaymentConfirmation,
    PaymentInstructions,
)
from models.enums import CancelledBy, PaymentMethod
from services.auth import can_manage_property, is_staff
from services.booking_client import BookingNotFound, BookingRefused
from services.bookings import (
    BookingInputError,
    apartment_label_of,
    get_booking,
    precheck_stay,
)
from services.guest_tokens import guest_token, is_guest_token
from services.idempotency import IdempotencyConflict, IdempotencyKeys, fingerprint

router = APIRouter(
    prefix="/api/v1/bookings",
    tags=["bookings"],
    dependencies=[Depends(api_rate_limit)],
    responses={429: {"description": "too many requests"}},
)
log = get_logger(__name__)
BookingId = Annotated[str, Path(min_length=1, max_length=16, pattern=r"^[0-9A-Za-z]+$")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={
        401: {"description": "invalid API token"},
        403: {"description": "messenger ids need a staff token"},
        409: {"description": "dates unavailable"},
        422: {"description": "bad input, or an Idempotency-Key reused with another body"},
    },
)
async def create_booking(
    body: BookingCreate,
    request: Request,
    session: SessionDep,
    bookings: BookingClientDep,
    state: StateDep,
    user: OptionalUserDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> BookingCreated:
    """Holds the nights and answers with the total, how to pay and the guest's token.

    Send the same `Idempotency-Key` header with the same body again (a retry) to get the
    same booking back; keys are yours alone (per API token, else per address).
    """
    vouched = body.guest.telegram_id is not None or body.guest.whatsapp_phone is not None
    if vouched and (user is None or not is_staff(user)):
        raise HTTPException(
            403,
            error_body(
                "forbidden", "guest.telegram_id / guest.whatsapp_phone need a staff API token"
            ),
        )
    try:
        await precheck_stay(
            session,
            body.property_id,
            body.check_in,
            body.check_out,
            body.guests,
            horizon_days=state.settings.booking_horizon_days,
        )
    except BookingInputError as exc:
        BOOKING_HOLDS.labels("invalid").inc()
        raise HTTPException(422, str(exc)) from exc
    apartment = await apartment_label_of(session, body.property_id)
    await session.close()  # no connection held while the workflow works
    booking_id = None
    if idempotency_key:
        keys = IdempotencyKeys(state.redis, prefix=state.settings.rate_limit_key_prefix)
        try:
            booking_id = await keys.booking_id(
                _caller(request, user), idempotency_key, fingerprint(body.model_dump(mode="json"))
            )
        except IdempotencyConflict as exc:
            raise HTTPException(422, error_body("idempotency_key_reused", str(exc))) from exc
    hold_request = bookings.new_request(
        property_id=body.property_id,
        check_in=body.check_in,
        check_out=body.check_out,
        guests=body.guests,
        guest=GuestContact(**body.guest.model_dump()),
        channel=body.channel,
        payment_method=body.payment_method,
        booking_id=booking_id,
        apartment=apartment,
        kaspi_invoice=body.kaspi_invoice,
    )
    result = await bookings.hold(hold_request)
    if result.error == "dates_unavailable":
        BOOKING_HOLDS.labels("dates_unavailable").inc()
        raise HTTPException(409, error_body("dates_unavailable", result.detail))
    if result.error or result.payment is None or result.total is None or not result.expires_at:
        BOOKING_HOLDS.labels("invalid").inc()
        raise HTTPException(422, result.detail or "booking refused")
    BOOKING_HOLDS.labels("held").inc()
    log.info("booking held via api", booking_id=result.booking_id)
    return BookingCreated(
        booking_id=result.booking_id,
        guest_token=guest_token(state.settings.encryption_keys(), result.booking_id),
        status=result.status.value,
        total=result.total,
        payment=result.payment,
        expires_at=result.expires_at,
    )


def _require_guest_token(settings: Settings, booking_id: str, token: str | None) -> None:
    """Only the booking's guest holds its token (answered once, with the hold)."""
    if not is_guest_token(settings.encryption_keys(), booking_id, token):
        raise HTTPException(
            403, error_body("forbidden", "send the booking's guest token as X-Guest-Token")
        )


def _caller(request: Request, user: User | None) -> str:
    return f"user:{user.id}" if user is not None else f"ip:{client_ip(request)}"


@router.get("/{booking_id}", responses={404: {"description": "no such booking"}})
async def read_booking(
    booking_id: BookingId, session: SessionDep, bookings: BookingClientDep
) -> BookingOut:
    booking = await get_booking(session, booking_id)
    if booking is None:
        raise HTTPException(404, f"booking {booking_id} not found")
    state = await bookings.state(booking_id)
    return BookingOut(
        booking_id=booking.id,
        status=booking.status,
        property_id=booking.property_id,
        check_in=booking.check_in,
        check_out=booking.check_out,
        nights=booking.nights,
        guests=booking.guests,
        total=booking.total,
        channel=booking.channel,
        payment_method=booking.payment_method,
        cancellation_policy=booking.cancellation_policy,
        expires_at=booking.expires_at,
        created_at=booking.created_at,
        confirmed_at=booking.confirmed_at,
        cancelled_at=booking.cancelled_at,
        cancelled_by=booking.cancelled_by,
        cancel_reason=booking.cancel_reason,
        refund_amount=booking.refund_amount,
        workflow=state.model_dump(mode="json") if state else None,
    )


@router.post(
    "/{booking_id}/cancel",
    responses={
        401: {"description": "token missing or invalid"},
        403: {"description": "not allowed for this booking"},
        404: {"description": "no such booking"},
        409: {"description": "not cancellable"},
    },
)
async def cancel_booking(
    booking_id: BookingId,
    body: CancelIn,
    session: SessionDep,
    bookings: BookingClientDep,
    state: StateDep,
    user: OptionalUserDep,
    x_guest_token: Annotated[str | None, Header(max_length=64)] = None,
) -> CancelResult:
    """Guests cancel with the `guest_token` of their booking (header `X-Guest-Token`);
    owners and staff with their API token."""
    booking = await get_booking(session, booking_id)
    if booking is None:
        raise HTTPException(404, f"booking {booking_id} not found")
    by: CancelledBy = CancelledBy.GUEST
    by_user: int | None = booking.guest_id
    if user is not None:
        if not await can_manage_property(session, user, booking.property_id):
            raise HTTPException(403, "you do not manage this apartment")
        by, by_user = (CancelledBy.ADMIN if is_staff(user) else CancelledBy.OWNER), user.id
    else:
        _require_guest_token(state.settings, booking_id, x_guest_token)
    await session.close()
    request = CancelRequest(reason=body.reason, comment=body.comment, by=by, by_user_id=by_user)
    try:
        return await bookings.cancel(booking_id, request)
    except (BookingRefused, BookingNotFound) as exc:
        raise HTTPException(409, error_body("not_cancellable", _reason(exc))) from exc


@router.post(
    "/{booking_id}/payment-link",
    responses={
        403: {"description": "not this booking's guest"},
        404: {"description": "no such booking"},
        409: {"description": "the link still works, or the booking no longer waits"},
    },
)
async def renew_payment_link(
    booking_id: BookingId,
    session: SessionDep,
    bookings: BookingClientDep,
    state: StateDep,
    x_guest_token: Annotated[str | None, Header(max_length=64)] = None,
) -> PaymentInstructions:
    """A new Kaspi payment link (or invoice) for the same booking, once the old one failed
    or expired while the hold still runs; the guest's `X-Guest-Token` is required."""
    booking = await get_booking(session, booking_id)
    if booking is None:
        raise HTTPException(404, f"booking {booking_id} not found")
    _require_guest_token(state.settings, booking_id, x_guest_token)
    await session.close()
    try:
        return await bookings.renew_payment_link(booking_id)
    except (BookingRefused, BookingNotFound) as exc:
        raise HTTPException(409, error_body("not_renewable", _reason(exc))) from exc


@router.post(
    "/{booking_id}/manual-payment",
    responses={
        401: {"description": "token missing or invalid"},
        403: {"description": "not allowed for this booking"},
        404: {"description": "no such booking"},
        409: {"description": "not payable"},
    },
)
async def confirm_manual_payment(
    booking_id: BookingId,
    session: SessionDep,
    bookings: BookingClientDep,
    user: CurrentUserDep,
    body: ManualPaymentIn | None = None,
) -> BookingState:
    """An owner or operator confirms that the invoice was paid."""
    booking = await get_booking(session, booking_id)
    if booking is None:
        raise HTTPException(404, f"booking {booking_id} not found")
    if not await can_manage_property(session, user, booking.property_id):
        raise HTTPException(403, "you do not manage this apartment")
    if booking.payment_method != PaymentMethod.MANUAL:
        raise HTTPException(409, error_body("not_payable", "this booking is paid with Kaspi"))
    await session.close()
    confirmation = ManualPaymentConfirmation(
        confirmed_by_user_id=user.id or 0, amount=body.amount if body else None
    )
    try:
        return await bookings.confirm_manual_payment(booking_id, confirmation)
    except (BookingRefused, BookingNotFound) as exc:
        raise HTTPException(409, error_body("not_payable", _reason(exc))) from exc


def _reason(exc: Exception) -> str:
    return "booking is closed" if isinstance(exc, BookingNotFound) else str(exc)
