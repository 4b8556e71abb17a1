"""The figures of the admin's home page, within the signed-in person's apartments.

- arrivals today: stays (held, confirmed or completed) whose check-in day is today;
  departures today: confirmed or completed stays whose check-out day is today;
- invoices waiting: invoice bookings still waiting for the money (services/owner_actions);
- occupancy of the next 30 nights (today included), as analytics counts it: nights of
  confirmed or completed stays / (30 × active apartments − nights the owner or an external
  calendar closed);
- revenue of the month: as in analytics, paid bookings with check-in this month, minus the
  refunds of the cancelled ones (services/analytics.py holds the definitions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import ColumnElement, func
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models import Booking, CalendarNight, Property, User
from models.enums import BookingStatus, CalendarBlockKind, PaymentMethod
from services.analytics import Period, PeriodKey, percent, period_for
from services.owner_actions import OwnerBooking, pending_invoices
from services.people import first_name, reveals_guest
from services.scope import Scope, within

NIGHTS_AHEAD = 30
LIST_LIMIT = 20
STAYING = (BookingStatus.CONFIRMED.value, BookingStatus.COMPLETED.value)
ARRIVING = (BookingStatus.PENDING_PAYMENT.value, *STAYING)
BLOCKS = (CalendarBlockKind.OWNER.value, CalendarBlockKind.ICAL.value)


@dataclass(frozen=True)
class Stay:
    booking_id: str
    property_id: int
    title: str
    guest: str
    check_in: date
    check_out: date
    nights: int
    total: int
    status: str


@dataclass(frozen=True)
class ApartmentNights:
    property_id: int
    title: str
    booked: int
    available: int

    @property
    def occupancy(self) -> Decimal:
        return percent(self.booked, self.available)


@dataclass(frozen=True)
class Dashboard:
    today: date
    arrivals: list[Stay]  # the first LIST_LIMIT of them
    arriving: int  # all of them
    departures: list[Stay]
    departing: int
    invoices: list[OwnerBooking]
    invoices_waiting: int
    ahead: Period
    apartments: list[ApartmentNights]
    month: Period
    month_revenue: int
    month_paid_bookings: int

    @property
    def booked_nights(self) -> int:
        return sum(a.booked for a in self.apartments)

    @property
    def available_nights(self) -> int:
        return sum(a.available for a in self.apartments)

    @property
    def occupancy(self) -> Decimal:
        return percent(self.booked_nights, self.available_nights)


async def build_dashboard(
    session: AsyncSession, scope: Scope, today: date, viewer_id: int | None
) -> Dashboard:
    ahead = Period(today, today + timedelta(days=NIGHTS_AHEAD - 1))
    month = period_for(PeriodKey.THIS_MONTH, today)
    revenue, paid = await _month_revenue(session, scope, month)
    arrivals, arriving = await _stays(
        session, scope, viewer_id, col(Booking.check_in) == today, ARRIVING
    )
    departures, departing = await _stays(
        session, scope, viewer_id, col(Booking.check_out) == today, STAYING
    )
    return Dashboard(
        today=today,
        arrivals=arrivals,
        arriving=arriving,
        departures=departures,
        departing=departing,
        invoices=await pending_invoices(session, scope),
        invoices_waiting=await _invoices_waiting(session, scope),
        ahead=ahead,
        apartments=await _nights_ahead(session, scope, ahead),
        month=month,
        month_revenue=revenue,
        month_paid_bookings=paid,
    )


async def _stays(
    session: AsyncSession,
    scope: Scope,
    viewer_id: int | None,
    day_matches: ColumnElement[bool],
    statuses: tuple[str, ...],
) -> tuple[list[Stay], int]:
    """The stays of the day (the first LIST_LIMIT, by apartment) and how many there are."""
    total = func.count().over()
    statement = (
        sa_select(Booking, col(Property.title), col(Property.owner_id), col(User.name), total)
        .join(Property, col(Property.id) == col(Booking.property_id))
        .join(User, col(User.id) == col(Booking.guest_id))
        .where(day_matches, col(Booking.status).in_(statuses))
        .order_by(col(Property.title), col(Booking.id))
        .limit(LIST_LIMIT)
    )
    rows = (await session.execute(within(statement, scope))).all()
    stays = [
        Stay(
            booking_id=b.id,
            property_id=b.property_id,
            title=title,
            guest=name if reveals_guest(b.status, owner_id, viewer_id) else first_name(name),
            check_in=b.check_in,
            check_out=b.check_out,
            nights=b.nights,
            total=b.total,
            status=b.status,
        )
        for b, title, owner_id, name, _ in rows
    ]
    return stays, int(rows[0][4]) if rows else 0


async def _invoices_waiting(session: AsyncSession, scope: Scope) -> int:
    statement = (
        sa_select(func.count())
        .select_from(Booking)
        .join(Property, col(Property.id) == col(Booking.property_id))
        .where(
            col(Booking.status) == BookingStatus.PENDING_PAYMENT.value,
            col(Booking.payment_method) == PaymentMethod.MANUAL.value,
        )
    )
    return int(await session.scalar(within(statement, scope)) or 0)


async def _nights_ahead(
    session: AsyncSession, scope: Scope, ahead: Period
) -> list[ApartmentNights]:
    """Per active apartment: nights of stays and nights closed in the period, one query."""
    booked = func.count(col(CalendarNight.id)).filter(col(Booking.status).in_(STAYING))
    blocked = func.count(col(CalendarNight.id)).filter(col(CalendarNight.kind).in_(BLOCKS))
    statement = (
        sa_select(col(Property.id), col(Property.title), booked, blocked)
        .outerjoin(
            CalendarNight,
            (col(CalendarNight.property_id) == col(Property.id))
            & col(CalendarNight.night).between(ahead.start, ahead.end),
        )
        .outerjoin(Booking, col(Booking.id) == col(CalendarNight.booking_id))
        .where(col(Property.is_active).is_(True))
        .group_by(col(Property.id), col(Property.title))
        .order_by(col(Property.title), col(Property.id))
    )
    rows = await session.execute(within(statement, scope))
    return [
        ApartmentNights(pid or 0, title, int(n), max(ahead.days - int(closed), 0))
        for pid, title, n, closed in rows.all()
    ]


async def _month_revenue(session: AsyncSession, scope: Scope, month: Period) -> tuple[int, int]:
    paid = col(Booking.confirmed_at).is_not(None)
    cancelled = col(Booking.status) == BookingStatus.CANCELLED.value
    statement = (
        sa_select(
            func.coalesce(func.sum(col(Booking.total)).filter(paid), 0),
            func.coalesce(func.sum(col(Booking.refund_amount)).filter(cancelled), 0),
            func.count().filter(paid),
        )
        .select_from(Booking)
        .join(Property, col(Property.id) == col(Booking.property_id))
        .where(col(Booking.check_in).between(month.start, month.end))
    )
    gross, refunds, count = (await session.execute(within(statement, scope))).one()
    return int(gross or 0) - int(refunds or 0), int(count or 0)
