"""Owners act on bookings in the bot: confirm an invoice payment, cancel a guest's stay.

The workflow does the work (payment row, refund, messages); the bot only signals it.
Nobody reaches a booking of an apartment that is not theirs; guests reach nothing.
"""

from __future__ import annotations

import contextlib
import itertools
import secrets
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select
from temporalio.service import RPCError

from models import Booking, CalendarNight, Property, User
from models.base import utcnow
from models.enums import (
    ACTIVE_BOOKING_STATUSES,
    BookingStatus,
    CalendarBlockKind,
    CancellationPolicy,
    Channel,
    PaymentMethod,
    Role,
)
from services.booking_ids import new_booking_id
from services.people import mask_phone
from tests.bots.telegram.chat import Reply, TelegramChat, texts
from tests.bots.telegram.owner import open_card
from tests.support.factories import (
    booking_body,
    eventually,
    id_of,
    make_owner,
    make_property,
    saved_booking,
    stay,
    wait_status,
)
from tests.support.lifecycle import book_and_pay, refunds_of, sandbox_refunds, tenge
from tests.support.payments import messages_to, payments_of, workflow_state

# Random base: FSM states live in a Redis that outlives a test session.
_ids = itertools.count(52_000_000 + secrets.randbelow(50_000) * 100)
BOOKINGS = "📑 Брони"
PENDING = "📥 Ожидают оплаты по счёту"
UPCOMING = "📅 Предстоящие брони"
CONFIRM = "✅ Подтвердить оплату"
CANCEL = "❌ Отменить бронь гостя"
YES = "✅ Да, отменить бронь"


async def _live_bookings(stack) -> set[str]:
    async with stack.sessions() as session:
        rows = await session.scalars(
            select(col(Booking.id)).where(
                col(Booking.status).in_([s.value for s in ACTIVE_BOOKING_STATUSES])
            )
        )
        return set(rows.all())


@pytest.fixture(autouse=True)
async def end_workflows_left_waiting(stack) -> AsyncIterator[None]:
    """A hold left waiting would wake up (auto-cancel, codes) when a later test moves the
    shared clock: the workflows of bookings still live after the test are terminated."""
    before = await _live_bookings(stack)
    yield
    for booking_id in sorted(await _live_bookings(stack) - before):
        with contextlib.suppress(RPCError):
            await stack.client.get_workflow_handle(f"booking-{booking_id}").terminate()


async def owner_chat(stack, role: Role = Role.ADMIN) -> tuple[User, str, TelegramChat]:
    tg_id = next(_ids)
    owner, token = await make_owner(stack, role=role, telegram_id=tg_id)
    return owner, token, TelegramChat(stack, user_id=tg_id, first_name="Ержан")


async def invoice_booking(stack, prop, *, starts_in_days: int) -> dict[str, Any]:
    """A guest holds the dates through the API and chooses to pay by invoice."""
    check_in, check_out = await stay(stack, starts_in_days=starts_in_days, nights=2)
    body = booking_body(prop.id, check_in, check_out, method="manual", telegram_id=next(_ids))
    response = await stack.partner.post("/api/v1/bookings", json=body)
    assert response.status_code == 201, response.text
    return {**response.json(), "guest": body["guest"], "check_in": check_in}


def button_for(replies: list[Reply], booking_id: str) -> str:
    found = [b for b in replies[-1].buttons if booking_id in b]
    assert found, f"{booking_id} is not offered: {replies[-1].buttons}"
    return found[0]


async def test_owner_confirms_an_invoice_payment_in_the_bot(stack):
    owner, _, chat = await owner_chat(stack)
    other, _, _ = await owner_chat(stack)
    prop = await make_property(stack, owner)
    held = await invoice_booking(stack, prop, starts_in_days=5)
    theirs = await invoice_booking(stack, await make_property(stack, other), starts_in_days=5)
    booking_id = held["booking_id"]

    menu = await chat.send("/start")
    assert BOOKINGS in menu[-1].buttons
    replies = await chat.send(BOOKINGS)
    assert replies[-1].buttons[:2] == [PENDING, UPCOMING]
    listing = await chat.send(PENDING)
    assert booking_id in listing[-1].text
    assert theirs["booking_id"] not in texts(listing) + "".join(listing[-1].buttons)

    card = await chat.send(button_for(listing, booking_id))
    assert f"Бронь {booking_id}" in card[-1].text
    assert "ожидает оплаты" in card[-1].text
    assert mask_phone(held["guest"]["phone"]) in card[-1].text
    assert held["guest"]["phone"] not in card[-1].text  # the owner sees a masked phone
    assert {CONFIRM, CANCEL} <= set(card[-1].buttons)

    answer = await chat.send(CONFIRM)

    assert f"Оплата по брони {booking_id} подтверждена" in texts(answer)
    row = await wait_status(stack, booking_id, "confirmed")
    assert row.confirmed_at is not None
    assert [
        (p.provider_payment_id, p.amount, p.confirmed_by_id)
        for p in await payments_of(stack, booking_id)
    ] == [(f"manual-{booking_id}", held["total"], owner.id)]
    state = await workflow_state(stack, booking_id)
    assert (state["status"], state["payment_source"]) == ("confirmed", "manual")
    await eventually(
        lambda: messages_to(stack, held["guest"]["telegram_id"]),
        until=lambda sent: any(booking_id in t and "подтверждена" in t for t in sent),
    )
    await eventually(
        lambda: messages_to(stack, chat.user_id),
        until=lambda sent: any(f"Новая оплаченная бронь {booking_id}" in t for t in sent),
    )
    chat.new_replies()
    again = await chat.send(PENDING)
    assert "нет броней" in texts(again)
    # Paid now: the owner who hosts the guest sees the full name and number.
    upcoming = await chat.send(UPCOMING)
    paid = await chat.send(button_for(upcoming, booking_id))
    guest = held["guest"]
    assert f"Гость: {guest['name']}, {guest['phone']}" in paid[-1].text


async def test_owner_cancels_a_paid_booking_and_the_guest_gets_everything_back(stack):
    owner, _, chat = await owner_chat(stack)
    # Non-refundable: a guest cancelling would get nothing, the owner cancelling refunds all.
    prop = await make_property(stack, owner, cancellation_policy=CancellationPolicy.NON_REFUNDABLE)
    check_in, check_out = await stay(stack, starts_in_days=6, nights=3)
    booked = await book_and_pay(stack, id_of(prop), check_in, check_out)
    booking_id = booked.booking_id
    await eventually(  # the workflow tells the owner first; then the owner opens the bot
        lambda: messages_to(stack, chat.user_id),
        until=lambda sent: any(f"Новая оплаченная бронь {booking_id}" in t for t in sent),
    )
    chat.new_replies()

    await chat.send(BOOKINGS)
    listing = await chat.send(UPCOMING)
    assert booking_id in listing[-1].text
    stranger = await chat.send("7K3M9QXH2A")  # not one of theirs (nor anyone's)
    assert "среди ваших нет" in stranger[-1].text
    card = await chat.send(button_for(listing, booking_id))
    assert CONFIRM not in card[-1].buttons  # paid by Kaspi: nothing to confirm
    reasons = await chat.send(CANCEL)
    assert {"🏚 Квартира недоступна", "✏️ Другое"} <= set(reasons[-1].buttons)
    confused = await chat.send("не знаю")
    assert "выберите вариант" in confused[-1].text.lower()
    await chat.send("✏️ Другое")
    too_long = await chat.send("ы" * 501)
    assert "500" in too_long[-1].text
    preview = await chat.send("Прорвало трубу, идёт ремонт")
    assert f"Возврат гостю: {tenge(booked.total)}" in preview[-1].text
    assert "Прорвало трубу" in preview[-1].text
    assert YES in preview[-1].buttons

    done = await chat.send(YES)

    assert f"Бронь {booking_id} отменена. Возврат гостю: {tenge(booked.total)}" in texts(done)
    row = await wait_status(stack, booking_id, "cancelled")
    assert (row.cancelled_by, row.cancel_reason, row.refund_amount) == (
        "owner",
        "other",
        booked.total,
    )
    assert row.cancel_comment == "Прорвало трубу, идёт ремонт"
    guest_texts = await eventually(
        lambda: messages_to(stack, booked.guest_chat),
        until=lambda sent: any(f"Хозяин отменил бронь {booking_id}" in t for t in sent),
    )
    assert any(tenge(booked.total) in t for t in guest_texts if "Хозяин отменил" in t)
    refunds = await eventually(
        lambda: refunds_of(stack, booking_id), until=lambda found: len(found) == 1
    )
    assert refunds[0].amount == booked.total
    assert sandbox_refunds(stack, booked.kaspi_payment_id) == [
        (booked.kaspi_payment_id, booked.total)
    ]


async def test_staff_cancel_any_owners_booking_as_admin(stack):
    owner, _, _ = await owner_chat(stack)
    _, _, chat = await owner_chat(stack, Role.SUPER_ADMIN)
    prop = await make_property(stack, owner)
    held = await invoice_booking(stack, prop, starts_in_days=7)
    booking_id = held["booking_id"]

    await chat.send(BOOKINGS)
    await chat.send(UPCOMING)
    card = await chat.send(booking_id)  # staff may type the id: the list can be long
    assert f"Бронь {booking_id}" in card[-1].text
    await chat.send(CANCEL)
    preview = await chat.send("🏚 Квартира недоступна")
    assert f"Возврат гостю: {tenge(0)}" in preview[-1].text  # nothing was paid yet
    back = await chat.send("◀️ Назад")
    assert "причину" in back[-1].text  # one step back, the choice can be changed
    await chat.send("🏚 Квартира недоступна")
    done = await chat.send(YES)

    assert f"Бронь {booking_id} отменена" in texts(done)
    row = await wait_status(stack, booking_id, "cancelled")
    assert (row.cancelled_by, row.cancel_reason, row.refund_amount) == (
        "admin",
        "owner_unavailable",
        0,
    )
    await eventually(
        lambda: messages_to(stack, held["guest"]["telegram_id"]),
        until=lambda sent: any(f"Хозяин отменил бронь {booking_id}" in t for t in sent),
    )


async def test_an_owner_cannot_reach_another_owners_booking(stack):
    owner, _, chat = await owner_chat(stack)
    other, _, _ = await owner_chat(stack)
    mine = await invoice_booking(stack, await make_property(stack, owner), starts_in_days=8)
    held = await invoice_booking(stack, await make_property(stack, other), starts_in_days=8)
    booking_id = held["booking_id"]

    await chat.send(BOOKINGS)
    listing = await chat.send(PENDING)
    assert mine["booking_id"] in listing[-1].text
    assert booking_id not in texts(listing) + "".join(listing[-1].buttons)
    upcoming = await chat.send(UPCOMING)
    assert booking_id not in texts(upcoming) + "".join(upcoming[-1].buttons)

    # Even typed by hand, another owner's booking id opens nothing.
    replies = await chat.send(booking_id)

    assert "среди ваших нет" in texts(replies)
    assert booking_id not in texts(replies)
    assert CONFIRM not in replies[-1].buttons
    assert (await saved_booking(stack, booking_id)).status == "pending_payment"
    # The list is still there: the owner's own booking opens as before.
    card = await chat.send(button_for(upcoming, mine["booking_id"]))
    assert f"Бронь {mine['booking_id']}" in card[-1].text


async def test_a_guest_reaches_no_owner_action(stack):
    owner, _, _ = await owner_chat(stack)
    held = await invoice_booking(stack, await make_property(stack, owner), starts_in_days=9)
    guest = TelegramChat(stack, user_id=next(_ids), first_name="Айгерим")

    menu = await guest.send("/start")
    assert BOOKINGS not in menu[-1].buttons
    denied = await guest.send(BOOKINGS)
    assert "только владельцам" in denied[-1].text
    for text in (PENDING, held["booking_id"], CONFIRM, YES):
        replies = await guest.send(text)
        assert held["booking_id"] not in texts(replies)
    assert (await saved_booking(stack, held["booking_id"])).status == "pending_payment"
    assert await payments_of(stack, held["booking_id"]) == []


async def test_a_refused_confirmation_is_explained(stack):
    """The invoice ran out while the owner looked at the card: a friendly refusal."""
    owner, _, chat = await owner_chat(stack)
    held = await invoice_booking(stack, await make_property(stack, owner), starts_in_days=10)
    booking_id = held["booking_id"]
    await chat.send(BOOKINGS)
    listing = await chat.send(PENDING)
    await chat.send(button_for(listing, booking_id))

    await stack.env.sleep(stack.settings.manual_payment_timeout + timedelta(minutes=5))
    await wait_status(stack, booking_id, "auto_cancelled", timeout=30)
    answer = await chat.send(CONFIRM)

    assert "Не получилось подтвердить оплату" in texts(answer)
    assert "не оплачена вовремя" in texts(answer)
    assert await payments_of(stack, booking_id) == []


async def _stay_row(
    stack, prop: Property, status: BookingStatus, *, starts_in_days: int, name: str, phone: str
) -> str:
    """A booking as the workflow's activities leave it; the guest's account has no verified
    phone (an API booking): the number is the booking's contact phone."""
    check_in, check_out = await stay(stack, starts_in_days=starts_in_days, nights=2)
    booking_id = new_booking_id()
    async with stack.sessions() as session:
        guest = User(name=name, role=Role.GUEST)
        session.add(guest)
        await session.flush()
        session.add(
            Booking(
                id=booking_id,
                property_id=id_of(prop),
                guest_id=guest.id or 0,
                contact_phone=phone,
                check_in=check_in,
                check_out=check_out,
                nights=2,
                price_per_night=prop.price_per_night,
                cleaning_fee=0,
                total=2 * prop.price_per_night,
                status=status,
                channel=Channel.API,
                payment_method=PaymentMethod.MANUAL,
                cancellation_policy=prop.cancellation_policy,
                confirmed_at=utcnow() if status == BookingStatus.CONFIRMED else None,
                expires_at=None if status == BookingStatus.CONFIRMED else utcnow() + timedelta(1),
            )
        )
        await session.flush()
        session.add_all(
            CalendarNight(
                property_id=id_of(prop),
                night=check_in + timedelta(days=n),
                kind=CalendarBlockKind.BOOKING,
                booking_id=booking_id,
            )
            for n in range(2)
        )
        await session.commit()
    return booking_id


async def test_the_owner_sees_a_paid_guest_in_full_and_everyone_else_masked(stack):
    owner, _, chat = await owner_chat(stack)
    _, _, staff = await owner_chat(stack, Role.SUPER_ADMIN)
    prop = await make_property(stack, owner)
    paid_phone, held_phone = "+77015550123", "+77015550456"
    paid = await _stay_row(
        stack,
        prop,
        BookingStatus.CONFIRMED,
        starts_in_days=11,
        name="Данияр Ахметов",
        phone=paid_phone,
    )
    held = await _stay_row(
        stack,
        prop,
        BookingStatus.PENDING_PAYMENT,
        starts_in_days=14,
        name="Айгуль Серикова",
        phone=held_phone,
    )

    await chat.send(BOOKINGS)
    listing = await chat.send(UPCOMING)
    card = await chat.send(button_for(listing, paid))
    assert f"Гость: Данияр Ахметов, {paid_phone}" in card[-1].text
    await chat.send("◀️ Назад")
    card = await chat.send(button_for(listing, held))
    assert f"Гость: Айгуль, {mask_phone(held_phone)}" in card[-1].text  # not paid yet
    assert "Серикова" not in card[-1].text and held_phone not in card[-1].text

    # The apartment's own list of stays follows the same rule.
    await chat.send("🧭 Главное меню")
    await open_card(chat, prop)
    stays = await chat.send("📅 Брони")
    assert f"· Данияр Ахметов, {paid_phone} ·" in stays[-1].text
    assert "· Айгуль ·" in stays[-1].text and held_phone not in stays[-1].text

    # Staff manage the booking but do not host the guest: masked, as before.
    await staff.send(BOOKINGS)
    await staff.send(UPCOMING)
    seen = await staff.send(paid)
    assert f"Гость: Данияр, {mask_phone(paid_phone)}" in seen[-1].text
    assert "Ахметов" not in seen[-1].text and paid_phone not in seen[-1].text
    await staff.send("🧭 Главное меню")
    await open_card(staff, prop)
    staff_stays = await staff.send("📅 Брони")
    assert "· Данияр ·" in staff_stays[-1].text and paid_phone not in staff_stays[-1].text
