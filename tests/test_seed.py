"""`make dev` demo data (devstack.seed): the catalogue and a year of its past, written once.

Against a fresh database of its own (the test stack's database holds other tests' rows):
seeding twice adds nothing the second time; the history is what the activities would have
left (paid stays with payments and nights, cancellations with refunds, expired holds,
reviews, past price changes), and the owner screens show it.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import sys
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel, col, select

import models  # noqa: F401  (registers every table for the row counts)
from core.clock import today_local
from core.crypto import CodeCipher
from core.db import SessionFactory, create_session_factory
from devstack.demo_catalogue import APARTMENTS, DEMO_USERS
from devstack.seed import SeedSummary, seed
from devstack.seed_history import _flats, _Generator, demo_guests, seed_history
from models import Booking, CalendarNight, Payment, PriceHistory, Property, Refund, Review, User
from models.base import utcnow
from models.enums import BookingStatus, CalendarBlockKind, PaymentStatus
from services.analytics import PeriodKey, build_report, period_for
from services.property_insights import nights_ahead, price_points
from services.scope import Scope
from tests.conftest import ROOT

TABLES = sorted(SQLModel.metadata.tables)
KEY = Fernet.generate_key().decode()
ALMATY = ZoneInfo("Asia/Almaty")


async def _migrated(url: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "alembic", "-x", f"url={url}", "upgrade", "head"),
        cwd=ROOT,
        env={**os.environ, "ENCRYPTION_KEY": KEY},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()
    assert process.returncode == 0, err.decode()


@pytest.fixture(scope="module")
async def fresh(database_url: str) -> AsyncIterator[SessionFactory]:
    """A new database on the test server, migrated to head; dropped afterwards."""
    server = database_url.rsplit("/", 1)[0]
    admin = create_async_engine(
        server + "/postgres", isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    name = "zg_seed_" + secrets.token_hex(4)
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_async_engine(f"{server}/{name}", poolclass=NullPool)
    try:
        await _migrated(f"{server}/{name}")
        yield create_session_factory(engine)
    finally:
        await engine.dispose()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def _counts(sessions: SessionFactory) -> dict[str, int]:
    async with sessions() as session:
        return {
            t: int((await session.execute(text(f'SELECT count(*) FROM "{t}"'))).scalar_one())  # noqa: S608 (table names from the metadata)
            for t in TABLES
        }


@pytest.fixture(scope="module")
async def seeded(fresh: SessionFactory) -> tuple[SeedSummary, SeedSummary, dict[str, int]]:
    cipher = CodeCipher([KEY])
    first = await seed(fresh, cipher)
    counts = await _counts(fresh)
    second = await seed(fresh, cipher, known_tokens=first.tokens)
    return first, second, counts


async def test_seeding_twice_adds_nothing_the_second_time(fresh, seeded):
    first, second, after_first = seeded

    assert first.created and not second.created
    assert first.history_bookings > 0 and second.history_bookings == 0
    assert await _counts(fresh) == after_first
    assert second.tokens == first.tokens
    assert after_first["property"] == len(APARTMENTS)
    assert after_first["app_user"] == len(DEMO_USERS) + len(demo_guests())
    assert after_first["booking"] == first.history_bookings


async def test_the_history_is_what_the_activities_would_have_left(fresh, seeded):
    today = today_local()
    async with fresh() as session:
        bookings = (await session.scalars(select(Booking))).all()
        payments = {p.booking_id: p for p in (await session.scalars(select(Payment))).all()}
        refunds = {r.booking_id: r for r in (await session.scalars(select(Refund))).all()}
        nights = (await session.scalars(select(CalendarNight))).all()
        reviews = (await session.scalars(select(Review))).all()
        prices = (await session.scalars(select(PriceHistory))).all()
        props = {p.id: p for p in (await session.scalars(select(Property))).all()}

    by_status = {s: [b for b in bookings if b.status == s] for s in BookingStatus}
    assert len(by_status[BookingStatus.COMPLETED]) > 300
    assert by_status[BookingStatus.CANCELLED] and by_status[BookingStatus.AUTO_CANCELLED]
    assert not by_status[BookingStatus.CONFIRMED] and not by_status[BookingStatus.PENDING_PAYMENT]
    # A year back, every stay over: no workflow is needed for any of them.
    assert min(b.check_in for b in bookings) >= today - timedelta(days=366)
    assert max(b.check_out for b in bookings) < today
    assert all(b.created_at <= utcnow() for b in bookings)
    booked_nights: dict[str, int] = {}
    for n in nights:
        if n.booking_id:
            booked_nights[n.booking_id] = booked_nights.get(n.booking_id, 0) + 1
    for b in bookings:
        prop = props[b.property_id]
        assert b.total == b.nights * b.price_per_night + b.cleaning_fee
        assert b.nights == (b.check_out - b.check_in).days
        assert b.contact_phone  # the number the guest gave (Telegram guests: not verified)
        assert b.cancelled_at is None or b.created_at < b.cancelled_at
        arrival = datetime.combine(b.check_in, prop.check_in_time, ALMATY)
        assert b.confirmed_at is None or b.created_at < b.confirmed_at < arrival
        if b.status == BookingStatus.CANCELLED:
            assert b.cancelled_at is not None and b.cancelled_at < arrival
        if b.status == BookingStatus.COMPLETED:
            assert payments[b.id].amount == b.total
            assert b.confirmed_at and b.completed_at and b.codes_sent_at
            assert booked_nights[b.id] == b.nights
        elif b.status == BookingStatus.CANCELLED:
            assert b.id not in booked_nights  # the nights were freed
            assert b.refund_amount is not None and 0 <= b.refund_amount <= b.total
            if b.refund_amount:
                assert refunds[b.id].amount == b.refund_amount
                assert payments[b.id].status in (
                    PaymentStatus.REFUNDED,
                    PaymentStatus.PARTIALLY_REFUNDED,
                )
            else:
                assert b.id not in refunds
        else:
            assert b.id not in payments and b.id not in booked_nights
            assert (b.cancel_reason, b.refund_amount) == ("payment_timeout", 0)
        assert b.cancellation_policy == prop.cancellation_policy
    assert {r.booking_id for r in reviews} <= {b.id for b in by_status[BookingStatus.COMPLETED]}
    assert len(reviews) > 100 and any(r.owner_reply for r in reviews)
    assert all(r.created_at < utcnow() for r in reviews)
    # Nothing is left for a guest to review: that would need the booking's workflow.
    reviewed = {r.booking_id for r in reviews}
    recent = [
        b
        for b in by_status[BookingStatus.COMPLETED]
        if b.completed_at and b.completed_at > utcnow() - timedelta(days=8)
    ]
    assert recent and all(b.id in reviewed for b in recent)
    # Price changes in the past, ending at today's price; the trigger's stamp follows them.
    for pid, prop in props.items():
        chain = sorted((p for p in prices if p.property_id == pid), key=lambda p: p.changed_at)
        assert chain[0].old_price is None and chain[-1].new_price == prop.price_per_night
        assert all(a.new_price == b.old_price for a, b in itertools.pairwise(chain))
        assert chain[-1].changed_at < utcnow() - timedelta(days=20)
        assert prop.price_updated_at == chain[-1].changed_at
    assert sum(len([p for p in prices if p.property_id == pid]) > 2 for pid in props) > 20
    ahead = [n for n in nights if n.night >= today]
    assert ahead and all(n.kind == CalendarBlockKind.OWNER for n in ahead)


async def test_owner_screens_show_the_past_at_first_look(fresh, seeded):
    first, *_ = seeded
    owner = Scope(first.users["owner"])
    today = today_local()
    async with fresh() as session:
        year = await build_report(session, owner, period_for(PeriodKey.LAST_30_DAYS, today))
        everything = await build_report(
            session, Scope(None), period_for(PeriodKey.THIS_YEAR, today)
        )
        pid = first.property_ids[0]
        prop = await session.get(Property, pid)
        assert prop is not None
        chart = await price_points(session, pid)
        heat = [
            await nights_ahead(session, p, today)
            for p in (await session.scalars(select(Property))).all()
        ]

    o = year.overview
    assert o.bookings > 10 and o.paid_bookings > 0 and o.booked_nights > 0
    assert o.revenue > 0 and 0 < o.occupancy < 100
    assert o.new_bookings > 0 and o.new_revenue > 0
    assert everything.top_guests and everything.reasons and everything.top_realtors
    assert len(chart) >= 3 and chart[0].changed_at < chart[-1].changed_at
    assert any(cell.state == "owner" for cells in heat for cell in cells)


async def test_the_history_is_the_same_for_the_same_day(fresh, seeded):
    first, *_ = seeded
    async with fresh() as session:
        flats = await _flats(session, first.property_ids)
    today, now = today_local(), utcnow()

    def generated() -> list[tuple[object, ...]]:
        generator = _Generator(today, now, list(range(1, len(demo_guests()) + 1)))
        for flat in flats:
            generator.flat(flat, set())
        rows = generator.history.bookings
        return [(b["id"], b["property_id"], b["check_in"], b["status"], b["total"]) for b in rows]

    assert generated() == generated()
    async with fresh() as session:  # and the marker stops a second history
        assert await seed_history(session, first.property_ids, today=today, now=now) is None
        guests = await session.scalar(select(func.count()).where(col(User.telegram_id) >= 710_001))
    assert guests == len([g for g in demo_guests() if g.telegram_id])
