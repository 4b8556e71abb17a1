"""Analytics against a hand-computed fixture built through the real API, Kaspi sandbox
payments, an invoice confirmed by the owner, cancellations and an expired hold.

The period is ten days, D … D+9. Realtor A (agency X) has three apartments:
- P1: 10 000 ₸/night + 2 000 cleaning; owner block on D+9 (9 nights on sale).
  b1 D, 3 nights, Kaspi, paid: 32 000, 3 nights in the period;
  b2 D+5, 2 nights, invoice confirmed by A: 22 000, 2 nights;
  b6 D+10, 1 night, paid: its check-in is after the period, so it counts nowhere.
- P2: 15 000 ₸/night, no cleaning; owner blocks on D+3 and D+5 (8 nights on sale).
  b3 D+1, 2 nights, paid 30 000, then cancelled by A: full refund 30 000;
  b5 D+8, 3 nights, paid 45 000: only D+8 and D+9 are in the period (2 nights);
  b7 D+4, 1 night, invoice never paid: expires (auto-cancelled);
  b8 D+6, 1 night, paid 15 000 by b1's guest (G1, who then has 2 bookings).
- P3: 20 000 ₸/night + 5 000 cleaning, non-refundable.
  b4 D+2, 1 night, paid 25 000, cancelled by the guest: no refund.
Realtor B (agency X) has P4: 12 000 ₸/night; b9 D+3, 2 nights, paid 24 000.

A's figures: apartments 3; bookings 7 (b1 b2 b3 b4 b5 b7 b8); paid 6; cancellations 2
(b3, b4) → 28.6 %; expired 1 (b7); gross 32 000 + 22 000 + 30 000 + 25 000 + 45 000 +
15 000 = 169 000; refunds 30 000; revenue 139 000; booked nights 3 + 2 + 2 + 1 = 8 of
9 + 8 + 10 = 27 → 29.6 %.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col
from temporalio.service import RPCError

from core.clock import today_local
from models import Agency, CalendarNight, User
from models.enums import CalendarBlockKind, CancellationPolicy, Role
from services.analytics import Figures, Period, PeriodKey, Report, build_report, period_for
from services.analytics_csv import Mode, render
from services.people import mask_phone
from services.scope import Scope
from tests.support.factories import (
    booking_body,
    id_of,
    make_owner,
    make_property,
    stay,
    wait_status,
)
from tests.support.lifecycle import cancel
from tests.support.payments import sandbox_pay

_phones = itertools.count(1)


@dataclass
class Fixture:
    period: Period
    realtor_a: User
    realtor_b: User
    agency: str
    props: dict[str, int]
    titles: dict[str, str]
    guests: dict[str, str]  # booking name -> guest phone
    bookings: dict[str, str]  # booking name -> id


async def _hold(stack, prop_id, check_in: date, nights: int, *, method="kaspi", phone=None):
    phone = phone or f"+7705{secrets.randbelow(10**7):07d}"
    # One guest is one Telegram account: the same phone here stands for the same person.
    body = booking_body(
        prop_id,
        check_in,
        check_in + timedelta(days=nights),
        method=method,
        phone=phone,
        telegram_id=3 * 10**9 + int(phone[-9:]),
    )
    response = await stack.partner.post("/api/v1/bookings", json=body)
    assert response.status_code == 201, response.text
    return response.json(), phone


async def _paid(stack, prop_id, check_in, nights, *, phone=None) -> tuple[str, str]:
    held, phone = await _hold(stack, prop_id, check_in, nights, phone=phone)
    paid = await sandbox_pay(stack, held["payment"]["kaspi_payment_id"])
    assert paid["webhook_status"] == 200, paid
    await wait_status(stack, held["booking_id"], "confirmed")
    return held["booking_id"], phone


async def _block(stack, prop_id: int, *nights: date) -> None:
    async with stack.sessions() as session:
        for night in nights:
            session.add(
                CalendarNight(
                    property_id=prop_id, night=night, kind=CalendarBlockKind.OWNER, note="ремонт"
                )
            )
        await session.commit()


async def _agency_for(stack, name: str, *users: User) -> None:
    async with stack.sessions() as session:
        agency = Agency(name=name)
        session.add(agency)
        await session.flush()
        for user in users:
            await session.execute(
                update(User).where(col(User.id) == user.id).values(agency_id=agency.id)
            )
            user.agency_id = agency.id
        await session.commit()


async def report_for(stack, scope: Scope, period: Period) -> Report:
    async with stack.sessions() as session:
        return await build_report(session, scope, period)


@pytest.fixture(scope="module")
async def fixture(stack) -> Any:
    a, token_a = await make_owner(stack)
    b, _ = await make_owner(stack)
    agency = f"Агентство «Тест {secrets.token_hex(3)}»"
    await _agency_for(stack, agency, a, b)
    start, _ = await stay(stack, starts_in_days=3, nights=1)
    d = [start + timedelta(days=i) for i in range(11)]
    p1 = await make_property(stack, a, price_per_night=10_000, cleaning_fee=2_000)
    p2 = await make_property(stack, a, price_per_night=15_000, cleaning_fee=0)
    p3 = await make_property(
        stack,
        a,
        price_per_night=20_000,
        cleaning_fee=5_000,
        cancellation_policy=CancellationPolicy.NON_REFUNDABLE,
    )
    p4 = await make_property(stack, b, price_per_night=12_000, cleaning_fee=0)
    await _block(stack, id_of(p1), d[9])
    await _block(stack, id_of(p2), d[3], d[5])

    ids: dict[str, str] = {}
    phones: dict[str, str] = {}
    ids["b1"], phones["b1"] = await _paid(stack, p1.id, d[0], 3)
    held, phones["b2"] = await _hold(stack, p1.id, d[5], 2, method="manual")
    ids["b2"] = held["booking_id"]
    confirmed = await stack.http.post(
        f"/api/v1/bookings/{ids['b2']}/manual-payment",
        headers={"Authorization": f"Bearer {token_a}"},
    )
    assert confirmed.status_code == 200, confirmed.text
    ids["b6"], phones["b6"] = await _paid(stack, p1.id, d[10], 1)
    ids["b3"], phones["b3"] = await _paid(stack, p2.id, d[1], 2)
    ids["b5"], phones["b5"] = await _paid(stack, p2.id, d[8], 3)
    held, phones["b7"] = await _hold(stack, p2.id, d[4], 1, method="manual")
    ids["b7"] = held["booking_id"]
    ids["b8"], phones["b8"] = await _paid(stack, p2.id, d[6], 1, phone=phones["b1"])
    ids["b4"], phones["b4"] = await _paid(stack, p3.id, d[2], 1)
    ids["b9"], phones["b9"] = await _paid(stack, p4.id, d[3], 2)

    # The invoice of b7 runs out; nothing else is near its check-in yet.
    await stack.env.sleep(stack.settings.manual_payment_timeout + timedelta(minutes=5))
    await wait_status(stack, ids["b7"], "auto_cancelled", timeout=30)
    by_owner = await cancel(stack, ids["b3"], {"reason": "owner_unavailable"}, token_a)
    assert by_owner.status_code == 200, by_owner.text
    assert by_owner.json()["refund_amount"] == 30_000
    by_guest = await cancel(stack, ids["b4"], {"reason": "plans_changed"})
    assert by_guest.status_code == 200, by_guest.text
    assert by_guest.json()["refund_amount"] == 0

    yield Fixture(
        period=Period(d[0], d[9]),
        realtor_a=a,
        realtor_b=b,
        agency=agency,
        props={"P1": id_of(p1), "P2": id_of(p2), "P3": id_of(p3), "P4": id_of(p4)},
        titles={"P1": p1.title, "P2": p2.title, "P3": p3.title, "P4": p4.title},
        guests=phones,
        bookings=ids,
    )
    for booking_id in ids.values():  # confirmed stays would wake up in later tests
        with contextlib.suppress(RPCError):
            await stack.client.get_workflow_handle(f"booking-{booking_id}").terminate()


A_OVERVIEW = Figures(
    apartments=3,
    bookings=7,
    paid_bookings=6,
    cancellations=2,
    expired_holds=1,
    gross=169_000,
    refunds=30_000,
    booked_nights=8,
    available_nights=27,
)
B_FIGURES = Figures(
    apartments=1, bookings=1, paid_bookings=1, gross=24_000, booked_nights=2, available_nights=10
)


async def test_an_owners_overview_matches_the_hand_computed_figures(stack, fixture):
    report = await report_for(stack, Scope(fixture.realtor_a.id), fixture.period)

    assert report.overview == A_OVERVIEW
    assert report.overview.revenue == 139_000
    assert report.overview.cancellation_share == Decimal("28.6")
    assert report.overview.occupancy == Decimal("29.6")


async def test_apartments_are_ranked_by_revenue_with_their_own_figures(stack, fixture):
    report = await report_for(stack, Scope(fixture.realtor_a.id), fixture.period)
    p = fixture.props

    assert [(a.property_id, a.figures) for a in report.top_apartments] == [
        (
            p["P2"],
            Figures(
                1, 4, 3, 1, 1, gross=90_000, refunds=30_000, booked_nights=3, available_nights=8
            ),
        ),
        (p["P1"], Figures(1, 2, 2, 0, 0, gross=54_000, booked_nights=5, available_nights=9)),
        (p["P3"], Figures(1, 1, 1, 1, 0, gross=25_000, booked_nights=0, available_nights=10)),
    ]
    assert [a.figures.revenue for a in report.top_apartments] == [60_000, 54_000, 25_000]
    assert [a.figures.occupancy for a in report.top_apartments] == [
        Decimal("37.5"),
        Decimal("55.6"),
        Decimal("0.0"),
    ]


async def test_top_guests_show_a_first_name_and_a_masked_phone(stack, fixture):
    report = await report_for(stack, Scope(fixture.realtor_a.id), fixture.period)
    g = fixture.guests

    assert [(x.first_name, x.phone, x.bookings, x.revenue) for x in report.top_guests] == [
        ("Гость", mask_phone(g["b1"]), 2, 47_000),  # b1 + b8
        ("Гость", mask_phone(g["b5"]), 1, 45_000),
        ("Гость", mask_phone(g["b4"]), 1, 25_000),  # non-refundable: the money stays
        ("Гость", mask_phone(g["b2"]), 1, 22_000),
        ("Гость", mask_phone(g["b3"]), 1, 0),  # refunded in full
    ]
    assert all("*****" in x.phone and g["b1"] not in x.phone for x in report.top_guests)


async def test_cancellations_are_summed_up_by_reason(stack, fixture):
    report = await report_for(stack, Scope(fixture.realtor_a.id), fixture.period)

    assert [(r.reason, r.count, r.refunds) for r in report.reasons] == [
        ("owner_unavailable", 1, 30_000),
        ("payment_timeout", 1, 0),
        ("plans_changed", 1, 0),
    ]


async def test_an_owner_never_sees_another_owners_apartments(stack, fixture):
    report = await report_for(stack, Scope(fixture.realtor_a.id), fixture.period)
    other = await report_for(stack, Scope(fixture.realtor_b.id), fixture.period)

    assert fixture.props["P4"] not in {a.property_id for a in report.apartments}
    assert [r.owner_id for r in report.realtors] == [fixture.realtor_a.id]
    assert [(a.name, a.realtors) for a in report.agencies] == [(fixture.agency, 1)]
    assert other.overview == B_FIGURES
    assert other.top_guests[0].phone == mask_phone(fixture.guests["b9"])
    assert len(other.top_guests) == 1


async def test_staff_see_realtors_and_agencies_across_owners(stack, fixture):
    report = await report_for(stack, Scope(None), fixture.period)

    realtors = {r.owner_id: r for r in report.realtors}
    assert realtors[fixture.realtor_a.id].figures == A_OVERVIEW
    assert realtors[fixture.realtor_b.id].figures == B_FIGURES
    assert realtors[fixture.realtor_a.id].agency == fixture.agency
    agency = next(a for a in report.agencies if a.name == fixture.agency)
    assert (agency.realtors, agency.figures) == (2, A_OVERVIEW + B_FIGURES)
    assert agency.figures.revenue == 163_000
    # Realtors are ranked by revenue, so A comes before B wherever they stand.
    order = [r.owner_id for r in report.realtors]
    assert order.index(fixture.realtor_a.id) < order.index(fixture.realtor_b.id)


async def test_a_booking_counts_in_the_period_of_its_check_in_only(stack, fixture):
    later = Period(fixture.period.end + timedelta(days=1), fixture.period.end + timedelta(days=1))
    report = await report_for(stack, Scope(fixture.realtor_a.id), later)

    # b6 checks in on D+10; b5's third night (D+10) is booked, but b5 checked in before.
    assert (report.overview.bookings, report.overview.gross) == (1, 12_000)
    assert report.overview.booked_nights == 2
    assert report.overview.available_nights == 3


def _first_january_stay(today: date) -> date:
    """The first January night at least two days ahead: within the year guests may book."""
    soon = today + timedelta(days=2)
    return soon if soon.month == 1 else date(soon.year + 1, 1, 1)


async def test_bookings_made_today_count_today_whatever_their_stay(stack, fixture):
    today = today_local()
    report = await report_for(stack, Scope(fixture.realtor_a.id), Period(today, today))

    # Every fixture booking of A was made today; none of them checks in today.
    o = report.overview
    assert (o.bookings, o.gross, o.booked_nights) == (0, 0, 0)
    assert (o.new_bookings, o.new_paid_bookings) == (8, 7)  # b7 expired unpaid
    assert (o.new_gross, o.new_refunds, o.new_revenue) == (181_000, 30_000, 151_000)
    # The stays view of the fixture's period has them all, and nothing made in it.
    stays = await report_for(stack, Scope(fixture.realtor_a.id), fixture.period)
    assert (stays.overview.new_bookings, stays.overview.new_revenue) == (0, 0)


async def test_a_paid_january_stay_booked_today_shows_today_and_in_january(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner, price_per_night=30_000, cleaning_fee=4_000)
    today = today_local()
    january = _first_january_stay(today)
    booking_id, _ = await _paid(stack, id_of(prop), january, 2)
    try:
        week = await report_for(stack, Scope(owner.id), period_for(PeriodKey.LAST_7_DAYS, today))
        stays_of_january = await report_for(
            stack, Scope(owner.id), Period(january.replace(day=1), january.replace(day=31))
        )
    finally:
        with contextlib.suppress(RPCError):
            await stack.client.get_workflow_handle(f"booking-{booking_id}").terminate()

    # Booked in the period: visible the day it was paid, with its money.
    assert (week.overview.new_bookings, week.overview.new_paid_bookings) == (1, 1)
    assert week.overview.new_revenue == 64_000
    # Stays in the period: nothing checks in this week.
    assert (week.overview.bookings, week.overview.revenue, week.overview.booked_nights) == (
        0,
        0,
        0,
    )
    [apartment] = week.apartments
    assert (apartment.figures.new_bookings, apartment.figures.new_revenue) == (1, 64_000)
    assert week.realtors[0].figures.new_revenue == 64_000
    # January, by stays: the booking and its nights are there, made outside that month.
    j = stays_of_january.overview
    assert (j.bookings, j.revenue, j.booked_nights) == (1, 64_000, 2)
    assert j.new_bookings == (1 if today.month == 1 else 0)
    # The CSV carries both views.
    values = dict(_sections(_rows(render(week, Mode.GENERAL)))[0][1:])
    assert (values["new_bookings"], values["new_paid_bookings"]) == ("1", "1")
    assert (values["new_revenue"], values["revenue"]) == ("64000", "0")
    header, row = _rows(render(week, Mode.REALTORS))
    assert dict(zip(header, row, strict=True))["new_revenue"] == "64000"


def _rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def _sections(rows: list[list[str]]) -> list[list[list[str]]]:
    sections: list[list[list[str]]] = [[]]
    for row in rows:
        if row:
            sections[-1].append(row)
        else:
            sections.append([])
    return sections


def _pct(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


async def test_the_csv_holds_the_same_numbers_in_every_mode(stack, fixture):
    report = await report_for(stack, Scope(None), fixture.period)
    own = await report_for(stack, Scope(fixture.realtor_a.id), fixture.period)

    overview, apartments, guests, realtors, reasons = _sections(_rows(render(own, Mode.GENERAL)))
    values = dict(overview[1:])
    assert values["period_start"] == fixture.period.start.isoformat()
    assert (int(values["revenue"]), int(values["gross"]), int(values["refunds"])) == (
        139_000,
        169_000,
        30_000,
    )
    assert (int(values["bookings"]), int(values["paid_bookings"])) == (7, 6)
    assert (int(values["cancellations"]), _pct(values["cancellation_share"])) == (
        2,
        Decimal("28.6"),
    )
    assert values["occupancy"] == "29,6"  # decimal comma for Excel in ru/kk
    assert [(r[0], int(r[-1])) for r in apartments[1:]] == [
        (fixture.titles["P2"], 60_000),
        (fixture.titles["P1"], 54_000),
        (fixture.titles["P3"], 25_000),
    ]
    # "+7705*****19" would be read as a formula: it is written as text.
    assert [(r[1], int(r[2]), int(r[3])) for r in guests[1:]] == [
        ("'" + g.phone, g.bookings, g.revenue) for g in own.top_guests
    ]
    assert realtors[1:] == [[fixture.realtor_a.name, fixture.agency, "6", "139000"]]
    assert reasons[1:] == [
        ["reason_owner_unavailable", "1", "30000"],
        ["reason_payment_timeout", "1", "0"],
        ["reason_plans_changed", "1", "0"],
    ]

    header, *realtor_rows = _rows(render(report, Mode.REALTORS))
    # One row per realtor, even when two realtors share a name (other tests make such owners).
    assert len(realtor_rows) == len(report.realtors)
    by_realtor = {r[0]: r for r in realtor_rows}
    row_a = dict(zip(header, by_realtor[fixture.realtor_a.name], strict=True))
    assert row_a["agency"] == fixture.agency
    assert int(row_a["revenue"]) == 139_000
    assert (int(row_a["booked_nights"]), int(row_a["available_nights"])) == (8, 27)
    assert _pct(row_a["occupancy"]) == Decimal("29.6")

    agencies = _rows(render(report, Mode.AGENCIES))
    row_x = dict(zip(agencies[0], next(r for r in agencies if r[0] == fixture.agency), strict=True))
    assert (int(row_x["realtors"]), int(row_x["revenue"]), int(row_x["bookings"])) == (
        2,
        163_000,
        8,
    )
    assert _pct(row_x["cancellation_share"]) == Decimal("25.0")  # 2 of 8


@pytest.mark.parametrize(
    ("key", "today", "start", "end"),
    [
        (PeriodKey.LAST_7_DAYS, date(2026, 3, 3), date(2026, 2, 25), date(2026, 3, 3)),
        (PeriodKey.LAST_30_DAYS, date(2026, 3, 3), date(2026, 2, 2), date(2026, 3, 3)),
        (PeriodKey.THIS_MONTH, date(2028, 2, 10), date(2028, 2, 1), date(2028, 2, 29)),
        (PeriodKey.PREVIOUS_MONTH, date(2027, 1, 15), date(2026, 12, 1), date(2026, 12, 31)),
        (PeriodKey.THIS_YEAR, date(2026, 11, 28), date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_periods_the_owner_can_pick(key, today, start, end):
    assert period_for(key, today) == Period(start, end)


def test_roles_map_to_scopes():
    from services.scope import scope_of

    assert scope_of(User(id=1, role=Role.GUEST)) is None
    assert scope_of(User(id=2, role=Role.ADMIN)) == Scope(2)
    assert scope_of(User(id=3, role=Role.SUPER_ADMIN)) == Scope(None)
    assert scope_of(User(id=4, role=Role.SUPER_USER)) == Scope(None)
