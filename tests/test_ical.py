"""iCal: an owner's feed shows blocked ranges (no guest data); external feeds become blocks.

The export is read back with the icalendar library; imports fetch a feed served over real
HTTP by the test and run through ICalImportWorkflow on the stack's import worker (its own
task queue). Hostile feeds (issue 9) replay their attacks on the import: a link inside, a
redirect inside, a server's answer shown to the owner, a gzip bomb, a trickle, too many
events, a parse on the event loop, imports taking the bookings' worker slots.
"""

from __future__ import annotations

import asyncio
import gzip
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from google.protobuf.duration_pb2 import Duration
from icalendar import Calendar, Event
from sqlmodel import col, delete, select
from temporalio.api.operatorservice.v1 import DeleteNamespaceRequest
from temporalio.api.workflowservice.v1 import RegisterNamespaceRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import ActivityEnvironment

from activities.ical_import import (
    NOT_ICAL,
    FeedError,
    ICalImportActivities,
    feed_nights,
    parse_feed,
)
from core.safe_fetch import FetchPolicy
from models import CalendarNight, ExternalCalendar, Property
from models.booking_io import GuestContact, HoldResult
from models.enums import CalendarBlockKind
from models.ical_io import ExternalCalendarInput, ICalImportResult
from services.booking_client import BookingClient, timings_from
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
        task_queue=stack.settings.ical_task_queue,
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
    held = await stack.partner.post("/api/v1/bookings", json=body)
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

    assert result.error == "The calendar server could not be reached."
    assert sorted(ical_nights(await calendar_rows(stack, prop))) == days(d, d + timedelta(days=2))
    async with stack.sessions() as session:
        external = await session.get(ExternalCalendar, calendar_id)
        assert external is not None and external.last_error == result.error


# ---------------------------------------------------------------- hostile feeds (issue 9)

PRIVATE = "The link points to a private or local address."
# What the Temporal UI's API answered the attacker: another owner's booking id.
TEMPORAL_ANSWER = '{"executions":[{"execution":{"workflowId":"booking-bkLEAK7Q2"}}]}'


@dataclass
class Hostile:
    """A server an owner's link leads to; it counts what it is asked."""

    url: str
    port: int
    hits: list[str] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def at(self, path: str) -> str:
        return f"{self.url}{path}"


def calendar_of(*events: Event) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Airbnb Inc//Hosting Calendar//EN")
    cal.add("version", "2.0")
    for ev in events:
        cal.add_component(ev)
    return bytes(cal.to_ical())


def many_events(count: int, start: date) -> bytes:
    return calendar_of(
        *(event(f"e{i}@airbnb", start, start + timedelta(days=1)) for i in range(count))
    )


@asynccontextmanager
async def hostile_server() -> AsyncIterator[Hostile]:
    port = free_port()
    server = Hostile(url=f"http://127.0.0.1:{port}", port=port)
    app = FastAPI()
    bomb = gzip.compress(b"BEGIN:VCALENDAR\r\n" + b"\0" * 30_000_000)

    @app.middleware("http")
    async def count(request: Request, call_next: Any) -> Any:
        server.hits.append(request.url.path)
        return await call_next(request)

    @app.get("/api/v1/namespaces/default/workflows")
    async def temporal_ui() -> Response:
        return Response(TEMPORAL_ANSWER, media_type="application/json")

    @app.get("/error")
    async def error() -> Response:
        return Response(TEMPORAL_ANSWER, status_code=500)

    @app.get("/redirect")
    async def redirect(to: str) -> Response:
        return RedirectResponse(to, status_code=302)

    @app.get("/bomb.ics")
    async def gzip_bomb() -> Response:
        return Response(bomb, headers={"content-encoding": "gzip"}, media_type="text/calendar")

    @app.get("/trickle.ics")
    async def trickle() -> Response:
        async def drip() -> AsyncIterator[bytes]:
            for _ in range(60):
                yield b"B"
                await asyncio.sleep(0.25)

        return StreamingResponse(drip(), media_type="text/calendar")

    @app.get("/many.ics")
    async def many(n: int, start: date) -> Response:
        return Response(many_events(n, start), media_type="text/calendar")

    @app.get("/stuck.ics")
    async def stuck(start: date) -> Response:
        server.in_flight += 1
        server.most_in_flight = max(server.most_in_flight, server.in_flight)
        try:
            await asyncio.wait_for(server.release.wait(), timeout=15)
        finally:
            server.in_flight -= 1
        return Response(calendar_of(event("s@airbnb", start, start + timedelta(days=1))))

    async with serve(app, port):
        yield server


async def import_with(
    stack: Any, calendar_id: int, policy: FetchPolicy, max_events: int = 5000
) -> ICalImportResult:
    """The import activity with a policy of the test's, run as Temporal runs it."""
    imports = ICalImportActivities(stack.sessions, policy, max_events=max_events)
    result: ICalImportResult = await ActivityEnvironment().run(
        imports.import_external_calendar, ExternalCalendarInput(external_calendar_id=calendar_id)
    )
    return result


async def last_error(stack: Any, calendar_id: int) -> str | None:
    async with stack.sessions() as session:
        external: ExternalCalendar | None = await session.get(ExternalCalendar, calendar_id)
        assert external is not None
        return external.last_error


async def test_a_feed_inside_our_network_is_never_fetched_by_default(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    async with hostile_server() as temporal_ui:
        link = temporal_ui.at("/api/v1/namespaces/default/workflows")
        calendar_id = await connect(stack, prop, link)  # saved before the check existed

        result = await import_with(stack, calendar_id, FetchPolicy())  # the default policy

    assert result.error == PRIVATE
    assert temporal_ui.hits == []
    assert await last_error(stack, calendar_id) == PRIVATE
    assert ical_nights(await calendar_rows(stack, prop)) == {}


async def test_a_redirect_into_our_network_is_refused_at_connect_time(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    async with hostile_server() as feed, hostile_server() as temporal_ui:
        inside = temporal_ui.at("/api/v1/namespaces/default/workflows")
        calendar_id = await connect(stack, prop, feed.at(f"/redirect?to={inside}"))
        # Only the feed's own server is trusted: it stands for a public one.
        policy = FetchPolicy.of(allowed_hosts=[f"127.0.0.1:{feed.port}"])

        result = await import_with(stack, calendar_id, policy)

    assert feed.hits == ["/redirect"]
    assert temporal_ui.hits == []
    assert result.error == PRIVATE and await last_error(stack, calendar_id) == PRIVATE


@pytest.mark.parametrize(
    ("path", "told"),
    [
        ("/api/v1/namespaces/default/workflows", NOT_ICAL),
        ("/error", "The calendar server answered 500."),
    ],
)
async def test_the_owner_is_told_why_in_our_words_never_the_servers(stack, path, told):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    async with hostile_server() as server:
        calendar_id = await connect(stack, prop, server.at(path))

        result = await run_import(stack, calendar_id)

    shown = await last_error(stack, calendar_id)
    assert result.error == told and shown == told and shown is not None
    assert "bkLEAK7Q2" not in shown and "workflowId" not in shown


async def test_a_gzip_bomb_is_refused_at_the_cap(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    async with hostile_server() as server:
        calendar_id = await connect(stack, prop, server.at("/bomb.ics"))

        result = await run_import(stack, calendar_id)

    assert result.error == "The feed is larger than 2 MB."
    assert await last_error(stack, calendar_id) == result.error


async def test_a_trickling_feed_is_cut_off_at_the_deadline(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    async with hostile_server() as server:
        calendar_id = await connect(stack, prop, server.at("/trickle.ics"))
        policy = FetchPolicy.of(allowed_hosts=["127.0.0.1"], deadline=1.0)

        result = await import_with(stack, calendar_id, policy)

    assert result.error == "The calendar server did not answer in time."
    assert await last_error(stack, calendar_id) == result.error


async def test_a_feed_with_too_many_events_is_refused(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    d = await server_today(stack) + timedelta(days=120)
    policy = FetchPolicy.of(allowed_hosts=["127.0.0.1"])
    async with hostile_server() as server:
        too_many = await connect(stack, prop, server.at(f"/many.ics?n=21&start={d}"))
        enough = await connect(stack, prop, server.at(f"/many.ics?n=20&start={d}"))

        refused = await import_with(stack, too_many, policy, max_events=20)
        taken = await import_with(stack, enough, policy, max_events=20)

    assert refused.error == "The feed has more than 20 events."
    assert await last_error(stack, too_many) == refused.error
    assert (taken.error, taken.added) == (None, 1)


def test_a_folded_event_still_counts_towards_the_cap() -> None:
    d = date(2030, 1, 1)
    folded = many_events(2, d).replace(b"BEGIN:VEVENT\r\n", b"BEGIN:VEV\r\n ENT\r\n")
    assert len(feed_nights(folded, today=d, max_events=2)) == 1  # two events, one night
    with pytest.raises(FeedError, match="more than 1 events"):
        feed_nights(folded, today=d, max_events=1)


async def test_a_big_feed_is_parsed_off_the_event_loop():
    d = date(2030, 1, 1)
    raw = many_events(3000, d)
    parsing = asyncio.create_task(parse_feed(raw, today=d, max_events=5000))
    turns = 0
    while not parsing.done():  # a parse on the loop would finish before a second turn
        turns += 1
        await asyncio.sleep(0)

    assert len(await parsing) == 1
    assert turns > 1


async def test_imports_wait_for_their_own_slots_and_never_hold_up_a_booking(stack):
    owner, _ = await make_owner(stack)
    d = await server_today(stack) + timedelta(days=140)
    slots = stack.settings.ical_max_concurrent_activities
    async with hostile_server() as server:
        handles = []
        for _ in range(slots + 2):
            prop = await make_property(stack, owner)
            calendar_id = await connect(stack, prop, server.at(f"/stuck.ics?start={d}"))
            handles.append(
                await stack.client.start_workflow(
                    ICalImportWorkflow.run,
                    ExternalCalendarInput(external_calendar_id=calendar_id),
                    id=f"ical-stuck-{calendar_id}-{secrets.token_hex(4)}",
                    task_queue=stack.settings.ical_task_queue,
                    result_type=ICalImportResult,
                )
            )
        try:
            await eventually(lambda: _now(server.in_flight), until=lambda n: n == slots)
            held = await hold(stack, await make_property(stack, owner), d, d + timedelta(days=2))
            most_in_flight = server.most_in_flight
        finally:
            server.release.set()
            results = [await handle.result() for handle in handles]

    assert held.error is None and held.total is not None  # while every import slot was taken
    assert most_in_flight == slots  # the other imports waited for an import slot
    assert [r.error for r in results] == [None] * len(handles)


async def _now(value: int) -> int:
    return value


async def hold(stack: Any, prop: Property, check_in: date, check_out: date) -> HoldResult:
    """A guest's hold, as the bots and the API ask the booking worker for it."""
    bookings = BookingClient(
        stack.client,
        task_queue=stack.settings.temporal_task_queue,
        timings=timings_from(stack.settings),
    )
    body = booking_body(id_of(prop), check_in, check_out)
    return await bookings.hold(
        bookings.new_request(
            property_id=id_of(prop),
            check_in=check_in,
            check_out=check_out,
            guests=1,
            guest=GuestContact(**body["guest"]),
            channel=body["channel"],
            payment_method=body["payment_method"],
        )
    )


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
