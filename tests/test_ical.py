"""iCal: an owner's feed shows blocked ranges (no guest data); external feeds become blocks.

The export is read back with the icalendar library; imports fetch a feed served over real
HTTP by the test and run through ICalImportWorkflow on the stack's worker.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.responses import Response
from google.protobuf.duration_pb2 import Duration
from icalendar import Calendar, Event
from sqlmodel import col, delete, select
from temporalio.api.operatorservice.v1 import DeleteNamespaceRequest
from temporalio.api.workflowservice.v1 import RegisterNamespaceRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from models import CalendarNight, ExternalCalendar, Property
from models.enums import CalendarBlockKind
from models.ical_io import ExternalCalendarInput, ICalImportResult
from services.ical_schedules import (
    ensure_ical_schedules,
    ensure_ical_schedules_for,
    ical_calendar_id,
    ical_schedule,
    ical_schedule_id,
)
from services.schedules import OWNER_NUDGES_SCHEDULE, ensure_schedules
from tests.support.factories import (
    ALMATY,
    booking_body,
    eventually,
    id_of,
    make_owner,
    make_property,
    server_today,
)
from tests.support.lifecycle import book_and_pay
from tests.support.payments import messages_to
from tests.support.servers import free_port, serve
from workflows.ical import ICalImportWorkflow

SEARCH = "/api/v1/properties"
Row = tuple[date, str, str | None, str | None]  # night, kind, booking id, external uid


# ---------------------------------------------------------------- helpers


async def block(stack: Any, prop: Property, nights: list[date], kind: CalendarBlockKind) -> None:
    async with stack.sessions() as session:
        for night in nights:
            session.add(CalendarNight(property_id=id_of(prop), night=night, kind=kind))
        await session.commit()


async def calendar_rows(stack: Any, prop: Property) -> list[Row]:
    """(night, kind, booking id, external uid) of every night of the apartment."""
    async with stack.sessions() as session:
        rows = await session.execute(
            select(
                col(CalendarNight.night),
                col(CalendarNight.kind),
                col(CalendarNight.booking_id),
                col(CalendarNight.external_uid),
            )
            .where(col(CalendarNight.property_id) == id_of(prop))
            .order_by(col(CalendarNight.night))
        )
        return [(n, str(k), b, u) for n, k, b, u in rows.all()]


def ical_nights(rows: list[Row]) -> dict[date, str | None]:
    return {night: uid for night, kind, _, uid in rows if kind == CalendarBlockKind.ICAL}


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days)]


@dataclass
class Feed:
    """What the external channel (Airbnb, say) publishes right now."""

    url: str
    events: list[Event] = field(default_factory=list)

    def publish(self, *events: Event) -> None:
        self.events = list(events)


def event(uid: str, start: date | datetime, end: date | datetime, status: str = "") -> Event:
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", datetime(2026, 1, 1, tzinfo=ALMATY))
    ev.add("dtstart", start)
    ev.add("dtend", end)
    ev.add("summary", "Reserved")
    if status:
        ev.add("status", status)
    return ev


@asynccontextmanager
async def external_feed() -> AsyncIterator[Feed]:
    port = free_port()
    feed = Feed(url=f"http://127.0.0.1:{port}/calendar.ics")
    app = FastAPI()

    @app.get("/calendar.ics")
    async def calendar() -> Response:
        cal = Calendar()
        cal.add("prodid", "-//Airbnb Inc//Hosting Calendar//EN")
        cal.add("version", "2.0")
        for ev in feed.events:
            cal.add_component(ev)
        return Response(cal.to_ical(), media_type="text/calendar")

    async with serve(app, port):
        yield feed


async def connect(stack: Any, prop: Property, url: str, name: str = "Airbnb") -> int:
    async with stack.sessions() as session:
        external = ExternalCalendar(property_id=id_of(prop), name=name, url=url)
        session.add(external)
        await session.commit()
        assert external.id is not None
        return external.id


async def run_import(stack: Any, calendar_id: int) -> ICalImportResult:
    result: ICalImportResult = await stack.client.execute_workflow(
        ICalImportWorkflow.run,
        ExternalCalendarInput(external_calendar_id=calendar_id),
        id=f"ical-test-{calendar_id}-{secrets.token_hex(4)}",
        task_queue=stack.settings.temporal_task_queue,
        result_type=ICalImportResult,
    )
    return result


async def offered(stack: Any, district: str, check_in: date, check_out: date) -> list[int]:
    response = await stack.http.get(
        SEARCH,
        params={
            "district": district,
            "check_in": check_in.isoformat(),
            "check_out": check_out.isoformat(),
        },
    )
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


# ---------------------------------------------------------------- export


async def test_feed_lists_blocked_ranges_without_guest_data(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    today = await server_today(stack)
    d = today + timedelta(days=50)
    body = booking_body(id_of(prop), d, d + timedelta(days=3))  # pending payment still blocks
    held = await stack.http.post("/api/v1/bookings", json=body)
    assert held.status_code == 201, held.text
    await block(
        stack, prop, [d + timedelta(days=3), d + timedelta(days=4)], CalendarBlockKind.OWNER
    )
    await block(stack, prop, [d + timedelta(days=10)], CalendarBlockKind.ICAL)

    response = await stack.http.get(f"/ical/{prop.ical_token}.ics")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    feed = Calendar.from_ical(response.content)
    events = sorted(feed.events, key=lambda e: e.DTSTART)
    assert [(e.DTSTART, e.DTEND) for e in events] == [
        (d, d + timedelta(days=5)),  # booking and the owner's adjacent block, merged
        (d + timedelta(days=10), d + timedelta(days=11)),
    ]
    assert all(type(e.DTSTART) is date and type(e.DTEND) is date for e in events)
    assert {str(e["SUMMARY"]) for e in events} == {"Blocked"}
    assert len({str(e["UID"]) for e in events}) == 2
    text = response.content.decode()
    for secret in (body["guest"]["name"], body["guest"]["phone"], held.json()["booking_id"]):
        assert secret not in text
    again = Calendar.from_ical((await stack.http.get(f"/ical/{prop.ical_token}.ics")).content)
    assert sorted(str(e["UID"]) for e in again.events) == sorted(str(e["UID"]) for e in events)


async def test_unknown_feed_token_is_404(stack):
    response = await stack.http.get(f"/ical/{secrets.token_urlsafe(16)}.ics")
    assert response.status_code == 404


# ---------------------------------------------------------------- import


async def test_import_adds_moves_and_removes_external_blocks(stack):
    owner, _ = await make_owner(stack)
    district = "Район-" + secrets.token_hex(4)
    prop = await make_property(stack, owner, district=district)
    d = await server_today(stack) + timedelta(days=60)
    async with external_feed() as feed:
        calendar_id = await connect(stack, prop, feed.url)
        assert id_of(prop) in await offered(stack, district, d, d + timedelta(days=2))  # cached
        feed.publish(
            event("a@airbnb", d, d + timedelta(days=3)),
            event("b@airbnb", d + timedelta(days=10), d + timedelta(days=12), "TENTATIVE"),
            event(
                "c@airbnb",
                datetime.combine(d + timedelta(days=20), time(15, 0), ALMATY),
                datetime.combine(d + timedelta(days=22), time(11, 0), ALMATY),
            ),
        )

        first = await run_import(stack, calendar_id)

        assert (first.added, first.removed, first.error) == (5, 0, None)
        assert ical_nights(await calendar_rows(stack, prop)) == {
            **{n: "a@airbnb" for n in days(d, d + timedelta(days=3))},
            **{n: "c@airbnb" for n in days(d + timedelta(days=20), d + timedelta(days=22))},
        }
        assert await offered(stack, district, d, d + timedelta(days=2)) == []
        assert await offered(stack, district, d + timedelta(days=10), d + timedelta(days=12)) == [
            id_of(prop)
        ]  # TENTATIVE blocks nothing

        feed.publish(  # A moved two days later, C vanished
            event("a@airbnb", d + timedelta(days=2), d + timedelta(days=6)),
            event("b@airbnb", d + timedelta(days=10), d + timedelta(days=12), "TENTATIVE"),
        )
        second = await run_import(stack, calendar_id)

        assert ical_nights(await calendar_rows(stack, prop)) == {
            n: "a@airbnb" for n in days(d + timedelta(days=2), d + timedelta(days=6))
        }
        assert (second.added, second.removed) == (3, 4)  # d+2 stays; d, d+1 and C's go
        assert await offered(stack, district, d, d + timedelta(days=2)) == [id_of(prop)]

        feed.publish(event("a@airbnb", d + timedelta(days=2), d + timedelta(days=6), "CANCELLED"))
        await run_import(stack, calendar_id)

        assert ical_nights(await calendar_rows(stack, prop)) == {}
    async with stack.sessions() as session:
        external = await session.get(ExternalCalendar, calendar_id)
        assert external is not None
        assert external.last_synced_at is not None and external.last_error is None


async def test_import_never_overwrites_a_confirmed_booking_and_tells_the_owner(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    d = await server_today(stack) + timedelta(days=80)
    booked = await book_and_pay(stack, id_of(prop), d, d + timedelta(days=3))
    await block(stack, prop, [d + timedelta(days=7)], CalendarBlockKind.OWNER)
    async with external_feed() as feed:
        calendar_id = await connect(stack, prop, feed.url, name="Booking.com")
        feed.publish(event("x@booking", d + timedelta(days=1), d + timedelta(days=8)))

        result = await run_import(stack, calendar_id)
        again = await run_import(stack, calendar_id)

    rows = await calendar_rows(stack, prop)
    assert [(n, k, b) for n, k, b, _ in rows if k != CalendarBlockKind.ICAL] == [
        *[(n, "booking", booked.booking_id) for n in days(d, d + timedelta(days=3))],
        (d + timedelta(days=7), "owner", None),
    ]
    assert sorted(ical_nights(rows)) == days(d + timedelta(days=3), d + timedelta(days=7))
    assert [(c.booking_id, c.nights) for c in result.conflicts] == [
        (booked.booking_id, [d + timedelta(days=1), d + timedelta(days=2)])
    ]
    assert result.skipped == 3  # two booking nights and the owner's block
    assert [c.booking_id for c in again.conflicts] == [booked.booking_id]
    texts = await eventually(
        lambda: messages_to(stack, owner.telegram_id),
        until=lambda ts: any(booked.booking_id in t and "Booking.com" in t for t in ts),
    )
    # The same conflict, imported twice, is told once.
    assert len([t for t in texts if "Booking.com" in t and booked.booking_id in t]) == 1


async def test_unreachable_feed_keeps_the_nights_and_records_the_error(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    d = await server_today(stack) + timedelta(days=100)
    async with external_feed() as feed:
        calendar_id = await connect(stack, prop, feed.url)
        feed.publish(event("a@airbnb", d, d + timedelta(days=2)))
        await run_import(stack, calendar_id)
    # The feed's server is gone now.
    result = await run_import(stack, calendar_id)

    assert result.error is not None and "fetch failed" in result.error
    assert sorted(ical_nights(await calendar_rows(stack, prop))) == days(d, d + timedelta(days=2))
    async with stack.sessions() as session:
        external = await session.get(ExternalCalendar, calendar_id)
        assert external is not None and external.last_error == result.error


# ---------------------------------------------------------------- schedules


@pytest.mark.devserver
async def test_ical_schedules_are_created_once_and_updated(stack, dev_server):
    client = dev_server
    await ensure_ical_schedules_for(client, [7, 8], task_queue="q", every=timedelta(minutes=15))
    await ensure_ical_schedules_for(client, [7, 8], task_queue="q", every=timedelta(minutes=5))

    listed = sorted(
        [s.id async for s in await client.list_schedules() if s.id.startswith("ical-import-")]
    )
    described = await client.get_schedule_handle(ical_schedule_id(7)).describe()
    assert listed == [ical_schedule_id(7), ical_schedule_id(8)]
    assert [i.every for i in described.schedule.spec.intervals] == [timedelta(minutes=5)]


@pytest.fixture
async def own_namespace(dev_server: Client) -> AsyncIterator[Client]:
    """The dev server on a namespace of its own, deleted afterwards: start-up prunes every
    schedule of its namespace, and the default one holds other tests' schedules (the test
    above checks their full list)."""
    namespace = "ical-prune-" + secrets.token_hex(4)
    await dev_server.workflow_service.register_namespace(
        RegisterNamespaceRequest(
            namespace=namespace, workflow_execution_retention_period=Duration(seconds=86_400)
        )
    )
    config = dev_server.config()
    config["namespace"] = namespace
    yield Client(**config)
    await dev_server.operator_service.delete_namespace(DeleteNamespaceRequest(namespace=namespace))


async def has_schedule(client: Client, schedule_id: str) -> bool:
    try:
        await client.get_schedule_handle(schedule_id).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


async def schedule_ids(client: Client) -> list[str]:
    return [s.id async for s in await client.list_schedules()]


@pytest.mark.devserver
async def test_start_up_drops_the_schedules_of_calendars_deleted_in_the_database(
    stack: Any, own_namespace: Client
) -> None:
    client, settings = own_namespace, stack.settings
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    kept = await connect(stack, prop, "http://127.0.0.1:9/kept.ics", name="Booking.com")
    gone = await connect(stack, prop, "http://127.0.0.1:9/gone.ics")
    await ensure_schedules(client, settings)  # the owner nudges: another prefix
    # An ops-made schedule that merely looks like ours.
    lookalike = "ical-import-manual"
    await client.create_schedule(
        lookalike, ical_schedule(kept, task_queue="q", every=timedelta(hours=1))
    )
    try:
        ensured = await ensure_ical_schedules(client, settings)
        assert {ical_schedule_id(kept), ical_schedule_id(gone)} <= set(ensured)
        # Pruning goes by the schedule list, which comes from visibility and may lag.
        await eventually(
            lambda: schedule_ids(client), until=lambda ids: ical_schedule_id(gone) in ids
        )
        async with stack.sessions() as session:
            await session.execute(delete(ExternalCalendar).where(col(ExternalCalendar.id) == gone))
            await session.commit()

        await ensure_ical_schedules(client, settings)

        assert not await has_schedule(client, ical_schedule_id(gone))
        for schedule_id in (ical_schedule_id(kept), OWNER_NUDGES_SCHEDULE, lookalike):
            assert await has_schedule(client, schedule_id), schedule_id
    finally:
        async with stack.sessions() as session:
            await session.execute(delete(ExternalCalendar).where(col(ExternalCalendar.id) == kept))
            await session.commit()


@pytest.mark.parametrize(
    ("schedule_id", "calendar_id"),
    [
        ("ical-import-7", 7),
        ("ical-import-1234", 1234),
        ("ical-import-", None),
        ("ical-import-07", None),
        ("ical-import--7", None),
        ("ical-import-7-copy", None),
        ("ical-import-manual", None),
        ("ical-imports-7", None),
        ("x-ical-import-7", None),
        (OWNER_NUDGES_SCHEDULE, None),
    ],
)
def test_only_ids_written_by_ical_schedule_id_are_import_schedules(
    schedule_id: str, calendar_id: int | None
) -> None:
    assert ical_calendar_id(schedule_id) == calendar_id
