"""Owner blocks of the calendar: the only writer of `kind='owner'` nights."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.property_status import refresh_property_status
from core.db import SessionFactory
from core.logging import get_logger
from models import CalendarNight, Property
from models.base import utcnow
from models.calendar_io import CalendarAction, CalendarChange, CalendarChangeResult
from models.enums import CalendarBlockKind
from services.listing_changes import ListingChange, ListingListener, announce

log = get_logger(__name__)
CALENDAR_UNIQUE = "uq_calendar_night_property_night"


class CalendarActivities:
    def __init__(
        self,
        session_factory: SessionFactory,
        *,
        on_listing_change: ListingListener | None = None,
    ) -> None:
        self._sessions = session_factory
        # Told after nights change (the search cache forgets its pages).
        self._on_listing_change = on_listing_change

    @activity.defn(name="block_nights")
    async def block_nights(self, change: CalendarChange) -> CalendarChangeResult:
        """Blocks the free nights; nights already taken keep their row and are reported."""
        nights = sorted(set(change.nights))
        async with self._sessions() as session:
            if await session.get(Property, change.property_id) is None:
                raise ApplicationError("unknown property", non_retryable=True)
            blocked = set(
                (
                    await session.scalars(
                        insert(CalendarNight)
                        .values(
                            [
                                {
                                    "property_id": change.property_id,
                                    "night": night,
                                    "kind": CalendarBlockKind.OWNER.value,
                                    "note": change.note,
                                    "created_at": utcnow(),
                                }
                                for night in nights
                            ]
                        )
                        .on_conflict_do_nothing(constraint=CALENDAR_UNIQUE)
                        .returning(col(CalendarNight.night))
                    )
                ).all()
            )
            kinds = await self._kinds(session, change.property_id, nights)
            status_changed = await refresh_property_status(session, change.property_id)
            await session.commit()
        result = CalendarChangeResult(
            property_id=change.property_id,
            action=CalendarAction.BLOCK,
            changed=[n for n in nights if n in blocked],
            conflicting=[
                n for n in nights if n not in blocked and kinds.get(n) != CalendarBlockKind.OWNER
            ],
            unchanged=[
                n for n in nights if n not in blocked and kinds.get(n) == CalendarBlockKind.OWNER
            ],
        )
        return await self._told(change, result, status_changed, "blocked")

    @activity.defn(name="unblock_nights")
    async def unblock_nights(self, change: CalendarChange) -> CalendarChangeResult:
        """Frees the owner's own blocks only; booking and iCal nights are never touched."""
        nights = sorted(set(change.nights))
        async with self._sessions() as session:
            freed = set(
                (
                    await session.scalars(
                        delete(CalendarNight)
                        .where(
                            col(CalendarNight.property_id) == change.property_id,
                            col(CalendarNight.night).in_(nights),
                            col(CalendarNight.kind) == CalendarBlockKind.OWNER.value,
                        )
                        .returning(col(CalendarNight.night))
                    )
                ).all()
            )
            kinds = await self._kinds(session, change.property_id, nights)
            status_changed = await refresh_property_status(session, change.property_id)
            await session.commit()
        result = CalendarChangeResult(
            property_id=change.property_id,
            action=CalendarAction.UNBLOCK,
            changed=[n for n in nights if n in freed],
            conflicting=[n for n in nights if n not in freed and n in kinds],
            unchanged=[n for n in nights if n not in freed and n not in kinds],
        )
        return await self._told(change, result, status_changed, "unblocked")

    async def _told(
        self, change: CalendarChange, result: CalendarChangeResult, status_changed: bool, verb: str
    ) -> CalendarChangeResult:
        """The search cache hears of the nights that moved; the log says what was done."""
        await announce(
            self._on_listing_change,
            ListingChange.of(change.property_id, result.changed, card=status_changed),
        )
        log.info(
            f"owner nights {verb}",
            property_id=change.property_id,
            user_id=change.by_user_id,
            conflicting=len(result.conflicting),
            **{verb: len(result.changed)},
        )
        return result

    @staticmethod
    async def _kinds(
        session: AsyncSession, property_id: int, nights: list[date]
    ) -> dict[date, str]:
        """What holds each of these nights now (booking, owner, ical); free nights absent."""
        rows = await session.execute(
            select(col(CalendarNight.night), col(CalendarNight.kind)).where(
                col(CalendarNight.property_id) == property_id, col(CalendarNight.night).in_(nights)
            )
        )
        return {night: kind for night, kind in rows.all()}
