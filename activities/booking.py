"""Booking activities: the only writers of bookings, calendar nights, payments and reviews."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from temporalio import activity

from activities.guests import contact_phone, guest_for
from activities.metrics import BOOKING_OUTCOMES, count
from activities.property_status import refresh_property_status
from core.clock import LOCAL_TZ, now_local, today_local
from core.db import SessionFactory
from core.logging import get_logger
from models import Booking, CalendarNight, Payment, Property, Review
from models.base import utcnow
from models.booking_io import (
    BookingIdInput,
    BookingRequest,
    ConfirmInput,
    HeldBooking,
    HoldInput,
    HoldOutcome,
    ReleaseInput,
    ReviewInput,
)
from models.enums import BookingStatus, CalendarBlockKind, PaymentStatus
from models.pricing import StayRuleError, earliest_check_in, quote_stay, stay_nights
from services.listing_changes import ListingChange, ListingListener, announce
from services.pricing import price_rules

log = get_logger(__name__)
CALENDAR_UNIQUE = "uq_calendar_night_property_night"


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, LOCAL_TZ).astimezone(UTC)


def _held(booking: Booking, prop: Property, first_night: int) -> HeldBooking:
    return HeldBooking(
        booking_id=booking.id,
        guest_id=booking.guest_id,
        owner_id=prop.owner_id,
        property_id=prop.id or 0,
        property_title=prop.title,
        city=prop.city,
        nights=booking.nights,
        total=booking.total,
        cleaning_fee=booking.cleaning_fee,
        first_night=first_night,
        cancellation_policy=booking.cancellation_policy,
        check_in_at=_local(booking.check_in, prop.check_in_time),
        check_out_at=_local(booking.check_out, prop.check_out_time),
        created_at=booking.created_at,
    )


async def hold_turnover(
    session: AsyncSession, req: BookingRequest, nights: int
) -> list[date] | None:
    """The apartment's preparation nights after the stay, held with the booking (and freed
    with it): the nights written, or None when another guest's stay starts inside them;
    nights the owner or a channel already closed need no row of their own."""
    if nights <= 0:
        return []
    after = [req.check_out + timedelta(days=i) for i in range(nights)]
    taken = dict(
        (
            await session.execute(
                select(col(CalendarNight.night), col(CalendarNight.kind)).where(
                    col(CalendarNight.property_id) == req.property_id,
                    col(CalendarNight.night).in_(after),
                )
            )
        ).all()
    )
    guests_nights = (CalendarBlockKind.BOOKING, CalendarBlockKind.TURNOVER)
    if any(kind in guests_nights for kind in taken.values()):
        return None
    free = [night for night in after if night not in taken]
    if free:  # a concurrent hold of these nights fails on the UNIQUE key instead
        await session.execute(
            insert(CalendarNight).values(
                [
                    {
                        "property_id": req.property_id,
                        "night": night,
                        "kind": CalendarBlockKind.TURNOVER.value,
                        "booking_id": req.booking_id,
                        "note": "",
                    }
                    for night in free
                ]
            )
        )
    return free


class BookingActivities:
    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        on_listing_change: ListingListener | None = None,
    ) -> None:
        self._sessions = session_factory
        # Told after nights are taken or freed (the search cache forgets its pages).
        self._on_listing_change = on_listing_change

    @activity.defn(name="hold_booking")
    async def hold_booking(self, hold: HoldInput) -> HoldOutcome:
        """Writes the booking and its nights in one transaction, or nothing at all."""
        req = hold.request
        async with self._sessions() as session:
            existing = await session.get(Booking, req.booking_id)
            if existing is not None:  # a retry after a commit whose answer was lost
                prop = await session.get(Property, existing.property_id)
                assert prop is not None
                nights = stay_nights(existing.check_in, existing.check_out)
                await announce(self._on_listing_change, ListingChange.of(prop.id or 0, nights))
                return HoldOutcome(held=_held(existing, prop, existing.price_per_night))
            prop = await session.get(Property, req.property_id)
            if prop is None or not prop.is_active:
                return HoldOutcome(error="invalid", detail="unknown property")
            if req.guests > prop.max_guests:
                return HoldOutcome(error="invalid", detail=f"at most {prop.max_guests} guests")
            horizon = req.timings.booking_horizon_days
            if horizon is not None and req.check_in > today_local() + timedelta(days=horizon):
                # The API and the bots say so first; this is the final word for any caller.
                detail = f"check-in may be at most {horizon} days ahead"
                return HoldOutcome(error="invalid", detail=detail)
            rules = price_rules(prop)
            try:
                quote = quote_stay(rules, req.check_in, req.check_out, req.guests)
            except StayRuleError as exc:
                return HoldOutcome(error="invalid", detail=str(exc))
            earliest = earliest_check_in(rules.pricing, now_local())
            if req.check_in < earliest:
                detail = f"check-in may be {earliest.isoformat()} at the earliest"
                return HoldOutcome(error="invalid", detail=detail)
            guest_id = await guest_for(session, req.guest)
            booking = Booking(
                id=req.booking_id,
                property_id=req.property_id,
                guest_id=guest_id,
                contact_phone=contact_phone(req.guest.phone),
                check_in=req.check_in,
                check_out=req.check_out,
                nights=quote.nights,
                guests=req.guests,
                # The first night as priced (weekend, season…): what a policy keeps.
                price_per_night=quote.first_night,
                cleaning_fee=quote.cleaning_fee,
                total=quote.total,
                status=BookingStatus.PENDING_PAYMENT,
                channel=req.channel,
                payment_method=req.payment_method,
                cancellation_policy=prop.cancellation_policy,
                expires_at=hold.expires_at,
                created_at=utcnow(),
            )
            session.add(booking)
            try:
                await session.flush()
                await session.execute(
                    insert(CalendarNight).values(
                        [
                            {
                                "property_id": req.property_id,
                                "night": night,
                                "kind": CalendarBlockKind.BOOKING.value,
                                "booking_id": req.booking_id,
                                "note": "",
                            }
                            for night in stay_nights(req.check_in, req.check_out)
                        ]
                    )
                )
                turnover = await hold_turnover(session, req, rules.pricing.turnover_nights)
                if turnover is None:
                    await session.rollback()
                    detail = "no time to prepare the apartment before the next guest"
                    return HoldOutcome(error="dates_unavailable", detail=detail)
            except IntegrityError as exc:
                await session.rollback()
                if CALENDAR_UNIQUE in str(exc.orig):
                    return HoldOutcome(error="dates_unavailable", detail="some nights are taken")
                raise
            status_changed = await refresh_property_status(session, req.property_id)
            await session.commit()
            await announce(
                self._on_listing_change,
                ListingChange.of(
                    req.property_id,
                    [*stay_nights(req.check_in, req.check_out), *turnover],
                    card=status_changed,
                ),
            )
            log.info("booking held", booking_id=req.booking_id, property_id=req.property_id)
            return HoldOutcome(held=_held(booking, prop, quote.first_night))

    @activity.defn(name="confirm_booking")
    async def confirm_booking(self, confirm: ConfirmInput) -> None:
        async with self._sessions() as session:
            booking = await self._booking(session, confirm.booking_id)
            # The UNIQUE provider id makes a replayed confirmation a no-op.
            await session.execute(
                insert(Payment)
                .values(
                    booking_id=confirm.booking_id,
                    method=confirm.method.value,
                    provider_payment_id=confirm.provider_payment_id,
                    amount=confirm.amount,
                    status=PaymentStatus.PAID.value,
                    confirmed_by_id=confirm.confirmed_by_user_id,
                    paid_at=utcnow(),
                )
                .on_conflict_do_nothing(index_elements=["provider_payment_id"])
            )
            confirmed = booking.status == BookingStatus.PENDING_PAYMENT
            if confirmed:
                booking.status = BookingStatus.CONFIRMED
                booking.confirmed_at = utcnow()
                booking.expires_at = None
            status_changed = await refresh_property_status(session, booking.property_id)
            await session.commit()
            await announce(
                self._on_listing_change, ListingChange.of(booking.property_id, card=status_changed)
            )
            if confirmed:
                count(BOOKING_OUTCOMES, outcome=BookingStatus.CONFIRMED.value)
            log.info("booking confirmed", booking_id=confirm.booking_id)

    @activity.defn(name="release_booking")
    async def release_booking(self, release: ReleaseInput) -> None:
        """Cancel or auto-cancel: status, reason, refund amount; the nights become free."""
        async with self._sessions() as session:
            booking = await self._booking(session, release.booking_id)
            released = booking.status in (BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED)
            if released:
                booking.status = release.status
                booking.cancelled_at = utcnow()
                booking.cancelled_by = release.cancelled_by
                booking.cancel_reason = release.reason
                booking.cancel_comment = release.comment
                booking.refund_amount = release.refund_amount
                booking.expires_at = None
            freed = (
                await session.scalars(
                    delete(CalendarNight)
                    .where(col(CalendarNight.booking_id) == release.booking_id)
                    .returning(col(CalendarNight.night))
                )
            ).all()
            status_changed = await refresh_property_status(session, booking.property_id)
            await session.commit()
            if released:
                count(BOOKING_OUTCOMES, outcome=release.status.value)
            await announce(
                self._on_listing_change,
                ListingChange.of(booking.property_id, freed, card=status_changed),
            )
            log.info("booking released", booking_id=release.booking_id, status=release.status.value)

    @activity.defn(name="complete_booking")
    async def complete_booking(self, request: BookingIdInput) -> None:
        async with self._sessions() as session:
            booking = await self._booking(session, request.booking_id)
            completed = booking.status == BookingStatus.CONFIRMED
            if completed:
                booking.status = BookingStatus.COMPLETED
                booking.completed_at = utcnow()
            status_changed = await refresh_property_status(session, booking.property_id)
            await session.commit()
            await announce(
                self._on_listing_change, ListingChange.of(booking.property_id, card=status_changed)
            )
            if completed:
                count(BOOKING_OUTCOMES, outcome=BookingStatus.COMPLETED.value)

    @activity.defn(name="refresh_property_status")
    async def refresh_status(self, request: BookingIdInput) -> None:
        async with self._sessions() as session:
            booking = await self._booking(session, request.booking_id)
            status_changed = await refresh_property_status(session, booking.property_id)
            await session.commit()
        await announce(
            self._on_listing_change, ListingChange.of(booking.property_id, card=status_changed)
        )

    @activity.defn(name="save_review")
    async def save_review(self, request: ReviewInput) -> None:
        async with self._sessions() as session:
            booking = await self._booking(session, request.booking_id)
            await session.execute(
                insert(Review)
                .values(
                    booking_id=booking.id,
                    property_id=booking.property_id,
                    guest_id=booking.guest_id,
                    rating=request.review.rating,
                    text=request.review.text,
                    photo_urls=request.review.photo_urls,
                    created_at=utcnow(),
                )
                .on_conflict_do_nothing(index_elements=["booking_id"])
            )
            await session.commit()
        # The card shows the rating: pages listing the apartment must go.
        await announce(self._on_listing_change, ListingChange.of(booking.property_id, card=True))

    async def _booking(self, session: AsyncSession, booking_id: str) -> Booking:
        booking: Booking | None = await session.scalar(
            select(Booking).where(col(Booking.id) == booking_id).with_for_update()
        )
        if booking is None:
            raise ValueError(f"unknown booking {booking_id}")
        return booking
