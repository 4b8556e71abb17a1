"""The iCal feed of one apartment: its blocked nights as all-day events, no guest data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import Booking, CalendarNight, Property
from models.enums import BookingStatus, CalendarBlockKind

SUMMARY = "Blocked"
PRODID = "-//ZhilyeGO//Calendar export//EN"
# Bookings in these states hold their nights; the rest never block anything.
BLOCKING = (BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
# Channel managers only care about what is ahead; a little history helps reconcile.
HISTORY = timedelta(days=30)


def night_ranges(nights: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive nights merged into [start, end) ranges (end = the morning after)."""
    ranges: list[tuple[date, date]] = []
    for night in sorted(set(nights)):
        if ranges and ranges[-1][1] == night:
            ranges[-1] = (ranges[-1][0], night + timedelta(days=1))
        else:
            ranges.append((night, night + timedelta(days=1)))
    return ranges


async def blocked_nights(session: AsyncSession, property_id: int, since: date) -> list[date]:
    rows = await session.scalars(
        select(col(CalendarNight.night))
        .outerjoin(Booking, col(Booking.id) == col(CalendarNight.booking_id))
        .where(
            col(CalendarNight.property_id) == property_id,
            col(CalendarNight.night) >= since,
            or_(
                col(CalendarNight.kind) != CalendarBlockKind.BOOKING.value,
                col(Booking.status).in_([s.value for s in BLOCKING]),
            ),
        )
        .order_by(col(CalendarNight.night))
    )
    return list(rows.all())


def render_feed(property_id: int, ranges: list[tuple[date, date]], stamp: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    for start, end in ranges:
        event = Event()
        # The same range keeps the same UID on every fetch.
        event.add("uid", f"{property_id}-{start:%Y%m%d}-{end:%Y%m%d}@zhilyego")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", SUMMARY)
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    feed: bytes = calendar.to_ical()
    return feed


async def property_feed(session: AsyncSession, token: str, *, today: date) -> bytes | None:
    """The feed behind a secret token; None when no apartment has that token."""
    property_id = await session.scalar(
        select(col(Property.id)).where(col(Property.ical_token) == token)
    )
    if property_id is None:
        return None
    nights = await blocked_nights(session, property_id, today - HISTORY)
    return render_feed(property_id, night_ranges(nights), datetime.now(UTC))
