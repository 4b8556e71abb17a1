"""External calendars (Airbnb, Booking.com, …) imported as `kind='ical'` nights.

The only writer of ical nights. A night already held by a booking or an owner block is
never taken over; if it belongs to a confirmed booking the conflict is reported so the
workflow can tell the owner.

A feed is an outsider's link: it is fetched through core.safe_fetch (public addresses only,
capped, under a deadline), parsed in a thread with a cap on events, and a failure is told to
the owner in our own words, never with what the server sent.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from datetime import date, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.property_status import refresh_property_status
from core.clock import LOCAL_TZ, today_local
from core.db import SessionFactory
from core.logging import get_logger
from core.safe_fetch import FetchError, FetchPolicy, fetch
from models import Booking, CalendarNight, ExternalCalendar, Property
from models.base import utcnow
from models.enums import BookingStatus, CalendarBlockKind
from models.ical_io import ExternalCalendarInput, ICalConflict, ICalImportResult
from services.listing_changes import ListingChange, ListingListener, announce

log = get_logger(__name__)
CALENDAR_UNIQUE = "uq_calendar_night_property_night"
# A feed cannot make us write more than this far ahead (bounded rows per calendar).
HORIZON = timedelta(days=731)
MAX_EVENTS = 5000
NOT_ICAL = "This is not an iCalendar feed."
# Counted before parsing; folded lines are unfolded first so a folded BEGIN still counts.
_FOLD = re.compile(rb"\r?\n[ \t]")
_BEGIN_EVENT = re.compile(rb"^BEGIN:VEVENT[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


class FeedError(Exception):
    """The feed could not be read as iCalendar; str() is the reason, for the owner."""


def _day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return (value.astimezone(LOCAL_TZ) if value.tzinfo else value).date()
    return value


def too_many_events(max_events: int) -> str:
    return f"The feed has more than {max_events} events."


def feed_nights(raw: bytes, *, today: date, max_events: int = MAX_EVENTS) -> dict[date, str]:
    """Night → UID of every event that blocks it; TENTATIVE and CANCELLED events block nothing.

    CPU-bound: call it through parse_feed, off the event loop."""
    if len(_BEGIN_EVENT.findall(_FOLD.sub(b"", raw))) > max_events:
        raise FeedError(too_many_events(max_events))
    try:
        calendar = Calendar.from_ical(raw)
        events = calendar.events
    except Exception:  # whatever the parser says quotes the feed: not for owners
        raise FeedError(NOT_ICAL) from None
    if len(events) > max_events:
        raise FeedError(too_many_events(max_events))
    nights: dict[date, str] = {}
    for event in events:
        if str(event.get("STATUS", "CONFIRMED")).upper() in {"TENTATIVE", "CANCELLED"}:
            continue
        try:
            start_value, end_value, duration = event.DTSTART, event.DTEND, event.DURATION
        except ValueError:  # a malformed event blocks nothing; the rest of the feed counts
            continue
        if start_value is None:
            continue
        start = _day(start_value)
        if end_value is not None:
            end = _day(end_value)
        elif duration is not None:
            end = _day(start_value + duration)
        else:
            end = start + timedelta(days=1)
        # A same-day stay (datetime events) still takes that night.
        end = max(end, start + timedelta(days=1))
        uid = str(event.get("UID") or "") or _synthetic_uid(start, end)
        night = max(start, today)
        while night < min(end, today + HORIZON):
            nights.setdefault(night, uid[:500])
            night += timedelta(days=1)
    return nights


async def parse_feed(raw: bytes, *, today: date, max_events: int = MAX_EVENTS) -> dict[date, str]:
    """feed_nights in a thread: a big feed never holds up the bookings on the event loop."""
    return await asyncio.to_thread(feed_nights, raw, today=today, max_events=max_events)


def _synthetic_uid(start: date, end: date) -> str:
    return "nouid-" + hashlib.sha256(f"{start}/{end}".encode()).hexdigest()[:16]


class ICalImportActivities:
    def __init__(
        self,
        session_factory: SessionFactory,
        policy: FetchPolicy,
        *,
        max_events: int = MAX_EVENTS,
        on_listing_change: ListingListener | None = None,
    ) -> None:
        self._sessions = session_factory
        self._policy = policy
        self._max_events = max_events
        self._on_listing_change = on_listing_change

    @activity.defn(name="import_external_calendar")
    async def import_external_calendar(self, request: ExternalCalendarInput) -> ICalImportResult:
        async with self._sessions() as session:
            external = await session.get(ExternalCalendar, request.external_calendar_id)
            prop = await session.get(Property, external.property_id) if external else None
            if external is None or prop is None:
                raise ApplicationError("unknown external calendar", non_retryable=True)
            result = ICalImportResult(
                external_calendar_id=request.external_calendar_id,
                property_id=external.property_id,
                owner_id=prop.owner_id,
                property_title=prop.title,
                calendar_name=external.name,
            )
            url = external.url
        today = today_local()
        try:
            raw = await fetch(url, self._policy)
            wanted = await parse_feed(raw, today=today, max_events=self._max_events)
        except (FetchError, FeedError) as exc:
            # The nights stay as last imported; the schedule tries again next time.
            result.error = str(exc)[:1000]
            await self._record(request.external_calendar_id, error=result.error)
            log.warning(
                "ical import failed",
                external_calendar_id=external.id,
                error=result.error,
                reason=type(exc).__name__,
            )
            return result
        await announce(self._on_listing_change, await self._apply(result, wanted, today))
        log.info(
            "ical imported",
            external_calendar_id=result.external_calendar_id,
            property_id=result.property_id,
            added=result.added,
            removed=result.removed,
            skipped=result.skipped,
            conflicts=len(result.conflicts),
        )
        return result

    async def _apply(
        self, result: ICalImportResult, wanted: dict[date, str], today: date
    ) -> ListingChange:
        """Makes the imported nights follow the feed; says which nights and card changed."""
        calendar_id, property_id = result.external_calendar_id, result.property_id
        async with self._sessions() as session:
            mine = {
                night: (row_id, uid)
                for row_id, night, uid in (
                    await session.execute(
                        select(
                            col(CalendarNight.id),
                            col(CalendarNight.night),
                            col(CalendarNight.external_uid),
                        ).where(col(CalendarNight.external_calendar_id) == calendar_id)
                    )
                ).all()
            }
            # Past nights stay as history; only the future follows the feed.
            leaving = {
                night: rid
                for night, (rid, _) in mine.items()
                if night >= today and night not in wanted
            }
            gone = list(leaving.values())
            if gone:
                await session.execute(delete(CalendarNight).where(col(CalendarNight.id).in_(gone)))
            for night, (row_id, uid) in mine.items():
                if night in wanted and wanted[night] != uid:  # the same night, another event
                    await session.execute(
                        update(CalendarNight)
                        .where(col(CalendarNight.id) == row_id)
                        .values(external_uid=wanted[night])
                    )
            new = [night for night in sorted(wanted) if night not in mine]
            inserted: set[date] = set()
            if new:
                inserted = set(
                    (
                        await session.scalars(
                            insert(CalendarNight)
                            .values(
                                [
                                    {
                                        "property_id": property_id,
                                        "night": night,
                                        "kind": CalendarBlockKind.ICAL.value,
                                        "external_calendar_id": calendar_id,
                                        "external_uid": wanted[night],
                                        "note": result.calendar_name[:200],
                                        "created_at": utcnow(),
                                    }
                                    for night in new
                                ]
                            )
                            .on_conflict_do_nothing(constraint=CALENDAR_UNIQUE)
                            .returning(col(CalendarNight.night))
                        )
                    ).all()
                )
            taken = [night for night in new if night not in inserted]
            result.added, result.removed, result.skipped = len(inserted), len(gone), len(taken)
            if taken:
                result.conflicts = await self._conflicts(session, property_id, taken, wanted)
            status_changed = await refresh_property_status(session, property_id)
            await session.execute(
                update(ExternalCalendar)
                .where(col(ExternalCalendar.id) == calendar_id)
                .values(last_synced_at=utcnow(), last_error=None)
            )
            await session.commit()
        return ListingChange.of(property_id, [*inserted, *leaving], card=status_changed)

    @staticmethod
    async def _conflicts(
        session: AsyncSession, property_id: int, nights: list[date], wanted: dict[date, str]
    ) -> list[ICalConflict]:
        """Taken nights that belong to confirmed bookings, grouped by booking and event."""
        rows = await session.execute(
            select(col(CalendarNight.night), col(CalendarNight.booking_id))
            .join(Booking, col(Booking.id) == col(CalendarNight.booking_id))
            .where(
                col(CalendarNight.property_id) == property_id,
                col(CalendarNight.night).in_(nights),
                col(Booking.status) == BookingStatus.CONFIRMED.value,
            )
            .order_by(col(CalendarNight.night))
        )
        grouped: dict[tuple[str, str], list[date]] = {}
        for night, booking_id in rows.all():
            grouped.setdefault((str(booking_id), wanted[night]), []).append(night)
        return [
            ICalConflict(booking_id=booking_id, uid=uid, nights=found)
            for (booking_id, uid), found in grouped.items()
        ]

    async def _record(self, calendar_id: int, *, error: str) -> None:
        async with self._sessions() as session:
            await session.execute(
                update(ExternalCalendar)
                .where(col(ExternalCalendar.id) == calendar_id)
                .values(last_error=error)
            )
            await session.commit()
