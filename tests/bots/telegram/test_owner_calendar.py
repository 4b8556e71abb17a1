"""An owner closes nights for guests and opens them again; bookings are never overwritten."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import col, select
from temporalio.service import RPCError

from models import CalendarNight
from tests.bots.telegram.owner import district, open_card, owner_chat
from tests.support.factories import ALMATY, booking_body, id_of, make_property, stay


@pytest.fixture
async def bookings_to_end(stack):
    """Booking workflows a test starts and leaves waiting: terminated after it."""
    started: list[str] = []
    yield started
    for booking_id in started:
        with contextlib.suppress(RPCError):  # already finished
            handle = stack.client.get_workflow_handle(f"booking-{booking_id}")
            await handle.terminate(reason="test finished")


WEEKDAYS = ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]


def label(day: date) -> str:
    return f"{day:%d.%m} {WEEKDAYS[day.weekday()]}"


async def calendar_rows(stack, property_id: int | None) -> list[tuple[date, str, str | None]]:
    async with stack.sessions() as session:
        rows = await session.execute(
            select(col(CalendarNight.night), col(CalendarNight.kind), col(CalendarNight.booking_id))
            .where(col(CalendarNight.property_id) == property_id)
            .order_by(col(CalendarNight.night))
        )
        return [(night, kind, booking) for night, kind, booking in rows.all()]


async def offered(stack, where: str, check_in: date, nights: int) -> list[int]:
    response = await stack.http.get(
        "/api/v1/properties",
        params={
            "city": "Almaty",
            "district": where,
            "check_in": check_in.isoformat(),
            "check_out": (check_in + timedelta(days=nights)).isoformat(),
        },
    )
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_owner_blocks_nights_and_unblocks_them(stack):
    owner, chat = await owner_chat(stack)
    where = district()
    prop = await make_property(stack, owner, district=where)
    today = datetime.now(ALMATY).date()
    first = today + timedelta(days=4)
    assert await offered(stack, where, first, 3) == [prop.id]  # and now cached
    await open_card(chat, prop)

    replies = await chat.send("🚫 Закрыть даты")
    days = replies[-1].buttons
    assert days[0] == label(today) and label(today + timedelta(days=29)) in days
    assert "◀️ Назад" in days
    replies = await chat.send("32.13")
    assert "Не понял дату" in replies[-1].text
    replies = await chat.send(label(first))
    assert f"Сколько ночей, начиная с {label(first)}" in replies[-1].text
    for bad in ("ноль", "0", "31"):
        replies = await chat.send(bad)
        assert "Нужно число ночей от 1 до 30" in replies[-1].text, bad
    replies = await chat.send("3")

    assert "Закрыто ночей: 3" in replies[-1].text
    nights = [first + timedelta(days=i) for i in range(3)]
    assert await calendar_rows(stack, prop.id) == [(n, "owner", None) for n in nights]
    assert await offered(stack, where, first, 3) == []
    assert await offered(stack, where, first + timedelta(days=2), 2) == []
    assert await offered(stack, where, first + timedelta(days=3), 2) == [prop.id]
    card = await chat.send(f"/prop_{prop.id}")
    assert "Закрытых вами ночей: 3" in card[-1].text

    replies = await chat.send("🚫 Закрыть даты")
    assert label(first) not in replies[-1].buttons  # taken nights are not offered again
    await chat.send("◀️ Назад")
    replies = await chat.send("✅ Открыть даты")
    assert [b for b in replies[-1].buttons if b[0].isdigit()] == [label(n) for n in nights]
    await chat.send(label(first + timedelta(days=1)))
    replies = await chat.send("5")

    assert "Открыто ночей: 2" in replies[-1].text
    assert "И так были свободны" in replies[-1].text
    assert await calendar_rows(stack, prop.id) == [(first, "owner", None)]
    assert await offered(stack, where, first + timedelta(days=1), 2) == [prop.id]
    assert await offered(stack, where, first, 1) == []


async def test_bookings_are_reported_not_overwritten(stack, bookings_to_end):
    owner, chat = await owner_chat(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=6, nights=2)
    answer = await stack.partner.post(
        "/api/v1/bookings", json=booking_body(id_of(prop), check_in, check_out)
    )
    assert answer.status_code == 201, answer.text
    booking_id = answer.json()["booking_id"]
    bookings_to_end.append(booking_id)
    booked = [
        (check_in, "booking", booking_id),
        (check_in + timedelta(days=1), "booking", booking_id),
    ]
    await open_card(chat, prop)

    await chat.send("🚫 Закрыть даты")
    before = check_in - timedelta(days=1)
    await chat.send(f"{before:%d.%m.%Y}")  # typed dates work beyond the offered buttons
    replies = await chat.send("4")

    assert "Закрыто ночей: 2" in replies[-1].text
    last_booked = check_out - timedelta(days=1)
    conflict = f"Заняты бронированиями — не тронуты: {check_in:%d.%m}–{last_booked:%d.%m}"
    assert conflict in replies[-1].text
    rows = await calendar_rows(stack, prop.id)
    assert rows == [
        (before, "owner", None),
        *booked,
        (check_out, "owner", None),
    ]

    await chat.send("✅ Открыть даты")
    await chat.send(f"{before:%d.%m}")
    replies = await chat.send("4")

    assert "Открыто ночей: 2" in replies[-1].text
    assert "Заняты бронированиями — не тронуты" in replies[-1].text
    assert await calendar_rows(stack, prop.id) == booked
    replies = await chat.send("✅ Открыть даты")
    assert "не закрывали ни одной" in replies[-1].text
    assert "✅ Открыть даты" in replies[-1].buttons
