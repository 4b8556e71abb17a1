"""External calendars an owner manages (Airbnb, Booking.com, … feeds): what a feed link may
be, which apartments a feed may belong to, and keeping its import Schedule in step."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from temporalio.client import Client

from core.safe_fetch import FetchPolicy, url_problem
from core.settings import Settings
from models import ExternalCalendar, Property
from services.ical_schedules import drop_ical_schedule, ensure_ical_schedules_for, ical_schedule_id
from services.scope import Scope, within

FEED_URL_MAX = 1000  # the width of external_calendar.url
FEED_SCHEMES = frozenset({"http", "https"})


def feed_url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched as a feed, in words for the owner; None when it can."""
    if not url:
        return "Paste the calendar's export link."
    if len(url) > FEED_URL_MAX:
        return f"The link is too long (at most {FEED_URL_MAX} characters)."
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return "The link must not contain spaces or line breaks."
    try:
        parts = urlsplit(url)
        _ = parts.port  # a port that is not a number raises ValueError
    except ValueError:
        return "This is not a valid link."
    scheme = parts.scheme.lower()
    if scheme == "webcal":  # calendar apps' subscribe links: the same feed over https
        return "Use the https:// form of the link (replace webcal:// with https://)."
    if scheme not in FEED_SCHEMES:
        return "Use the feed's http:// or https:// link."
    if not parts.hostname:
        return "The link has no host name."
    return None


async def feed_problem(url: str, settings: Settings) -> str | None:
    """feed_url_problem, then where the link leads: its host must resolve to public
    addresses only (or be on the allow-list), on a standard or allowed port. The import
    checks again on every fetch and every redirect: DNS may change after saving."""
    return feed_url_problem(url) or await url_problem(url, FetchPolicy.from_settings(settings))


async def apartment_choices(session: AsyncSession, scope: Scope) -> list[tuple[int, str]]:
    """(id, label) of the apartments a feed may be attached to: the owner's own, or all."""
    rows = await session.execute(
        within(
            select(col(Property.id), col(Property.title)).order_by(col(Property.id)),
            scope,
        )
    )
    return [(pid, f"#{pid} {title}") for pid, title in rows.all() if pid is not None]


async def follow_feed(client: Client, external_calendar_id: int, settings: Settings) -> str:
    """Creates or updates the calendar's import Schedule, then runs one import right away
    so the owner sees the nights without waiting a whole interval."""
    await ensure_ical_schedules_for(
        client,
        [external_calendar_id],
        task_queue=settings.ical_task_queue,
        every=settings.ical_import_interval,
    )
    schedule_id = ical_schedule_id(external_calendar_id)
    await client.get_schedule_handle(schedule_id).trigger()  # SKIPs if one is running
    return schedule_id


async def calendar_ids_of(session: AsyncSession, property_id: int) -> list[int]:
    ids = await session.scalars(
        select(col(ExternalCalendar.id)).where(col(ExternalCalendar.property_id) == property_id)
    )
    return [i for i in ids.all() if i is not None]


async def drop_feeds_schedules(client: Client, external_calendar_ids: list[int]) -> None:
    """Before the rows go: a schedule left behind would fire failing imports for ever."""
    for calendar_id in external_calendar_ids:
        await drop_ical_schedule(client, calendar_id)
