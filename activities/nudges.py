"""Daily owner nudges: which apartments need fresh photos, a new price or a look at their
cancellations. Reads only; the `notify` activity sends.

Rules (thresholds in settings, periods end at the scan's moment):
- photos: last photo change (or, never changed, the listing date) more than N days ago
  -> `update_photos_needed`;
- price: unchanged (trigger-stamped `price_updated_at`, else the listing date) for at least
  N days while the 30-day occupancy is below the threshold -> `update_price_needed`;
  occupancy is the analytics service's figure for the last 30 days, so the nudge and the
  owner's statistics screen show the same number;
- cancellations: among bookings *created* in the last 30 days (at least M of them),
  the share cancelled by the guest, the owner or an admin above the threshold
  -> `high_ko_factor`. Holds that ran out unpaid count as bookings but not as
  cancellations: nobody cancelled them (the analytics definition).
Hidden (inactive) apartments get no nudges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col
from temporalio import activity

from core.clock import LOCAL_TZ as ALMATY
from core.db import SessionFactory
from core.logging import get_logger
from core.settings import Settings
from models import Booking, Property
from models.enums import BookingStatus, CancelledBy
from models.nudge_io import Nudge, NudgeScanInput
from services.analytics import PeriodKey, build_report, percent, period_for
from services.scope import Scope

log = get_logger(__name__)
WINDOW = timedelta(days=30)
CANCELLED_BY_PEOPLE = (CancelledBy.GUEST.value, CancelledBy.OWNER.value, CancelledBy.ADMIN.value)


@dataclass(frozen=True)
class NudgeRules:
    photos_max_age_days: int
    price_stale_days: int
    low_occupancy_percent: int
    ko_factor_percent: int
    ko_min_bookings: int

    @classmethod
    def from_settings(cls, settings: Settings) -> NudgeRules:
        return cls(
            photos_max_age_days=settings.nudge_photos_max_age_days,
            price_stale_days=settings.nudge_price_stale_days,
            low_occupancy_percent=settings.nudge_low_occupancy_percent,
            ko_factor_percent=settings.nudge_ko_factor_percent,
            ko_min_bookings=settings.nudge_ko_min_bookings,
        )


@dataclass(frozen=True)
class _Apartment:
    id: int
    owner_id: int
    title: str
    photos_at: datetime
    price_at: datetime


class NudgeActivities:
    def __init__(self, session_factory: SessionFactory, rules: NudgeRules) -> None:
        self._sessions = session_factory
        self._rules = rules

    @activity.defn(name="find_nudges")
    async def find_nudges(self, scan: NudgeScanInput) -> list[Nudge]:
        now = scan.now
        day = now.astimezone(ALMATY).date()
        async with self._sessions() as session:
            apartments = await _active_apartments(session)
            occupancy = await _occupancy(session, day)
            ko = await _cancellations(session, now - WINDOW, now)
        nudges: list[Nudge] = []
        for a in apartments:
            nudges += self._for_apartment(a, now, day, occupancy.get(a.id, Decimal(0)), ko)
        log.info("nudges found", day=day.isoformat(), nudges=len(nudges))
        return nudges

    def _for_apartment(
        self,
        a: _Apartment,
        now: datetime,
        day: date,
        occupancy: Decimal,
        ko: dict[int, tuple[int, int]],
    ) -> list[Nudge]:
        rules = self._rules
        found: list[Nudge] = []

        def nudge(event: str, **context: str | int) -> None:
            found.append(
                Nudge(
                    event=event,
                    owner_id=a.owner_id,
                    property_id=a.id,
                    day=day,
                    context={"property_title": a.title, **context},
                )
            )

        photos_age = now - a.photos_at
        if photos_age > timedelta(days=rules.photos_max_age_days):
            nudge("update_photos_needed", days=photos_age.days)
        price_age = now - a.price_at
        if price_age >= timedelta(days=rules.price_stale_days) and occupancy < Decimal(
            rules.low_occupancy_percent
        ):
            nudge("update_price_needed", days=price_age.days, occupancy=str(occupancy))
        bookings, cancelled = ko.get(a.id, (0, 0))
        share = percent(cancelled, bookings)
        if bookings >= rules.ko_min_bookings and share > Decimal(rules.ko_factor_percent):
            nudge("high_ko_factor", ko_percent=str(share), bookings=bookings)
        return found


async def _active_apartments(session: AsyncSession) -> list[_Apartment]:
    rows = await session.execute(
        sa_select(
            col(Property.id),
            col(Property.owner_id),
            col(Property.title),
            func.coalesce(col(Property.photos_updated_at), col(Property.created_at)),
            func.coalesce(col(Property.price_updated_at), col(Property.created_at)),
        )
        .where(col(Property.is_active))
        .order_by(col(Property.id))
    )
    return [
        _Apartment(pid or 0, owner, title, photos, price)
        for pid, owner, title, photos, price in rows
    ]


async def _occupancy(session: AsyncSession, today: date) -> dict[int, Decimal]:
    report = await build_report(
        session, Scope(owner_id=None), period_for(PeriodKey.LAST_30_DAYS, today)
    )
    return {a.property_id: a.figures.occupancy for a in report.apartments}


async def _cancellations(
    session: AsyncSession, since: datetime, until: datetime
) -> dict[int, tuple[int, int]]:
    """(bookings, cancellations by a person) per apartment, bookings created in the window."""
    by_people = (col(Booking.status) == BookingStatus.CANCELLED.value) & col(
        Booking.cancelled_by
    ).in_(CANCELLED_BY_PEOPLE)
    rows = await session.execute(
        sa_select(col(Booking.property_id), func.count(), func.count().filter(by_people))
        .where(col(Booking.created_at) > since, col(Booking.created_at) <= until)
        .group_by(col(Booking.property_id))
    )
    return {pid: (int(n), int(cancelled)) for pid, n, cancelled in rows}
