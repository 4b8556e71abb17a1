"""Issue 9 #1: knowing a phone number opens nobody's account.

Each test replays an attack that worked before: a phone typed in Telegram moved the typer
onto the phone's owner (their bookings, and later their door code); the public API linked a
Telegram id or WhatsApp number to whoever had the phone, and renamed them.
"""

from __future__ import annotations

import secrets

from sqlmodel import col, select

from models import User
from models.enums import Role
from tests.bots.telegram.guest import KASPI, choose_stay, new_guest, new_phone
from tests.bots.whatsapp.phone import WhatsAppGuest
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
from tests.support.payments import sandbox_pay

BOOKINGS = "/api/v1/bookings"


async def _user(stack, user_id: int) -> User:
    async with stack.sessions() as session:
        found: User | None = await session.get(User, user_id)
        assert found is not None
        return found


async def _user_by_telegram(stack, telegram_id: int) -> User | None:
    async with stack.sessions() as session:
        found: User | None = await session.scalar(
            select(User).where(col(User.telegram_id) == telegram_id)
        )
        return found


async def test_the_public_api_never_sets_messenger_ids(stack):
    owner, _ = await make_owner(stack, telegram_id=None)
    async with stack.sessions() as session:  # the owner has no Telegram yet: the old hole
        row = await session.get(User, owner.id)
        assert row is not None
        row.telegram_id = None
        await session.commit()
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=30, nights=2)
    body = booking_body(id_of(prop), check_in, check_out, phone=owner.phone, telegram_id=777_777)

    by_telegram = await stack.http.post(BOOKINGS, json=body)
    body["guest"].pop("telegram_id")
    body["guest"]["whatsapp_phone"] = owner.phone
    by_whatsapp = await stack.http.post(BOOKINGS, json=body)

    assert [by_telegram.status_code, by_whatsapp.status_code] == [403, 403]
    assert "staff API token" in by_telegram.json()["detail"]
    after = await _user(stack, owner.id or 0)
    assert (after.telegram_id, after.whatsapp_phone, after.role) == (None, None, Role.ADMIN)
    assert await _user_by_telegram(stack, 777_777) is None


async def test_an_anonymous_booking_with_someones_phone_changes_nobody(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=31, nights=2)
    body = booking_body(id_of(prop), check_in, check_out, phone=owner.phone)
    body["guest"].pop("telegram_id")
    body["guest"]["name"] = "Renamed By Attacker"

    response = await stack.http.post(BOOKINGS, json=body)

    assert response.status_code == 201, response.text
    booking = await saved_booking(stack, response.json()["booking_id"])
    assert booking.guest_id != owner.id  # a guest of its own, not the phone's owner
    assert booking.contact_phone == owner.phone  # the number is kept as a contact only
    after = await _user(stack, owner.id or 0)
    assert (after.name, after.telegram_id, after.role) == (
        owner.name,
        owner.telegram_id,
        Role.ADMIN,
    )
    guest = await _user(stack, booking.guest_id)
    assert (guest.phone, guest.telegram_id, guest.whatsapp_phone) == (None, None, None)


async def test_a_phone_typed_in_telegram_reaches_no_other_guest(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=6, nights=2)
    # The victim books on WhatsApp: Meta vouches for their number.
    victim = WhatsAppGuest(stack)
    body = booking_body(id_of(prop), check_in, check_out, phone=victim.phone)
    body["guest"].pop("telegram_id")
    body["guest"]["whatsapp_phone"] = victim.phone
    made = await stack.partner.post(BOOKINGS, json=body)
    assert made.status_code == 201, made.text
    victims_booking = made.json()["booking_id"]
    victim_id = (await saved_booking(stack, victims_booking)).guest_id

    # The attacker types the victim's number at the phone step and books something else.
    attacker = new_guest(stack)
    replies = await choose_stay(attacker, prop.id, check_out, 1)
    assert "📱 Поделиться номером" in replies[-1].buttons
    replies = await attacker.send(victim.phone)
    assert KASPI in replies[-1].buttons
    replies = await attacker.send(KASPI)
    assert "ждёт оплаты" in replies[-1].text or "ждёт оплаты" in replies[0].text

    # The victim pays: the confirmation goes to the victim's WhatsApp, never to the attacker.
    await sandbox_pay(stack, made.json()["payment"]["kaspi_payment_id"])
    await wait_status(stack, victims_booking, "confirmed")
    await eventually(
        lambda: _inbox(victim),
        until=lambda texts: any(victims_booking in t for t in texts),
    )
    assert not [t for t in stack.telegram.texts(attacker.user_id) if victims_booking in t]
    mine = await attacker.send("📋 Мои бронирования")
    assert victims_booking not in "\n".join(r.text for r in mine)
    assert not any(victims_booking in b for b in mine[-1].buttons)
    victim_row = await _user(stack, victim_id)
    assert victim_row.telegram_id is None and victim_row.whatsapp_phone == victim.phone
    me = await _user_by_telegram(stack, attacker.user_id)
    assert me is not None and me.id != victim_id and me.phone is None


async def _inbox(guest: WhatsAppGuest) -> list[str]:
    return [str(m.payload) for m in guest.inbox]


async def test_telegram_joins_a_whatsapp_guest_only_with_its_own_shared_number(stack):
    # A WhatsApp guest; later the same person shares their own number in Telegram.
    same_person = WhatsAppGuest(stack)
    await same_person.send("Привет")
    chat = new_guest(stack)
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, _ = await stay(stack, starts_in_days=9, nights=1)
    await choose_stay(chat, prop.id, check_in, 1)

    replies = await chat.send_contact(same_person.phone.lstrip("+"))

    assert KASPI in replies[-1].buttons
    joined = await _user_by_telegram(stack, chat.user_id)
    assert joined is not None
    assert (joined.phone, joined.whatsapp_phone) == (same_person.phone, same_person.phone)


async def test_a_shared_contact_never_joins_an_owner_or_an_unverified_phone(stack):
    owner, _ = await make_owner(stack)
    async with stack.sessions() as session:  # an owner without Telegram, phone typed by staff
        row = await session.get(User, owner.id)
        assert row is not None
        row.telegram_id = None
        legacy = User(name="Legacy", phone=new_phone(), role=Role.GUEST)  # phone never proven
        session.add(legacy)
        await session.commit()
        await session.refresh(legacy)
    prop = await make_property(stack, owner)
    check_in, _ = await stay(stack, starts_in_days=11, nights=1)

    for phone in (owner.phone, legacy.phone):
        chat = new_guest(stack)
        await choose_stay(chat, prop.id, check_in, 1)
        replies = await chat.send_contact((phone or "").lstrip("+"))
        assert KASPI in replies[-1].buttons  # booking goes on with the number as a contact
        me = await _user_by_telegram(stack, chat.user_id)
        assert me is not None and me.role == Role.GUEST and me.phone is None
    assert (await _user(stack, owner.id or 0)).telegram_id is None
    assert (await _user(stack, legacy.id or 0)).telegram_id is None


async def test_a_contact_card_without_the_senders_id_proves_nothing(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, _ = await stay(stack, starts_in_days=12, nights=1)
    chat = new_guest(stack)
    await choose_stay(chat, prop.id, check_in, 1)
    card = {"phone_number": new_phone(), "first_name": "Not on Telegram"}  # no user_id

    response = await chat.post(
        {"update_id": 8_000_000 + secrets.randbelow(10**6), "message": chat._message(contact=card)}
    )

    assert response.status_code == 200
    assert "поделитесь своим номером" in chat.new_replies()[-1].text
    me = await _user_by_telegram(stack, chat.user_id)
    assert me is not None and me.phone is None


async def test_whatsapp_never_joins_an_owner_or_an_unverified_phone(stack):
    owner, _ = await make_owner(stack)
    wa_owner = WhatsAppGuest(stack, wa_id=(owner.phone or "").lstrip("+"))

    await wa_owner.send("Привет")

    sender = await _whatsapp_user(stack, wa_owner.phone)
    assert sender.id != owner.id and sender.role == Role.GUEST
    assert (await _user(stack, owner.id or 0)).whatsapp_phone is None


async def _whatsapp_user(stack, phone: str) -> User:
    async with stack.sessions() as session:
        found: User | None = await session.scalar(
            select(User).where(col(User.whatsapp_phone) == phone)
        )
        assert found is not None
        return found
