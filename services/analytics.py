"""Owner and staff analytics: one report per period and scope, shared by the bots and the
web admin, so every view (and its CSV) shows the same numbers.

Definitions (a period is a range of whole days in Asia/Almaty, both ends included).
Two views of a period, side by side:
- stays in the period: a booking belongs to the period when its check-in day falls in it
  (bookings, paid, cancellations, gross, refunds, revenue), and nights count where they
  fall (booked and available nights, occupancy);
- booked in the period ("new_*" figures): bookings *made* in the period (created_at on one
  of its days), whenever the stay is — so a paid January stay booked today shows today:
  new bookings, of them paid, their gross, refunds and revenue, by the same rules below;
- bookings: every booking of the period, whatever became of it (held, paid, cancelled,
  expired); paid bookings: those whose payment was confirmed (`confirmed_at` is set),
  including ones cancelled afterwards;
- cancellations: bookings cancelled by the guest, the owner or an admin; holds that ran out
  unpaid are counted apart as expired holds (nobody cancelled them);
- cancellation share = cancellations / bookings;
- gross = sum of the totals of paid bookings; refunds = sum of the refunds of the cancelled
  ones; revenue = gross − refunds, the money the apartments kept;
- booked nights: nights inside the period of confirmed or completed bookings;
- available nights: days of the period × active apartments, minus nights the owner or an
  external calendar blocked; hidden (inactive) apartments add neither booked nor available
  nights, so occupancy = booked / available stays within 100 %;
- realtors are owners with the `admin` role; apartments of staff count in the general view
  only; agencies group realtors (those without an agency form one group).
Shares are percentages with one decimal, rounded half up.

The SQL returns one row per apartment (bookings, booked and blocked nights); owners,
agencies and the overview are sums of those rows, so no view can drift from another.
Indexes used: booking(check_in), booking(property_id, status), calendar_night(night) and
the calendar's (property_id, night) key, property(owner_id).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sqlalchemy import ColumnElement, func
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from core.clock import LOCAL_TZ
from models import Agency, Booking, CalendarNight, Property, User
from models.enums import BookingStatus, CalendarBlockKind, Role
from services.people import first_name, mask_phone
from services.scope import Scope, within

TOP = 5
PAID = col(Booking.confirmed_at).is_not(None)
CANCELLED = col(Booking.status) == BookingStatus.CANCELLED.value
EXPIRED = col(Booking.status) == BookingStatus.AUTO_CANCELLED.value
STAYING = (BookingStatus.CONFIRMED.value, BookingStatus.COMPLETED.value)
BLOCKS = (CalendarBlockKind.OWNER.value, CalendarBlockKind.ICAL.value)


class PeriodKey(StrEnum):
    LAST_7_DAYS = "7d"
    LAST_30_DAYS = "30d"
    THIS_MONTH = "month"
    PREVIOUS_MONTH = "prev_month"
    THIS_YEAR = "year"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def since(self) -> datetime:
        """The period's first moment (local midnight of `start`), for timestamps."""
        return datetime.combine(self.start, time(0), LOCAL_TZ)

    @property
    def until(self) -> datetime:
        """The moment after the period (local midnight after `end`), excluded."""
        return datetime.combine(self.end + timedelta(days=1), time(0), LOCAL_TZ)


def period_for(key: PeriodKey, today: date) -> Period:
    """Rolling windows end today; calendar ones cover their whole month or year."""
    if key is PeriodKey.LAST_7_DAYS:
        return Period(today - timedelta(days=6), today)
    if key is PeriodKey.LAST_30_DAYS:
        return Period(today - timedelta(days=29), today)
    if key is PeriodKey.THIS_MONTH:
        last = calendar.monthrange(today.year, today.month)[1]
        return Period(today.replace(day=1), today.replace(day=last))
    if key is PeriodKey.PREVIOUS_MONTH:
        end = today.replace(day=1) - timedelta(days=1)
        return Period(end.replace(day=1), end)
    return Period(date(today.year, 1, 1), date(today.year, 12, 31))


def percent(part: int, whole: int) -> Decimal:
    if whole <= 0:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    """The numbers every view shows, for any group of apartments."""

    apartments: int = 0
    bookings: int = 0
    paid_bookings: int = 0
    cancellations: int = 0
    expired_holds: int = 0
    gross: int = 0
    refunds: int = 0
    booked_nights: int = 0
    available_nights: int = 0
    # Booked in the period: bookings made in it, whenever their stay is.
    new_bookings: int = 0
    new_paid_bookings: int = 0
    new_gross: int = 0
    new_refunds: int = 0

    @property
    def revenue(self) -> int:
        return self.gross - self.refunds

    @property
    def new_revenue(self) -> int:
        return self.new_gross - self.new_refunds

    @property
    def cancellation_share(self) -> Decimal:
        return percent(self.cancellations, self.bookings)

    @property
    def occupancy(self) -> Decimal:
        return percent(self.booked_nights, self.available_nights)

    def __add__(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__))


def summed(figures: Iterable[Figures]) -> Figures:
    return sum(figures, Figures())


@dataclass(frozen=True)
class ApartmentFigures:
    property_id: int
    title: str
    city: str
    owner_id: int
    figures: Figures


@dataclass(frozen=True)
class RealtorFigures:
    owner_id: int
    name: str
    agency_id: int | None
    agency: str | None
    figures: Figures


@dataclass(frozen=True)
class AgencyFigures:
    agency_id: int | None  # None: realtors without an agency
    name: str | None
    realtors: int
    figures: Figures


@dataclass(frozen=True)
class GuestFigures:
    guest_id: int
    first_name: str
    phone: str  # masked
    bookings: int  # paid ones
    revenue: int


@dataclass(frozen=True)
class ReasonFigures:
    reason: str
    count: int
    refunds: int


@dataclass(frozen=True)
class Report:
    period: Period
    overview: Figures
    apartments: list[ApartmentFigures] = field(default_factory=list)
    realtors: list[RealtorFigures] = field(default_factory=list)
    agencies: list[AgencyFigures] = field(default_factory=list)
    top_guests: list[GuestFigures] = field(default_factory=list)
    reasons: list[ReasonFigures] = field(default_factory=list)

    @property
    def top_apartments(self) -> list[ApartmentFigures]:
        return [a for a in self.apartments if a.figures.paid_bookings][:TOP]

    @property
    def top_realtors(self) -> list[RealtorFigures]:
        return [r for r in self.realtors if r.figures.paid_bookings][:TOP]


@dataclass(frozen=True)
class _Apartment:
    id: int
    title: str
    city: str
    owner_id: int
    active: bool
    owner_name: str
    owner_role: str
    agency_id: int | None
    agency: str | None


async def build_report(session: AsyncSession, scope: Scope, period: Period) -> Report:
    """Everything the statistics screens and the CSV export show, for one period."""
    apartments = await _apartments(session, scope)
    bookings = await _bookings_by_apartment(session, scope, period)
    made = await _bookings_by_apartment(session, scope, period, made=True)
    booked = await _nights_by_apartment(session, scope, period, booked=True)
    blocked = await _nights_by_apartment(session, scope, period, booked=False)
    per_apartment: dict[int, Figures] = {}
    for a in apartments:
        days = period.days if a.active else 0
        new = made.get(a.id, Figures())
        per_apartment[a.id] = replace(
            bookings.get(a.id, Figures()),
            apartments=1,
            new_bookings=new.bookings,
            new_paid_bookings=new.paid_bookings,
            new_gross=new.gross,
            new_refunds=new.refunds,
            booked_nights=booked.get(a.id, 0) if a.active else 0,
            available_nights=max(days - blocked.get(a.id, 0), 0) if a.active else 0,
        )
    rows = sorted(
        (
            ApartmentFigures(a.id, a.title, a.city, a.owner_id, per_apartment[a.id])
            for a in apartments
        ),
        key=lambda r: (-r.figures.revenue, -r.figures.paid_bookings, r.property_id),
    )
    realtors = _realtors(apartments, per_apartment)
    return Report(
        period=period,
        overview=summed(per_apartment.values()),
        apartments=rows,
        realtors=realtors,
        agencies=_agencies(realtors),
        top_guests=await _top_guests(session, scope, period),
        reasons=await _reasons(session, scope, period),
    )


def _realtors(
    apartments: list[_Apartment], per_apartment: dict[int, Figures]
) -> list[RealtorFigures]:
    owned: dict[int, list[_Apartment]] = defaultdict(list)
    for a in apartments:
        if a.owner_role == Role.ADMIN.value:
            owned[a.owner_id].append(a)
    realtors = [
        RealtorFigures(
            owner_id=owner_id,
            name=items[0].owner_name,
            agency_id=items[0].agency_id,
            agency=items[0].agency,
            figures=summed(per_apartment[a.id] for a in items),
        )
        for owner_id, items in owned.items()
    ]
    return sorted(realtors, key=lambda r: (-r.figures.revenue, r.name, r.owner_id))


def _agencies(realtors: list[RealtorFigures]) -> list[AgencyFigures]:
    groups: dict[int | None, list[RealtorFigures]] = defaultdict(list)
    for r in realtors:
        groups[r.agency_id].append(r)
    agencies = [
        AgencyFigures(
            agency_id=agency_id,
            name=members[0].agency,
            realtors=len(members),
            figures=summed(m.figures for m in members),
        )
        for agency_id, members in groups.items()
    ]
    return sorted(
        agencies, key=lambda a: (-a.figures.revenue, a.name is None, a.name or "", a.agency_id)
    )


async def _apartments(session: AsyncSession, scope: Scope) -> list[_Apartment]:
    statement = (
        sa_select(
            col(Property.id),
            col(Property.title),
            col(Property.city),
            col(Property.owner_id),
            col(Property.is_active),
            col(User.name),
            col(User.role),
            col(User.agency_id),
            col(Agency.name),
        )
        .join(User, col(User.id) == col(Property.owner_id))
        .outerjoin(Agency, col(Agency.id) == col(User.agency_id))
        .order_by(col(Property.id))
    )
    rows = await session.execute(within(statement, scope))
    return [
        _Apartment(pid or 0, title, city, owner_id, active, name, role, agency_id, agency)
        for pid, title, city, owner_id, active, name, role, agency_id, agency in rows.all()
    ]


async def _bookings_by_apartment(
    session: AsyncSession, scope: Scope, period: Period, *, made: bool = False
) -> dict[int, Figures]:
    """Bookings per apartment: checking in during the period, or (`made`) made in it."""
    in_period: ColumnElement[bool] = col(Booking.check_in).between(period.start, period.end)
    if made:
        in_period = (col(Booking.created_at) >= period.since) & (
            col(Booking.created_at) < period.until
        )
    statement = (
        sa_select(
            col(Booking.property_id),
            func.count(),
            func.count().filter(PAID),
            func.count().filter(CANCELLED),
            func.count().filter(EXPIRED),
            func.coalesce(func.sum(col(Booking.total)).filter(PAID), 0),
            func.coalesce(func.sum(col(Booking.refund_amount)).filter(CANCELLED), 0),
        )
        .join(Property, col(Property.id) == col(Booking.property_id))
        .where(in_period)
        .group_by(col(Booking.property_id))
    )
    rows = await session.execute(within(statement, scope))
    return {
        pid: Figures(
            bookings=n,
            paid_bookings=paid,
            cancellations=cancelled,
            expired_holds=expired,
            gross=int(gross or 0),
            refunds=int(refunds or 0),
        )
        for pid, n, paid, cancelled, expired, gross, refunds in rows.all()
    }


async def _nights_by_apartment(
    session: AsyncSession, scope: Scope, period: Period, *, booked: bool
) -> dict[int, int]:
    """Nights in the period taken by stays (booked) or closed by the owner/iCal (blocked)."""
    statement = (
        sa_select(col(CalendarNight.property_id), func.count())
        .join(Property, col(Property.id) == col(CalendarNight.property_id))
        .where(col(CalendarNight.night).between(period.start, period.end))
        .group_by(col(CalendarNight.property_id))
    )
    if booked:
        statement = statement.join(Booking, col(Booking.id) == col(CalendarNight.booking_id)).where(
            col(Booking.status).in_(STAYING)
        )
    else:
        statement = statement.where(col(CalendarNight.kind).in_(BLOCKS))
    rows = await session.execute(within(statement, scope))
    return {pid: int(n) for pid, n in rows.all()}


async def _top_guests(session: AsyncSession, scope: Scope, period: Period) -> list[GuestFigures]:
    bookings = func.count().label("bookings")
    revenue = (
        func.sum(col(Booking.total))
        - func.coalesce(func.sum(col(Booking.refund_amount)).filter(CANCELLED), 0)
    ).label("revenue")
    phone = func.coalesce(col(User.phone), func.max(col(Booking.contact_phone))).label("phone")
    statement = (
        # The account's verified phone, else the number the guest gave on their bookings.
        sa_select(col(User.id), col(User.name), phone, bookings, revenue)
        .join(Booking, col(Booking.guest_id) == col(User.id))
        .join(Property, col(Property.id) == col(Booking.property_id))
        .where(col(Booking.check_in).between(period.start, period.end), PAID)
        .group_by(col(User.id), col(User.name), col(User.phone))
        .order_by(bookings.desc(), revenue.desc(), col(User.id))
        .limit(TOP)
    )
    rows = await session.execute(within(statement, scope))
    return [
        GuestFigures(guest_id or 0, first_name(name), mask_phone(phone), int(n), int(money))
        for guest_id, name, phone, n, money in rows.all()
    ]


async def _reasons(session: AsyncSession, scope: Scope, period: Period) -> list[ReasonFigures]:
    """Cancellations and expired holds by reason (expired holds: `payment_timeout`)."""
    reason = func.coalesce(col(Booking.cancel_reason), "other").label("reason")
    count = func.count().label("n")
    statement = (
        sa_select(reason, count, func.coalesce(func.sum(col(Booking.refund_amount)), 0))
        .join(Property, col(Property.id) == col(Booking.property_id))
        .where(
            col(Booking.check_in).between(period.start, period.end),
            col(Booking.status).in_(
                [BookingStatus.CANCELLED.value, BookingStatus.AUTO_CANCELLED.value]
            ),
        )
        .group_by(reason)
        .order_by(count.desc(), reason)
    )
    rows = await session.execute(within(statement, scope))
    return [ReasonFigures(str(r), int(n), int(refunds or 0)) for r, n, refunds in rows.all()]
