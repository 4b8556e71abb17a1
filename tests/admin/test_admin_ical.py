"""External calendars in the web admin over real HTTP: an owner adds a feed to their own
apartment and its import Schedule exists at once (the nights follow), edits it, deletes it
(schedule and imported nights go); another owner's apartments and feeds stay out of reach.

Schedules need the Temporal dev server (the time-skipping server has none): these tests run
a second API and a worker on it, sharing the stack's database and Redis.
"""

from __future__ import annotations

import dataclasses
import json
import re
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import Response
from icalendar import Calendar, Event
from sqlmodel import col, select
from temporalio.client import Client, ScheduleActionStartWorkflow
from temporalio.service import RPCError, RPCStatusCode

from api.admin.external_calendars import NOT_SCHEDULED
from api.app import create_app
from models import CalendarNight, ExternalCalendar, Property
from models.enums import Role
from models.ical_io import ExternalCalendarInput
from services.ical_schedules import drop_ical_schedule, ical_schedule_id
from tests.admin.support import PASSWORD, almaty_today, person_with_password, signed_in
from tests.support.cdp import Page, chromium
from tests.support.factories import ALMATY, eventually, id_of, make_owner, make_property
from tests.support.servers import free_port, serve
from worker import running_worker

pytestmark = pytest.mark.timeout(120)

CREATE = "/admin/external-calendar/create"


@pytest.fixture(scope="module")
async def admin(stack: Any, dev_server: Client) -> AsyncIterator[Any]:
    """The stack with its API and worker on the dev server, on a task queue of their own."""
    settings = stack.settings.model_copy(
        update={
            "temporal_address": dev_server.service_client.config.target_host,
            "temporal_task_queue": "ical-admin-" + secrets.token_hex(4),
            "ical_task_queue": "ical-admin-imports-" + secrets.token_hex(4),
            "telegram_bot_token": None,
            "whatsapp_token": None,
        }
    )
    port = free_port()
    async with serve(create_app(settings), port), running_worker(settings, dev_server):
        yield dataclasses.replace(
            stack, settings=settings, api_url=f"http://127.0.0.1:{port}", client=dev_server
        )


@asynccontextmanager
async def airbnb_feed(start: date, end: date) -> AsyncIterator[str]:
    """An external channel publishing one reservation, over real HTTP."""
    port = free_port()
    app = FastAPI()

    @app.get("/calendar.ics")
    async def calendar() -> Response:
        cal = Calendar()
        cal.add("prodid", "-//Airbnb Inc//Hosting Calendar//EN")
        cal.add("version", "2.0")
        event = Event()
        event.add("uid", f"{start}@airbnb")
        event.add("dtstamp", datetime(2026, 1, 1, tzinfo=ALMATY))
        event.add("dtstart", start)
        event.add("dtend", end)
        cal.add_component(event)
        return Response(cal.to_ical(), media_type="text/calendar")

    async with serve(app, port):
        yield f"http://127.0.0.1:{port}/calendar.ics"


async def add_feed(admin: httpx.AsyncClient, prop: Property, url: str) -> httpx.Response:
    return await admin.post(
        CREATE, data={"property_id": str(id_of(prop)), "name": "Airbnb", "url": url}
    )


async def calendars_of(stack: Any, prop: Property) -> list[ExternalCalendar]:
    async with stack.sessions() as session:
        rows = await session.scalars(
            select(ExternalCalendar).where(col(ExternalCalendar.property_id) == id_of(prop))
        )
        return list(rows.all())


async def imported_nights(stack: Any, calendar_id: int) -> list[date]:
    async with stack.sessions() as session:
        rows = await session.scalars(
            select(col(CalendarNight.night))
            .where(col(CalendarNight.external_calendar_id) == calendar_id)
            .order_by(col(CalendarNight.night))
        )
        return list(rows.all())


async def schedule_exists(client: Client, calendar_id: int) -> bool:
    try:
        await client.get_schedule_handle(ical_schedule_id(calendar_id)).describe()
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


async def forget_schedule(client: Client, calendar_id: int) -> None:
    """Leaves the dev server as found: other tests list every ical-import schedule."""
    await drop_ical_schedule(client, calendar_id)
    await eventually(
        lambda: _listed(client), until=lambda ids: ical_schedule_id(calendar_id) not in ids
    )


async def _listed(client: Client) -> list[str]:
    return [s.id async for s in await client.list_schedules()]


def option_values(html: str) -> set[str]:
    return set(re.findall(r'<option[^>]*value="([^"]*)"', html))


def days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(count)]


@pytest.mark.devserver
async def test_owner_adds_a_feed_and_its_schedule_and_nights_follow_at_once(admin):
    owner = await person_with_password(admin)
    other, _ = await make_owner(admin)
    mine = await make_property(admin, owner)
    theirs = await make_property(admin, other)
    start = almaty_today() + timedelta(days=40)

    async with airbnb_feed(start, start + timedelta(days=3)) as url, signed_in(admin, owner) as c:
        form = await c.get(CREATE)
        created = await add_feed(c, mine, url)
        assert created.status_code == 302, created.text
        [calendar] = await calendars_of(admin, mine)
        assert calendar.id is not None
        try:
            # The schedule's first import was triggered at once: no wait for the interval.
            nights = await eventually(
                lambda: imported_nights(admin, calendar.id or 0), until=lambda n: len(n) == 3
            )
            described = await admin.client.get_schedule_handle(
                ical_schedule_id(calendar.id)
            ).describe()
        finally:
            await forget_schedule(admin.client, calendar.id)

    assert form.status_code == 200
    assert option_values(form.text) == {str(id_of(mine))}  # never another owner's apartment
    assert str(id_of(theirs)) not in option_values(form.text)
    assert (calendar.name, calendar.url) == ("Airbnb", url)
    assert nights == days(start, 3)
    action = described.schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    assert action.workflow == "ICalImportWorkflow"
    assert action.task_queue == admin.settings.ical_task_queue  # the imports' own worker
    [arg] = await admin.client.data_converter.decode(action.args, [ExternalCalendarInput])
    assert arg == ExternalCalendarInput(external_calendar_id=calendar.id)
    assert [i.every for i in described.schedule.spec.intervals] == [
        admin.settings.ical_import_interval
    ]
    assert described.info.num_actions >= 1  # the immediate import


@pytest.mark.devserver
async def test_owner_edits_then_deletes_a_feed_and_its_schedule_and_nights_go(admin):
    owner = await person_with_password(admin)
    district = f"Ical-{owner.id}"
    prop = await make_property(admin, owner, district=district)
    start = almaty_today() + timedelta(days=50)
    search = {
        "district": district,
        "check_in": start.isoformat(),
        "check_out": (start + timedelta(days=2)).isoformat(),
    }

    async with airbnb_feed(start, start + timedelta(days=2)) as url, signed_in(admin, owner) as c:
        assert (await add_feed(c, prop, url)).status_code == 302
        [calendar] = await calendars_of(admin, prop)
        cid = calendar.id or 0
        await eventually(lambda: imported_nights(admin, cid), until=lambda n: len(n) == 2)
        try:
            bad_edit = await c.post(
                f"/admin/external-calendar/edit/{cid}", data={"name": "Airbnb", "url": "ftp://x"}
            )
            edited = await c.post(
                f"/admin/external-calendar/edit/{cid}",
                data={"name": "Airbnb (main)", "url": url + "?v=2"},
            )
            still_scheduled = await schedule_exists(admin.client, cid)
            hidden = await admin.http.get("/api/v1/properties", params=search)  # now cached
            deleted = await c.delete(f"/admin/external-calendar/delete?pks={cid}")
        except BaseException:
            await forget_schedule(admin.client, cid)
            raise

    assert bad_edit.status_code == 400 and "http:// or https://" in bad_edit.text
    assert edited.status_code == 302, edited.text
    assert still_scheduled
    assert hidden.json()["items"] == []  # the imported nights block those dates
    assert deleted.status_code == 200 and "error" not in deleted.text, deleted.text
    assert await calendars_of(admin, prop) == []
    assert not await schedule_exists(admin.client, cid)
    await eventually(
        lambda: _listed(admin.client), until=lambda ids: ical_schedule_id(cid) not in ids
    )
    assert await imported_nights(admin, cid) == []  # ON DELETE CASCADE
    # The freed nights are offered again at once: the cached page was forgotten.
    shown = await admin.http.get("/api/v1/properties", params=search)
    assert [p["id"] for p in shown.json()["items"]] == [id_of(prop)]


@pytest.mark.devserver
async def test_deleting_the_apartment_drops_its_feeds_schedules(admin):
    owner = await person_with_password(admin)
    prop = await make_property(admin, owner)
    async with signed_in(admin, owner) as c:
        assert (await add_feed(c, prop, "http://127.0.0.1:9/closed.ics")).status_code == 302
        [calendar] = await calendars_of(admin, prop)
        cid = calendar.id or 0
        scheduled = await schedule_exists(admin.client, cid)
        deleted = await c.delete(f"/admin/property/delete?pks={id_of(prop)}")
    dropped = not await schedule_exists(admin.client, cid)
    if not dropped:
        await forget_schedule(admin.client, cid)
    assert scheduled
    assert deleted.status_code == 200 and "error" not in deleted.text, deleted.text
    assert dropped
    assert await calendars_of(admin, prop) == []
    await eventually(
        lambda: _listed(admin.client), until=lambda ids: ical_schedule_id(cid) not in ids
    )


@pytest.mark.devserver
async def test_owner_cannot_add_to_or_see_another_owners_apartment(admin):
    owner = await person_with_password(admin)
    other, _ = await make_owner(admin)
    staff = await person_with_password(admin, role=Role.SUPER_ADMIN)
    mine = await make_property(admin, owner)
    theirs = await make_property(admin, other)
    async with admin.sessions() as session:
        foreign = ExternalCalendar(
            property_id=id_of(theirs), name="Их Booking.com", url="https://example.com/x.ics"
        )
        session.add(foreign)
        await session.commit()
        fid = foreign.id

    async with signed_in(admin, owner) as c:
        refused = await add_feed(c, theirs, "https://www.airbnb.com/calendar/ical/1.ics")
        listing = await c.get("/admin/external-calendar/list")
        details = await c.get(f"/admin/external-calendar/details/{fid}")
        edit = await c.post(
            f"/admin/external-calendar/edit/{fid}", data={"name": "mine", "url": "https://a.kz/"}
        )
        delete = await c.delete(f"/admin/external-calendar/delete?pks={fid}")
    async with signed_in(admin, staff) as c:
        # Searched: other tests' feeds may fill the first page.
        staff_listing = await c.get(
            "/admin/external-calendar/list", params={"search": "Их Booking.com"}
        )

    assert refused.status_code == 400 and "Not a valid choice" in refused.text
    assert [(c.id, c.name) for c in await calendars_of(admin, theirs)] == [(fid, "Их Booking.com")]
    assert await calendars_of(admin, mine) == []
    assert listing.status_code == 200 and "Их Booking.com" not in listing.text
    assert (details.status_code, edit.status_code, delete.status_code) == (403, 403, 403)
    assert "Их Booking.com" in staff_listing.text


BAD_URLS = [
    ("ftp://example.com/cal.ics", "http:// or https://"),
    ("javascript:alert(1)", "http:// or https://"),
    ("webcal://example.com/cal.ics", "replace webcal://"),
    ("https://", "no host"),
    ("https://example.com/a b.ics", "spaces"),
    ("https://example.com:port/", "not a valid link"),
    ("https://example.com/" + "a" * 1000, "too long"),
    ("", "This field is required"),
]


@pytest.mark.devserver
async def test_a_bad_feed_url_is_a_form_error_and_nothing_is_written(admin):
    owner = await person_with_password(admin)
    prop = await make_property(admin, owner)
    async with signed_in(admin, owner) as c:
        answers = [(await add_feed(c, prop, url), says) for url, says in BAD_URLS]
    for answer, says in answers:
        assert answer.status_code == 400, says
        assert says in answer.text, says
    assert await calendars_of(admin, prop) == []


FILL_FORM = """(() => {{
  const form = document.querySelector('form');
  const apartment = form.querySelector('select[name=property_id]');
  apartment.value = {apartment};
  apartment.dispatchEvent(new Event('change', {{bubbles: true}}));
  form.querySelector('input[name=name]').value = 'Booking.com';
  form.querySelector('input[name=url]').value = {url};
  form.querySelector('input[type=submit][name=save]').click();  // the first: Save
}})()"""


@pytest.fixture(scope="module")
def browser() -> Iterator[str]:
    with chromium() as ws_url:
        yield ws_url


@pytest.mark.devserver
async def test_owner_adds_a_feed_in_the_browser(admin, browser):
    owner = await person_with_password(admin)
    other, _ = await make_owner(admin)
    mine = await make_property(admin, owner)
    await make_property(admin, other)
    start = almaty_today() + timedelta(days=60)

    async with airbnb_feed(start, start + timedelta(days=1)) as url, Page.connect(browser) as page:
        await page.navigate(f"{admin.api_url}/admin/login")
        await page.evaluate_and_wait_for_load(
            f"""(() => {{
              const form = document.querySelector('form');
              form.querySelector('input[name=username]').value = {json.dumps(owner.email)};
              form.querySelector('input[name=password]').value = {json.dumps(PASSWORD)};
              form.querySelector('button[type=submit]').click();
            }})()"""
        )
        await page.navigate(f"{admin.api_url}{CREATE}")
        offered = await page.evaluate(
            "[...document.querySelectorAll('select[name=property_id] option')].map(o => o.value)"
        )
        await page.evaluate_and_wait_for_load(
            FILL_FORM.format(apartment=json.dumps(str(id_of(mine))), url=json.dumps(url))
        )
        landed = await page.evaluate("location.pathname")
        listed = await page.evaluate("document.body.innerText")
        [calendar] = await calendars_of(admin, mine)
        scheduled = await schedule_exists(admin.client, calendar.id or 0)
        await forget_schedule(admin.client, calendar.id or 0)

    assert offered == [str(id_of(mine))]
    assert landed == "/admin/external-calendar/list"
    assert "Booking.com" in listed and url in listed
    assert scheduled


async def test_without_temporal_schedules_the_feed_is_saved_and_says_so(stack):
    """The stack's API talks to the time-skipping server, which refuses schedules: the
    feed is kept and its row tells the owner (the worker's start-up schedules it)."""
    owner = await person_with_password(stack)
    prop = await make_property(stack, owner)
    async with signed_in(stack, owner) as c:
        # A loopback link (the stack trusts it): no test may need the internet's DNS.
        created = await add_feed(c, prop, "http://127.0.0.1:9/calendar/ical/42.ics")
        listing = await c.get("/admin/external-calendar/list")
    [calendar] = await calendars_of(stack, prop)
    assert created.status_code == 302, created.text
    assert calendar.last_error == NOT_SCHEDULED
    assert "Temporal was out of reach" in listing.text


INSIDE = [
    "http://127.0.0.1:8233/api/v1/namespaces/default/workflows?query=WorkflowType%3D%27Booking%27",
    "http://localhost:8233/api/v1/namespaces/default/workflows",
    "http://10.0.0.7/calendar.ics",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/calendar.ics",
    "http://[::ffff:127.0.0.1]/calendar.ics",
    "http://[fc00::1]/calendar.ics",
]


@asynccontextmanager
async def default_admin(stack: Any) -> AsyncIterator[Any]:
    """The stack's admin with the settings' default allow-list: nothing private trusted."""
    settings = stack.settings.model_copy(
        # No bots: their routers belong to the stack's API already.
        update={"feed_allowed_hosts": [], "telegram_bot_token": None, "whatsapp_token": None}
    )
    port = free_port()
    async with serve(create_app(settings), port):
        yield dataclasses.replace(stack, settings=settings, api_url=f"http://127.0.0.1:{port}")


async def test_the_form_refuses_links_into_our_network_and_writes_nothing(stack):
    owner = await person_with_password(stack)
    prop = await make_property(stack, owner)
    async with stack.sessions() as session:
        kept = ExternalCalendar(
            property_id=id_of(prop), name="Airbnb", url="https://93.184.215.14/calendar.ics"
        )
        session.add(kept)
        await session.commit()
        kept_id = kept.id
    async with default_admin(stack) as admin, signed_in(admin, owner) as c:
        added = [await add_feed(c, prop, url) for url in INSIDE]
        edited = await c.post(
            f"/admin/external-calendar/edit/{kept_id}",
            data={"name": "Airbnb", "url": "http://127.0.0.1:8233/api/v1/namespaces"},
        )
        odd_port = await add_feed(c, prop, "http://93.184.215.14:6379/")

    for url, answer in zip(INSIDE, added, strict=True):
        assert answer.status_code == 400, url
        assert "The link points to a private or local address." in answer.text, url
    assert edited.status_code == 400
    assert "The link points to a private or local address." in edited.text
    assert odd_port.status_code == 400 and "port 6379" in odd_port.text
    [calendar] = await calendars_of(stack, prop)
    assert calendar.url == "https://93.184.215.14/calendar.ics"  # the edit wrote nothing


async def test_the_owner_sees_why_an_import_failed_in_the_list(stack):
    owner = await person_with_password(stack)
    prop = await make_property(stack, owner)
    port = free_port()
    app = FastAPI()

    @app.get("/calendar.ics")
    async def gone() -> Response:
        return Response('{"workflowId": "booking-bkLEAK9"}', status_code=404)

    async with serve(app, port):
        async with stack.sessions() as session:
            external = ExternalCalendar(
                property_id=id_of(prop), name="Airbnb", url=f"http://127.0.0.1:{port}/calendar.ics"
            )
            session.add(external)
            await session.commit()
            calendar_id = external.id or 0
        await stack.client.execute_workflow(
            "ICalImportWorkflow",
            ExternalCalendarInput(external_calendar_id=calendar_id),
            id=f"ical-admin-failed-{calendar_id}",
            task_queue=stack.settings.ical_task_queue,
        )
    async with signed_in(stack, owner) as c:
        listing = await c.get("/admin/external-calendar/list")

    assert "The calendar server answered 404." in listing.text
    assert "bkLEAK9" not in listing.text
