"""Owners and staff read their statistics in the bot and export them as CSV.

Live bookings check in today (so "7 дней" holds them): realtor A has
- P1 (20 000 ₸/night + 5 000 cleaning): a1, 2 nights, paid with Kaspi: 45 000;
- P2: a2, 1 night, paid by invoice, confirmed by A: 25 000;
- P3: a3, 1 night, invoice not paid yet (a booking, not paid).
Last 7 days: 3 bookings, 2 paid, revenue 70 000; nights booked inside the period: one
each for a1 and a2 (today), of 7 × 3 = 21 → 9,5 %.
Last month (rows of past stays, which the API cannot create any more): h1 on P1, 2 nights,
completed, 45 000; h2 on P2 cancelled by the guest, 25 000 refunded; h3 on P3 expired
unpaid. → 3 bookings, 2 paid, 1 cancellation (33,3 %), 1 expired, revenue 45 000.
Realtor B (another owner) has one paid booking today that A must never see.
"""

from __future__ import annotations

import calendar
import contextlib
import csv
import io
import itertools
import secrets
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col
from temporalio.service import RPCError

from bots.texts import t
from core.clock import today_local
from models import Agency, Booking, CalendarNight, User
from models.enums import (
    BookingStatus,
    CalendarBlockKind,
    CancellationPolicy,
    CancelledBy,
    Channel,
    PaymentMethod,
    Role,
)
from services.booking_ids import new_booking_id
from services.people import mask_phone
from tests.bots.telegram.chat import TelegramChat, texts
from tests.support.factories import (
    booking_body,
    booking_row,
    eventually,
    id_of,
    make_owner,
    make_property,
)
from tests.support.payments import sandbox_pay

_ids = itertools.count(54_000_000 + secrets.randbelow(50_000) * 100)
STATS = "📊 Статистика"
PERIODS = ["7 дней", "30 дней", "Этот месяц", "Прошлый месяц", "Этот год"]
EXPORT = "📥 Экспорт в CSV"


def label(key: str) -> str:
    return t("csv_" + key, "ru")


async def owner_chat(stack, role: Role = Role.ADMIN) -> tuple[User, str, TelegramChat]:
    tg_id = next(_ids)
    owner, token = await make_owner(stack, role=role, telegram_id=tg_id)
    return owner, token, TelegramChat(stack, user_id=tg_id, first_name="Ержан")


async def _settled(stack, booking_id: str) -> None:
    """Paid: confirmed, or already completed when the shared clock is past the stay."""
    await eventually(
        lambda: booking_row(stack, booking_id),
        until=lambda b: b is not None and b.status in ("confirmed", "completed"),
    )


_GUEST_SUFFIX = itertools.count()


async def _book_today(stack, prop_id: int, nights: int, *, method: str) -> dict[str, Any]:
    check_in = today_local()
    body = booking_body(
        prop_id,
        check_in,
        check_in + timedelta(days=nights),
        method=method,
        # The masked form shows the last two digits: a counter keeps them distinct per fixture.
        phone=f"+7707{secrets.randbelow(10**5):05d}{next(_GUEST_SUFFIX) % 100:02d}",
    )
    response = await stack.partner.post("/api/v1/bookings", json=body)
    assert response.status_code == 201, response.text
    return {**response.json(), "phone": body["guest"]["phone"]}


async def _paid_today(stack, prop_id: int, nights: int) -> dict[str, Any]:
    held = await _book_today(stack, prop_id, nights, method="kaspi")
    paid = await sandbox_pay(stack, held["payment"]["kaspi_payment_id"])
    assert paid["webhook_status"] == 200, paid
    await _settled(stack, held["booking_id"])
    return held


async def _past_stay(
    stack, prop, check_in: date, nights: int, status: BookingStatus, *, paid: bool, **extra: Any
) -> User:
    """A stay of last month as the workflows left it (booking row and its nights)."""
    total = nights * prop.price_per_night + prop.cleaning_fee
    at = datetime.combine(check_in, datetime.min.time(), UTC) - timedelta(days=3)
    async with stack.sessions() as session:
        guest = User(name="Данияр Ахметов", phone=f"+7701{secrets.randbelow(10**7):07d}")
        session.add(guest)
        await session.flush()
        assert guest.id is not None
        booking = Booking(
            id=new_booking_id(),
            property_id=prop.id,
            guest_id=guest.id,
            check_in=check_in,
            check_out=check_in + timedelta(days=nights),
            nights=nights,
            price_per_night=prop.price_per_night,
            cleaning_fee=prop.cleaning_fee,
            total=total,
            status=status,
            channel=Channel.TELEGRAM,
            payment_method=PaymentMethod.KASPI,
            cancellation_policy=CancellationPolicy.FLEXIBLE,
            created_at=at,
            confirmed_at=at if paid else None,
            **extra,
        )
        session.add(booking)
        await session.flush()
        if status == BookingStatus.COMPLETED:
            for n in range(nights):
                session.add(
                    CalendarNight(
                        property_id=prop.id,
                        night=check_in + timedelta(days=n),
                        kind=CalendarBlockKind.BOOKING,
                        booking_id=booking.id,
                    )
                )
        await session.commit()
        return guest


def last_month(today: date) -> tuple[date, int]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), calendar.monthrange(end.year, end.month)[1]


@pytest.fixture
async def realtors(stack) -> Any:
    a, token, chat = await owner_chat(stack)
    b, _, _ = await owner_chat(stack)
    agency = f"Агентство «Юг {secrets.token_hex(3)}»"
    async with stack.sessions() as session:
        row = Agency(name=agency)
        session.add(row)
        await session.flush()
        await session.execute(update(User).where(col(User.id) == a.id).values(agency_id=row.id))
        await session.commit()
    p1, p2, p3 = [await make_property(stack, a) for _ in range(3)]
    pb = await make_property(stack, b)
    a1 = await _paid_today(stack, id_of(p1), 2)
    a2 = await _book_today(stack, id_of(p2), 1, method="manual")
    confirmed = await stack.http.post(
        f"/api/v1/bookings/{a2['booking_id']}/manual-payment",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert confirmed.status_code == 200, confirmed.text
    a3 = await _book_today(stack, id_of(p3), 1, method="manual")
    bb = await _paid_today(stack, id_of(pb), 1)
    start, _ = last_month(today_local())
    h1 = await _past_stay(stack, p1, start, 2, BookingStatus.COMPLETED, paid=True)
    await _past_stay(
        stack,
        p2,
        start + timedelta(days=1),
        1,
        BookingStatus.CANCELLED,
        paid=True,
        cancelled_by=CancelledBy.GUEST,
        cancel_reason="plans_changed",
        refund_amount=25_000,
    )
    await _past_stay(
        stack,
        p3,
        start + timedelta(days=2),
        1,
        BookingStatus.AUTO_CANCELLED,
        paid=False,
        cancelled_by=CancelledBy.SYSTEM,
        cancel_reason="payment_timeout",
        refund_amount=0,
    )
    await eventually(  # the workflow's messages to A arrive before A opens the statistics
        lambda: _owner_texts(stack, chat),
        until=lambda sent: sum("Новая оплаченная бронь" in x for x in sent) == 2,
    )
    chat.new_replies()
    yield {
        "a": a,
        "b": b,
        "chat": chat,
        "agency": agency,
        "titles": [p1.title, p2.title, p3.title],
        "b_title": pb.title,
        "phones": {"a1": a1["phone"], "a2": a2["phone"], "a3": a3["phone"], "b": bb["phone"]},
        "h1_phone": h1.phone,
    }
    for held in (a1, a2, a3, bb):  # live stays would wake up when later tests move the clock
        with contextlib.suppress(RPCError):
            await stack.client.get_workflow_handle(f"booking-{held['booking_id']}").terminate()


async def _owner_texts(stack, chat: TelegramChat) -> list[str]:
    sent: list[str] = stack.telegram.texts(chat.user_id)
    return sent


def exported(stack, chat: TelegramChat) -> tuple[str, list[list[str]]]:
    """The last CSV the bot sent to this chat: its file name and rows."""
    documents = [
        c
        for c in stack.telegram.calls
        if c.method == "sendDocument" and str(c.params.get("chat_id")) == str(chat.user_id)
    ]
    assert documents, "no document was sent"
    name, data = documents[-1].uploads["document"]
    assert data.startswith("\ufeff".encode()), "Excel needs the BOM to read Cyrillic"
    return name, list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def sections(rows: list[list[str]]) -> list[list[list[str]]]:
    found: list[list[list[str]]] = [[]]
    for row in rows:
        if row:
            found[-1].append(row)
        else:
            found.append([])
    return found


def share(part: int, whole: int) -> str:
    value = (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return str(value).replace(".", ",")


async def test_an_owner_reads_their_figures_in_every_view_and_exports_them(stack, realtors):
    chat: TelegramChat = realtors["chat"]
    p1, p2, p3 = realtors["titles"]
    phones = realtors["phones"]

    menu = await chat.send("/start")
    assert STATS in menu[-1].buttons
    picker = await chat.send(STATS)
    assert picker[-1].buttons[:5] == PERIODS
    confused = await chat.send("завтра")
    assert "Не понял период" in confused[-1].text
    assert confused[-1].buttons[:5] == PERIODS  # still choosing a period

    general = (await chat.send("7 дней"))[-1]

    today = today_local()
    assert f"{today - timedelta(days=6):%d.%m.%Y} — {today:%d.%m.%Y}" in general.text
    assert "💰 Выручка: 70 000 ₸ (оплачено 70 000 ₸, возвраты 0 ₸)" in general.text
    assert "📑 Бронирований: 3, оплачено: 2" in general.text
    assert "❌ Отмен: 0 (0,0 %), не оплачено вовремя: 0" in general.text
    assert "🛏 Загрузка: 9,5 % (2 из 21 ночей)" in general.text
    # Made today too: the same three bookings are the period's new ones.
    assert "🆕 Забронировано в периоде (по дате брони):" in general.text
    assert "📑 Новых броней: 3, оплачено: 2" in general.text
    assert "💰 Их выручка: 70 000 ₸ (оплачено 70 000 ₸, возвраты 0 ₸)" in general.text
    assert f"1. «{p1}» — 45 000 ₸" in general.text
    assert f"2. «{p2}» — 25 000 ₸" in general.text
    assert f"«{p3}»" not in general.text  # nothing paid there: no place in the top
    assert f"1. Гость, {mask_phone(phones['a1'])} — оплачено броней: 1, 45 000 ₸" in general.text
    assert phones["a1"] not in general.text
    assert f"1. {realtors['a'].name} ({realtors['agency']}) — 70 000 ₸" in general.text
    assert realtors["b_title"] not in general.text
    assert realtors["b"].name not in general.text
    assert mask_phone(phones["b"]) not in general.text
    assert {"📈 Общая", "🧑‍💼 Риелторы", "🏢 Агентства", EXPORT} <= set(general.buttons)

    lost = await chat.send("покажи ещё")
    assert "Выберите режим" in lost[-1].text
    await chat.send(EXPORT)
    name, rows = exported(stack, chat)
    assert name == f"zhilyego_general_{today - timedelta(days=6)}_{today}.csv"
    overview, apartments, guests, top_realtors, reasons = sections(rows)
    values = dict(overview[1:])
    assert values[label("revenue")] == "70000"
    assert (values[label("bookings")], values[label("paid_bookings")]) == ("3", "2")
    assert (values[label("cancellations")], values[label("cancellation_share")]) == ("0", "0,0")
    assert (values[label("booked_nights")], values[label("available_nights")]) == ("2", "21")
    assert values[label("occupancy")] == "9,5"
    assert (values[label("new_bookings")], values[label("new_revenue")]) == ("3", "70000")
    assert [(r[0], r[-1]) for r in apartments[1:]] == [(p1, "45000"), (p2, "25000")]
    # A masked "+7…" reads as a formula: it is written as text.
    assert [r[1] for r in guests[1:]] == ["'" + mask_phone(phones[g]) for g in ("a1", "a2")]
    assert top_realtors[1:] == [[realtors["a"].name, realtors["agency"], "2", "70000"]]
    assert reasons[1:] == []

    by_realtor = (await chat.send("🧑‍💼 Риелторы"))[-1]
    assert f"1. {realtors['a'].name} ({realtors['agency']}) — выручка 70 000 ₸" in by_realtor.text
    assert "броней 3, оплачено 2" in by_realtor.text
    assert "\n2." not in by_realtor.text  # A alone: no other owner is in A's statistics
    await chat.send(EXPORT)
    _, rows = exported(stack, chat)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row[label("realtor")], row[label("agency")]) == (realtors["a"].name, realtors["agency"])
    assert (row[label("revenue")], row[label("bookings")], row[label("occupancy")]) == (
        "70000",
        "3",
        "9,5",
    )

    by_agency = (await chat.send("🏢 Агентства"))[-1]
    assert f"1. {realtors['agency']} — выручка 70 000 ₸; риелторов 1, квартир 3" in by_agency.text
    await chat.send(EXPORT)
    _, rows = exported(stack, chat)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row[label("agency")], row[label("realtors")], row[label("revenue")]) == (
        realtors["agency"],
        "1",
        "70000",
    )
    assert row[label("available_nights")] == "21"


async def test_last_month_shows_cancellations_refunds_and_reasons(stack, realtors):
    chat: TelegramChat = realtors["chat"]
    start, days = last_month(today_local())
    await chat.send(STATS)
    await chat.send("7 дней")
    again = await chat.send("📅 Другой период")
    assert again[-1].buttons[:5] == PERIODS

    general = (await chat.send("Прошлый месяц"))[-1]

    assert f"{start:%d.%m.%Y} — {start.replace(day=days):%d.%m.%Y}" in general.text
    assert "💰 Выручка: 45 000 ₸ (оплачено 70 000 ₸, возвраты 25 000 ₸)" in general.text
    assert "❌ Отмен: 1 (33,3 %), не оплачено вовремя: 1" in general.text
    assert f"🛏 Загрузка: {share(2, 3 * days)} % (2 из {3 * days} ночей)" in general.text
    assert "📑 Новых броней: 0, оплачено: 0" in general.text  # all made the month before
    assert "• Не оплачено вовремя: 1, возвраты 0 ₸" in general.text
    assert "• Изменились планы: 1, возвраты 25 000 ₸" in general.text
    assert (
        f"1. Данияр, {mask_phone(realtors['h1_phone'])} — оплачено броней: 1, 45 000 ₸"
        in general.text
    )
    assert "Ахметов" not in general.text  # first names only
    await chat.send(EXPORT)
    _, rows = exported(stack, chat)
    overview, *_, reasons = sections(rows)
    values = dict(overview[1:])
    assert (values[label("revenue")], values[label("gross")], values[label("refunds")]) == (
        "45000",
        "70000",
        "25000",
    )
    assert values[label("cancellation_share")] == "33,3"
    assert values[label("occupancy")] == share(2, 3 * days)
    assert reasons[1:] == [["Не оплачено вовремя", "1", "0"], ["Изменились планы", "1", "25000"]]


async def test_staff_see_every_realtor_with_the_same_numbers(stack, realtors):
    _, _, chat = await owner_chat(stack, Role.SUPER_USER)

    await chat.send(STATS)
    await chat.send("7 дней")
    await chat.send("🧑‍💼 Риелторы")
    await chat.send(EXPORT)

    _, rows = exported(stack, chat)
    by_name = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    a, b = by_name[realtors["a"].name], by_name[realtors["b"].name]
    assert (a[label("revenue")], a[label("bookings")], a[label("agency")]) == (
        "70000",
        "3",
        realtors["agency"],
    )
    assert (b[label("revenue")], b[label("bookings")]) == ("25000", "1")
    assert b[label("agency")] == t("stats_no_agency", "ru")


async def test_a_guest_never_reaches_the_statistics(stack, realtors):
    guest = TelegramChat(stack, user_id=next(_ids), first_name="Айгерим")

    menu = await guest.send("/start")
    assert STATS not in menu[-1].buttons
    denied = await guest.send(STATS)
    assert "только владельцам" in denied[-1].text
    assert STATS not in denied[-1].buttons
    for text in ("7 дней", "🧑‍💼 Риелторы", EXPORT):
        replies = await guest.send(text)
        assert "Выручка" not in texts(replies)
        assert realtors["a"].name not in texts(replies)
    assert not [
        c
        for c in stack.telegram.calls
        if c.method == "sendDocument" and str(c.params.get("chat_id")) == str(guest.user_id)
    ]


async def test_a_january_stay_paid_today_shows_in_todays_statistics(stack):
    """Booked in the period (by booking date) beside stays in the period (by night): the
    owner sees today's sale today, though its nights are in January."""
    owner, _, chat = await owner_chat(stack)
    prop = await make_property(stack, owner, price_per_night=30_000, cleaning_fee=4_000)
    today = today_local()
    soon = today + timedelta(days=2)
    january = soon if soon.month == 1 else date(soon.year + 1, 1, 1)
    body = booking_body(id_of(prop), january, january + timedelta(days=2))
    held = await stack.partner.post("/api/v1/bookings", json=body)
    assert held.status_code == 201, held.text
    booking_id = held.json()["booking_id"]
    try:
        paid = await sandbox_pay(stack, held.json()["payment"]["kaspi_payment_id"])
        assert paid["webhook_status"] == 200, paid
        await _settled(stack, booking_id)
        await chat.send(STATS)
        general = (await chat.send("7 дней"))[-1]
        await chat.send(EXPORT)
        _, rows = exported(stack, chat)
    finally:
        with contextlib.suppress(RPCError):
            await stack.client.get_workflow_handle(f"booking-{booking_id}").terminate()

    assert "📑 Бронирований: 0, оплачено: 0" in general.text  # no stay this week
    assert "📑 Новых броней: 1, оплачено: 1" in general.text
    assert "💰 Их выручка: 64 000 ₸ (оплачено 64 000 ₸, возвраты 0 ₸)" in general.text
    values = dict(sections(rows)[0][1:])
    assert (values[label("new_bookings")], values[label("new_paid_bookings")]) == ("1", "1")
    assert (values[label("new_revenue")], values[label("revenue")]) == ("64000", "0")
